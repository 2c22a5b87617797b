import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

/** A fresh install: admin is the only user and nobody approves their own change. */
describe('knowledge review on a fresh install', () => {
  let t: TestApp;
  let admin: string;
  before(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
  });
  after(async () => t?.close());

  const entry = async (token: string, id: string) => (await t.app.inject({ url: `/api/v1/kb/manage/entries/${id}`, headers: bearer(token) })).json();
  const edit = async (token: string, id: string, answer: string) => {
    const current = await entry(token, id);
    return t.app.inject({ method: 'PUT', url: `/api/v1/kb/manage/entries/${id}`, headers: bearer(token), payload: { ...current.latest, answer, changeNote: '首次修改', baseVersion: current.latestVersion } });
  };
  const auditOf = async (action: string) => (await t.app.inject({ url: `/api/v1/audit?action=${action}&pageSize=50`, headers: bearer(admin) })).json().items;
  const queue = async (token: string) => (await t.app.inject({ url: '/api/v1/kb/manage/review-queue', headers: bearer(token) })).json().items;

  it('saving a draft and creating an entry are audited like the other knowledge actions', async () => {
    const saved = await edit(admin, 'yl-001', '管理员保存的草稿');
    assert.equal(saved.statusCode, 200);
    const [row] = (await auditOf('entry.draft_saved')).filter((r: any) => r.subjectId === 'yl-001');
    assert.ok(row, 'a draft_saved row for yl-001');
    assert.equal(row.actor, 'user:admin');
    assert.equal(row.subjectType, 'entry');
    assert.equal(row.detail.version, saved.json().version);
    assert.equal(row.detail.changeNote, '首次修改');

    const created = await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries', headers: bearer(admin), payload: { category: 'yanglao', question: '新问题？', answer: '新答案', similar: [], keywords: [], references: [], audience: 'public', roles: [] } });
    assert.equal(created.statusCode, 201, created.body);
    assert.ok((await auditOf('entry.created')).some((r: any) => r.subjectId === created.json().id && r.actor === 'user:admin'));
  });

  it('while admin is the only reviewer, the entry and the queue say publishing waits for another reviewer', async () => {
    assert.equal((await entry(admin, 'yl-001')).reviewerAvailable, false);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-001/submit', headers: bearer(admin) })).statusCode, 200);
    const item = (await queue(admin)).find((i: any) => i.id === 'yl-001');
    assert.equal(item.canApprove, false);
    assert.equal(item.reviewerAvailable, false);
    assert.equal(item.author, 'user:admin');
    assert.ok(item.authorName && item.authorName !== 'user:admin', 'the author by name, not the actor id');
  });

  it('once another user may review, the change can be published by them', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(admin), payload: { username: 'wang-shen', displayName: '王审', password: 'a-long-enough-pass-7', roles: ['reviewer'] } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal((await entry(admin, 'yl-001')).reviewerAvailable, true);
    const reviewer = await t.login('wang-shen', 'a-long-enough-pass-7');
    const item = (await queue(reviewer)).find((i: any) => i.id === 'yl-001');
    assert.equal(item.reviewerAvailable, true);
    assert.equal(item.canApprove, true);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-001/approve', headers: bearer(reviewer), payload: {} })).statusCode, 200);
  });

  it('a disabled reviewer does not count', async () => {
    const users = (await t.app.inject({ url: '/api/v1/users', headers: bearer(admin) })).json();
    const wang = (users.items ?? users).find((u: any) => u.username === 'wang-shen');
    const disabled = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${wang.id}`, headers: bearer(admin), payload: { isDisabled: true } });
    assert.equal(disabled.statusCode, 200, disabled.body);
    await edit(admin, 'yl-002', '又一稿');
    assert.equal((await entry(admin, 'yl-002')).reviewerAvailable, false);
  });
});
