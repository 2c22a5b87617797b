import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

/** A partner app's key with the channel scope, and helpers that speak the open channel API with it. */
async function openChannel(t: TestApp, name = 'partner app') {
  const admin = await t.adminToken();
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name, scopes: ['channel'] } });
  assert.equal(created.statusCode, 201, created.body);
  const key = created.json().key as string;
  let counter = 0;
  return {
    key,
    async start(externalId: string, customerName?: string) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/open/conversations', headers: bearer(key), payload: { customer: { externalId, name: customerName }, channel: 'mini-program' } });
      assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
      return res.json().conversationId as string;
    },
    send(conversationId: string, text: string, clientMessageId = `c-${++counter}-${Math.random()}`) {
      return t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${conversationId}/messages`, headers: bearer(key), payload: { clientMessageId, text } });
    },
    async messages(conversationId: string, after = 0) {
      const res = await t.app.inject({ url: `/api/v1/open/conversations/${conversationId}/messages?after=${after}`, headers: bearer(key) });
      assert.equal(res.statusCode, 200, res.body);
      return res.json().messages as { seq: number; sender: string; text: string; private?: boolean; entryId?: string | null; survey?: boolean }[];
    },
    async conversation(conversationId: string) {
      return (await t.app.inject({ url: `/api/v1/open/conversations/${conversationId}`, headers: bearer(key) })).json();
    },
  };
}

/** An agent user, signed in, with helpers for the agent API. */
async function agent(t: TestApp, roles: ('agent' | 'supervisor')[] = ['agent']) {
  const token = await t.tokenFor(roles);
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({ method, url, headers: bearer(token), payload: payload as any });
  return {
    token,
    call,
    online: (maxChats = 5) => call('PUT', '/api/v1/agent/status', { status: 'online', maxChats }),
    queue: async () => (await call('GET', '/api/v1/agent/queue')).json(),
    mine: async () => (await call('GET', '/api/v1/agent/conversations')).json().items as { id: string; status: string; unread: number }[],
    accept: (id: string) => call('POST', `/api/v1/agent/conversations/${id}/accept`),
    reply: (id: string, text: string, extra: Record<string, unknown> = {}) => call('POST', `/api/v1/agent/conversations/${id}/messages`, { text, ...extra }),
    close: (id: string) => call('POST', `/api/v1/agent/conversations/${id}/close`, { category: 'yl', summary: '已解答养老金问题' }),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('conversations through the open channel API', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  it('the robot answers, 转人工 hands off, an agent accepts and replies, and the citizen sees the reply', async () => {
    const channel = await openChannel(t);
    const id = await channel.start('user-1001', '王先生');
    const [welcome] = (await channel.messages(id)) as { sender: string; options?: { entryId: string }[] }[];
    assert.equal(welcome.sender, 'robot');
    assert.ok((welcome.options?.length ?? 0) >= 2, 'the welcome offers self-service questions to pick');
    const first = await channel.send(id, '养老保险单位交多少个人交多少');
    assert.equal(first.statusCode, 201, first.body);
    const answered = first.json();
    assert.equal(answered.message.sender, 'customer');
    assert.equal(answered.replies[0].sender, 'robot');
    assert.equal(answered.replies[0].entryId, 'yl-001');

    const handoff = (await channel.send(id, '转人工')).json();
    assert.ok(handoff.replies.some((m: any) => m.sender === 'system' && /人工服务排队/.test(m.text)), JSON.stringify(handoff.replies));
    const waiting = await channel.conversation(id);
    assert.equal(waiting.status, 'queued');
    assert.equal(waiting.queue.position, 1);
    assert.ok(waiting.queue.estimatedWaitSeconds > 0);

    const a = await agent(t);
    const queue = await a.queue();
    assert.ok(queue.items.some((c: any) => c.id === id), 'the agent sees it in the queue');
    assert.equal((await a.online()).statusCode, 200);
    await settle();
    // automatic assignment may have given it to this agent already; accepting is then a 409
    const mine = await a.mine();
    if (!mine.some((c) => c.id === id)) assert.equal((await a.accept(id)).statusCode, 200);
    assert.deepEqual((await a.mine()).map((c) => c.id), [id]);

    const replied = await a.reply(id, '您好，单位缴16%，个人缴8%。', { entryId: 'yl-001' });
    assert.equal(replied.statusCode, 201, replied.body);
    const seen = await channel.messages(id);
    const reply = seen.find((m) => m.sender === 'agent');
    assert.ok(reply, 'the citizen sees the agent’s reply');
    assert.equal(reply!.entryId, 'yl-001');
    assert.ok(seen.some((m) => m.sender === 'system' && /为您服务/.test(m.text)));
    // sequence numbers as the citizen sees them: 1..n, no gaps
    assert.deepEqual(seen.map((m) => m.seq), seen.map((_, i) => i + 1));
  });

  it('a resent clientMessageId returns the original and its replies and stores nothing new', async () => {
    const channel = await openChannel(t);
    const id = await channel.start('user-1002');
    const first = await channel.send(id, '失业金怎么领', 'same-id');
    const again = await channel.send(id, '失业金怎么领', 'same-id');
    assert.equal(first.statusCode, 201);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json().message, first.json().message);
    assert.deepEqual(again.json().replies.map((m: any) => m.seq), first.json().replies.map((m: any) => m.seq));
    const all = await channel.messages(id);
    assert.equal(all.filter((m) => m.sender === 'customer').length, 1);
  });

  it('20 concurrent senders on one conversation: every message stored once, sequence numbers without a gap', async () => {
    const channel = await openChannel(t);
    const id = await channel.start('user-1003');
    // with an agent serving, the robot stays quiet and every message is the citizen's own
    const a = await agent(t);
    await channel.send(id, '转人工');
    if (!(await a.mine()).some((c) => c.id === id)) await a.accept(id);
    const sends = Array.from({ length: 20 }, (_, i) => channel.send(id, `第${i + 1}条消息`, `burst-${i}`));
    // and each one resent at the same moment
    const resends = Array.from({ length: 20 }, (_, i) => channel.send(id, `第${i + 1}条消息`, `burst-${i}`));
    const results = await Promise.all([...sends, ...resends]);
    for (const r of results) assert.ok(r.statusCode === 201 || r.statusCode === 200, r.body);
    const all = await channel.messages(id);
    assert.deepEqual(all.map((m) => m.seq), all.map((_, i) => i + 1), 'gap-free');
    const burst = all.filter((m) => /^第\d+条消息$/.test(m.text));
    assert.equal(burst.length, 20, 'each stored once');
    assert.equal(new Set(burst.map((m) => m.text)).size, 20);
  });

  it('转人工 hands off in the middle of a calculator interview', async () => {
    const channel = await openChannel(t);
    const id = await channel.start('user-1004');
    const started = (await channel.send(id, '帮我算一下我什么时候退休')).json();
    assert.equal(started.replies[0].interview.status, 'need_input');
    const handoff = (await channel.send(id, '转人工')).json();
    assert.ok(handoff.replies.some((m: any) => m.sender === 'system' && /人工服务排队/.test(m.text)), JSON.stringify(handoff.replies));
    // queued, or already given to an agent on duty from an earlier test
    assert.notEqual((await channel.conversation(id)).status, 'bot');
  });

  it('an agent’s queue shows the conversations waiting for their skills, and a generalist’s shows all', async () => {
    // a platform of its own: nobody else is on duty to take the conversation meanwhile
    const outer = t;
    t = await startTestApp();
    try {
      const supervisor = await agent(t, ['supervisor']);
      for (const [id, name] of [['pension-q', '养老'], ['labour-q', '劳动关系']]) await supervisor.call('PUT', `/api/v1/skills/${id}`, { name, categories: [] });
      const channel = await openChannel(t);
      const id = await channel.start('user-1005');
      await channel.send(id, '转人工');
      await t.ctx.db.updateTable('conversations').set({ skill: 'pension-q', assignee_id: null, status: 'queued' }).where('id', '=', id).execute();
      const specialist = await agent(t);
      const me = (await specialist.call('GET', '/api/v1/auth/me')).json();
      assert.equal((await supervisor.call('PUT', `/api/v1/agents/${me.id}`, { skills: ['labour-q'] })).statusCode, 200);
      assert.ok(!(await specialist.queue()).items.some((c: any) => c.id === id), 'not waiting for their skill');
      assert.equal((await specialist.accept(id)).statusCode, 403);
      const generalist = await agent(t);
      assert.ok((await generalist.queue()).items.some((c: any) => c.id === id), 'an agent without skills serves every queue');
    } finally {
      await t.close();
      t = outer;
    }
  });

  it('a key sees only the conversations it opened; agents’ routes need a signed-in agent', async () => {
    const mine = await openChannel(t, 'app one');
    const other = await openChannel(t, 'app two');
    const id = await mine.start('user-2001');
    const peek = await t.app.inject({ url: `/api/v1/open/conversations/${id}/messages`, headers: bearer(other.key) });
    assert.equal(peek.statusCode, 404);
    const post = await other.send(id, '你好');
    assert.equal(post.statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/v1/agent/queue' })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/v1/agent/queue', headers: bearer(mine.key) })).statusCode, 403);
    const editor = await t.tokenFor(['editor']);
    assert.equal((await t.app.inject({ url: '/api/v1/agent/queue', headers: bearer(editor) })).statusCode, 403);
  });

  it('bad input gets 400 with a code and loses nothing', async () => {
    const channel = await openChannel(t);
    const id = await channel.start('user-2002');
    const before = await channel.messages(id);
    const empty = await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${id}/messages`, headers: bearer(channel.key), payload: { clientMessageId: 'x', text: '   ' } });
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().error.code, 'invalid_request');
    const noId = await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${id}/messages`, headers: bearer(channel.key), payload: { text: '你好' } });
    assert.equal(noId.statusCode, 400);
    assert.deepEqual(await channel.messages(id), before);
  });
});

describe('agents: notes, transfer, close, rating, learning', () => {
  // a fresh platform per test: agents left online by one test would take the next one's conversations
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => t?.close());

  it('an internal note is never shown to the citizen; close offers the survey; the rating is kept once', async () => {
    const channel = await openChannel(t);
    const id = await channel.start('user-3001');
    await channel.send(id, '我想问一下工伤认定去哪里办');
    await channel.send(id, '转人工');
    const a = await agent(t);
    await a.online();
    await settle();
    if (!(await a.mine()).some((c) => c.id === id)) assert.equal((await a.accept(id)).statusCode, 200);
    assert.equal((await a.reply(id, '来电人情绪激动，注意安抚', { private: true })).statusCode, 201);
    assert.equal((await a.reply(id, '工伤认定向用人单位所在地的社会保险行政部门申请。', { entryId: 'gs-001' })).statusCode, 201);
    const citizenView = await channel.messages(id);
    assert.ok(!citizenView.some((m) => m.text.includes('情绪激动')), 'the note stays internal');
    const agentView = (await a.call('GET', `/api/v1/agent/conversations/${id}`)).json();
    assert.ok(agentView.messages.some((m: any) => m.private && m.text.includes('情绪激动')));

    const early = await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${id}/rating`, headers: bearer(channel.key), payload: { score: 5 } });
    assert.equal(early.statusCode, 409, 'no rating before the end');
    assert.equal((await a.close(id)).statusCode, 200);
    const closing = await channel.messages(id);
    assert.ok(closing.at(-1)!.survey, 'the last message invites a rating');
    const rated = await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${id}/rating`, headers: bearer(channel.key), payload: { score: 4, comment: '回复很快，电话13812345678' } });
    assert.equal(rated.statusCode, 204, rated.body);
    const twice = await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${id}/rating`, headers: bearer(channel.key), payload: { score: 1 } });
    assert.equal(twice.statusCode, 409);
    const closed = await channel.conversation(id);
    assert.equal(closed.status, 'resolved');
    assert.equal(closed.rating.score, 4);
    assert.equal(closed.rating.comment, null, 'the citizen’s view does not echo the comment back');
    const stored = await t.ctx.db.selectFrom('conversations').select(['rating_comment']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(!String(stored.rating_comment).includes('13812345678'), 'the comment is stored masked');
    // a message to a closed conversation asks for a new one
    assert.equal((await channel.send(id, '还有一个问题')).statusCode, 409);
  });

  it('a conversation an agent answered feeds robot learning once it is closed', async () => {
    const channel = await openChannel(t);
    const id = await channel.start('user-3002');
    await channel.send(id, '厂子黄了老板跑了工资找谁要');
    await channel.send(id, '转人工');
    const a = await agent(t);
    await a.online();
    await settle();
    if (!(await a.mine()).some((c) => c.id === id)) await a.accept(id);
    await a.reply(id, '可以向劳动保障监察机构投诉，或申请劳动仲裁。');
    await a.close(id);
    let examples: any[] = [];
    for (let i = 0; i < 50 && !examples.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      examples = await t.ctx.db.selectFrom('robot_learning_examples').selectAll().where('conversation_id', '=', id).execute();
    }
    assert.ok(examples.length >= 1, 'the question the robot missed became a learning example');
    assert.ok(examples.every((e) => e.question !== '转人工'), 'the request for a person is not a question to learn');
  });

  it('the serving agent records the citizen’s phone number: shown masked, looked up by a keyed hash, audited; others may not', async () => {
    const channel = await openChannel(t, 'phone app');
    const id = await channel.start('user-phone-1');
    await channel.send(id, '转人工');
    const a = await agent(t);
    await a.online();
    await settle();
    if (!(await a.mine()).some((c) => c.id === id)) assert.equal((await a.accept(id)).statusCode, 200);
    const bad = await a.call('PUT', `/api/v1/agent/conversations/${id}/contact-phone`, { phone: '12345' });
    assert.equal(bad.statusCode, 400);
    const other = await agent(t);
    const foreign = await other.call('PUT', `/api/v1/agent/conversations/${id}/contact-phone`, { phone: '13800138000' });
    assert.ok(foreign.statusCode === 403 || foreign.statusCode === 404, foreign.body);
    const saved = await a.call('PUT', `/api/v1/agent/conversations/${id}/contact-phone`, { phone: '+86 138 0013 8000' });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().phone, '138****8000');
    const history = (await a.call('GET', `/api/v1/agent/conversations/${id}/history`)).json();
    assert.equal(history.contact.phone, '138****8000');
    const row = await t.ctx.db.selectFrom('contacts').select(['phone_hash', 'phone_masked']).where('id', '=', history.contact.id).executeTakeFirstOrThrow();
    assert.ok(row.phone_hash && !row.phone_hash.includes('13800138000'), 'only a keyed hash of the number is stored');
    const audit = (await t.app.inject({ url: '/api/v1/audit?action=contact.phone.record', headers: bearer(await t.adminToken()) })).json();
    assert.ok(JSON.stringify(audit).includes('contact.phone.record'), 'the change is audited');
  });

  it('transfer to a skill puts it back in that queue with the note kept internal; to an agent, straight to them', async () => {
    const supervisor = await agent(t, ['supervisor']);
    const put = await supervisor.call('PUT', '/api/v1/skills/pension', { name: '养老保险', categories: ['yl'] });
    assert.equal(put.statusCode, 200, put.body);
    const channel = await openChannel(t);
    const id = await channel.start('user-3003');
    await channel.send(id, '转人工');
    const first = await agent(t);
    await first.online(1);
    await settle();
    if (!(await first.mine()).some((c) => c.id === id)) assert.equal((await first.accept(id)).statusCode, 200);
    const second = await agent(t);
    await second.call('PUT', '/api/v1/agent/status', { status: 'busy' });
    const toAgent = await first.call('POST', `/api/v1/agent/conversations/${id}/transfer`, { to: { agent: (await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(second.token) })).json().id }, note: '需要核对缴费记录' });
    assert.equal(toAgent.statusCode, 200, toAgent.body);
    assert.equal(toAgent.json().assignee.id, (await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(second.token) })).json().id);
    assert.ok(!(await channel.messages(id)).some((m) => m.text.includes('核对缴费记录')));
    const toSkill = await second.call('POST', `/api/v1/agent/conversations/${id}/transfer`, { to: { skill: 'pension' } });
    assert.equal(toSkill.statusCode, 200, toSkill.body);
    assert.equal(toSkill.json().status, 'queued');
    assert.equal(toSkill.json().skill, 'pension');
    // the first agent has a free seat again and takes it from the queue (or accepts it, if the assignment job
    // has not run yet); either way the second may no longer act on it
    await settle();
    if (!(await first.mine()).some((c) => c.id === id)) {
      const accepted = await first.accept(id);
      assert.ok(accepted.statusCode === 200 || (await first.mine()).some((c) => c.id === id), accepted.body);
    }
    const again = await second.call('POST', `/api/v1/agent/conversations/${id}/transfer`, { to: { skill: 'pension' } });
    assert.equal(again.statusCode, 403, again.body);
    const unknownSkill = await first.call('POST', `/api/v1/agent/conversations/${id}/transfer`, { to: { skill: 'no-such-skill' } });
    assert.equal(unknownSkill.statusCode, 400, unknownSkill.body);
    assert.equal(unknownSkill.json().error.code, 'unknown_skill');
  });
});

describe('service hours and left messages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  it('outside service hours a hand-off becomes a left message that an agent answers later on the same channel', async () => {
    const supervisor = await agent(t, ['supervisor']);
    const closedAllWeek = { weekly: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] }, holidays: [], makeUpWorkdays: [], makeUpHours: [['08:30', '17:30']] };
    const saved = await supervisor.call('PUT', '/api/v1/conversations/settings/service-hours', closedAllWeek);
    assert.equal(saved.statusCode, 200, saved.body);
    const bad = await supervisor.call('PUT', '/api/v1/conversations/settings/service-hours', { ...closedAllWeek, holidays: ['2026-02-30'] });
    assert.equal(bad.statusCode, 400);

    const channel = await openChannel(t);
    const id = await channel.start('user-4001');
    const handoff = (await channel.send(id, '转人工')).json();
    assert.ok(handoff.replies.some((m: any) => m.sender === 'system' && /留言/.test(m.text)), JSON.stringify(handoff.replies));
    const left = await channel.send(id, '我的养老金这个月没到账，请回电话');
    assert.equal(left.json().replies.length, 0, 'the robot stays out of a left message');
    const a = await agent(t);
    await a.online();
    await settle();
    const queue = await a.queue();
    assert.ok(queue.leftMessages.some((c: any) => c.id === id), 'the left message waits in the workspace');
    assert.ok(!queue.items.some((c: any) => c.id === id));
    assert.equal((await a.mine()).length, 0, 'left messages are not assigned automatically');
    assert.equal((await a.accept(id)).statusCode, 200);
    await a.reply(id, '您好，已为您查询，本月养老金将于15日发放。');
    assert.ok((await channel.messages(id)).some((m) => m.sender === 'agent' && /15日/.test(m.text)));
  });
});
