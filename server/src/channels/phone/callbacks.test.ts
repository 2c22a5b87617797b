import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../../testing/test-app';
import { heard, telephonyBridge } from './test-bridge';

describe('callback requests (预约回拨)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    // no agent on duty: every wait estimate (one handling time, 4 min) is above a 60 s threshold
    const supervisor = await t.tokenFor(['supervisor']);
    const set = await t.app.inject({ method: 'PUT', url: '/api/v1/channels/phone/settings', headers: bearer(supervisor), payload: { callbackThresholdSeconds: 60 } });
    assert.equal(set.statusCode, 200, set.body);
  });
  after(async () => t?.close());

  it('a long wait offers a callback; the ticket shows the number masked, one agent claims it, only they see the full number (audited), and they record the outcome', async () => {
    const supervisor = await t.tokenFor(['supervisor']);
    const bridge = await telephonyBridge(t);
    const call = bridge.call();
    await call.start('+86 135 0013 5000');
    const queued = await call.press('0');
    const place = queued.find((a) => a.queue)?.queue;
    assert.ok(place && place.estimatedWaitSeconds > 60, 'no agent on duty: the estimate is above the threshold');
    assert.match(heard(queued), /预约回拨请按1，继续等待请按2/);
    const windows = await call.press('1');
    assert.match(heard(windows), /两小时内回拨请按1/);
    const booked = await call.press('1');
    assert.match(heard(booked), /两小时内.*尾号5000/);
    assert.ok(booked.some((a) => a.hangup));

    const staff = await t.tokenFor(['supervisor']);
    const conversation = (await t.app.inject({ url: `/api/v1/agent/conversations/${place.conversationId}`, headers: bearer(staff) })).json();
    assert.equal(conversation.conversation.status, 'resolved', 'the caller left the queue: no agent picks up an empty line');

    const first = await t.tokenFor(['agent']);
    const second = await t.tokenFor(['agent']);
    const list = await t.app.inject({ url: '/api/v1/channels/phone/callbacks', headers: bearer(first) });
    assert.equal(list.statusCode, 200, list.body);
    const [ticket] = list.json().items;
    assert.equal(ticket.phone, '135****5000');
    assert.ok(!list.body.includes('13500135000'), 'the list never carries the full number');
    assert.equal(ticket.window, 'within_2h');
    assert.equal(ticket.status, 'open');
    assert.equal(ticket.conversationId, place.conversationId);
    assert.ok(ticket.contactId);
    const stored = await t.ctx.db.selectFrom('phone_callbacks').select('phone_sealed').executeTakeFirstOrThrow();
    assert.ok(!String(stored.phone_sealed).includes('13500135000'), 'stored sealed');

    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/channels/phone/callbacks/${ticket.id}/reveal`, headers: bearer(first) })).statusCode, 403, 'claim first');
    const claimed = await t.app.inject({ method: 'POST', url: `/api/v1/channels/phone/callbacks/${ticket.id}/claim`, headers: bearer(first) });
    assert.equal(claimed.statusCode, 200, claimed.body);
    assert.equal(claimed.json().isMine, true);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/channels/phone/callbacks/${ticket.id}/claim`, headers: bearer(second) })).statusCode, 409);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/channels/phone/callbacks/${ticket.id}/reveal`, headers: bearer(second) })).statusCode, 403);

    const revealed = await t.app.inject({ method: 'POST', url: `/api/v1/channels/phone/callbacks/${ticket.id}/reveal`, headers: bearer(first) });
    assert.equal(revealed.statusCode, 200, revealed.body);
    assert.equal(revealed.json().phone, '13500135000');
    const audit = (await t.app.inject({ url: '/api/v1/audit?action=phone.callback.revealed', headers: bearer(supervisor) })).json();
    assert.equal(audit.items.length, 1);
    assert.equal(audit.items[0].subjectId, ticket.id);
    assert.match(audit.items[0].actor, /agent/);
    assert.ok(!JSON.stringify(audit.items[0]).includes('13500135000'), 'the audit record names the masked number');

    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/channels/phone/callbacks/${ticket.id}/outcome`, headers: bearer(second), payload: { status: 'done' } })).statusCode, 403);
    const done = await t.app.inject({ method: 'POST', url: `/api/v1/channels/phone/callbacks/${ticket.id}/outcome`, headers: bearer(first), payload: { status: 'done', note: '已回电说明失业金办理流程' } });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().status, 'done');
    assert.equal((await t.app.inject({ url: '/api/v1/channels/phone/callbacks', headers: bearer(first) })).json().items.length, 0, 'no longer open');
    const closed = (await t.app.inject({ url: '/api/v1/channels/phone/callbacks?status=closed', headers: bearer(first) })).json().items;
    assert.equal(closed[0].note, '已回电说明失业金办理流程');

    // staff who do not serve citizens have no callback list
    const editor = await t.tokenFor(['editor']);
    assert.equal((await t.app.inject({ url: '/api/v1/channels/phone/callbacks', headers: bearer(editor) })).statusCode, 403);
  });

  it('a caller who withheld their number cannot book a callback and keeps their place in the queue', async () => {
    const bridge = await telephonyBridge(t);
    const call = bridge.call();
    await call.start();
    await call.press('0');
    await call.press('1');
    const refused = await call.press('2');
    assert.match(heard(refused), /无法获取您的来电号码/);
    assert.ok(refused.some((a) => a.queue), 'still waiting');
    assert.ok(!refused.some((a) => a.hangup));
  });
});
