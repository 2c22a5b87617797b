import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { API_KEY_SCOPES } from '../../common/roles';
import { needsAccessRule, type RegisteredRoute } from '../../server/src/identity/route-access';
import { bearer, startTestApp, type TestApp } from '../../server/src/testing/test-app';
import { changedTables, digestDatabase, writeCounter } from './database-digest';
import { brokenEscapes, declaredKeys, encode, hostileString, hostileValue } from './fuzz-inputs';

/*
 * Property-based fuzzing of every API route: hostile path parameters, query strings and bodies,
 * sent by an anonymous caller, a staff user holding every role and an API key with every scope.
 * No answer may be a 5xx, and a refused request (status >= 400) must leave the stored data as it was.
 *
 * Reproduce a run: FUZZ_SEED=<seed printed> (and FUZZ_ROUTE='POST /api/v1/users' to replay one route, or
 * several separated by commas);
 * FUZZ_RUNS sets the requests per route.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 8);
const ONLY_ROUTE = process.env.FUZZ_ROUTE;

type Caller = 'anonymous' | 'staff' | 'apiKey';
interface FuzzRequest {
  caller: Caller;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** which generator made the body, for the report */
  kind: string;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const json = (kind: string) => (value: unknown) => ({ kind, payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' });

/** Hostile values for the path parameters of a route URL such as `/api/v1/kb/entries/:id`. */
function urlArb(url: string): fc.Arbitrary<string> {
  const names = url.match(/:\w+/g) ?? [];
  const segment = fc.oneof({ arbitrary: hostileString.map(encode), weight: 5 }, { arbitrary: brokenEscapes, weight: 1 }, { arbitrary: fc.constant(''), weight: 1 });
  return fc.tuple(...names.map(() => segment)).map((values) => {
    let i = 0;
    return url.replace(/:\w+/g, () => values[i++]);
  });
}

/** A query string: the declared keys with wrong values, random keys, repeated keys, broken escapes. */
function queryArb(schema: unknown): fc.Arbitrary<string> {
  const keys = declaredKeys(schema);
  const value = fc.oneof(hostileString, fc.array(hostileString, { minLength: 2, maxLength: 4 }));
  const declared = keys.length ? fc.subarray(keys, { minLength: 1 }).chain((ks) => fc.tuple(...ks.map((k) => fc.tuple(fc.constant(k), value)))) : fc.constant([] as [string, string | string[]][]);
  const random = fc.array(fc.tuple(hostileString, value), { maxLength: 4 });
  const pairs = fc.oneof(declared, random, fc.tuple(declared, random).map(([a, b]) => [...a, ...b]));
  const encoded = pairs.map((ps) => ps.flatMap(([k, v]) => [v].flat().map((x) => `${encode(k)}=${encode(x)}`)).join('&'));
  return fc.oneof({ arbitrary: fc.constant(''), weight: 1 }, { arbitrary: encoded, weight: 4 }, { arbitrary: brokenEscapes.map((b) => `${b}=${b}&q${b}`), weight: 1 });
}

/** A request body: wrong JSON, wrong types for each declared key, deep nesting, huge strings, invalid UTF-8, wrong content types. */
function bodyArb(schema: unknown): fc.Arbitrary<{ kind: string; payload?: string | Buffer; contentType?: string }> {
  const keys = declaredKeys(schema);
  const wrongTyped = fc
    .tuple(...keys.map(() => fc.option(hostileValue, { nil: undefined, freq: 3 })))
    .map((values) => Object.fromEntries(keys.map((k, i) => [k, values[i]]).filter(([, v]) => v !== undefined)));
  return fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json('random JSON')), weight: 3 },
    { arbitrary: (keys.length ? wrongTyped : fc.dictionary(hostileString, hostileValue, { maxKeys: 4 })).map(json('declared keys, wrong types')), weight: 6 },
    // written as text: JSON.stringify itself overflows the stack on such depths
    { arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => ({ kind: 'deeply nested', payload: `${'{"a":['.repeat(n)}1${']}'.repeat(n)}`, contentType: 'application/json' })), weight: 1 },
    { arbitrary: fc.constantFrom(null, [], [{}], 0, '', 'text', true).map(json('not an object')), weight: 1 },
    { arbitrary: fc.integer({ min: 10_000, max: 400_000 }).map((n) => json('huge string')(Object.fromEntries((keys.length ? keys : ['text']).map((k) => [k, 'x'.repeat(n)])))), weight: 1 },
    { arbitrary: fc.constant({ kind: 'prototype pollution', payload: '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}', contentType: 'application/json' }), weight: 1 },
    {
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
        kind: 'invalid UTF-8 as JSON',
        payload: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from(bytes), Buffer.from('"}')]),
        contentType: 'application/json',
      })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/xml', 'application/json; charset=latin1', 'application/json; charset=utf-16', '; ;', 'x/'.repeat(50)), hostileString)
        .map(([contentType, text]) => ({ kind: 'wrong content type', payload: text, contentType })),
      weight: 1,
    },
    { arbitrary: fc.constant({ kind: 'empty JSON body', payload: '', contentType: 'application/json' }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'no body' }), weight: 1 },
  );
}

/** Every hostile request this route can receive. */
function requestArb(route: RegisteredRoute): fc.Arbitrary<FuzzRequest> {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const body = WITH_BODY.has(route.method) ? bodyArb(schema.body) : fc.constant({ kind: 'no body' } as { kind: string; payload?: string; contentType?: string });
  return fc.record({ caller: fc.constantFrom<Caller>('anonymous', 'staff', 'apiKey'), path: urlArb(route.url), query: queryArb(schema.querystring), body }).map(({ caller, path, query, body }): FuzzRequest => ({
    caller,
    method: route.method,
    url: query ? `${path}?${query}` : path,
    headers: body.contentType !== undefined ? { 'content-type': body.contentType } : ({} as Record<string, string>),
    payload: body.payload,
    kind: body.kind,
  }));
}

/** A request in words, short enough to read and exact enough to replay with the seed. */
function describeRequest(r: FuzzRequest): string {
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s);
  const body = r.payload === undefined ? '' : Buffer.isBuffer(r.payload) ? ` body(bytes)=${r.payload.toString('hex').slice(0, 200)}` : ` body=${JSON.stringify(cut(r.payload))}`;
  return `${r.caller} ${r.method} ${cut(r.url)} [${r.kind}]${r.headers['content-type'] !== undefined ? ` content-type=${JSON.stringify(r.headers['content-type'])}` : ''}${body}`;
}

describe('fuzz: hostile requests to every API route', () => {
  let t: TestApp;
  const tokens: Record<Caller, string | undefined> = { anonymous: undefined, staff: undefined, apiKey: undefined };
  const STAFF = 'fuzz-staff';

  async function signInStaff() {
    tokens.staff = await t.login(STAFF, 'password-123');
  }
  async function createApiKey() {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(await t.adminToken()), payload: { name: 'fuzz', scopes: [...API_KEY_SCOPES] } });
    assert.equal(res.statusCode, 201, res.body);
    tokens.apiKey = res.json().key;
  }
  /** Signs in again or makes a new key when an accepted request (logout, revocation) ended a caller's credentials. */
  async function keepCredentials() {
    const me = (token: string | undefined) => t.app.inject({ url: '/api/v1/auth/me', headers: bearer(token!) });
    if ((await me(tokens.staff)).statusCode !== 200) await signInStaff();
    if ((await me(tokens.apiKey)).statusCode !== 200) await createApiKey();
  }
  /** Waits until the work that accepted requests started in the background (events, analytics, index, jobs) is done. */
  async function settle() {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    await t.app.analytics.idle();
    await t.app.services.knowledge.idle();
    for (let waited = 0; waited < 3000; waited += 20) {
      const now = new Date().toISOString();
      const busy = await sql<{ n: number }>`select count(*) as n from jobs where status = 'running' or (status = 'queued' and (run_at is null or run_at <= ${now}))`.execute(t.ctx.db);
      if (Number(busy.rows[0].n) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await t.app.analytics.idle();
  }

  // the server's error log, so a 5xx in the report carries the stack that explains it
  const errorLog: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      errorLog.push(String(chunk));
      done();
    },
  });
  /** The stacks the server logged since `from` (an index into errorLog), trimmed for the report. */
  const stacksSince = (from: number) =>
    errorLog
      .slice(from)
      .map((line) => {
        try {
          const entry = JSON.parse(line);
          return String(entry.err?.stack ?? entry.msg).split('\n').slice(0, 8).join('\n      ');
        } catch {
          return line.slice(0, 500);
        }
      })
      .join('\n      ');

  before(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'error' }, logStream });
    await t.app.ready();
    tokens.staff = await t.tokenFor(['admin', 'supervisor', 'editor', 'reviewer', 'agent'], STAFF);
    await createApiKey();
    // the robot builds its model on first use (tens of seconds on a busy machine): paid here, not inside one fuzzed request
    await t.app.services.robot.ready();
  });
  after(() => t?.close());

  it('answers no 5xx, and a refused request changes no stored data', { timeout: 10 * 60_000 }, async () => {
    // each route's seed is SEED + its place among all API routes, so FUZZ_ROUTE replays the same requests
    const routes = t.app.routeInventory
      .filter((r) => r.method !== 'HEAD' && needsAccessRule(r.url))
      .map((route, place) => ({ route, place }))
      .filter(({ route: r }) => !ONLY_ROUTE || ONLY_ROUTE.split(',').includes(`${r.method} ${r.url}`));
    assert.ok(routes.length > 0, `no route matches FUZZ_ROUTE=${ONLY_ROUTE}`);
    console.log(`# fuzz seed: ${SEED} (replay with FUZZ_SEED=${SEED}), ${RUNS_PER_ROUTE} requests per route`);
    const started = Date.now();
    const serverErrors: string[] = [];
    const changedData: string[] = [];
    let requests = 0;
    let baseline: Map<string, string> | undefined;
    let baselineWrites = '';

    for (const { route, place } of routes) {
      const name = `${route.method} ${route.url}`;
      const samples = fc.sample(requestArb(route), { seed: SEED + place, numRuns: RUNS_PER_ROUTE });
      for (const request of samples) {
        if (!baseline) {
          await settle();
          await keepCredentials();
          baseline = await digestDatabase(t);
          baselineWrites = await writeCounter(t);
        }
        const token = tokens[request.caller];
        const logged = errorLog.length;
        let status: number;
        let body = '';
        try {
          const res = await t.app.inject({ method: request.method as any, url: request.url, headers: { ...request.headers, ...(token ? bearer(token) : {}) }, payload: request.payload });
          status = res.statusCode;
          body = res.body;
        } catch (err) {
          status = 599; // the server did not answer at all
          body = String((err as Error)?.stack ?? err);
        }
        requests++;
        if (status >= 500) serverErrors.push(`${name}: ${status} ${body.slice(0, 200)}\n    ${describeRequest(request)}\n      ${stacksSince(logged)}`);
        if (status >= 400) {
          const writes = await writeCounter(t);
          if (writes !== baselineWrites) {
            const now = await digestDatabase(t);
            const changed = changedTables(baseline, now);
            if (changed.length) changedData.push(`${name}: ${status} changed ${changed.join(', ')}\n    ${describeRequest(request)}`);
            baseline = now;
            baselineWrites = await writeCounter(t);
          }
        } else {
          baseline = undefined; // accepted requests may change data: take a new baseline before the next one
        }
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`# fuzz: ${requests} requests to ${routes.length} routes, ${serverErrors.length} 5xx, ${changedData.length} refused requests that changed data (${seconds} s, seed ${SEED})`);
    const report = [...serverErrors.map((e) => `5xx ${e}`), ...changedData.map((e) => `refused but changed data: ${e}`)];
    assert.deepEqual(report, [], `seed ${SEED}:\n${report.join('\n')}`);
  });
});
