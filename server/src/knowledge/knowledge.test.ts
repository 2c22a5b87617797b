import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { SEED_DIR } from './seed-knowledge';

const seedEntries = readdirSync(SEED_DIR)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) => JSON.parse(readFileSync(path.join(SEED_DIR, f), 'utf8')).entries as any[]);
const staffIds = seedEntries.filter((e) => e.audience === 'staff').map((e) => e.id);
const q = (s: string) => encodeURIComponent(s);

describe('knowledge base: serving and visibility', () => {
  let t: TestApp;
  let agent: string;
  before(async () => {
    t = await startTestApp();
    agent = await t.tokenFor(['agent']);
  });
  after(async () => t?.close());

  it('serves the seed entry yl-001 to an anonymous caller with the version it served', async () => {
    const res = await t.app.inject({ url: '/api/v1/kb/entries/yl-001' });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    const seed = seedEntries.find((e) => e.id === 'yl-001');
    assert.equal(body.question, seed.question);
    assert.deepEqual(body.similar, seed.similar);
    assert.deepEqual(body.references, seed.references);
    assert.equal(body.category, seed.category);
    assert.equal(body.version, 1);
    assert.match(body.answerHtml, /<strong>/);
  });

  it('every staff entry is 404 to anonymous callers and absent from their searches, lists and related entries', async () => {
    assert.ok(staffIds.length >= 10, 'the seed has staff entries');
    for (const id of staffIds) {
      const res = await t.app.inject({ url: `/api/v1/kb/entries/${id}` });
      assert.equal(res.statusCode, 404, id);
      const staff = seedEntries.find((e) => e.id === id);
      const search = await t.app.inject({ url: `/api/v1/kb/search?q=${q(staff.question)}&limit=50` });
      assert.ok(!search.json().items.some((i: any) => staffIds.includes(i.id)), `search leaked a staff entry for ${id}`);
    }
    const list = await t.app.inject({ url: '/api/v1/kb/entries?pageSize=200&page=1' });
    const list2 = await t.app.inject({ url: '/api/v1/kb/entries?pageSize=200&page=2' });
    const listed = [...list.json().items, ...list2.json().items].map((i: any) => i.id);
    assert.equal(listed.length, seedEntries.length - staffIds.length);
    assert.ok(!listed.some((id) => staffIds.includes(id)));
  });

  it('staff entries are visible to a signed-in agent, by id and in search', async () => {
    for (const id of staffIds) {
      const res = await t.app.inject({ url: `/api/v1/kb/entries/${id}`, headers: bearer(agent) });
      assert.equal(res.statusCode, 200, id);
      assert.equal(res.json().audience, 'staff');
    }
    const staff = seedEntries.find((e) => e.id === staffIds[0]);
    const search = await t.app.inject({ url: `/api/v1/kb/search?q=${q(staff.question)}`, headers: bearer(agent) });
    assert.equal(search.json().items[0].id, staff.id);
  });

  it('a search an agent made first is not served from cache to an anonymous caller', async () => {
    const staff = seedEntries.find((e) => e.id === staffIds[1]);
    const url = `/api/v1/kb/search?q=${q(staff.question + ' 坐席')}`;
    const asAgent = (await t.app.inject({ url, headers: bearer(agent) })).json();
    assert.equal(asAgent.items[0].id, staff.id);
    const asCitizen = (await t.app.inject({ url })).json();
    assert.ok(!asCitizen.items.some((i: any) => staffIds.includes(i.id)));
  });

  it('an API key sees only public entries', async () => {
    const admin = await t.adminToken();
    const { key } = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: 'p', scopes: ['kb:read'] } })).json();
    assert.equal((await t.app.inject({ url: `/api/v1/kb/entries/${staffIds[0]}`, headers: bearer(key) })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/v1/kb/entries/yl-001', headers: bearer(key) })).statusCode, 200);
  });

  it('search understands colloquial words, Traditional characters and full-width text', async () => {
    const colloquial = await t.app.inject({ url: `/api/v1/kb/search?q=${q('失业金怎么领')}` });
    assert.equal(colloquial.json().synonymsApplied, undefined, 'which synonym groups fired is not shown to citizens');
    const asAgent = await t.app.inject({ url: `/api/v1/kb/search?q=${q('失业金怎么领')}`, headers: bearer(await t.tokenFor(['agent'])) });
    assert.ok(asAgent.json().synonymsApplied.some((s: any) => s.to === '失业保险金'));
    const top3 = colloquial.json().items.slice(0, 3).map((i: any) => i.id);
    assert.ok(top3.some((id: string) => id.startsWith('sy-')), `expected an unemployment entry, got ${top3}`);
    const traditional = await t.app.inject({ url: `/api/v1/kb/search?q=${q('養老保險繳費比例')}` });
    assert.equal(traditional.json().items[0].id, 'yl-001');
    const fullWidth = await t.app.inject({ url: `/api/v1/kb/search?q=${q('养老保险缴费比例１６％')}` });
    assert.equal(fullWidth.json().items[0].id, 'yl-001');
  });

  it('an empty search is a 400 with a code', async () => {
    const res = await t.app.inject({ url: '/api/v1/kb/search?q=' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'invalid_request');
  });

  it('the category tree has the seed categories with counts of what the caller may see', async () => {
    const res = await t.app.inject({ url: '/api/v1/kb/categories' });
    const roots = res.json().items;
    const yanglao = roots.find((c: any) => c.id === 'yanglao');
    assert.equal(yanglao.name, '养老保险');
    assert.ok(yanglao.children.some((c: any) => c.id === 'yanglao.canbao'));
    assert.equal(yanglao.entryCount, yanglao.children.reduce((n: number, c: any) => n + c.entryCount, 0) + 0);
  });

  it('categories holding only staff entries are not shown to the public, but are to agents', async () => {
    const staffCategories = new Set(seedEntries.filter((e) => e.audience === 'staff').map((e) => e.category));
    const onlyStaff = [...staffCategories].filter((c) => !seedEntries.some((e) => e.category === c && e.audience === 'public'));
    assert.ok(onlyStaff.length > 0);
    const flatten = (nodes: any[]): any[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);
    const publicIds = flatten((await t.app.inject({ url: '/api/v1/kb/categories' })).json().items).map((c) => c.id);
    const staffIds2 = flatten((await t.app.inject({ url: '/api/v1/kb/categories', headers: bearer(agent) })).json().items).map((c) => c.id);
    for (const id of onlyStaff) {
      assert.ok(!publicIds.includes(id), `public sees staff category ${id}`);
      assert.ok(staffIds2.includes(id));
    }
  });

  it('feedback is recorded against the served version and counted', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/kb/entries/yl-001/feedback', payload: { helpful: false, comment: '没说清楚灵活就业' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().unhelpful, 1);
    const staff = await t.app.inject({ method: 'POST', url: `/api/v1/kb/entries/${staffIds[0]}/feedback`, payload: { helpful: true } });
    assert.equal(staff.statusCode, 404);
  });
});

describe('knowledge base: editing, review and versions', () => {
  let t: TestApp;
  let editor: string;
  let reviewer: string;
  before(async () => {
    t = await startTestApp();
    editor = await t.tokenFor(['editor'], 'editor1');
    reviewer = await t.tokenFor(['reviewer'], 'reviewer1');
  });
  after(async () => t?.close());

  const edit = (token: string, id: string, patch: Record<string, unknown>) =>
    t.app.inject({ url: `/api/v1/kb/manage/entries/${id}`, headers: bearer(token) }).then(async (res) => {
      const latest = res.json().latest;
      return t.app.inject({ method: 'PUT', url: `/api/v1/kb/manage/entries/${id}`, headers: bearer(token), payload: { ...latest, ...patch, baseVersion: res.json().latestVersion } });
    });

  it('an edit is a draft: the published answer keeps serving until a reviewer approves it', async () => {
    const saved = await edit(editor, 'yl-002', { answer: '新的缴费基数说明（测试）', changeNote: '更新' });
    assert.equal(saved.statusCode, 200);
    assert.equal(saved.json().version, 2);
    assert.notEqual((await t.app.inject({ url: '/api/v1/kb/entries/yl-002' })).json().answer, '新的缴费基数说明（测试）');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-002/submit', headers: bearer(editor) })).statusCode, 200);
    const queue = await t.app.inject({ url: '/api/v1/kb/manage/review-queue', headers: bearer(reviewer) });
    const item = queue.json().items.find((i: any) => i.id === 'yl-002');
    assert.ok(item.diff.changes.some((c: any) => c.field === 'answer'));
    const approved = await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-002/approve', headers: bearer(reviewer), payload: {} });
    assert.equal(approved.statusCode, 200);
    const served = (await t.app.inject({ url: '/api/v1/kb/entries/yl-002' })).json();
    assert.equal(served.answer, '新的缴费基数说明（测试）');
    assert.equal(served.version, 2);
  });

  it('nobody approves their own change', async () => {
    const both = await t.tokenFor(['editor', 'reviewer'], 'both-roles');
    await edit(both, 'yl-003', { answer: '自己改自己审' });
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-003/submit', headers: bearer(both) });
    const own = await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-003/approve', headers: bearer(both), payload: {} });
    assert.equal(own.statusCode, 403);
    assert.equal(own.json().error.code, 'own_change');
  });

  it('an editor cannot approve, and an agent cannot edit', async () => {
    await edit(editor, 'yl-004', { answer: '编辑不能发布' });
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-004/submit', headers: bearer(editor) });
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-004/approve', headers: bearer(editor), payload: {} })).statusCode, 403);
    const agent = await t.tokenFor(['agent']);
    const valid = { category: 'yanglao.canbao', question: '坐席想改答案', answer: 'x', baseVersion: 1 };
    assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/kb/manage/entries/yl-005', headers: bearer(agent), payload: valid })).statusCode, 403);
  });

  it('the history shows who changed what; a rollback restores an old version through review', async () => {
    await edit(editor, 'yl-006', { answer: '第二版答案' });
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-006/submit', headers: bearer(editor) });
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-006/approve', headers: bearer(reviewer), payload: {} });
    const original = seedEntries.find((e) => e.id === 'yl-006').answer;
    const diff = (await t.app.inject({ url: '/api/v1/kb/manage/entries/yl-006/diff?from=1&to=2', headers: bearer(editor) })).json();
    assert.deepEqual(diff.changes.map((c: any) => c.field), ['answer']);
    const rollback = await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-006/rollback', headers: bearer(editor), payload: { version: 1 } });
    assert.equal(rollback.json().version, 3);
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-006/submit', headers: bearer(editor) });
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-006/approve', headers: bearer(reviewer), payload: {} });
    assert.equal((await t.app.inject({ url: '/api/v1/kb/entries/yl-006' })).json().answer, original);
    const managed = (await t.app.inject({ url: '/api/v1/kb/manage/entries/yl-006', headers: bearer(editor) })).json();
    assert.deepEqual(managed.versions.map((v: any) => [v.version, v.status]), [[3, 'published'], [2, 'superseded'], [1, 'superseded']]);
    assert.equal(managed.versions[1].author, 'user:editor1');
    assert.equal(managed.versions[1].reviewer, 'user:reviewer1');
  });

  it('an entry not yet in force, or expired, is not served', async () => {
    await edit(editor, 'yl-007', { expiresAt: '2020-12-31' });
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-007/submit', headers: bearer(editor) });
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-007/approve', headers: bearer(reviewer), payload: {} });
    assert.equal((await t.app.inject({ url: '/api/v1/kb/entries/yl-007' })).statusCode, 404);
  });

  it('a staff entry narrowed to supervisors is hidden from agents', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/manage/entries',
      headers: bearer(editor),
      payload: { id: 'zz-001', category: 'yanglao.canbao', question: '班长专用：投诉升级流程', answer: '仅班长可见', audience: 'staff', roles: ['supervisor'] },
    });
    assert.equal(created.statusCode, 201);
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/zz-001/submit', headers: bearer(editor) });
    await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/zz-001/approve', headers: bearer(reviewer), payload: {} });
    const agent = await t.tokenFor(['agent']);
    const supervisor = await t.tokenFor(['supervisor']);
    assert.equal((await t.app.inject({ url: '/api/v1/kb/entries/zz-001', headers: bearer(agent) })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/v1/kb/entries/zz-001', headers: bearer(supervisor) })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/v1/kb/entries/zz-001' })).statusCode, 404);
  });

  it('a citizen’s correction lands in the review queue with attribution, and accepting it makes a draft', async () => {
    const sent = await t.app.inject({ method: 'POST', url: '/api/v1/kb/suggestions', payload: { kind: 'correction', entryId: 'yl-010', payload: { text: '电话号码写错了' } } });
    assert.equal(sent.statusCode, 201);
    const queue = (await t.app.inject({ url: '/api/v1/kb/suggestions?status=pending', headers: bearer(reviewer) })).json();
    const item = queue.items.find((s: any) => s.id === sent.json().id);
    assert.equal(item.source, 'citizen');
    assert.match(item.submittedBy, /^anonymous:/);
    const agent = await t.tokenFor(['agent'], 'agent-proposer');
    const proposal = await t.app.inject({ method: 'POST', url: '/api/v1/kb/suggestions', headers: bearer(agent), payload: { kind: 'similar_question', entryId: 'yl-010', payload: { similar: ['养老保险断了能补吗'] } } });
    const accepted = await t.app.inject({ method: 'POST', url: `/api/v1/kb/suggestions/${proposal.json().id}/review`, headers: bearer(reviewer), payload: { decision: 'accept' } });
    assert.equal(accepted.json().status, 'accepted');
    const managed = (await t.app.inject({ url: '/api/v1/kb/manage/entries/yl-010', headers: bearer(editor) })).json();
    assert.equal(managed.latest.status, 'draft');
    assert.ok(managed.latest.similar.includes('养老保险断了能补吗'));
    assert.equal(managed.published.version, 1, 'the live version is unchanged until review');
  });

  it('an empty suggestion is a 400 and nothing is queued', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/kb/suggestions', payload: { kind: 'correction', entryId: 'yl-010', payload: { text: '   ' } } });
    assert.equal(res.statusCode, 400);
  });

  it('synonyms edited in the console change search at once', async () => {
    const before = (await t.app.inject({ url: `/api/v1/kb/search?q=${q('养老钱包')}`, headers: bearer(editor) })).json();
    assert.ok(!before.synonymsApplied.some((s: any) => s.from === '养老钱包'));
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: bearer(editor), payload: { term: '个人账户', synonyms: ['养老钱包'] } });
    assert.ok([201, 409].includes(res.statusCode));
    if (res.statusCode === 409) {
      const group = (await t.app.inject({ url: '/api/v1/kb/synonyms', headers: bearer(editor) })).json().items.find((g: any) => g.term === '个人账户');
      await t.app.inject({ method: 'PUT', url: `/api/v1/kb/synonyms/${group.id}`, headers: bearer(editor), payload: { term: '个人账户', synonyms: [...group.synonyms, '养老钱包'] } });
    }
    const after = (await t.app.inject({ url: `/api/v1/kb/search?q=${q('养老钱包')}`, headers: bearer(editor) })).json();
    assert.ok(after.synonymsApplied.some((s: any) => s.from === '养老钱包' && s.to === '个人账户'));
  });

  it('an edit must name the version it was based on: missing is a 400, stale is a 409 and the other draft survives', async () => {
    const current = (await t.app.inject({ url: '/api/v1/kb/manage/entries/yl-011', headers: bearer(editor) })).json();
    const { baseVersion: _ignored, ...withoutBase } = { ...current.latest, answer: '没有基准版本的修改' } as any;
    const missing = await t.app.inject({ method: 'PUT', url: '/api/v1/kb/manage/entries/yl-011', headers: bearer(editor), payload: withoutBase });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.field, 'baseVersion');
    const other = await t.tokenFor(['editor'], 'editor-other');
    assert.equal((await edit(other, 'yl-011', { answer: '另一位编辑的草稿' })).statusCode, 200);
    const stale = await t.app.inject({ method: 'PUT', url: '/api/v1/kb/manage/entries/yl-011', headers: bearer(editor), payload: { ...withoutBase, baseVersion: current.latestVersion } });
    assert.equal(stale.statusCode, 409);
    const latest = (await t.app.inject({ url: '/api/v1/kb/manage/entries/yl-011', headers: bearer(editor) })).json().latest;
    assert.equal(latest.answer, '另一位编辑的草稿');
  });

  it('dates that do not exist are refused on create and on edit', async () => {
    const entry = { category: 'yanglao.canbao', question: '日期校验的问题', answer: '答案' };
    for (const effectiveFrom of ['2025-02-30', '2025-99-99', '2025-13-01', '2023-02-29']) {
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries', headers: bearer(editor), payload: { ...entry, effectiveFrom } });
      assert.equal(created.statusCode, 400, effectiveFrom);
      assert.equal(created.json().error.field, 'effectiveFrom');
    }
    assert.equal((await edit(editor, 'yl-012', { expiresAt: '2025-02-30' })).statusCode, 400);
    assert.equal((await edit(editor, 'yl-012', { expiresAt: '2024-02-29' })).statusCode, 200, 'a real leap day is a date');
  });

  it('a synonym term with a lone surrogate is a 400 (twice), and a duplicate term is a 409', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: { ...bearer(editor), 'content-type': 'application/json' }, payload: '{"term":"养老\\ud800","synonyms":["老保"]}' });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.field, 'term');
    }
    const inSynonyms = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: { ...bearer(editor), 'content-type': 'application/json' }, payload: '{"term":"养老金领取","synonyms":["\\udc00领钱"]}' });
    assert.equal(inSynonyms.statusCode, 400);
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: bearer(editor), payload: { term: '测试同义词😀', synonyms: ['测试近义词'] } });
    assert.equal(first.statusCode, 201, 'a real emoji (a surrogate pair) is fine');
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: bearer(editor), payload: { term: ' 测试同义词😀 ', synonyms: ['别的'] } });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'term_exists');
  });

  it('categories can be created, moved and renamed, but not moved under themselves', async () => {
    const create = await t.app.inject({ method: 'POST', url: '/api/v1/kb/categories', headers: bearer(editor), payload: { id: 'test.new', name: '测试分类', parent: 'yanglao' } });
    assert.equal(create.statusCode, 201);
    const cycle = await t.app.inject({ method: 'PATCH', url: '/api/v1/kb/categories/yanglao', headers: bearer(editor), payload: { parent: 'test.new' } });
    assert.equal(cycle.statusCode, 400);
    const move = await t.app.inject({ method: 'PATCH', url: '/api/v1/kb/categories/test.new', headers: bearer(editor), payload: { parent: null, name: '改名后' } });
    assert.equal(move.statusCode, 200);
    const tree = (await t.app.inject({ url: '/api/v1/kb/categories', headers: bearer(editor) })).json().items;
    assert.ok(tree.some((c: any) => c.id === 'test.new' && c.name === '改名后'));
    const publicTree = (await t.app.inject({ url: '/api/v1/kb/categories' })).json().items;
    assert.ok(!publicTree.some((c: any) => c.id === 'test.new'), 'an empty category is not shown to the public');
  });
});
