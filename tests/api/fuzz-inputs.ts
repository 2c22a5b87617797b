import fc from 'fast-check';

/** Strings that have broken parsers, query builders, templates and path handling elsewhere. */
export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE users;--",
  '; DROP TABLE users;--',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  '%00',
  '\u0000',
  'a\u0000b',
  '__proto__',
  'constructor',
  'prototype',
  '\uD800',
  '\uDFFF\uD800',
  '\uFEFF',
  '\u202E',
  '😀'.repeat(50),
  '中文'.repeat(20),
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9'.repeat(40),
  '0x1F',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  '',
  ' ',
  '\t\r\n',
  '2026-13-45T99:99:99Z',
  'zxk_' + 'A'.repeat(40),
];

/** A string of the hostile kind: a known attack, random Unicode (lone surrogates included), a huge run, a number. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.tuple(fc.constantFrom('a', '中', '😀', '\u0000', "'", '%'), fc.integer({ min: 1000, max: 12_000 })).map(([c, n]) => c.repeat(n)), weight: 1 },
  { arbitrary: fc.oneof(fc.integer(), fc.double()).map(String), weight: 1 },
);

/** A JSON value of any type, including ones a schema does not expect in that place. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 4 },
  { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2)), weight: 2 },
  { arbitrary: fc.constantFrom(true, false, null), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.array(hostileString, { maxLength: 5 }), weight: 1 },
  { arbitrary: fc.integer({ min: 10, max: 500 }).map(deepNest), weight: 1 },
);

/** An object or array nested `depth` levels deep. */
export function deepNest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** The keys a zod object schema declares (through optional/nullable/default/pipe wrappers); [] when none can be found. */
export function declaredKeys(schema: unknown): string[] {
  let s = schema as { _zod?: { def?: any }; shape?: Record<string, unknown> } | undefined;
  for (let i = 0; i < 10 && s; i++) {
    const def = s._zod?.def;
    if (!def) return [];
    if (def.type === 'object') return Object.keys(def.shape ?? {});
    s = def.innerType ?? def.in ?? def.schema;
  }
  return [];
}

/** A percent-encoded URL component; lone surrogates (which encodeURIComponent refuses) become invalid UTF-8 bytes on purpose. */
export function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value.split('').map((c) => (/[\uD800-\uDFFF]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c))).join('');
  }
}

/** Raw percent sequences that do not decode to valid UTF-8, or do not decode at all. */
export const brokenEscapes = fc.constantFrom('%', '%zz', '%FF%FE', '%C0%AF', '%E0%A4%A', '%ED%A0%80', '%00', '%2F..%2F', '%25');
