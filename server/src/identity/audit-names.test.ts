import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildPerson } from '../citizen-records/build-person';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

/** The audit log as a supervisor reads it: people and things by name, citizens masked. */
describe('audit log: readable actors and subjects', () => {
  let t: TestApp;
  let admin: string;
  const auditOf = async (action: string) => (await t.app.inject({ url: `/api/v1/audit?action=${action}&pageSize=50`, headers: bearer(admin) })).json();

  before(async () => {
    t = await startTestApp({ seed: false });
    admin = await t.adminToken();
  });
  after(async () => t?.close());

  it('a staff member is named by display name and username, and a user they created by display name, not by id', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'li-fang', displayName: '李芳', password: 'a-long-enough-pass-7', roles: ['agent'] } });
    assert.equal(created.statusCode, 201);
    const [row] = (await auditOf('user.created')).items;
    assert.equal(row.actor, 'user:admin');
    assert.equal(row.actorKind, 'user');
    assert.equal(row.actorUsername, 'admin');
    assert.ok(row.actorName, 'the admin has a display name');
    assert.equal(row.subjectId, created.json().id);
    assert.equal(row.subjectName, '李芳');
  });

  it('API keys and categories are named by their names', async () => {
    const key = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: '合作方甲', scopes: ['kb:read'] } });
    assert.equal(key.statusCode, 201, key.body);
    assert.equal((await auditOf('apikey.created')).items[0].subjectName, '合作方甲');
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/categories', headers: bearer(admin), payload: { id: 'pension', name: '养老保险' } });
    assert.equal((await auditOf('category.created')).items[0].subjectName, '养老保险');
  });

  it('a citizen is shown by a masked name only, as actor and as subject', async () => {
    const imported = await t.app.inject({ method: 'POST', url: '/api/v1/records/import', headers: bearer(admin), payload: { persons: [buildPerson({ name: '张三丰', sequence: 7 })] } });
    assert.ok(imported.statusCode < 300, imported.body);
    const person = await t.ctx.db.selectFrom('record_persons').select('id').executeTakeFirstOrThrow();
    await t.ctx.audit.record(`citizen:${person.id}`, { action: 'citizen.login', subjectType: 'record_person', subjectId: person.id });
    const answer = await auditOf('citizen.login');
    const [row] = answer.items;
    assert.equal(row.actorKind, 'citizen');
    assert.equal(row.actorName, '张*丰');
    assert.equal(row.subjectName, '张*丰');
    assert.doesNotMatch(JSON.stringify(answer), /张三丰/);
  });

  it('a subject that no longer exists keeps its id and has no name', async () => {
    await t.ctx.audit.record('user:admin', { action: 'category.deleted', subjectType: 'category', subjectId: 'gone' });
    const [row] = (await auditOf('category.deleted')).items;
    assert.equal(row.subjectId, 'gone');
    assert.equal(row.subjectName, null);
  });
});
