import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { QualityResult } from '../../../common/analytics';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

/** A partner app speaking the open channel API: how the citizens of these tests reach the hotline. */
async function partnerApp(t: TestApp) {
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(await t.adminToken()), payload: { name: 'quality test app', scopes: ['channel'] } });
  assert.equal(created.statusCode, 201, created.body);
  const key = created.json().key as string;
  let n = 0;
  return {
    key,
    async start(externalId: string) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/open/conversations', headers: bearer(key), payload: { customer: { externalId } } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().conversationId as string;
    },
    async send(conversationId: string, text: string) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${conversationId}/messages`, headers: bearer(key), payload: { clientMessageId: `q-${++n}`, text } });
      assert.equal(res.statusCode, 201, res.body);
    },
  };
}

/** A signed-in staff member with the calls these tests make. */
async function staff(t: TestApp, roles: ('agent' | 'supervisor')[]) {
  const token = await t.tokenFor(roles);
  const id = (await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).json().id as string;
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({ method, url, headers: bearer(token), payload: payload as any });
  return {
    id,
    token,
    call,
    async serve(conversationId: string) {
      assert.equal((await call('PUT', '/api/v1/agent/status', { status: 'online', maxChats: 20 })).statusCode, 200);
      // assignment may have given it to this agent already
      for (let i = 0; i < 40; i++) {
        const mine = (await call('GET', '/api/v1/agent/conversations')).json().items as { id: string }[];
        if (mine.some((c) => c.id === conversationId)) return;
        const accepted = await call('POST', `/api/v1/agent/conversations/${conversationId}/accept`);
        if (accepted.statusCode === 200) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      assert.fail('the conversation never reached the agent');
    },
    /** Sends a reply and returns its sequence number. */
    async reply(conversationId: string, text: string, entryId?: string) {
      const res = await call('POST', `/api/v1/agent/conversations/${conversationId}/messages`, { text, entryId });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().message.seq as number;
    },
    async close(conversationId: string) {
      const res = await call('POST', `/api/v1/agent/conversations/${conversationId}/close`, { category: 'yl', summary: '咨询养老保险缴费比例，已解答' });
      assert.equal(res.statusCode, 200, res.body);
    },
  };
}

/** Waits for the background inspection and returns its result as the viewer sees it. */
async function inspection(t: TestApp, token: string, conversationId: string, accept = (_r: QualityResult) => true): Promise<QualityResult> {
  for (let i = 0; i < 200; i++) {
    const res = await t.app.inject({ url: `/api/v1/quality/conversations/${conversationId}`, headers: bearer(token) });
    if (res.statusCode === 200 && accept(res.json())) return res.json();
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`no inspection of ${conversationId}`);
}

const byRule = (r: QualityResult) => Object.fromEntries(r.flags.map((f) => [f.rule, f]));

describe('quality inspection of closed conversations', () => {
  let t: TestApp;
  let citizen: Awaited<ReturnType<typeof partnerApp>>;
  let agentA: Awaited<ReturnType<typeof staff>>;
  let agentB: Awaited<ReturnType<typeof staff>>;
  let supervisor: Awaited<ReturnType<typeof staff>>;
  let bad: string;
  const seqs: Record<string, number> = {};

  before(async () => {
    t = await startTestApp();
    citizen = await partnerApp(t);
    agentA = await staff(t, ['agent']);
    agentB = await staff(t, ['agent']);
    supervisor = await staff(t, ['supervisor']);

    // a conversation breaking three rules: no greeting, a rude phrase written with spaces and symbols,
    // the citizen's phone number typed in clear
    bad = await citizen.start('citizen-bad');
    await citizen.send(bad, '转人工');
    await agentA.serve(bad);
    await citizen.send(bad, '我想问一下养老保险单位交多少');
    seqs.greeting = await agentA.reply(bad, '单位和个人都要交，具体看当地规定。');
    await citizen.send(bad, '能不能说清楚一点');
    seqs.forbidden = await agentA.reply(bad, '你 烦-不-烦啊，自己去社保局问。');
    await citizen.send(bad, '我留个电话');
    seqs.phone = await agentA.reply(bad, '好的，已记下您的电话 138 1234 5678，稍后回电。');
    seqs.last = await agentA.reply(bad, '请问还有其他问题吗？');
    await agentA.close(bad);
  });
  after(async () => t?.close());

  it('flags a conversation that breaks three rules on exactly the messages concerned, and deducts their weights', async () => {
    const result = await inspection(t, supervisor.token, bad);
    assert.equal(result.agentId, agentA.id);
    assert.deepEqual(
      result.flags.map((f) => [f.rule, f.messageSeq]).sort(),
      [['forbidden_words', seqs.forbidden], ['greeting', seqs.greeting], ['personal_data', seqs.phone]].sort(),
    );
    const flags = byRule(result);
    assert.match(flags.forbidden_words.excerpt, /烦/);
    assert.ok(!flags.personal_data.excerpt.includes('12345678'), 'the excerpt shows the number masked');
    assert.match(flags.personal_data.excerpt, /138/);
    assert.equal(result.score, 100 - flags.greeting.weight - flags.forbidden_words.weight - flags.personal_data.weight);
    assert.ok(result.flags.every((f) => f.status === 'open'));
    // the transcript beside the flags masks what the agent typed
    const details = (await supervisor.call('GET', `/api/v1/quality/conversations/${bad}/details`)).json();
    const phoneMessage = details.messages.find((m: any) => m.seq === seqs.phone);
    assert.ok(phoneMessage && !phoneMessage.text.includes('1234 5678'));
  });

  it('gives 100 and no flag to a clean conversation: greeting, an answer consistent with its entry, a closing phrase, category and summary', async () => {
    const clean = await citizen.start('citizen-clean');
    await citizen.send(clean, '转人工');
    await agentA.serve(clean);
    await citizen.send(clean, '养老保险单位和个人各交多少');
    await agentA.reply(clean, '您好，很高兴为您服务！单位一般按工资总额的16%缴纳，个人按缴费基数的8%缴纳。', 'yl-001');
    await agentA.reply(clean, '请问还有其他问题吗？祝您生活愉快。');
    await agentA.close(clean);
    const result = await inspection(t, supervisor.token, clean);
    assert.deepEqual(result.flags, []);
    assert.equal(result.score, 100);
  });

  it('flags an answer whose numbers are not in the cited entry’s published answer', async () => {
    const wrong = await citizen.start('citizen-wrong');
    await citizen.send(wrong, '转人工');
    await agentA.serve(wrong);
    await citizen.send(wrong, '个人交多少');
    const seq = await agentA.reply(wrong, '您好，个人按缴费基数的10%缴纳。', 'yl-001');
    await agentA.reply(wrong, '还有其他问题吗？');
    await agentA.close(wrong);
    const result = await inspection(t, supervisor.token, wrong);
    assert.deepEqual(result.flags.map((f) => [f.rule, f.messageSeq]), [['knowledge_mismatch', seq]]);
    assert.match(result.flags[0].excerpt, /10%/);
  });

  it('overturning a flag raises the score and counts against its rule', async () => {
    const before = await inspection(t, supervisor.token, bad);
    const flag = byRule(before).forbidden_words;
    const res = await supervisor.call('POST', `/api/v1/quality/flags/${flag.id}/review`, { decision: 'overturn', note: '方言口头禅，非辱骂' });
    assert.equal(res.statusCode, 200, res.body);
    const after = res.json() as QualityResult;
    assert.equal(after.score, before.score + flag.weight);
    assert.equal(byRule(after).forbidden_words.status, 'overturned');
    const rules = (await supervisor.call('GET', '/api/v1/quality/rules')).json().items as any[];
    const rule = rules.find((r) => r.id === 'forbidden_words');
    assert.equal(rule.flagCount, 1);
    assert.equal(rule.overturnedCount, 1);
    assert.equal(rule.overturnRate, 1);
    assert.equal(rules.find((r) => r.id === 'greeting').overturnRate, 0);
    // confirming another flag keeps its deduction
    const confirmed = (await supervisor.call('POST', `/api/v1/quality/conversations/${bad}/flags/${byRule(before).personal_data.id}/review`, { decision: 'confirm' })).json() as QualityResult;
    assert.equal(confirmed.score, after.score);
    assert.equal(byRule(confirmed).personal_data.status, 'confirmed');
  });

  it('an agent appeals a flag on their work; the supervisor decides it with a note, and the decision is kept', async () => {
    const mine = (await agentA.call('GET', '/api/v1/quality/my')).json();
    const greeting = mine.flags.find((f: any) => f.conversationId === bad && f.rule === 'greeting');
    assert.ok(greeting, 'the agent sees their own flag');
    // another agent cannot appeal it, nor see the conversation's inspection
    assert.equal((await agentB.call('POST', `/api/v1/quality/flags/${greeting.id}/appeal`, { reason: '不是我' })).statusCode, 404);
    assert.equal((await agentB.call('GET', `/api/v1/quality/conversations/${bad}`)).statusCode, 404);
    assert.equal((await agentA.call('POST', `/api/v1/quality/flags/${greeting.id}/appeal`, { reason: ' ' })).statusCode, 400);

    const appealed = await agentA.call('POST', `/api/v1/quality/flags/${greeting.id}/appeal`, { reason: '群众直接提问，我先回答了问题' });
    assert.equal(appealed.statusCode, 200, appealed.body);
    assert.equal(appealed.json().status, 'appealed');
    assert.equal((await agentA.call('POST', `/api/v1/quality/flags/${greeting.id}/appeal`, { reason: '再次申诉' })).statusCode, 409);
    const waiting = (await supervisor.call('GET', '/api/v1/quality/conversations?status=appealed')).json();
    assert.deepEqual(waiting.items.map((i: any) => i.conversationId), [bad]);
    assert.equal(waiting.items[0].appealedCount, 1);

    const decided = await supervisor.call('POST', `/api/v1/quality/flags/${greeting.id}/review`, { decision: 'confirm', note: '首句仍需问候' });
    assert.equal(decided.statusCode, 200, decided.body);
    const details = (await supervisor.call('GET', `/api/v1/quality/conversations/${bad}/details`)).json();
    const flag = details.flags.find((f: any) => f.id === greeting.id);
    assert.equal(flag.status, 'confirmed');
    assert.equal(flag.appealDecision, 'confirm');
    assert.equal(flag.appealReason, '群众直接提问，我先回答了问题');
    assert.equal(flag.reviewNote, '首句仍需问候');
    // the agent sees the decision on their side too
    const seen = (await agentA.call('GET', `/api/v1/quality/conversations/${bad}`)).json() as QualityResult;
    assert.equal(seen.flags.find((f) => f.id === greeting.id)?.status, 'confirmed');
  });

  it('a rule change re-inspects the last 30 days in a background job', async () => {
    const before = await inspection(t, supervisor.token, bad);
    const personal = byRule(before).personal_data;
    const changed = await supervisor.call('PUT', '/api/v1/quality/rules/personal_data', { enabled: false });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().rule.enabled, false);
    const jobId = changed.json().jobId as string;
    let job: any;
    for (let i = 0; i < 200 && job?.status !== 'done'; i++) {
      job = (await supervisor.call('GET', `/api/v1/quality/jobs/${jobId}`)).json();
      if (job.status !== 'done') await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(job.status, 'done');
    assert.ok(job.result.reinspected >= 3);
    const after = await inspection(t, supervisor.token, bad);
    assert.equal(byRule(after).personal_data, undefined, 'the disabled rule’s flag is gone');
    assert.equal(after.score, before.score + personal.weight);
    // reviews and appeals of flags found again are kept
    assert.equal(byRule(after).forbidden_words.status, 'overturned');
    assert.equal(byRule(after).greeting.status, 'confirmed');

    // parameters are checked against the rule's kind, and a weight change applies to the flags
    assert.equal((await supervisor.call('PUT', '/api/v1/quality/rules/slow_reply', { params: { seconds: 'soon' } })).statusCode, 400);
    assert.equal((await supervisor.call('PUT', '/api/v1/quality/rules/nope', { weight: 3 })).statusCode, 404);
    assert.equal((await agentA.call('PUT', '/api/v1/quality/rules/greeting', { weight: 1 })).statusCode, 403);
  });

  it('scorecards for supervisors; an agent sees only their own; citizens and API keys see nothing', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const cards = await supervisor.call('GET', `/api/v1/quality/agents?from=${today}&to=${today}`);
    assert.equal(cards.statusCode, 200, cards.body);
    const card = cards.json().items.find((c: any) => c.agentId === agentA.id);
    assert.equal(card.inspected, 3);
    assert.equal(card.trend.length, 1);
    assert.ok(card.flagsByRule.some((r: any) => r.rule === 'greeting' && r.count === 1));
    assert.ok(!card.flagsByRule.some((r: any) => r.rule === 'forbidden_words'), 'overturned flags do not count');

    const mineA = (await agentA.call('GET', '/api/v1/quality/my')).json();
    assert.equal(mineA.inspected, 3);
    const mineB = (await agentB.call('GET', '/api/v1/quality/my')).json();
    assert.equal(mineB.inspected, 0);
    assert.deepEqual(mineB.flags, []);

    for (const url of ['/api/v1/quality/conversations', '/api/v1/quality/agents?from=2026-01-01&to=2026-01-31', '/api/v1/quality/rules']) {
      assert.equal((await agentA.call('GET', url)).statusCode, 403, url);
    }
    for (const url of [`/api/v1/quality/conversations/${bad}`, '/api/v1/quality/my', '/api/v1/quality/conversations']) {
      assert.equal((await t.app.inject({ url })).statusCode, 401, url);
      assert.equal((await t.app.inject({ url, headers: bearer(citizen.key) })).statusCode, 403, url);
    }
  });
});
