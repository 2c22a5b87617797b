import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { parseAnswer, parseChineseNumber } from '../conversations/read-answer';

const staffQuestions = readFileSync(path.resolve(import.meta.dirname, '../../seed/robot-dev/staff.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { q: string; expect: string });

describe('robot over HTTP', () => {
  let t: TestApp;
  const ask = (question: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', headers, payload: { question, ...extra } });
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  it('answers a citizen’s question with the knowledge-base entry and its id', async () => {
    const res = await ask('养老保险单位交多少个人交多少');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.type, 'answer');
    assert.equal(body.entryId, 'yl-001');
    assert.ok(body.candidates[0].entryId === 'yl-001');
    assert.ok(body.sessionId);
  });

  it('never answers, suggests or hints a staff entry to an anonymous caller, but assists a signed-in agent', async () => {
    const agent = await t.tokenFor(['agent']);
    const staffIds = new Set(staffQuestions.map((q) => q.expect));
    let agentHits = 0;
    for (const { q, expect } of staffQuestions) {
      const anonymous = await ask(q);
      const text = anonymous.body;
      for (const id of staffIds) assert.ok(!text.includes(`"${id}"`), `anonymous answer mentions ${id} for ${q}`);
      const assisted = (await ask(q, {}, bearer(agent))).json();
      if (assisted.candidates.some((c: any) => c.entryId === expect)) agentHits++;
    }
    assert.ok(agentHits >= staffQuestions.length * 0.8, `agent assist found ${agentHits}/${staffQuestions.length}`);
  });

  it('hands off on an explicit request for a human', async () => {
    const res = (await ask('转人工')).json();
    assert.equal(res.type, 'handoff');
  });

  it('does not answer out-of-scope questions, and points housing-fund callers to 12329', async () => {
    const weather = (await ask('明天北京会下雨吗')).json();
    assert.ok(['fallback', 'clarify'].includes(weather.type), weather.type);
    assert.equal(weather.entryId, undefined);
    const fund = (await ask('住房公积金怎么提取')).json();
    assert.match(fund.answer, /12329/);
  });

  it('rejects an empty question with 400', async () => {
    const res = await ask('   ');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'invalid_request');
  });

  it('runs a retirement-age interview inside the chat and answers with the result and its why', async () => {
    const first = (await ask('帮我算一下我什么时候退休')).json();
    assert.equal(first.interview.rulesetId, 'retirement-age');
    assert.equal(first.interview.question.id, 'gender');
    const sessionId = first.sessionId;
    const second = (await ask('男', { sessionId })).json();
    assert.equal(second.interview.question.id, 'birthYearMonth');
    const third = (await ask('1971-06', { sessionId })).json();
    assert.equal(third.interview.status, 'complete');
    assert.equal(third.interview.outputs.retirementYearMonth, '2033-02');
    assert.match(third.answer, /2033-02/);
    assert.match(third.answer, /为什么/);
    // after the result the chat is back to the robot
    const after = (await ask('养老保险单位交多少个人交多少', { sessionId })).json();
    assert.equal(after.entryId, 'yl-001');
  });

  it('an unemployment interview that starts with a voluntary resignation ends after that answer', async () => {
    const first = (await ask('帮我算算我能不能领失业金')).json();
    assert.equal(first.interview.rulesetId, 'unemployment-benefit');
    const done = (await ask('本人主动辞职', { sessionId: first.sessionId })).json();
    assert.equal(done.interview.status, 'complete');
    assert.equal(done.interview.outputs.eligible, false);
    assert.deepEqual(done.interview.outputs.ineligibleReasons, ['voluntarySeparation']);
  });

  it('an answer it cannot read is asked again, and 退出 leaves the interview', async () => {
    const first = (await ask('帮我算算养老金')).json();
    const unclear = (await ask('嗯嗯嗯', { sessionId: first.sessionId })).json();
    assert.equal(unclear.interview.question.id, first.interview.question.id);
    assert.match(unclear.answer, /没能看懂/);
    const cancelled = (await ask('退出', { sessionId: first.sessionId })).json();
    assert.equal(cancelled.interview.status, 'cancelled');
  });

  it('logs turns with personal data masked and clusters unanswered questions for the console', async () => {
    await ask('我的身份证110101199003074512，我家猫不吃饭怎么办');
    await ask('我家的猫咪不吃饭怎么办');
    const supervisor = await t.tokenFor(['supervisor']);
    const res = (await t.app.inject({ url: '/api/v1/robot/insights?days=1', headers: bearer(supervisor) })).json();
    assert.ok(res.summary.turns >= 2);
    assert.ok(res.summary.handoffRate > 0, 'the 转人工 request above counts as a hand-off');
    const text = JSON.stringify(res.unanswered);
    assert.ok(!text.includes('110101199003074512'), 'ID number stored unmasked');
    assert.ok(res.unanswered.some((c: any) => c.examples.some((e: string) => e.includes('1101**********4512'))));
  });

  it('settings change the thresholds, are validated, and only supervisors and admins may change them', async () => {
    const agent = await t.tokenFor(['agent']);
    const admin = await t.adminToken();
    const current = (await t.app.inject({ url: '/api/v1/robot/settings', headers: bearer(admin) })).json();
    assert.equal((await t.app.inject({ method: 'PUT', url: '/api/v1/robot/settings', headers: bearer(agent), payload: current })).statusCode, 403);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/v1/robot/settings', headers: bearer(admin), payload: { ...current, clarifyThreshold: 0.9, answerThreshold: 0.5 } });
    assert.equal(bad.statusCode, 400);
    // answering nothing directly: every question becomes at most a clarify
    const strict = await t.app.inject({ method: 'PUT', url: '/api/v1/robot/settings', headers: bearer(admin), payload: { ...current, answerThreshold: 1, clarifyThreshold: 0.01 } });
    assert.equal(strict.statusCode, 200);
    assert.equal((await ask('养老保险单位交多少个人交多少')).json().type, 'clarify');
    await t.app.inject({ method: 'PUT', url: '/api/v1/robot/settings', headers: bearer(admin), payload: current });
    assert.equal((await ask('养老保险单位交多少个人交多少')).json().type, 'answer');
  });

  it('shows its reasoning to staff in the test box', async () => {
    const editor = await t.tokenFor(['editor']);
    const res = (await t.app.inject({ method: 'POST', url: '/api/v1/robot/explain', headers: bearer(editor), payload: { question: '養老金怎麼算' } })).json();
    assert.ok(res.normalized.includes('养老金'));
    assert.ok(res.candidates.length > 0);
    assert.ok(res.candidates[0].features);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/robot/explain', payload: { question: 'x' } })).statusCode, 401);
  });

  it('learns from closed conversations: a missed question becomes a similar-question proposal in the review queue', async () => {
    const agent = await t.tokenFor(['agent'], 'learning-agent');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/robot/transcripts',
      headers: bearer(agent),
      payload: {
        transcripts: [
          { id: 'c1', turns: [{ role: 'citizen', text: '厂里每个月扣我工资里那个养老的钱到底是几个点' }, { role: 'agent', text: '发送知识', entryId: 'yl-001' }] },
          { id: 'c2', turns: [{ role: 'citizen', text: '我们小区门口的社保服务站周六开不开门' }, { role: 'agent', text: '周六上午9点到12点开门' }] },
          { id: 'c3', turns: [{ role: 'citizen', text: '小区门口社保服务站周六开门吗' }, { role: 'agent', text: '周六上午开门，下午不开' }] },
        ],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().examples, 3);
    const reviewer = await t.tokenFor(['reviewer']);
    const queue = (await t.app.inject({ url: '/api/v1/kb/suggestions?status=pending', headers: bearer(reviewer) })).json().items;
    const learned = queue.filter((s: any) => s.source === 'robot_learning');
    assert.ok(learned.some((s: any) => s.kind === 'new_entry_cluster' && s.payload.conversationIds.length === 2), JSON.stringify(learned));
    // nothing changed the live robot: the proposal waits for review
    assert.equal((await t.app.inject({ url: '/api/v1/kb/entries/yl-001' })).json().version, 1);
  });
});

describe('reading citizens’ answers in a chat interview', () => {
  it('reads Chinese numbers, year-months, yes/no and options by number or words', () => {
    assert.equal(parseChineseNumber('十五年'), 15);
    assert.equal(parseChineseNumber('一百二十个月'), 120);
    assert.equal(parseChineseNumber('三千五'), 3500);
    assert.equal(parseChineseNumber('8,888.88元'), 8888.88);
    assert.equal(parseAnswer({ type: 'yearMonth' }, '1975年6月'), '1975-06');
    assert.equal(parseAnswer({ type: 'yearMonth' }, '1975-13'), undefined);
    assert.equal(parseAnswer({ type: 'yearMonth' }, '1971-06'), '1971-06');
    assert.equal(parseAnswer({ type: 'yearMonth' }, '１９７１／６'), '1971-06');
    assert.equal(parseAnswer({ type: 'yearMonth' }, '197106'), '1971-06');
    assert.equal(parseAnswer({ type: 'boolean' }, '已经办了'), true);
    assert.equal(parseAnswer({ type: 'boolean' }, '没有'), false);
    const options = [{ id: 'male', label: '男' }, { id: 'female', label: '女' }];
    assert.equal(parseAnswer({ type: 'enum', options }, '2'), 'female');
    assert.equal(parseAnswer({ type: 'enum', options }, '我是男的'), 'male');
    assert.equal(parseAnswer({ type: 'decimal' }, '60%'), 0.6);
  });
});
