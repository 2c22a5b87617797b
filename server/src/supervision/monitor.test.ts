import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import { MONITOR_EVENTS, type MonitorPushes, type MonitorSnapshot } from '../../../common/analytics';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { CHECK_WAITS_JOB } from './register';
import { findAlertWords } from './lexicon';

const settle = (ms = 100) => new Promise((resolve) => setTimeout(resolve, ms));

/** A partner app speaking the open channel API for its users. */
async function openChannel(t: TestApp) {
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(await t.adminToken()), payload: { name: `partner-${Math.random()}`, scopes: ['channel'] } });
  assert.equal(created.statusCode, 201, created.body);
  const key = created.json().key as string;
  let counter = 0;
  const send = async (id: string, text: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${id}/messages`, headers: bearer(key), payload: { clientMessageId: `m-${++counter}`, text } });
    assert.equal(res.statusCode, 201, res.body);
  };
  return {
    key,
    send,
    async start(externalId: string) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/open/conversations', headers: bearer(key), payload: { customer: { externalId } } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().conversationId as string;
    },
    /** A citizen asks about pensions (the pension skill's topic), then asks for a person. */
    async queuePension(externalId: string) {
      const id = await this.start(externalId);
      await send(id, '养老保险单位交多少个人交多少');
      await send(id, '转人工');
      return id;
    },
  };
}

async function staff(t: TestApp, roles: ('agent' | 'supervisor')[]) {
  const token = await t.tokenFor(roles);
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({ method, url, headers: bearer(token), payload: payload as any });
  const id = (await call('GET', '/api/v1/auth/me')).json().id as string;
  return { token, id, call };
}

const snapshotOf = async (t: TestApp, token: string) => {
  const res = await t.app.inject({ url: '/api/v1/supervisor/monitor', headers: bearer(token) });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as MonitorSnapshot;
};

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await settle(50);
  }
}

/** Collects what a socket receives of one event. */
function collect<E extends keyof MonitorPushes>(socket: Socket, event: E) {
  const seen: { at: number; payload: MonitorPushes[E] }[] = [];
  socket.on(event as string, (payload: MonitorPushes[E]) => seen.push({ at: Date.now(), payload }));
  return seen;
}

describe('the live monitor', () => {
  let t: TestApp;
  let base: string;
  let supervisor: Awaited<ReturnType<typeof staff>>;
  const sockets: Socket[] = [];
  const socketFor = async (token: string) => {
    const socket = connect(`${base}/agent`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  };

  before(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    supervisor = await staff(t, ['supervisor']);
    assert.equal((await supervisor.call('PUT', '/api/v1/skills/pension', { name: '养老保险', categories: ['yanglao'] })).statusCode, 200);
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  it('the snapshot counts two citizens waiting for the pension skill and shows the busy agent serving a third', async () => {
    const channel = await openChannel(t);
    const served = await channel.start('citizen-0');
    await channel.send(served, '转人工');
    const agent = await staff(t, ['agent']);
    await agent.call('PUT', '/api/v1/agent/status', { status: 'online', maxChats: 1 });
    await until('the agent is given the conversation', async () => (await agent.call('GET', '/api/v1/agent/conversations')).json().items.some((c: any) => c.id === served));
    assert.equal((await agent.call('POST', `/api/v1/agent/conversations/${served}/messages`, { text: '您好，请讲' })).statusCode, 201);
    await agent.call('PUT', '/api/v1/agent/status', { status: 'busy' });
    const first = await channel.queuePension('citizen-1');
    await settle(1100);
    const second = await channel.queuePension('citizen-2');

    const snapshot = await snapshotOf(t, supervisor.token);
    const pension = snapshot.queues.find((q) => q.skill === 'pension');
    assert.deepEqual({ name: pension?.name, waiting: pension?.waiting }, { name: '养老保险', waiting: 2 });
    assert.ok(pension!.longestWaitSeconds >= 1, `the first has waited over a second: ${pension!.longestWaitSeconds}`);
    assert.equal(snapshot.queues.find((q) => q.skill === null)?.waiting, 0, 'the general queue is empty');
    assert.deepEqual(snapshot.leftMessages, { waiting: 0, longestWaitSeconds: 0 });
    const board = snapshot.agents.find((a) => a.userId === agent.id);
    assert.ok(board);
    assert.deepEqual({ status: board.status, load: board.load, maxChats: board.maxChats, conversationIds: board.conversationIds }, { status: 'busy', load: 1, maxChats: 1, conversationIds: [served] });
    assert.ok(board.silentSeconds !== null && board.silentSeconds <= 5, 'replied a moment ago');
    assert.deepEqual(snapshot.conversations.map((c) => [c.id, c.status]), [[first, 'queued'], [second, 'queued'], [served, 'assigned']]);
    assert.equal(snapshot.conversations[0].queue?.position, 1);
  });

  it('a supervisor’s socket learns of a newly queued conversation within a second; an agent’s socket does not', async () => {
    const watching = await socketFor(supervisor.token);
    const queues = collect(watching, MONITOR_EVENTS.queues);
    const conversations = collect(watching, MONITOR_EVENTS.conversation);
    const agentSocket = await socketFor((await staff(t, ['agent'])).token);
    const agentSaw = collect(agentSocket, MONITOR_EVENTS.queues);
    const before = (await snapshotOf(t, supervisor.token)).queues.find((q) => q.skill === 'pension')!.waiting;

    const channel = await openChannel(t);
    const id = await channel.start('citizen-live');
    await channel.send(id, '养老保险单位交多少个人交多少');
    const handedOff = Date.now();
    await channel.send(id, '转人工');
    const pushed = await until('monitor:queues with the new citizen', async () => queues.find((q) => q.payload.queues.find((x) => x.skill === 'pension')?.waiting === before + 1), 3000);
    assert.ok(pushed.at - handedOff < 1000, `pushed ${pushed.at - handedOff} ms after the hand-off`);
    await until('the conversation itself', async () => conversations.find((c) => c.payload.id === id && c.payload.status === 'queued'), 2000);
    assert.equal(agentSaw.length, 0, 'agents are not sent the monitor');
  });

  it('a complaint word raises one complaint_words alert, pushed live; a negated one raises none', async () => {
    const watching = await socketFor(supervisor.token);
    const alerts = collect(watching, MONITOR_EVENTS.alert);
    const channel = await openChannel(t);
    const id = await channel.start('citizen-angry');
    await channel.send(id, '你们到底办不办？我要打12345投诉你们');
    await channel.send(id, '我还要找媒体曝光');
    const pushed = await until('the alert pushed', async () => alerts.find((a) => a.payload.alert.conversationId === id));
    assert.equal(pushed.payload.alert.kind, 'complaint_words');
    assert.equal(pushed.payload.isOpen, true);
    assert.match(pushed.payload.alert.detail, /12345|投诉/);
    const calm = await channel.start('citizen-calm');
    await channel.send(calm, '我不是要投诉，只是问问养老金');
    await settle(600);
    assert.equal(alerts.filter((a) => a.payload.alert.conversationId === id).length, 1, 'pushed once');
    const open = (await snapshotOf(t, supervisor.token)).alerts;
    assert.equal(open.filter((a) => a.conversationId === id).length, 1, 'stored once');
    assert.ok(!open.some((a) => a.conversationId === calm), 'a negated complaint raises nothing');
  });

  it('a long wait and an agent silent past their (tiny) thresholds raise alerts once; acknowledging removes them for everyone', async () => {
    const saved = await supervisor.call('PUT', '/api/v1/supervisor/monitor/settings', { longWaitSeconds: 1, agentSilentSeconds: 1 });
    assert.equal(saved.statusCode, 200, saved.body);
    const watching = await socketFor(supervisor.token);
    const alerts = collect(watching, MONITOR_EVENTS.alert);
    const channel = await openChannel(t);
    const waiting = await channel.queuePension('citizen-waiting');
    await settle(1100);
    await t.ctx.jobs.runNow(CHECK_WAITS_JOB);
    await t.ctx.jobs.runNow(CHECK_WAITS_JOB);
    const open = (await snapshotOf(t, supervisor.token)).alerts.filter((a) => a.conversationId === waiting);
    assert.deepEqual(open.map((a) => a.kind), ['long_wait']);
    await until('pushed', async () => alerts.find((a) => a.payload.alert.id === open[0].id));

    // an agent takes a citizen, answers once; the citizen asks again and waits
    const agent = await staff(t, ['agent']);
    const served = await channel.start('citizen-unanswered');
    await channel.send(served, '转人工');
    assert.equal((await agent.call('POST', `/api/v1/agent/conversations/${served}/accept`)).statusCode, 200);
    await agent.call('POST', `/api/v1/agent/conversations/${served}/messages`, { text: '您好' });
    await t.ctx.jobs.runNow(CHECK_WAITS_JOB);
    await channel.send(served, '请问我的养老金什么时候到账？');
    await settle(1100);
    await t.ctx.jobs.runNow(CHECK_WAITS_JOB);
    const silent = (await snapshotOf(t, supervisor.token)).alerts.filter((a) => a.conversationId === served);
    assert.deepEqual(silent.map((a) => a.kind), ['agent_silent'], 'silent only once the citizen waits for an answer');

    const ack = await supervisor.call('POST', `/api/v1/supervisor/monitor/alerts/${open[0].id}/acknowledge`);
    assert.equal(ack.statusCode, 204, ack.body);
    await until('the acknowledgement pushed', async () => alerts.find((a) => a.payload.alert.id === open[0].id && !a.payload.isOpen));
    assert.ok(!(await snapshotOf(t, supervisor.token)).alerts.some((a) => a.id === open[0].id));
    await t.ctx.jobs.runNow(CHECK_WAITS_JOB);
    assert.ok(!(await snapshotOf(t, supervisor.token)).alerts.some((a) => a.conversationId === waiting), 'the same wait is not raised again');
    await supervisor.call('PUT', '/api/v1/supervisor/monitor/settings', { longWaitSeconds: 120, agentSilentSeconds: 180 });
  });

  it('a conversation transferred three times raises ping_pong', async () => {
    const [a, b] = [await staff(t, ['agent']), await staff(t, ['agent'])];
    await b.call('PUT', '/api/v1/agent/status', { status: 'busy' });
    await a.call('PUT', '/api/v1/agent/status', { status: 'busy' });
    const channel = await openChannel(t);
    const id = await channel.start('citizen-bounced');
    await channel.send(id, '转人工');
    assert.equal((await a.call('POST', `/api/v1/agent/conversations/${id}/accept`)).statusCode, 200);
    for (const [from, to] of [[a, b], [b, a], [a, b]]) {
      const moved = await from.call('POST', `/api/v1/agent/conversations/${id}/transfer`, { to: { agent: to.id } });
      assert.equal(moved.statusCode, 200, moved.body);
    }
    const alert = await until('ping_pong', async () => (await snapshotOf(t, supervisor.token)).alerts.find((x) => x.conversationId === id));
    assert.equal(alert.kind, 'ping_pong');
  });

  it('agents, partner apps and citizens cannot read the monitor or change it', async () => {
    const agent = await staff(t, ['agent']);
    assert.equal((await agent.call('GET', '/api/v1/supervisor/monitor')).statusCode, 403);
    assert.equal((await agent.call('PUT', '/api/v1/supervisor/monitor/settings', { longWaitSeconds: 5, agentSilentSeconds: 5 })).statusCode, 403);
    assert.equal((await agent.call('POST', '/api/v1/supervisor/monitor/alerts/x/acknowledge')).statusCode, 403);
    const channel = await openChannel(t);
    assert.equal((await t.app.inject({ url: '/api/v1/supervisor/monitor', headers: bearer(channel.key) })).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/supervisor/monitor' })).statusCode, 401);
    assert.equal((await supervisor.call('POST', '/api/v1/supervisor/monitor/alerts/nope/acknowledge')).statusCode, 404);
  });
});

describe('the complaint lexicon', () => {
  it('finds complaints, abuse and displeasure, and skips negated words and numbers inside numbers', () => {
    assert.equal(findAlertWords('再不处理我就打12345')?.kind, 'complaint_words');
    assert.equal(findAlertWords('你们这帮混蛋')?.kind, 'complaint_words');
    assert.equal(findAlertWords('我对这个答复很不满意')?.kind, 'negative_sentiment');
    assert.equal(findAlertWords('我不投诉，就问问'), undefined);
    assert.equal(findAlertWords('没有不满意，谢谢'), undefined);
    assert.equal(findAlertWords('我的电话是 13812345678'), undefined);
    assert.equal(findAlertWords('养老金怎么领取'), undefined);
  });
});
