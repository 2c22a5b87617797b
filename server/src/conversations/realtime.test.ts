import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import type { Message } from '../../../common/conversations';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

/** Collects what a socket receives, and waits for a message that matches. */
function inbox(socket: Socket) {
  const messages: Message[] = [];
  const waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  socket.on('message', (m: Message) => {
    messages.push(m);
    for (const w of [...waiters]) if (w.test(m)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(m);
  });
  return {
    messages,
    next(test: (m: Message) => boolean, label: string, ms = 5000) {
      const seen = messages.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise<Message>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message: ${label}`)), ms);
        waiters.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });

describe('realtime: the widget and the workspace over Socket.IO', () => {
  let t: TestApp;
  let base: string;
  const sockets: Socket[] = [];
  before(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await t?.close();
  });

  async function widgetSession() {
    const opened = await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { siteKey: 'portal' } });
    assert.equal(opened.statusCode, 200, opened.body);
    const visitorToken = opened.json().visitorToken as string;
    const started = await t.app.inject({ method: 'POST', url: '/api/v1/widget/conversations', headers: { 'x-visitor-token': visitorToken }, payload: { siteKey: 'portal' } });
    assert.equal(started.statusCode, 201, started.body);
    return { visitorToken, conversationId: started.json().conversation.id as string };
  }
  function widgetSocket(auth: { visitorToken: string; conversationId: string; lastSeq?: number }) {
    const socket = connect(`${base}/widget`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    return socket;
  }

  it('a citizen’s message sent over the socket is acknowledged with the robot’s answer, which is also pushed', async () => {
    const session = await widgetSession();
    const socket = widgetSocket(session);
    const box = inbox(socket);
    await connected(socket);
    await box.next((m) => m.sender === 'robot' && m.seq === 1, 'the welcome, caught up on connect');
    const ack = await socket.emitWithAck('send', { clientMessageId: 'w-1', text: '养老保险单位交多少个人交多少' });
    assert.equal(ack.message.seq, 2);
    assert.equal(ack.replies[0].entryId, 'yl-001');
    const pushed = await box.next((m) => m.sender === 'robot' && m.seq === 3, 'the answer, pushed');
    assert.equal(pushed.entryId, 'yl-001');
    const bad = await socket.emitWithAck('send', { clientMessageId: 'w-2', text: '' });
    assert.equal(bad.error.code, 'invalid_request');
  });

  it('a stranger’s visitor token cannot follow someone else’s conversation', async () => {
    const victim = await widgetSession();
    const stranger = await widgetSession();
    const socket = widgetSocket({ visitorToken: stranger.visitorToken, conversationId: victim.conversationId });
    await assert.rejects(connected(socket), /conversation_not_found/);
    const anonymousAgent = connect(`${base}/agent`, { transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(anonymousAgent);
    await assert.rejects(connected(anonymousAgent), /unauthorized/);
  });

  it('citizen and agent exchange messages live; notes stay internal; a reconnecting widget catches up', async () => {
    const session = await widgetSession();
    const citizen = widgetSocket(session);
    const citizenBox = inbox(citizen);
    await connected(citizen);
    await citizen.emitWithAck('send', { clientMessageId: 'h-1', text: '转人工' });
    await citizenBox.next((m) => m.sender === 'system' && /人工服务排队/.test(m.text), 'hand-off notice');

    const token = await t.tokenFor(['agent']);
    const agentSocket = connect(`${base}/agent`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(agentSocket);
    const agentBox = inbox(agentSocket);
    await connected(agentSocket);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${session.conversationId}/accept`, headers: bearer(token) })).statusCode, 200);
    const watched = await agentSocket.emitWithAck('watch', { conversationId: session.conversationId, lastSeq: 0 });
    assert.ok(watched.messages.some((m: Message) => m.text === '转人工'), 'the agent sees what came before');

    await t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${session.conversationId}/messages`, headers: bearer(token), payload: { text: '内部备注：老客户', private: true } });
    await t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${session.conversationId}/messages`, headers: bearer(token), payload: { text: '您好，请问有什么可以帮您？' } });
    await citizenBox.next((m) => m.sender === 'agent' && m.text === '您好，请问有什么可以帮您？', 'the agent’s reply');
    await agentBox.next((m) => m.private === true, 'the note, for staff');
    await citizen.emitWithAck('send', { clientMessageId: 'h-2', text: '我想问退休手续' });
    await agentBox.next((m) => m.sender === 'customer' && m.text === '我想问退休手续', 'the citizen’s message');
    assert.ok(!citizenBox.messages.some((m) => m.text.includes('内部备注')), 'the note never reaches the citizen');

    // the citizen drops off; two replies arrive meanwhile; on reconnect they arrive, once each
    const lastSeq = Math.max(...citizenBox.messages.map((m) => m.seq));
    citizen.disconnect();
    for (const text of ['第一条', '第二条']) {
      await t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${session.conversationId}/messages`, headers: bearer(token), payload: { text } });
    }
    const back = widgetSocket({ ...session, lastSeq });
    const backBox = inbox(back);
    await connected(back);
    await backBox.next((m) => m.text === '第二条', 'caught up');
    const seqs = backBox.messages.map((m) => m.seq);
    assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'in order, no duplicates');
    assert.ok(seqs.every((s) => s > lastSeq), 'only what was missed');
    assert.deepEqual(backBox.messages.map((m) => m.text), ['第一条', '第二条']);
  });
});
