import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

type Reply = { sender: string; text: string; entryId?: string | null; options?: { entryId: string }[]; interview?: { rulesetId: string; status: string; question?: { id: string } }; calculatorOffer?: { rulesetId: string; name: string } };

/** A citizen of a partner app, chatting through the open channel API. */
async function citizen(t: TestApp, key: string, externalId: string) {
  const started = await t.app.inject({ method: 'POST', url: '/api/v1/open/conversations', headers: bearer(key), payload: { customer: { externalId } } });
  assert.ok(started.statusCode === 201 || started.statusCode === 200, started.body);
  const id = started.json().conversationId as string;
  let n = 0;
  const send = async (text: string, extra: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${id}/messages`, headers: bearer(key), payload: { clientMessageId: `${externalId}-${++n}`, text, ...extra } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().replies as Reply[];
  };
  return { id, send, say: async (text: string, extra?: Record<string, unknown>) => (await send(text, extra)).find((m) => m.sender === 'robot')! };
}

describe('calculators in the chat: offered, not imposed', () => {
  let t: TestApp;
  let key: string;
  before(async () => {
    t = await startTestApp();
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(await t.adminToken()), payload: { name: 'calculators', scopes: ['channel'] } });
    key = created.json().key;
  });
  after(async () => t?.close());

  it('a question about one’s pension is answered from the knowledge base with the calculator offered, and “好的” starts it without asking the years again', async () => {
    const c = await citizen(t, key, 'calc-1');
    const answered = await c.say('我交了15年社保能领多少退休金');
    assert.equal(answered.interview, undefined, 'no interview is imposed');
    // the robot's own decision: a pension entry's answer (or, while it is unsure, its pension entries to pick from)
    assert.match(answered.entryId ?? answered.options?.[0]?.entryId ?? '', /^yl-/, `answered with a pension entry: ${JSON.stringify(answered)}`);
    assert.deepEqual(answered.calculatorOffer, { rulesetId: 'pension-estimate', name: '基本养老金测算' });

    const started = await c.say('好的');
    assert.equal(started.interview?.rulesetId, 'pension-estimate');
    assert.equal(started.interview?.status, 'need_input');
    assert.notEqual(started.interview?.question?.id, 'contributionYears', 'the 15 years are not asked again');
    assert.match(started.text, /根据您前面提到的：缴费年限 15 年。如有不对请回复“更正”。/);

    // “更正” asks the filled-in value after all
    const asked = started.interview!.question!.id;
    const corrected = await c.say('更正');
    assert.match(corrected.text, /已清除/);
    assert.equal(corrected.interview?.question?.id, asked);
    const next = await c.say('2030');
    assert.equal(next.interview?.question?.id, 'contributionYears', 'now the years are asked');
  });

  it('the offer’s button (startCalculation) starts the same interview, filled in from the conversation', async () => {
    const c = await citizen(t, key, 'calc-2');
    const answered = await c.say('我交了15年社保能领多少退休金');
    const started = await c.say('帮我算一算', { startCalculation: answered.calculatorOffer!.rulesetId });
    assert.equal(started.interview?.rulesetId, 'pension-estimate');
    assert.notEqual(started.interview?.question?.id, 'contributionYears');
    // the stored messages carry the offer for the workspace and a reconnecting widget
    const stored = await t.app.inject({ url: `/api/v1/open/conversations/${c.id}/messages`, headers: bearer(key) });
    assert.ok(stored.json().messages.some((m: Reply) => m.calculatorOffer?.rulesetId === 'pension-estimate'));
  });

  it('“我是自己不干了的，失业金有我的份吗” gets the knowledge answer with the unemployment calculator offered, not an interview', async () => {
    const c = await citizen(t, key, 'calc-3');
    const answered = await c.say('我是自己不干了的，失业金有我的份吗');
    assert.equal(answered.interview, undefined);
    assert.equal(answered.calculatorOffer?.rulesetId, 'unemployment-benefit');
    assert.ok(answered.entryId === 'sy-003' || /主动辞职/.test(answered.text), `the entry on resigning of one's own accord: ${JSON.stringify(answered)}`);
    // taking it: the reason already given is filled in, so the result comes at once
    const done = await c.say('算一算');
    assert.equal(done.interview?.rulesetId, 'unemployment-benefit');
    assert.match(done.text, /离职原因 本人主动辞职/);
    assert.equal(done.interview?.status, 'complete');
  });

  it('inside a pension interview 转人工 hands off', async () => {
    const c = await citizen(t, key, 'calc-4');
    const started = await c.say('帮我算算养老金');
    assert.equal(started.interview?.status, 'need_input');
    const handoff = await c.send('转人工');
    assert.ok(handoff.some((m) => m.sender === 'system' && /人工服务/.test(m.text)), JSON.stringify(handoff));
    const conversation = (await t.app.inject({ url: `/api/v1/open/conversations/${c.id}`, headers: bearer(key) })).json();
    assert.notEqual(conversation.status, 'bot');
  });

  it('inside a pension interview a new question is answered and the interview waits; 继续测算 resumes at the same question', async () => {
    const c = await citizen(t, key, 'calc-5');
    const started = await c.say('测算养老金');
    const asked = started.interview!.question!.id;
    const answered = await c.say('失业金怎么申请');
    assert.equal(answered.entryId, 'sy-002', JSON.stringify(answered));
    assert.match(answered.text, /测算已暂停，回复“继续测算”可接着算/);
    assert.equal(answered.interview, undefined);
    const resumed = await c.say('继续测算');
    assert.equal(resumed.interview?.rulesetId, 'pension-estimate');
    assert.equal(resumed.interview?.question?.id, asked, 'the same question');
    // what cannot be read is still asked again
    const unclear = await c.say('嗯嗯嗯');
    assert.match(unclear.text, /没能看懂/);
    assert.equal(unclear.interview?.question?.id, asked);
  });

  it('interview turns are logged for the console as the rule set', async () => {
    const before = await t.ctx.db.selectFrom('robot_turns').select('id').where('top_entry_id', '=', 'ruleset:retirement-age').execute();
    const c = await citizen(t, key, 'calc-6');
    await c.say('帮我算一下我什么时候退休');
    await c.say('男');
    const done = await c.say('1971年6月');
    assert.equal(done.interview?.status, 'complete');
    const rows = await t.ctx.db.selectFrom('robot_turns').select(['question', 'decision']).where('top_entry_id', '=', 'ruleset:retirement-age').execute();
    assert.equal(rows.length - before.length, 3, 'the request and both answers');
  });
});

describe('the robot API threads the same calculators through its session', () => {
  let t: TestApp;
  const ask = async (question: string, extra: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question, ...extra } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  it('offers, starts on acceptance with the years filled in, suspends for a question and resumes', async () => {
    const answered = await ask('我交了15年社保能领多少退休金');
    assert.equal(answered.interview, undefined);
    assert.equal(answered.calculatorOffer?.rulesetId, 'pension-estimate');
    const sessionId = answered.sessionId;
    const started = await ask('好的', { sessionId });
    assert.equal(started.sessionId, sessionId);
    assert.equal(started.interview.rulesetId, 'pension-estimate');
    assert.notEqual(started.interview.question.id, 'contributionYears');
    const other = await ask('失业金怎么申请', { sessionId });
    assert.equal(other.entryId, 'sy-002');
    assert.match(other.answer, /测算已暂停/);
    const resumed = await ask('继续测算', { sessionId });
    assert.equal(resumed.interview.question.id, started.interview.question.id);
  });

  it('the offer’s button works on the robot API, and the facts stated before are used', async () => {
    const first = await ask('我男的1966年3月生的到底哪年能退');
    assert.equal(first.interview, undefined);
    assert.equal(first.calculatorOffer?.rulesetId, 'retirement-age');
    const done = await ask('帮我算一算', { sessionId: first.sessionId, startCalculation: 'retirement-age' });
    assert.equal(done.interview.status, 'complete', 'gender and birth month were given: nothing to ask');
    assert.match(done.answer, /性别 男、出生年月 1966年3月/);
    // the result opens with its headline, before the figures
    const headline = done.answer.indexOf('您的法定退休时间是2026年7月，届时年满60岁4个月。');
    assert.ok(headline >= 0 && headline < done.answer.indexOf('测算结果'), done.answer);
    assert.doesNotMatch(done.answer, /未知/);
    const again = await ask('更正', { sessionId: first.sessionId });
    assert.equal(again.interview.question.id, 'gender');
  });

  it('an unknown calculator on the button is a 400 only when malformed, else the robot answers', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '帮我算一算', startCalculation: 'x'.repeat(100) } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'invalid_request');
    const unknown = await ask('养老保险单位交多少个人交多少', { startCalculation: 'no-such-calculator' });
    assert.equal(unknown.interview, undefined);
  });
});
