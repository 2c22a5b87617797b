import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWechatAccount, fakeWechatApi, push, PUBLIC_URL, replyText, text } from '../channels/wechat/wechat-test-support';
import { buildPerson } from '../citizen-records/build-person';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

describe('a WeChat follower is recognised once bound after an SMS sign-in', () => {
  let t: TestApp;
  let accountId: string;
  const api = fakeWechatApi();
  const dora = buildPerson({ sequence: 909, from: '2016-01', to: '2024-12' });
  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL } });
    accountId = await createWechatAccount(t, await api.listen());
    const admin = await t.adminToken();
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/records/import', headers: bearer(admin), payload: { persons: [dora] } })).statusCode, 200);
    // the robot builds its index on the first question: not inside WeChat's 5-second window
    await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '失业金怎么领' } });
  });
  after(async () => {
    await t?.close();
    await api.close();
  });

  it('the robot sends a one-time link; after signing in with it, the same follower gets their own record, and a used link is refused', async () => {
    const first = replyText((await push(t, accountId, text('o_dora', '我交了几年社保'))).body);
    const ticket = new RegExp(`${PUBLIC_URL}/me/bind\\?ticket=([\\w-]+)`).exec(first)?.[1];
    assert.ok(ticket, first);
    assert.doesNotMatch(first, /累计实际缴费/, 'nothing personal before the binding');

    await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: dora.phone } });
    const outbox = await t.app.inject({ url: `/api/v1/sms-outbox?phone=${dora.phone}`, headers: bearer(await t.adminToken()) });
    const code = /验证码是(\d{6})/.exec(outbox.json().items[0].text)![1];
    const token = (await t.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { idNumber: dora.idNumber, name: dora.name, phone: dora.phone, code } })).json().token;
    const bound = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/bindings', headers: bearer(token), payload: { ticket } });
    assert.equal(bound.statusCode, 201, bound.body);
    assert.equal(bound.json().channel, 'wechat');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/citizen/bindings', headers: bearer(token), payload: { ticket } })).json().error.code, 'invalid_ticket');

    const second = replyText((await push(t, accountId, text('o_dora', '我社保交了多少年了'))).body);
    const months = dora.contributions!.filter((c) => c.insurance === 'pension').length;
    assert.ok(second.includes(`共 ${months} 个月`), second);
    // another follower of the same account is nobody's
    assert.match(replyText((await push(t, accountId, text('o_other', '我交了几年社保'))).body), /me\/bind\?ticket=/);

    // unbinding (from the portal) ends it
    const [binding] = (await t.app.inject({ url: '/api/v1/citizen/bindings', headers: bearer(token) })).json().items;
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/citizen/bindings/${binding.id}`, headers: bearer(token) })).statusCode, 204);
    assert.match(replyText((await push(t, accountId, text('o_dora', '我交了几年社保'))).body), /me\/bind\?ticket=/);
  });
});
