import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { THROTTLE, throttleDelaySeconds } from './login-throttle';

describe('sign-in throttling: failures slow the address, never lock the account', () => {
  let t: TestApp;
  let admin: string;
  const signIn = (username: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { username, password } });

  before(async () => {
    t = await startTestApp({ seed: false });
    admin = await t.adminToken();
    for (const username of ['victim', 'timed', 'sleeper', 'clock']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username, password: 'victim-pass-42', roles: ['agent'] } });
      assert.equal(res.statusCode, 201);
    }
  });
  after(async () => t?.close());

  it('six wrong passwords from one address do not stop the right password from another address', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await signIn('victim', `guess-${i}`, '203.0.113.66'));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [401, 401, 401, 401, 429, 429],
      'three free failures, the fourth starts a wait, attempts during the wait are refused unchecked',
    );
    const owner = await signIn('victim', 'victim-pass-42', '198.51.100.7');
    assert.equal(owner.statusCode, 200);
  });

  it('the throttled address gets 429 login_throttled with Retry-After, even with the right password', async () => {
    const res = await signIn('victim', 'victim-pass-42', '203.0.113.66');
    assert.equal(res.statusCode, 429);
    assert.equal(res.json().error.code, 'login_throttled');
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= THROTTLE.firstDelaySeconds, `Retry-After ${res.headers['retry-after']}`);
  });

  it('waits double with each further failure, up to a cap', () => {
    const free = THROTTLE.freePairFailures;
    assert.equal(throttleDelaySeconds(free, free), 0);
    assert.equal(throttleDelaySeconds(free + 1, free), THROTTLE.firstDelaySeconds);
    assert.equal(throttleDelaySeconds(free + 2, free), THROTTLE.firstDelaySeconds * 2);
    assert.equal(throttleDelaySeconds(free + 3, free), THROTTLE.firstDelaySeconds * 4);
    assert.equal(throttleDelaySeconds(free + 60, free), THROTTLE.maxDelaySeconds);
  });

  it('one address trying many usernames is slowed down as a whole', async () => {
    const client = '203.0.113.99';
    const statuses = [];
    for (let i = 0; i <= THROTTLE.freeClientFailures + 1; i++) statuses.push((await signIn(`nobody-${i}`, 'whatever-pass', client)).statusCode);
    assert.deepEqual(statuses.slice(0, THROTTLE.freeClientFailures + 1), Array(THROTTLE.freeClientFailures + 1).fill(401));
    assert.equal(statuses.at(-1), 429);
    assert.equal((await signIn('victim', 'victim-pass-42', client)).statusCode, 429, 'a real account from that address waits too');
  });

  it('the wait ends by itself: after Retry-After the right password works', async () => {
    for (let i = 0; i < THROTTLE.freePairFailures + 1; i++) assert.equal((await signIn('sleeper', 'nope-nope', '192.0.2.40')).statusCode, 401);
    const refused = await signIn('sleeper', 'victim-pass-42', '192.0.2.40');
    assert.equal(refused.statusCode, 429);
    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers['retry-after']) * 1000 + 100));
    assert.equal((await signIn('sleeper', 'victim-pass-42', '192.0.2.40')).statusCode, 200);
  });

  it('admins list throttles and clear one; the clearing is audited', async () => {
    const forbidden = await t.app.inject({ url: '/api/v1/auth/throttles', headers: bearer(await t.tokenFor(['supervisor'])) });
    assert.equal(forbidden.statusCode, 403);
    for (let i = 0; i < THROTTLE.freePairFailures + 1; i++) await signIn('victim', `guess-${i}`, '203.0.113.77');
    const list = await t.app.inject({ url: '/api/v1/auth/throttles', headers: bearer(admin) });
    assert.equal(list.statusCode, 200);
    const pair = list.json().items.find((i: any) => i.client === '203.0.113.77' && i.username === 'victim');
    assert.equal(pair.scope, 'client_username');
    assert.equal(pair.isBlocked, true);
    assert.equal(pair.failures, THROTTLE.freePairFailures + 1);
    assert.ok(list.json().items.some((i: any) => i.client === '203.0.113.77' && i.scope === 'client'));

    const cleared = await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/throttles/${pair.id}`, headers: bearer(admin) });
    assert.equal(cleared.statusCode, 200);
    assert.equal((await signIn('victim', 'victim-pass-42', '203.0.113.77')).statusCode, 200);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/v1/auth/throttles/${pair.id}`, headers: bearer(admin) });
    assert.equal(again.statusCode, 404);
    const audit = await t.app.inject({ url: '/api/v1/audit?action=auth.throttle_cleared', headers: bearer(admin) });
    assert.equal(audit.json().items[0].subjectId, pair.id);
    assert.equal(audit.json().items[0].detail.username, 'victim');
  });

  it('unknown and disabled users get the same answer as a wrong password', async () => {
    const users = (await t.app.inject({ url: '/api/v1/users', headers: bearer(admin) })).json().items;
    const timed = users.find((u: any) => u.username === 'timed');
    await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${timed.id}`, headers: bearer(admin), payload: { isDisabled: true } });
    const unknown = await signIn('no-such-user', 'victim-pass-42', '192.0.2.1');
    const disabled = await signIn('timed', 'victim-pass-42', '192.0.2.2');
    const wrong = await signIn('victim', 'wrong-pass-42', '192.0.2.3');
    for (const res of [unknown, disabled, wrong]) {
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), wrong.json());
    }
  });

  it('an unknown username costs the same password-hash time as a real one', async () => {
    const time = async (username: string, address: string) => {
      const start = process.hrtime.bigint();
      await signIn(username, 'not-the-password', address);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const known = [];
    const unknown = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time('clock', `192.0.2.${100 + i}`));
      unknown.push(await time(`ghost-${i}`, `192.0.2.${110 + i}`));
    }
    const fastestKnown = Math.min(...known);
    const fastestUnknown = Math.min(...unknown);
    // scrypt takes tens of milliseconds; skipping it took ~3 ms against ~160 ms
    assert.ok(fastestUnknown > fastestKnown * 0.4, `unknown ${fastestUnknown.toFixed(1)} ms vs known ${fastestKnown.toFixed(1)} ms`);
  });
});
