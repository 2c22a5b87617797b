import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { aspectsOf, TopicMap } from './dialogue-state';
import { normalizeText } from '../text/normalize-text';

describe('follow-up questions keep the conversation’s topic', () => {
  let t: TestApp;
  const ask = (question: string, sessionId?: string) => t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question, ...(sessionId ? { sessionId } : {}) } });
  /** the entry a reply gives: its answer, or the first option of a clarify prompt */
  const entryOf = (body: { type: string; entryId?: string; candidates: { entryId: string }[] }) => (body.type === 'answer' ? body.entryId : body.candidates[0]?.entryId);
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  it('reads “去哪儿办，带啥材料” after a work-injury question as the work-injury application, and on its own as something else', async () => {
    const first = (await ask('工伤认定要满足啥条件')).json();
    assert.match(entryOf(first) ?? '', /^gs-/, JSON.stringify(first));
    const followUp = (await ask('去哪儿办，带啥材料', first.sessionId)).json();
    assert.equal(entryOf(followUp), 'gs-008', JSON.stringify(followUp));
    const alone = (await ask('去哪儿办，带啥材料')).json();
    assert.notEqual(entryOf(alone), 'gs-008', 'without the conversation the same words do not mean the work-injury application');
  });

  it('“那医保呢” after a pension-transfer question moves to the medical-insurance transfer; an announced new topic wins', async () => {
    const first = (await ask('养老保险跨省怎么转')).json();
    assert.equal(entryOf(first), 'zj-001', JSON.stringify(first));
    const medical = (await ask('那医保呢', first.sessionId)).json();
    assert.equal(entryOf(medical), 'yb-008', JSON.stringify(medical));
    const other = (await ask('另外问下，合同到期了公司不跟我续，给补偿不', first.sessionId)).json();
    assert.equal(entryOf(other), 'ld-012', JSON.stringify(other));
  });

  it('the console explains a question as the follow-up of earlier ones', async () => {
    const token = await t.adminToken();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/robot/explain', headers: bearer(token), payload: { question: '要准备啥材料', previous: ['工伤认定要满足啥条件'] } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.match(body.followUp.topicEntryId, /^gs-/);
    assert.match(body.followUp.reading, /materials/);
    assert.match(body.candidates[0].entryId, /^gs-/);
    const alone = (await t.app.inject({ method: 'POST', url: '/api/v1/robot/explain', headers: bearer(token), payload: { question: '要准备啥材料' } })).json();
    assert.equal(alone.followUp, undefined);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/robot/explain', headers: bearer(token), payload: { question: '材料', previous: Array(11).fill('问题') } });
    assert.equal(bad.statusCode, 400);
  });

  it('an editor corrects an entry’s aspects; the robot uses them at once; bad aspects and callers without the right are refused', async () => {
    const admin = bearer(await t.adminToken());
    const listed = (await t.app.inject({ url: '/api/v1/robot/aspects', headers: admin })).json();
    const gs008 = listed.entries.find((e: { entryId: string }) => e.entryId === 'gs-008');
    assert.ok(gs008.aspects.includes('materials'), JSON.stringify(gs008));
    assert.equal(gs008.edited, false);
    const settings = (await t.app.inject({ url: '/api/v1/robot/settings', headers: admin })).json();
    const saved = await t.app.inject({ method: 'PUT', url: '/api/v1/robot/settings', headers: admin, payload: { ...settings, entryAspects: { 'gs-008': ['where'] } } });
    assert.equal(saved.statusCode, 200, saved.body);
    const after = (await t.app.inject({ url: '/api/v1/robot/aspects', headers: admin })).json().entries.find((e: { entryId: string }) => e.entryId === 'gs-008');
    assert.deepEqual(after, { ...gs008, aspects: ['where'], edited: true });
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/robot/settings', headers: admin, payload: { ...settings, entryAspects: { 'gs-008': ['colour'] } } });
    assert.equal(bad.statusCode, 400);
    await t.app.inject({ method: 'PUT', url: '/api/v1/robot/settings', headers: admin, payload: { ...settings, entryAspects: {} } });
    const agent = bearer(await t.tokenFor(['agent']));
    assert.equal((await t.app.inject({ url: '/api/v1/robot/aspects', headers: agent })).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/robot/aspects' })).statusCode, 401);
  });
});

describe('aspects and domains', () => {
  it('reads the aspect a question asks about', () => {
    const of = (q: string) => [...aspectsOf(normalizeText(q).compact)];
    assert.ok(of('去哪儿办').includes('where'));
    assert.ok(of('要带啥材料').includes('materials'));
    assert.ok(of('能领多久').includes('duration'));
    assert.ok(of('一个月给多少钱').includes('amount'));
    assert.deepEqual(of('你好'), []);
  });

  it('a word most entries of one domain use names that domain; the domain’s own name does too', () => {
    const entries = [
      { id: 'a1', category: 'a.x', question: '失业保险金怎么申领', similar: [], keywords: ['失业金'] },
      { id: 'a2', category: 'a.y', question: '失业保险金领多久', similar: [], keywords: ['失业金'] },
      { id: 'a3', category: 'a.y', question: '失业金标准', similar: [], keywords: ['失业金'] },
      { id: 'b1', category: 'b', question: '工伤认定去哪办', similar: [], keywords: ['工伤'] },
    ];
    const parents: Record<string, string | null> = { 'a.x': 'a', 'a.y': 'a', a: null, b: null };
    const names: Record<string, string> = { a: '失业保险', 'a.x': '申领', 'a.y': '待遇', b: '工伤保险' };
    const map = new TopicMap(entries, (c) => parents[c], (c) => names[c], (text) => text.split(/[ ，]/).flatMap((w) => (w.includes('失业金') ? ['失业金'] : [w])), (s) => s);
    assert.deepEqual(map.root, ['a', 'a', 'a', 'b']);
    assert.deepEqual(map.namedRoots(['失业金']), ['a']);
    assert.deepEqual(map.namedRoots([], '工伤的呢'), ['b']);
    assert.deepEqual(map.namedRoots(['你好']), []);
  });
});

describe('callers’ pinyin abbreviations', () => {
  it('are spelled out where they mean the hotline’s words, and left alone where they do not', async () => {
    const { expandAbbreviations } = await import('./abbreviations');
    assert.equal(expandAbbreviations('sb断了半年了 之前交的还算数不'), '社保断了半年了 之前交的还算数不');
    assert.equal(expandAbbreviations('你就是个sb'), '你就是个sb', 'abuse is not social insurance');
    assert.equal(expandAbbreviations('自己开了个小店 ylbx咋交'), '自己开了个小店 养老保险咋交');
    assert.equal(expandAbbreviations('gjj的事能打这个电话问不'), '公积金的事能打这个电话问不');
    assert.equal(expandAbbreviations('gs认定书下来了'), '工伤认定书下来了');
    assert.equal(expandAbbreviations('gs不给交社保'), '公司不给交社保');
    assert.equal(expandAbbreviations('app上怎么查'), 'app上怎么查');
    assert.equal(expandAbbreviations('jsb'), 'jsb', 'only whole latin tokens');
  });
});
