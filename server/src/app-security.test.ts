import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from './platform/config';
import { bearer, startTestApp, type TestApp } from './testing/test-app';

const signInWrong = (t: TestApp, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, remoteAddress, payload: { username: 'admin', password: 'not-the-password' } });

describe('HTTP layer: client addresses, proxies, headers, body size', () => {
  let direct: TestApp;
  let behindProxy: TestApp;
  before(async () => {
    direct = await startTestApp({ seed: false, env: { RATE_LIMIT_PER_MINUTE: '3' } });
    behindProxy = await startTestApp({ seed: false, env: { RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1' } });
  });
  after(async () => {
    await direct?.close();
    await behindProxy?.close();
  });

  it('rotating X-Forwarded-For does not escape the anonymous rate limit', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const res = await direct.app.inject({ url: '/api/v1/auth/me', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(res.statusCode);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  });

  it('behind a proxy listed in TRUST_PROXY, X-Forwarded-For names the client', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const res = await behindProxy.app.inject({ url: '/api/v1/auth/me', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(res.statusCode);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    const fromElsewhere = await behindProxy.app.inject({ url: '/api/v1/auth/me', remoteAddress: '192.0.2.9', headers: { 'x-forwarded-for': '198.51.100.0' } });
    assert.equal(fromElsewhere.statusCode, 200, 'an untrusted hop is its own client, whatever it claims');
  });

  it('the audit log records the socket address unless the hop is a trusted proxy', async () => {
    await signInWrong(direct, { 'x-forwarded-for': '6.6.6.6' }, '192.0.2.50');
    await signInWrong(behindProxy, { 'x-forwarded-for': '198.51.100.77' });
    const ipOfLastFailure = async (t: TestApp) => {
      const audit = await t.app.inject({ url: '/api/v1/audit?action=auth.login_failed', headers: bearer(await t.adminToken()) });
      return audit.json().items[0].ip;
    };
    assert.equal(await ipOfLastFailure(direct), '192.0.2.50');
    assert.equal(await ipOfLastFailure(behindProxy), '198.51.100.77');
  });

  it('TRUST_PROXY takes addresses and CIDRs, is off by default, and never trusts everyone', () => {
    assert.equal(loadConfig({}).TRUST_PROXY, false);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,::1' }).TRUST_PROXY, ['10.0.0.5', '172.16.0.0/12', '::1']);
    assert.deepEqual(loadConfig({ TRUST_PROXY: 'loopback' }).TRUST_PROXY, ['loopback']);
    for (const everyone of ['true', '*', '0.0.0.0/0', '::/0', '10.0.0.0/33', 'proxy.local']) {
      assert.throws(() => loadConfig({ TRUST_PROXY: everyone }), /TRUST_PROXY/, everyone);
    }
  });

  it('the session cookie is Secure when the request came over TLS through a trusted proxy, and only then', async () => {
    const cookieOf = async (t: TestApp, headers: Record<string, string>) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { username: 'admin', password: 'admin-pass-for-tests' } });
      assert.equal(res.statusCode, 200);
      return String(res.headers['set-cookie']);
    };
    assert.match(await cookieOf(behindProxy, { 'x-forwarded-proto': 'https' }), /;\s*Secure/i);
    assert.doesNotMatch(await cookieOf(behindProxy, {}), /;\s*Secure/i);
    assert.doesNotMatch(await cookieOf(direct, { 'x-forwarded-proto': 'https' }), /;\s*Secure/i, 'an untrusted client cannot claim TLS');
  });

  it('API answers carry the security headers', async () => {
    const res = await direct.app.inject({ url: '/api/v1/health', remoteAddress: '192.0.2.61' });
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /object-src 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    const missing = await direct.app.inject({ url: '/api/v1/no-such-route', remoteAddress: '192.0.2.61' });
    assert.equal(missing.headers['x-content-type-options'], 'nosniff');
  });

  it('the Swagger UI at /docs gets its own policy that lets it run, still refusing frames', async () => {
    const page = await direct.app.inject({ url: '/docs', remoteAddress: '192.0.2.60' });
    assert.equal(page.statusCode, 200);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
  });

  it('a body over 1 MB is refused with 413', async () => {
    const res = await direct.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '192.0.2.200',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'admin', password: 'x'.repeat(1024 * 1024 + 10) }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'body_too_large');
  });
});
