import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

const q = (s: string) => encodeURIComponent(s);
/** Labour-relations and dispute entries: what 过期了 → 仲裁时效 used to drag a passport question to. */
const isLabour = (id: string | undefined | null) => !!id && /^(zc|ld)-/.test(id);

describe('synonym groups with context', () => {
  let t: TestApp;
  let editor: string;
  let agent: string;
  const groups = async () => (await t.app.inject({ url: '/api/v1/kb/synonyms', headers: bearer(editor) })).json().items as any[];
  const ask = async (question: string) => (await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question } })).json();
  const preview = (payload: Record<string, unknown>, token = editor) => t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms/preview', headers: bearer(token), payload });
  before(async () => {
    t = await startTestApp();
    editor = await t.tokenFor(['editor']);
    agent = await t.tokenFor(['agent']);
  });
  after(async () => t?.close());

  it('a fresh install gets the starter contexts: 仲裁时效 applies only near labour-dispute words', async () => {
    const group = (await groups()).find((g) => g.term === '仲裁时效');
    assert.ok(group.synonyms.includes('过期了'));
    assert.ok(group.context.includes('仲裁') && group.context.includes('公司'), JSON.stringify(group.context));
    assert.deepEqual((await groups()).find((g) => g.term === '基本养老金').context, [], 'a group without context applies everywhere');
  });

  it('“护照过期了怎么办” is not answered with a labour or arbitration entry; the arbitration question still finds zc-001', async () => {
    const passport = await ask('护照过期了怎么办');
    assert.ok(!isLabour(passport.entryId), `answered with ${passport.entryId}`);
    assert.ok(!isLabour(passport.candidates[0]?.entryId), `top candidate ${passport.candidates[0]?.entryId}`);
    const arbitration = await ask('离职都快一年了 过期了还能申请仲裁吗');
    assert.ok(arbitration.entryId === 'zc-001' || arbitration.candidates[0]?.entryId === 'zc-001', JSON.stringify(arbitration.candidates));
  });

  it('the knowledge search does not widen 护照过期了 to 仲裁时效, and still does near 仲裁', async () => {
    const passport = (await t.app.inject({ url: `/api/v1/kb/search?q=${q('护照过期了')}`, headers: bearer(agent) })).json();
    assert.ok(!passport.synonymsApplied.some((s: any) => s.to === '仲裁时效'), JSON.stringify(passport.synonymsApplied));
    assert.ok(!passport.items.some((i: any) => /^zc-/.test(i.id)), JSON.stringify(passport.items.map((i: any) => i.id)));
    const dispute = (await t.app.inject({ url: `/api/v1/kb/search?q=${q('申请仲裁是不是过期了')}`, headers: bearer(agent) })).json();
    assert.ok(dispute.synonymsApplied.some((s: any) => s.from === '过期了' && s.to === '仲裁时效'));
    assert.equal(dispute.items[0].id, 'zc-001');
  });

  it('a group saved with context round-trips and the search applies it only near its words', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: bearer(editor), payload: { term: '个人账户余额查询', synonyms: ['钱包余额'], context: [' 社保 ', '养老', '社保'] } });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json().context, ['社保', '养老']);
    assert.deepEqual((await groups()).find((g) => g.id === created.json().id).context, ['社保', '养老']);
    const search = async (text: string) => (await t.app.inject({ url: `/api/v1/kb/search?q=${q(text)}`, headers: bearer(agent) })).json().synonymsApplied as any[];
    assert.ok(!(await search('钱包余额怎么查')).some((s) => s.to === '个人账户余额查询'));
    assert.ok((await search('社保钱包余额怎么查')).some((s) => s.from === '钱包余额' && s.to === '个人账户余额查询'));
    // clearing the context makes the group apply everywhere again
    const edited = await t.app.inject({ method: 'PUT', url: `/api/v1/kb/synonyms/${created.json().id}`, headers: bearer(editor), payload: { term: '个人账户余额查询', synonyms: ['钱包余额'] } });
    assert.deepEqual(edited.json().context, []);
    assert.ok((await search('钱包余额怎么查')).some((s) => s.to === '个人账户余额查询'));
  });

  it('bad context is a 400 with a code: too many words, a word too long, a word that is only punctuation or a pattern', async () => {
    const save = (context: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms', headers: bearer(editor), payload: { term: '语境测试', synonyms: ['测一测'], context } });
    const tooMany = await save(Array.from({ length: 31 }, (_, i) => `词${i}`));
    assert.equal(tooMany.statusCode, 400);
    assert.equal(tooMany.json().error.code, 'invalid_request');
    assert.match(tooMany.json().error.field, /context/);
    const tooLong = await save(['这是一个超过二十个字的语境词语这是一个超过二十个字']);
    assert.equal(tooLong.statusCode, 400);
    assert.equal(tooLong.json().error.code, 'invalid_request');
    for (const word of ['！！', '仲裁*公司']) {
      const res = await save([word]);
      assert.equal(res.statusCode, 400, word);
      assert.equal(res.json().error.code, 'invalid_context');
    }
    assert.equal((await save('仲裁')).statusCode, 400, 'a string, not a list');
    assert.ok(!(await groups()).some((g) => g.term === '语境测试'), 'nothing was saved');
  });

  it('the preview lists the questions a group changes and whether their answers change, before saving', async () => {
    // citizens asked these (they reach the robot log); 不用来了 is not a synonym yet
    for (const question of ['老板说我明天不用来了怎么办', '老板说我明天不用来了怎么办', '厂里不要我了怎么办']) await ask(question);
    const group = (await groups()).find((g) => g.term === '解除劳动合同');
    const added = await preview({ id: group.id, term: group.term, synonyms: [...group.synonyms, '不用来了'], context: group.context });
    assert.equal(added.statusCode, 200, added.body);
    const body = added.json();
    assert.ok(body.sampled >= 800, `sampled ${body.sampled}`);
    const row = body.changed.find((c: any) => c.question === '老板说我明天不用来了怎么办');
    assert.ok(row, JSON.stringify(body.changed.map((c: any) => c.question)));
    assert.equal(row.source, 'log');
    assert.equal(row.asked, 2);
    assert.ok(!row.before.synonyms.some((s: any) => s.phrase === '不用来了'));
    assert.ok(row.after.synonyms.some((s: any) => s.phrase === '不用来了' && s.term === '解除劳动合同'));
    assert.ok(row.before.top && row.after.top);
    assert.equal(row.answerChanged, row.before.top.entryId !== row.after.top.entryId);
    assert.equal(body.answerChangedCount, body.changed.filter((c: any) => c.answerChanged).length);
    assert.ok(!body.changed.some((c: any) => c.question === '厂里不要我了怎么办'), 'questions the change does not touch are not listed');

    // taking 不要我了 out changes the question that used it; answer changes are listed first
    const removed = (await preview({ id: group.id, term: group.term, synonyms: group.synonyms.filter((s: string) => s !== '不要我了') })).json();
    const dropped = removed.changed.find((c: any) => c.question === '厂里不要我了怎么办');
    assert.ok(dropped && dropped.before.synonyms.some((s: any) => s.phrase === '不要我了') && !dropped.after.synonyms.some((s: any) => s.phrase === '不要我了'));
    const firstUnchanged = removed.changed.findIndex((c: any) => !c.answerChanged);
    assert.ok(firstUnchanged === -1 || removed.changed.slice(firstUnchanged).every((c: any) => !c.answerChanged));

    // nothing was saved by previewing
    assert.deepEqual((await groups()).find((g) => g.id === group.id).synonyms, group.synonyms);
  });

  it('a preview of a new group adds it; a duplicate term is a 409 and bad input a 400, as saving would be', async () => {
    const fresh = await preview({ term: '解约通知', synonyms: ['不用来了'] });
    assert.equal(fresh.statusCode, 200);
    assert.ok(fresh.json().changed.some((c: any) => c.after.synonyms.some((s: any) => s.term === '解约通知')));
    assert.equal((await preview({ term: '仲裁时效', synonyms: ['过期了'] })).statusCode, 409);
    assert.equal((await preview({ term: '解约通知', synonyms: ['不用来了'], context: ['！'] })).json().error.code, 'invalid_context');
    assert.equal((await preview({ id: 'no-such-group', term: '解约通知', synonyms: [] })).statusCode, 404);
  });

  it('only editors preview: an agent gets 403, an anonymous caller 401', async () => {
    assert.equal((await preview({ term: '解约通知', synonyms: ['不用来了'] }, agent)).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/kb/synonyms/preview', payload: { term: '解约通知', synonyms: ['不用来了'] } })).statusCode, 401);
  });
});
