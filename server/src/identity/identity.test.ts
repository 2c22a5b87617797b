import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../platform/config';
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

  it('a wrong password is 401 invalid_credentials and is audited with the caller’s address', async () => {
    const admin = await t.adminToken();
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'typo-user', password: 'right-password', roles: ['agent'] } });
    assert.equal(created.statusCode, 201);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.9.8.7', payload: { username: 'typo-user', password: 'wrong-password' } });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().error.code, 'invalid_credentials');
    const audit = await t.app.inject({ url: '/api/v1/audit?action=auth.login_failed&pageSize=50', headers: bearer(admin) });
    const failure = audit.json().items.find((i: any) => i.actor === 'user:typo-user');
    assert.equal(failure.ip, '10.9.8.7');
  });

  it('usernames ignore case: ADMIN cannot be created beside admin, and signs in as admin', async () => {
    const admin = await t.adminToken();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'ADMIN', password: 'another-good-pass-9', roles: ['agent'] } });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'username_taken');
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'Admin', password: 'admin-pass-for-tests' } });
    assert.equal(login.statusCode, 200);
    assert.equal(login.json().user.username, 'admin');
  });

  it('eight simultaneous creations of one username: one 201, seven 409 conflicts, no 500', async () => {
    const admin = await t.adminToken();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: i % 2 ? 'Racer' : 'racer', password: 'racing-pass-77', roles: ['agent'] } }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409]);
    for (const answer of answers.filter((a) => a.statusCode === 409)) assert.match(answer.json().error.code, /^(conflict|username_taken)$/);
    const users = (await t.app.inject({ url: '/api/v1/users', headers: bearer(admin) })).json().items;
    assert.equal(users.filter((u: any) => u.username.toLowerCase() === 'racer').length, 1);
  });

  it('common or guessable passwords are refused with 400 weak_password, on creation and on change', async () => {
    const admin = await t.adminToken();
    for (const password of ['12345678', 'password', 'qwertyuiop', 'weakling1']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'weakling1', password, roles: ['agent'] } });
      assert.equal(res.statusCode, 400, password);
      assert.equal(res.json().error.code, 'weak_password');
      assert.equal(res.json().error.field, 'password');
    }
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'weakling1', password: 'quiet-river-stone', roles: ['agent'] } });
    assert.equal(created.statusCode, 201);
    const changed = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${created.json().id}`, headers: bearer(admin), payload: { password: '12345678' } });
    assert.equal(changed.statusCode, 400);
    assert.equal(changed.json().error.code, 'weak_password');
  });

  it('ADMIN_PASSWORD must pass the same password rule', () => {
    assert.throws(() => loadConfig({ ADMIN_PASSWORD: '12345678' }), /ADMIN_PASSWORD/);
    assert.throws(() => loadConfig({ ADMIN_PASSWORD: 'admin123' }), /ADMIN_PASSWORD/);
    assert.equal(loadConfig({ ADMIN_PASSWORD: 'admin-pass-for-tests' }).ADMIN_PASSWORD, 'admin-pass-for-tests');
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
