import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../../testing/test-app';
import { heard, telephonyBridge, until } from './test-bridge';

describe('the phone line: a call through the IVR', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  it('menu, a sub-menu, a spoken question answered by the robot, 0 for an agent, hold with the queue place, then bridged to the agent who accepted; the agent sees the caller’s earlier chat', async () => {
    // earlier, the same person chatted through a partner app and an agent recorded their number
    const admin = await t.adminToken();
    const partnerKey = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: 'app', scopes: ['channel'] } })).json().key;
    const chat = (await t.app.inject({ method: 'POST', url: '/api/v1/open/conversations', headers: bearer(partnerKey), payload: { customer: { externalId: 'app-user-7' } } })).json().conversationId;
    await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${chat}/messages`, headers: bearer(partnerKey), payload: { clientMessageId: 'm1', text: '转人工' } });
    const agentToken = await t.tokenFor(['agent'], 'wangfang');
    const asAgent = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({ method, url, headers: bearer(agentToken), payload: payload as any });
    assert.equal((await asAgent('POST', `/api/v1/agent/conversations/${chat}/accept`)).statusCode, 200);
    assert.equal((await asAgent('PUT', `/api/v1/agent/conversations/${chat}/contact-phone`, { phone: '13800138000' })).statusCode, 200);
    assert.equal((await asAgent('POST', `/api/v1/agent/conversations/${chat}/close`, { category: 'yl', summary: '咨询养老保险' })).statusCode, 200);

    const supervisor = await t.tokenFor(['supervisor']);
    const agentId = (await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(agentToken) })).json().id;
    assert.equal((await t.app.inject({ method: 'PUT', url: `/api/v1/channels/phone/extensions/${agentId}`, headers: bearer(supervisor), payload: { extension: '8001' } })).statusCode, 200);

    const bridge = await telephonyBridge(t);
    const call = bridge.call();
    const greeting = await call.start('+86 138 0013 8000', { asr: true });
    assert.match(heard(greeting), /欢迎致电12333/);
    assert.match(heard(greeting), /养老保险请按1/);
    assert.deepEqual(greeting.at(-1), { collect: { digits: 1, speech: true, timeoutMs: 8000 } });

    const pension = await call.press('1');
    assert.match(heard(pension), /缴费比例请按1/, 'the pension sub-menu is read out');

    const back = await call.press('*');
    assert.match(heard(back), /失业保险请按2/, 'back to the main menu');
    const robot = await call.press('9');
    assert.match(heard(robot), /说出您的问题/);

    const answer = await call.say('养老保险单位交多少个人交多少');
    assert.match(heard(answer), /16%|8%/, `the robot’s answer from the demo knowledge base is said: ${heard(answer)}`);
    assert.doesNotMatch(heard(answer), /https?:|\*\*/, 'plain speech: no links, no Markdown');
    assert.match(heard(answer), /按0或说“转人工”/);

    const queued = await call.press('0');
    const place = queued.find((a) => a.queue)?.queue;
    assert.ok(place, `queued: ${JSON.stringify(queued)}`);
    assert.equal(place.position, 1);
    assert.ok(place.estimatedWaitSeconds > 0);
    assert.match(heard(queued), /正在为您转接人工服务，您前面还有0位/);

    const held = await call.poll();
    assert.equal(held.find((a) => a.queue)?.queue?.position, 1, 'the hold answer keeps the place');
    assert.ok(!held.some((a) => a.bridge));

    // the agent comes on duty: the waiting call is theirs (assigned automatically, or accepted)
    assert.equal((await asAgent('PUT', '/api/v1/agent/status', { status: 'online', maxChats: 3 })).statusCode, 200);
    await new Promise((r) => setTimeout(r, 100));
    const mine = (await asAgent('GET', '/api/v1/agent/conversations')).json().items as { id: string }[];
    if (!mine.some((c) => c.id === place.conversationId)) assert.equal((await asAgent('POST', `/api/v1/agent/conversations/${place.conversationId}/accept`)).statusCode, 200);

    const connected = await until(async () => {
      const actions = await call.poll();
      return actions.find((a) => a.bridge) ? actions : undefined;
    }, 'bridged');
    assert.deepEqual(connected.find((a) => a.bridge)!.bridge, { agentId, agentName: 'wangfang', extension: '8001' });

    // the agent's view: the IVR path, the spoken question and the robot's answer, and the caller's earlier chat
    const detail = (await asAgent('GET', `/api/v1/agent/conversations/${place.conversationId}`)).json();
    assert.equal(detail.conversation.channel, 'phone');
    const said = detail.messages.filter((m: any) => m.sender === 'customer').map((m: any) => m.text);
    assert.ok(said.includes('按键 1：养老保险'), JSON.stringify(said));
    assert.ok(said.includes('按键 9：智能语音问答'));
    assert.ok(said.includes('养老保险单位交多少个人交多少'));
    assert.ok(said.includes('按键 0：人工服务'));
    const history = (await asAgent('GET', `/api/v1/agent/conversations/${place.conversationId}/history`)).json();
    const ids = history.conversations.map((c: any) => c.conversation.id);
    assert.ok(ids.includes(place.conversationId) && ids.includes(chat), 'the phone call and the earlier chat are one person’s history');
    assert.ok(history.contact.channels.includes('phone'));

    // hanging up with an agent on the line leaves the conversation to the agent
    assert.deepEqual(await call.hangup(), []);
    const after = (await asAgent('GET', `/api/v1/agent/conversations/${place.conversationId}`)).json();
    assert.equal(after.conversation.status, 'assigned');
  });

  it('an event sent again with the same number answers the same and stores nothing twice', async () => {
    const bridge = await telephonyBridge(t);
    const call = bridge.call();
    await call.start('13900139000');
    const first = await call.press('2');
    const again = await call.resend(2, { event: 'dtmf', digits: '2' });
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json().actions, first);
    const next = await call.press('1'); // seq 3: 失业金领取条件 is read
    assert.match(heard(next), /失业/);
    const supervisor = await t.tokenFor(['supervisor']);
    const open = (await t.app.inject({ url: '/api/v1/supervisor/conversations', headers: bearer(supervisor) })).json().items as { id: string; channel: string; status: string }[];
    const selfService = open.find((c) => c.channel === 'phone' && c.status === 'bot')!;
    const detail = (await t.app.inject({ url: `/api/v1/agent/conversations/${selfService.id}`, headers: bearer(supervisor) })).json();
    const said = detail.messages.filter((m: any) => m.sender === 'customer').map((m: any) => m.text);
    assert.equal(said.filter((x: string) => x === '按键 2：失业保险').length, 1, JSON.stringify(said));
    await call.hangup();
    const closed = (await t.app.inject({ url: `/api/v1/agent/conversations/${detail.conversation.id}`, headers: bearer(supervisor) })).json();
    assert.equal(closed.conversation.status, 'resolved', 'hanging up in self-service ends the conversation');
  });

  it('refuses callers without a key (401) or without the telephony scope (403), and malformed events (400)', async () => {
    const url = '/api/v1/channels/phone/calls/c-1/events';
    assert.equal((await t.app.inject({ method: 'POST', url, payload: { event: 'start', from: '13800000000' } })).statusCode, 401);
    const other = await telephonyBridge(t, ['channel']);
    const forbidden = await t.app.inject({ method: 'POST', url, headers: bearer(other.key), payload: { event: 'start' } });
    assert.equal(forbidden.statusCode, 403);
    const bridge = await telephonyBridge(t);
    const bad = await t.app.inject({ method: 'POST', url, headers: bearer(bridge.key), payload: { event: 'ring' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'invalid_request');
    const badDigits = await t.app.inject({ method: 'POST', url, headers: bearer(bridge.key), payload: { event: 'dtmf', digits: 'abc' } });
    assert.equal(badDigits.statusCode, 400);
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/channels/phone/calls/never-started/events', headers: bearer(bridge.key), payload: { event: 'dtmf', digits: '1' } });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'call_not_found');
  });

  it('without a speech provider the line is touch-tone only: no listening, recordings ignored with a key prompt, the robot option explains', async () => {
    const bridge = await telephonyBridge(t);
    const call = bridge.call();
    const greeting = await call.start('13700137000');
    assert.equal(greeting.at(-1)?.collect?.speech, false);
    const recording = await call.post({ event: 'speech', recordingUrl: 'http://127.0.0.1:9/recording.wav' });
    assert.match(heard(recording), /无法识别语音，请使用电话按键/);
    assert.match(heard(recording), /养老保险请按1/, 'the menu again');
    const robot = await call.press('9');
    assert.match(heard(robot), /不支持语音提问/);
    assert.ok(robot.every((a) => !a.collect?.speech));
    const wrong = await call.press('7');
    assert.match(heard(wrong), /输入有误/);
    await call.post({ event: 'timeout' });
    const third = await call.post({ event: 'timeout' });
    assert.ok(third.some((a) => a.hangup), 'three misses in a row: goodbye');
  });

  it('outside service hours the caller hears so and is offered a callback or self-service, never a queue', async () => {
    const supervisor = await t.tokenFor(['supervisor']);
    const closedAllWeek = { weekly: { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] }, holidays: [], makeUpWorkdays: [], makeUpHours: [] };
    const set = await t.app.inject({ method: 'PUT', url: '/api/v1/conversations/settings/service-hours', headers: bearer(supervisor), payload: closedAllWeek });
    assert.equal(set.statusCode, 200, set.body);
    try {
      const bridge = await telephonyBridge(t);
      const call = bridge.call();
      const greeting = await call.start('13600136000');
      assert.match(heard(greeting), /非人工服务时间/);
      assert.match(heard(greeting), /预约回拨请按1，自助语音服务请按2/);
      const menu = await call.press('2');
      assert.match(heard(menu), /养老保险请按1/);
      const zero = await call.press('0');
      assert.ok(!zero.some((a) => a.queue), 'no queue outside hours');
      assert.match(heard(zero), /非人工服务时间/);
      const windows = await call.press('1');
      assert.match(heard(windows), /两小时内回拨请按1/);
      const booked = await call.press('2');
      assert.match(heard(booked), /已为您预约回拨.*明天上午.*尾号6000/);
      assert.ok(booked.some((a) => a.hangup));
    } finally {
      const open = { 1: [['00:00', '24:00']], 2: [['00:00', '24:00']], 3: [['00:00', '24:00']], 4: [['00:00', '24:00']], 5: [['00:00', '24:00']], 6: [['00:00', '24:00']], 7: [['00:00', '24:00']] };
      await t.app.inject({ method: 'PUT', url: '/api/v1/conversations/settings/service-hours', headers: bearer(supervisor), payload: { ...closedAllWeek, weekly: open } });
    }
  });
});
