import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import type { Message } from '../../../common/conversations';
import { unemploymentBenefit } from '../rules/rulesets/unemployment-benefit';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { loadConfig } from './config';
import { createWechatAccount, fakeWechatApi, push, text } from '../channels/wechat/wechat-test-support';

const redisUrl = loadConfig().TEST_REDIS_URL;

describe('two instances behind a load balancer (shared database, Redis)', { skip: redisUrl ? false : 'TEST_REDIS_URL not set' }, () => {
  let first: TestApp;
  let second: TestApp;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'zhixun-scale-'));
    const env = { REDIS_URL: redisUrl!, DATA_DIR: dataDir };
    first = await startTestApp({ env });
    second = await startTestApp({ env, shareDatabaseWith: first, seed: false });
  });
  const sockets: Socket[] = [];
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await second?.close();
    await first?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an answer approved on one instance is served by the other', async () => {
    const editor = await first.tokenFor(['editor'], 'scale-editor');
    const reviewer = await first.tokenFor(['reviewer'], 'scale-reviewer');
    const current = (await first.app.inject({ url: '/api/v1/kb/manage/entries/yl-001', headers: bearer(editor) })).json();
    await first.app.inject({ method: 'PUT', url: '/api/v1/kb/manage/entries/yl-001', headers: bearer(editor), payload: { ...current.latest, answer: '经负载均衡另一台实例发布的答案', baseVersion: current.latestVersion } });
    await first.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-001/submit', headers: bearer(editor) });
    // the reviewer's request lands on the other instance
    const approved = await second.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-001/approve', headers: bearer(reviewer), payload: {} });
    assert.equal(approved.statusCode, 200);
    let served = '';
    for (let i = 0; i < 50 && served !== '经负载均衡另一台实例发布的答案'; i++) {
      served = (await first.app.inject({ url: '/api/v1/kb/entries/yl-001' })).json().answer;
      if (served !== '经负载均衡另一台实例发布的答案') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(served, '经负载均衡另一台实例发布的答案');
  });

  it('a session opened on one instance works on the other', async () => {
    const token = await first.tokenFor(['agent'], 'scale-agent');
    const me = await second.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
    assert.equal(me.json().username, 'scale-agent');
  });

  /** Polls until `check` holds (events cross instances asynchronously), at most 5 s. */
  async function eventually(check: () => Promise<boolean>, label: string) {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`never happened: ${label}`);
  }

  it('a rule-set version published on one instance is in force on the other', async () => {
    const editor = await first.tokenFor(['editor'], 'scale-rules-editor');
    const reviewer = await first.tokenFor(['reviewer'], 'scale-rules-reviewer');
    const changed = {
      ...unemploymentBenefit,
      version: '2029.1',
      effectiveFrom: '2029-01-01',
      rules: unemploymentBenefit.rules.map((r) => (r.id === 'UB-3' ? { ...r, set: { monthlyAmount: 'round2(minimumMonthlyWage * 0.8)' } } : r)),
      tests: unemploymentBenefit.tests.map((tc) => (tc.expect?.monthlyAmount === 2241 ? { ...tc, expect: { ...tc.expect, monthlyAmount: 1992 } } : tc)),
    };
    assert.equal((await first.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions', payload: changed, headers: bearer(editor) })).statusCode, 201);
    const published = await first.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions/2029.1/publish', headers: bearer(reviewer) });
    assert.equal(published.statusCode, 200, published.body);
    const inputs = { separationReason: 'employerTerminated', contributionMonths: 75, registeredUnemployed: true, receivingPension: false };
    await eventually(async () => {
      const r = (await second.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/determine', payload: { inputs, date: '2029-06-01' } })).json();
      return r.ruleSet?.version === '2029.1' && r.outputs?.monthlyAmount === 1992;
    }, 'the other instance determines with the published version');
  });

  it('robot settings changed on one instance are in force on the other', async () => {
    const question = '养老保险单位交多少个人交多少';
    const before = (await second.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question } })).json();
    assert.equal(before.type, 'answer');
    const supervisor = await first.tokenFor(['supervisor'], 'scale-supervisor');
    const settings = (await first.app.inject({ url: '/api/v1/robot/settings', headers: bearer(supervisor) })).json();
    const saved = await first.app.inject({ method: 'PUT', url: '/api/v1/robot/settings', headers: bearer(supervisor), payload: { ...settings, humanOnlyEntries: [before.entryId] } });
    assert.equal(saved.statusCode, 200, saved.body);
    await eventually(async () => (await second.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question } })).json().type === 'handoff', 'the other instance hands the human-only entry off');
    await first.app.inject({ method: 'PUT', url: '/api/v1/robot/settings', headers: bearer(supervisor), payload: settings });
  });

  it('a citizen connected to one instance and an agent connected to the other exchange messages in real time', async () => {
    await first.app.listen({ port: 0, host: '127.0.0.1' });
    await second.app.listen({ port: 0, host: '127.0.0.1' });
    const url = (t: TestApp) => `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const received = (socket: Socket) => {
      const messages: Message[] = [];
      socket.on('message', (m: Message) => messages.push(m));
      return messages;
    };
    const open = (socket: Socket) => new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));

    const session = (await first.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { siteKey: 'portal' } })).json();
    const started = await first.app.inject({ method: 'POST', url: '/api/v1/widget/conversations', headers: { 'x-visitor-token': session.visitorToken }, payload: { siteKey: 'portal' } });
    const conversationId = started.json().conversation.id as string;
    const citizen = connect(`${url(first)}/widget`, { auth: { visitorToken: session.visitorToken, conversationId }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(citizen);
    const citizenSaw = received(citizen);
    await open(citizen);

    const token = await second.tokenFor(['agent'], 'scale-chat-agent');
    const agent = connect(`${url(second)}/agent`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(agent);
    const agentSaw = received(agent);
    await open(agent);

    await citizen.emitWithAck('send', { clientMessageId: 'x-1', text: '转人工' });
    await eventually(async () => (await second.app.inject({ url: '/api/v1/agent/queue', headers: bearer(token) })).json().items.some((c: any) => c.id === conversationId), 'queued, seen from the other instance');
    assert.equal((await second.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${conversationId}/accept`, headers: bearer(token) })).statusCode, 200);
    await agent.emitWithAck('watch', { conversationId, lastSeq: 0 });

    await second.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${conversationId}/messages`, headers: bearer(token), payload: { text: '您好，这里是人工客服' } });
    await eventually(async () => citizenSaw.some((m) => m.sender === 'agent' && m.text === '您好，这里是人工客服'), 'the citizen on instance 1 receives the agent’s reply from instance 2');
    await citizen.emitWithAck('send', { clientMessageId: 'x-2', text: '我想问退休的事' });
    await eventually(async () => agentSaw.some((m) => m.sender === 'customer' && m.text === '我想问退休的事'), 'the agent on instance 2 receives the citizen’s message from instance 1');
  });

  it('a WeChat citizen arriving on one instance is served by an agent on the other; both share the access token', async () => {
    const api = fakeWechatApi();
    const apiBaseUrl = await api.listen();
    try {
      const accountId = await createWechatAccount(first, apiBaseUrl);
      const openid = 'o_scale_out_citizen';
      // WeChat's callbacks land on instance 1, the agent works on instance 2
      const asked = await push(first, accountId, text(openid, '转人工'), { safe: true });
      assert.equal(asked.statusCode, 200, asked.body);
      const token = await second.tokenFor(['agent'], 'scale-wechat-agent');
      const agentCall = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => second.app.inject({ method, url, headers: bearer(token), payload: payload as any });
      let conversationId = '';
      await eventually(async () => {
        const waiting = (await agentCall('GET', '/api/v1/agent/queue')).json().items.find((c: any) => c.channel === 'wechat');
        conversationId = waiting?.id ?? '';
        return Boolean(waiting);
      }, 'the WeChat conversation waits in the queue, seen from instance 2');
      const accepted = await agentCall('POST', `/api/v1/agent/conversations/${conversationId}/accept`);
      assert.equal(accepted.statusCode, 200, accepted.body);
      await agentCall('POST', `/api/v1/agent/conversations/${conversationId}/messages`, { text: '您好，这里是12333人工客服。' });
      await eventually(async () => api.sent.some((s) => s.body.touser === openid && s.body.text.content.includes('12333人工客服')), 'the agent’s reply reaches WeChat’s customer-service API');
      await agentCall('POST', `/api/v1/agent/conversations/${conversationId}/messages`, { text: '请问您想咨询哪方面的问题？' });
      await eventually(async () => api.sent.some((s) => s.body.text.content.includes('哪方面')), 'the second reply reaches WeChat too');
      assert.equal(api.tokenFetches(), 1, 'one access token, fetched once and shared by both instances');
      // the citizen's next message, on instance 1, reaches the agent on instance 2
      await push(first, accountId, text(openid, '我想问失业金怎么领'));
      await eventually(async () => (await agentCall('GET', `/api/v1/agent/conversations/${conversationId}`)).json().messages.some((m: any) => m.sender === 'customer' && m.text === '我想问失业金怎么领'), 'the agent sees it');
    } finally {
      await api.close();
    }
  });
});
