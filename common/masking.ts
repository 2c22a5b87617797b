/**
 * Masks personal identifiers in free text before it is stored, logged or shown to someone who does
 * not need them (PIPL): mainland resident ID numbers (18 and the old 15 digits), mobile numbers
 * (with or without +86/86), landlines with an area code, and bank-card numbers (16–19 digits).
 * Citizens type them every way: with spaces or dashes between groups, or in full-width digits
 * (１３８…); all of these are found.
 *   110101199003074512 → 1101**********4512      138-1234-5678 → 138-****-5678
 *   +86 138 1234 5678  → +86 138 ****5678        010-62345678  → 010-****5678
 * Other numbers (years, amounts, 12333, dates) are left alone. Every pattern has a fixed or small
 * bounded length, so matching stays linear in the text.
 */
export function maskPersonalData(text: string): string {
  if (!text) return text;
  // A shadow copy with full-width digits and separators folded to ASCII: same length (all are single
  // UTF-16 units), so a match in the shadow masks the same positions of the original.
  const shadow = [...text].length === text.length ? foldForMatching(text) : undefined;
  if (!shadow) return maskSurrogateText(text);
  const out = text.split('');
  const seen = shadow.split('');
  for (const { pattern, keepStart, keepEnd, accept } of PATTERNS) {
    pattern.lastIndex = 0;
    const current = seen.join('');
    for (let m = pattern.exec(current); m; m = pattern.exec(current)) {
      const prefix = m[1]?.length ?? 0;
      const body = m[0].slice(prefix);
      if (accept && /[ \-]/.test(body) && !accept(body.replace(/[ \-]/g, ''))) continue;
      maskDigits(out, seen, m.index, m.index + prefix, m.index + m[0].length, keepStart, keepEnd);
    }
  }
  return out.join('');
}

/** Masks an ID number shown in a form field (keeps the first 4 and last 4 characters). */
export function maskIdNumber(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}` : '****';
}

/** Masks a phone number (keeps the first 3 and last 4 digits). */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** Masks every string inside a JSON-like value (for stored payloads such as chat state). */
export function maskPersonalDataDeep<T>(value: T): T {
  if (typeof value === 'string') return maskPersonalData(value) as T;
  if (Array.isArray(value)) return value.map(maskPersonalDataDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskPersonalDataDeep(v)])) as T;
  }
  return value;
}

// One optional separator between digits: a space (also the ideographic space) or a dash.
const S = '[ \\-]?';
const D = '\\d';
const digits = (n: number) => `${D}(?:${S}${D}){${n - 1}}`;
// '*' is a digit masked already, '#' one kept visible by an earlier match: both end a number
const NOT_BEFORE = '(?<![0-9A-Za-z*#])';
const NOT_AFTER = '(?![0-9A-Za-z*#])';

/** YYYYMMDD or YYMMDD at `at` looks like a birth date: written with separators, an ID must show one. */
function hasBirthDate(text: string, at: number, yearDigits: 2 | 4) {
  const year = text.slice(at, at + yearDigits);
  const month = Number(text.slice(at + yearDigits, at + yearDigits + 2));
  const day = Number(text.slice(at + yearDigits + 2, at + yearDigits + 4));
  const plausibleYear = yearDigits === 2 || /^(18|19|20)/.test(year);
  return plausibleYear && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Separated groups that are all years (2019 2020 2021 2022) are a list of years, not a card. */
const isYearList = (digitsOnly: string) => /^(?:(?:19|20)\d\d)+$/.test(digitsOnly);

/**
 * In the order they are tried; a masked digit becomes '*', which later patterns treat as a boundary.
 * Group 1, where present, is a prefix that stays visible (country code, area code). A number written
 * in one piece is always masked; one written with separators must also pass `accept`, so that a run
 * of years or amounts ("2019 2020 2021 2022") is not taken for a card.
 */
const PATTERNS: { pattern: RegExp; keepStart: number; keepEnd: number; accept?: (digitsOnly: string) => boolean }[] = [
  // 18-character ID (17 digits + digit or X)
  { pattern: new RegExp(`${NOT_BEFORE}()${digits(17)}${S}[0-9Xx]${NOT_AFTER}`, 'g'), keepStart: 4, keepEnd: 4, accept: (d) => hasBirthDate(d, 6, 4) },
  // mobile with a country code: +86 / 0086 / 86, optionally in brackets
  { pattern: new RegExp(`${NOT_BEFORE}((?:\\(?(?:\\+|00)86\\)?|86)${S})1${S}[3-9]${S}${digits(9)}${NOT_AFTER}`, 'g'), keepStart: 3, keepEnd: 4 },
  // bank card: 16 to 19 digits
  { pattern: new RegExp(`${NOT_BEFORE}()${D}(?:${S}${D}){15,18}${NOT_AFTER}`, 'g'), keepStart: 4, keepEnd: 4, accept: (d) => !isYearList(d) },
  // 15-digit ID (issued before 1999)
  { pattern: new RegExp(`${NOT_BEFORE}()${digits(15)}${NOT_AFTER}`, 'g'), keepStart: 4, keepEnd: 4, accept: (d) => hasBirthDate(d, 6, 2) },
  // mobile: 1[3-9] and nine more digits
  { pattern: new RegExp(`${NOT_BEFORE}()1${S}[3-9]${S}${digits(9)}${NOT_AFTER}`, 'g'), keepStart: 3, keepEnd: 4 },
  // landline with an area code: (010) 6234 5678, 0755-87654321, 021 6234-5678
  { pattern: new RegExp(`${NOT_BEFORE}(\\(?0[1-9]\\d{1,2}\\)?${S})[2-9]\\d{2,3}${S}\\d{4}${NOT_AFTER}`, 'g'), keepStart: 0, keepEnd: 4 },
];

const FULL_WIDTH_ZERO = 0xff10;

function foldForMatching(text: string): string {
  let folded = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code >= FULL_WIDTH_ZERO && code <= FULL_WIDTH_ZERO + 9) folded += String.fromCharCode(48 + code - FULL_WIDTH_ZERO);
    else if (ch === '－' || ch === '—' || ch === '‐' || ch === '‑') folded += '-';
    else if (ch === '\u3000' || ch === '\u00a0') folded += ' ';
    else if (ch === '＋') folded += '+';
    else if (ch === '（') folded += '(';
    else if (ch === '）') folded += ')';
    else if (ch === 'Ｘ' || ch === 'ｘ') folded += 'X';
    else folded += ch;
  }
  return folded;
}

/** Text with characters outside the BMP (emoji, rare Han): mask each BMP stretch on its own. */
function maskSurrogateText(text: string): string {
  return text.replace(/[\u0000-\ud7ff\ue000-\uffff]+/g, (stretch) => maskPersonalData(stretch));
}

/**
 * Replaces the digits of [bodyStart, end) with '*', leaving the first keepStart and last keepEnd;
 * every digit of the match, prefix included, is then out of reach of later patterns.
 */
function maskDigits(out: string[], seen: string[], start: number, bodyStart: number, end: number, keepStart: number, keepEnd: number) {
  const positions: number[] = [];
  for (let i = bodyStart; i < end; i++) if (/[0-9Xx]/.test(seen[i])) positions.push(i);
  positions.forEach((at, k) => {
    if (k >= keepStart && k < positions.length - keepEnd) {
      out[at] = '*';
      seen[at] = '*';
    }
  });
  for (let i = start; i < end; i++) if (/[0-9Xx]/.test(seen[i])) seen[i] = '#';
}
