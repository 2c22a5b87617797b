import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

describe('identity: sign-in, roles, API keys, audit', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ seed: false });
  });
  after(async () => t?.close());

  it('admin signs in and gets a token and an HttpOnly SameSite session cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-pass-for-tests' } });
    assert.equal(res.statusCode, 200);
    assert.match(res.json().token, /^zxs_/);
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /zx_session=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(res.json().token) });
    assert.deepEqual(me.json().roles, ['admin']);
    assert.ok(me.json().abilities.includes('users.manage'));
  });

  it('a wrong password is 401, and five in a row lock the account even for the right password', async () => {
    const admin = await t.adminToken();
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'lockme', password: 'right-password', roles: ['agent'] } });
    assert.equal(created.statusCode, 201);
    for (let i = 0; i < 5; i++) {
      const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'lockme', password: 'wrong-password' } });
      assert.equal(bad.statusCode, 401);
      assert.equal(bad.json().error.code, 'invalid_credentials');
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'lockme', password: 'right-password' } });
    assert.equal(locked.statusCode, 423);
    const audit = await t.app.inject({ url: '/api/v1/audit?action=auth.login_failed&pageSize=50', headers: bearer(admin) });
    assert.ok(audit.json().items.filter((i: any) => i.actor === 'user:lockme').length >= 5);
  });

  it('only admins manage users; others get 403 with a reason code, anonymous 401', async () => {
    const agent = await t.tokenFor(['agent']);
    const asAgent = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(agent), payload: { username: 'x1', password: 'password-123', roles: ['admin'] } });
    assert.equal(asAgent.statusCode, 403);
    assert.equal(asAgent.json().error.code, 'forbidden');
    const anonymous = await t.app.inject({ url: '/api/v1/users' });
    assert.equal(anonymous.statusCode, 401);
  });

  it('bad user input is a 400 naming the field and creates nothing', async () => {
    const admin = await t.adminToken();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'short-pw', password: '123', roles: ['agent'] } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.field, 'password');
    const list = await t.app.inject({ url: '/api/v1/users', headers: bearer(admin) });
    assert.ok(!list.json().items.some((u: any) => u.username === 'short-pw'));
  });

  it('a role change is audited and ends the user’s sessions', async () => {
    const admin = await t.adminToken();
    const token = await t.tokenFor(['agent'], 'promote-me');
    const users = (await t.app.inject({ url: '/api/v1/users', headers: bearer(admin) })).json().items;
    const id = users.find((u: any) => u.username === 'promote-me').id;
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${id}`, headers: bearer(admin), payload: { roles: ['editor'] } });
    assert.deepEqual(patched.json().roles, ['editor']);
    const stale = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
    assert.equal(stale.statusCode, 401);
    const audit = await t.app.inject({ url: '/api/v1/audit?action=user.roles_changed', headers: bearer(admin) });
    assert.equal(audit.json().items[0].subjectId, id);
  });

  it('API keys are shown once, work as Bearer with their scopes, and stop working when revoked', async () => {
    const admin = await t.adminToken();
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: 'partner app', scopes: ['kb:read'] } });
    assert.equal(created.statusCode, 201);
    const { id, key } = created.json();
    assert.match(key, /^zxk_/);
    const listed = await t.app.inject({ url: '/api/v1/api-keys', headers: bearer(admin) });
    assert.ok(!JSON.stringify(listed.json()).includes(key), 'the key is never listed again');
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(key) });
    assert.equal(me.json().kind, 'apiKey');
    assert.deepEqual(me.json().abilities, ['kb.read']);
    const forbidden = await t.app.inject({ url: '/api/v1/users', headers: bearer(key) });
    assert.equal(forbidden.statusCode, 403);
    await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: bearer(admin) });
    const revoked = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(key) });
    assert.equal(revoked.statusCode, 401);
    assert.equal(revoked.json().error.code, 'invalid_api_key');
  });

  it('cookie sessions must send the CSRF token on unsafe requests', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'admin-pass-for-tests' } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const payload = { username: 'via-cookie', password: 'password-123', roles: ['agent'] };
    const without = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie }, payload });
    assert.equal(without.statusCode, 403);
    assert.equal(without.json().error.code, 'csrf_failed');
    const withToken = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie, 'x-csrf-token': login.json().csrfToken }, payload });
    assert.equal(withToken.statusCode, 201);
  });

  it('health answers ok when the database answers', async () => {
    const res = await t.app.inject({ url: '/api/v1/health' });
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  it('serves an OpenAPI document with the knowledge routes', async () => {
    const res = await t.app.inject({ url: '/docs/json' });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().paths['/api/v1/kb/search']);
  });
});
