import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MEDIA_ONLY_REPLY } from '../../conversations/receive-customer-message';
import { bearer, startTestApp, type TestApp } from '../../testing/test-app';
import { DEFAULT_WELCOME, UNMAPPED_MENU_REPLY, UNSUPPORTED_REPLY } from './receive-callback';
import { aesKeyOf, decryptMessage } from './wechat-crypto';
import { APP_ID, APP_SECRET, TOKEN, AES_KEY, ACCOUNT_ID_ON_WECHAT, PUBLIC_URL, fakeWechatApi, sha1, field, now, nextMsgId, push, text, replyText, until } from './wechat-test-support';

/** An agent user, signed in, with helpers for the agent API. */
async function agent(t: TestApp) {
  const token = await t.tokenFor(['agent']);
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({ method, url, headers: bearer(token), payload: payload as any });
  return {
    online: () => call('PUT', '/api/v1/agent/status', { status: 'online', maxChats: 5 }),
    mine: async () => (await call('GET', '/api/v1/agent/conversations')).json().items as { id: string }[],
    accept: (id: string) => call('POST', `/api/v1/agent/conversations/${id}/accept`),
    reply: (id: string, text: string) => call('POST', `/api/v1/agent/conversations/${id}/messages`, { text }),
  };
}

describe('the WeChat official account channel', () => {
  let t: TestApp;
  let admin: string;
  let accountId: string;
  const api = fakeWechatApi();
  let apiBaseUrl: string;
  /** the agent on duty, from the hand-off test on */
  let a: Awaited<ReturnType<typeof agent>>;

  /** A follower's stored conversation and messages, straight from the database. */
  async function storedOf(openid: string): Promise<{ conversation: any; messages: any[] }> {
    const identity = await t.ctx.db.selectFrom('contact_identities').select('contact_id').where('kind', '=', 'wechat').where('namespace', '=', accountId).where('external_id', '=', openid).executeTakeFirst();
    if (!identity) return { conversation: undefined, messages: [] };
    const conversation = await t.ctx.db.selectFrom('conversations').selectAll().where('contact_id', '=', identity.contact_id).orderBy('created_at', 'desc').executeTakeFirst();
    const messages = conversation ? await t.ctx.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversation.id).orderBy('seq').execute() : [];
    return { conversation, messages: messages.map((m: any) => ({ ...m, payload: JSON.parse(m.payload ?? '{}') })) };
  }
  const countWechatRows = async () => ({
    identities: Number((await t.ctx.db.selectFrom('contact_identities').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', 'wechat').executeTakeFirst())?.n),
    messages: Number((await t.ctx.db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id').select((eb) => eb.fn.countAll().as('n')).where('conversations.channel', '=', 'wechat').executeTakeFirst())?.n),
  });

  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL } });
    admin = await t.adminToken();
    apiBaseUrl = await api.listen();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels/wechat/accounts',
      headers: bearer(admin),
      payload: { name: '12333 公众号', appId: APP_ID, appSecret: APP_SECRET, token: TOKEN, encodingAESKey: AES_KEY, apiBaseUrl },
    });
    assert.equal(created.statusCode, 201, created.body);
    accountId = created.json().id;
    // the robot builds its index on the first question (seconds on a busy machine): not inside WeChat's 5-second window
    await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '失业金怎么领' } });
  });
  after(async () => {
    await t?.close();
    await api.close();
  });

  it('admins configure accounts; secrets never leave the server and are stored sealed', async () => {
    const shown = await t.app.inject({ url: `/api/v1/channels/wechat/accounts/${accountId}`, headers: bearer(admin) });
    assert.equal(shown.statusCode, 200, shown.body);
    const account = shown.json();
    assert.equal(account.callbackUrl, `${PUBLIC_URL}/api/v1/channels/wechat/${accountId}`);
    assert.equal(account.hasEncodingAESKey, true);
    assert.equal(account.apiBaseUrl, apiBaseUrl);
    assert.equal(account.appId, APP_ID);

    const renamed = await t.app.inject({ method: 'PATCH', url: `/api/v1/channels/wechat/accounts/${accountId}`, headers: bearer(admin), payload: { name: '12333 人社服务号' } });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, '12333 人社服务号');
    assert.equal(renamed.json().hasEncodingAESKey, true, 'a secret left out of an update is kept');
    const listed = await t.app.inject({ url: '/api/v1/channels/wechat/accounts', headers: bearer(admin) });
    for (const body of [shown.body, renamed.body, listed.body]) {
      for (const secret of [APP_SECRET, TOKEN, AES_KEY]) assert.ok(!body.includes(secret), 'no secret in any answer');
    }
    const row = await t.ctx.db.selectFrom('wechat_accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const secret of [APP_SECRET, TOKEN, AES_KEY]) assert.ok(!stored.includes(secret), 'no secret stored in plain text');
    assert.equal(t.ctx.secrets.open(row.app_secret_sealed), APP_SECRET, 'sealed, and opened with the server’s key');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('subject_id', '=', accountId).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['wechat.account.created', 'wechat.account.updated']);
    assert.ok(!JSON.stringify(audit).includes(APP_SECRET));

    const bad = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/v1/channels/wechat/accounts', headers: bearer(admin), payload: { name: 'x', appId: APP_ID, appSecret: 's', token: TOKEN, ...payload } });
    const shortKey = await bad({ encodingAESKey: AES_KEY.slice(1) });
    assert.equal(shortKey.statusCode, 400);
    assert.equal(shortKey.json().error.code, 'invalid_encoding_aes_key');
    assert.equal((await bad({ encodingAESKey: `${AES_KEY.slice(1)}-` })).json().error.code, 'invalid_encoding_aes_key');
    assert.equal((await bad({ apiBaseUrl: 'ftp://api.weixin.qq.com' })).json().error.code, 'invalid_api_base_url');
    assert.equal((await bad({ token: 'a b' })).json().error.code, 'invalid_token');
    const defaulted = await bad({});
    assert.equal(defaulted.statusCode, 201, defaulted.body);
    const other = (await t.app.inject({ url: `/api/v1/channels/wechat/accounts/${defaulted.json().id}`, headers: bearer(admin) })).json();
    assert.equal(other.apiBaseUrl, 'https://api.weixin.qq.com');
    assert.equal(other.hasEncodingAESKey, false);
    const deleted = await t.app.inject({ method: 'DELETE', url: `/api/v1/channels/wechat/accounts/${defaulted.json().id}`, headers: bearer(admin) });
    assert.equal(deleted.statusCode, 204);
    assert.equal((await t.app.inject({ url: `/api/v1/channels/wechat/accounts/${defaulted.json().id}`, headers: bearer(admin) })).statusCode, 404);

    const supervisor = await t.tokenFor(['supervisor']);
    assert.equal((await t.app.inject({ url: '/api/v1/channels/wechat/accounts', headers: bearer(supervisor) })).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/channels/wechat/accounts' })).statusCode, 401);
  });

  it('verifies the server address: echoes echostr only to a request signed with the Token', async () => {
    const timestamp = String(now());
    const verify = (signature: string, ts = timestamp) =>
      t.app.inject({ url: `/api/v1/channels/wechat/${accountId}?${new URLSearchParams({ signature, timestamp: ts, nonce: '4242', echostr: '5837419281735' })}` });
    const good = await verify(sha1(TOKEN, timestamp, '4242'));
    assert.equal(good.statusCode, 200);
    assert.equal(good.body, '5837419281735');
    assert.match(String(good.headers['content-type']), /^text\/plain/);
    const forged = await verify(sha1('otherToken', timestamp, '4242'));
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.body, '');
    const old = String(now() - 3600);
    assert.equal((await verify(sha1(TOKEN, old, '4242'), old)).statusCode, 403);
  });

  it('refuses a bad signature, a replayed nonce and a stale timestamp, storing nothing', async () => {
    const before = await countWechatRows();
    const forged = await push(t, accountId, text('o_forger', '你好'), { token: 'notTheToken' });
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.body, '');
    const forgedSafe = await push(t, accountId, text('o_forger', '你好'), { safe: true, token: 'notTheToken' });
    assert.equal(forgedSafe.statusCode, 401);
    const otherApp = await push(t, accountId, text('o_forger', '你好'), { safe: true, appId: 'wx0000000000000000' });
    assert.equal(otherApp.statusCode, 403, 'a ciphertext made for another AppID');
    const stale = await push(t, accountId, text('o_forger', '你好'), { timestamp: String(now() - 6 * 60) });
    assert.equal(stale.statusCode, 403);
    assert.deepEqual(await countWechatRows(), before, 'no contact, no message');
    assert.equal((await storedOf('o_forger')).conversation, undefined);

    const first = await push(t, accountId, text('o_replay', '失业金怎么领'), { nonce: '1234567890' });
    assert.equal(first.statusCode, 200, first.body);
    // on a slow machine the robot's answer may come after the passive-reply window: count once it is stored
    await until(async () => (await storedOf('o_replay')).messages.some((m) => m.sender === 'robot'), 'the robot answered the first message');
    const afterFirst = await countWechatRows();
    const replayed = await push(t, accountId, text('o_replay', '我还想问别的'), { nonce: '1234567890' });
    assert.equal(replayed.statusCode, 403);
    assert.deepEqual(await countWechatRows(), afterFirst, 'the replay stored nothing');

    // nonces are kept only while their timestamps could be accepted
    await t.ctx.db.insertInto('wechat_nonces').values({ account_id: accountId, nonce: 'ancient', seen_at: new Date(Date.now() - 3_600_000).toISOString() }).execute();
    await t.ctx.jobs.runNow('channels.wechat.prune-nonces');
    const left = await t.ctx.db.selectFrom('wechat_nonces').select('nonce').where('account_id', '=', accountId).execute();
    assert.ok(!left.some((n) => n.nonce === 'ancient'));
    assert.ok(left.some((n) => n.nonce === '1234567890'), 'a recent nonce is kept');
  });

  it('answers a text message with the robot’s passive reply in plain mode, and a bare number picks a suggested question', async () => {
    const asked = (await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '养老保险交满多少年才能领养老金' } })).json();
    assert.equal(asked.type, 'clarify');
    const res = await push(t, accountId, text('o_plain', '养老保险交满多少年才能领养老金'));
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /xml/);
    assert.equal(field(res.body, 'ToUserName'), 'o_plain');
    assert.equal(field(res.body, 'FromUserName'), ACCOUNT_ID_ON_WECHAT);
    const content = replyText(res.body);
    assert.ok(content.includes(`1. ${asked.candidates[0].question}`), content);
    assert.ok([...content].length <= 600);
    assert.ok(!content.includes('**'), 'plain text, no Markdown');

    const picked = replyText((await push(t, accountId, text('o_plain', '1'))).body);
    const { messages } = await storedOf('o_plain');
    const answer = messages.at(-1)!;
    assert.equal(answer.sender, 'robot');
    assert.equal(answer.entry_id, asked.candidates[0].entryId, 'the first suggested question is answered');
    assert.ok(picked.length > 20, picked);
  });

  it('answers in safe mode with an encrypted reply carrying a valid msg_signature', async () => {
    const res = await push(t, accountId, text('o_safe', '养老保险单位交多少个人交多少'), { safe: true });
    assert.equal(res.statusCode, 200, res.body);
    assert.ok(!res.body.includes('<Content>'), 'nothing in clear');
    const encrypt = field(res.body, 'Encrypt')!;
    const timestamp = field(res.body, 'TimeStamp')!;
    const nonce = field(res.body, 'Nonce')!;
    assert.equal(field(res.body, 'MsgSignature'), sha1(TOKEN, timestamp, nonce, encrypt));
    assert.ok(Math.abs(Number(timestamp) - now()) < 60);
    const opened = decryptMessage(encrypt, aesKeyOf(AES_KEY));
    assert.equal(opened.appId, APP_ID);
    assert.equal(field(opened.xml, 'ToUserName'), 'o_safe');
    const content = replyText(opened.xml);
    const { messages } = await storedOf('o_safe');
    assert.equal(messages.at(-1)!.entry_id, 'yl-001');
    assert.ok(content.length > 20);
  });

  it('a message WeChat delivers again (same MsgId) is stored once and answered the same', async () => {
    const msgId = nextMsgId();
    const first = await push(t, accountId, text('o_retry', '失业保险金怎么申领', msgId));
    const again = await push(t, accountId, text('o_retry', '失业保险金怎么申领', msgId), { safe: true });
    assert.equal(again.statusCode, 200);
    assert.equal(replyText(decryptMessage(field(again.body, 'Encrypt')!, aesKeyOf(AES_KEY)).xml), replyText(first.body));
    const { messages } = await storedOf('o_retry');
    assert.equal(messages.filter((m) => m.sender === 'customer').length, 1);
    assert.equal(messages.filter((m) => m.sender !== 'customer').length, 1, 'and answered once');
  });

  it('a calculator the robot offers is taken on WeChat by its number or by 算一算', async () => {
    for (const [openid, take] of [['o_calc_digit', 'digit'], ['o_calc_word', '算一算']] as const) {
      const offered = replyText((await push(t, accountId, text(openid, '我是自己不干了的，失业金有我的份吗'))).body);
      // after an answer the offer is a reply to send; after choices it is the choice after them
      const choice = /(\d+)\. 帮我算一算：失业保险金/.exec(offered)?.[1];
      assert.ok(choice || /回复“算一算”帮您测算“失业保险金”/.test(offered), offered);
      const reply = take === 'digit' ? (choice ?? '1') : take;
      const started = replyText((await push(t, accountId, text(openid, reply))).body);
      const last = (await storedOf(openid)).messages.at(-1)!;
      assert.equal(last.payload.interview?.rulesetId, 'unemployment-benefit', `${take}: ${started}`);
      assert.match(started, /离职原因 本人主动辞职/, 'what the citizen said is filled in');
    }
  });

  it('welcomes new followers, answers mapped menu clicks, and says what it cannot read', async () => {
    const welcome = replyText((await push(t, accountId, { FromUserName: 'o_new', MsgType: 'event', Event: 'subscribe' })).body);
    assert.ok(welcome.startsWith(DEFAULT_WELCOME), welcome);
    assert.ok(welcome.includes(`${PUBLIC_URL}/calculators`), 'with the self-service links');
    const set = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/channels/wechat/accounts/${accountId}/welcome`,
      headers: bearer(admin),
      payload: { text: '欢迎关注本市人社服务号！', links: [{ title: '社保查询', url: 'https://si.example.gov.cn/query' }] },
    });
    assert.equal(set.statusCode, 200, set.body);
    const custom = replyText((await push(t, accountId, { FromUserName: 'o_new2', MsgType: 'event', Event: 'subscribe' })).body);
    assert.equal(custom, '欢迎关注本市人社服务号！\n\n社保查询：https://si.example.gov.cn/query');
    const unsubscribed = await push(t, accountId, { FromUserName: 'o_new2', MsgType: 'event', Event: 'unsubscribe' });
    assert.equal(unsubscribed.body, 'success');

    const menu = (items: unknown[]) => t.app.inject({ method: 'PUT', url: `/api/v1/channels/wechat/accounts/${accountId}/menu`, headers: bearer(admin), payload: { items } });
    const unknownEntry = await menu([{ key: 'X', entryId: 'no-such-entry' }]);
    assert.equal(unknownEntry.statusCode, 400);
    assert.equal(unknownEntry.json().error.code, 'unknown_entry');
    assert.equal((await menu([{ key: 'Y', rulesetId: 'no-such-calculator' }])).json().error.code, 'unknown_calculator');
    const rulesets = (await t.app.inject({ url: '/api/v1/policy/rulesets' })).json();
    const calculator = (rulesets.items ?? rulesets)[0].id as string;
    const saved = await menu([{ key: 'PENSION_RATES', entryId: 'yl-001' }, { key: 'CALC', rulesetId: calculator }]);
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().menu.length, 2);

    const clicked = await push(t, accountId, { FromUserName: 'o_menu', MsgType: 'event', Event: 'CLICK', EventKey: 'PENSION_RATES' });
    const content = replyText(clicked.body);
    const { messages } = await storedOf('o_menu');
    assert.equal(messages.at(-1)!.sender, 'robot');
    assert.equal(messages.at(-1)!.entry_id, 'yl-001', 'the mapped entry is answered');
    assert.ok(content.length > 20);
    const calc = replyText((await push(t, accountId, { FromUserName: 'o_menu', MsgType: 'event', Event: 'CLICK', EventKey: 'CALC' })).body);
    assert.ok((await storedOf('o_menu')).messages.at(-1)!.payload.interview, `a calculator interview starts: ${calc}`);
    assert.equal(replyText((await push(t, accountId, { FromUserName: 'o_menu', MsgType: 'event', Event: 'CLICK', EventKey: 'NOT_MAPPED' })).body), UNMAPPED_MENU_REPLY);
    assert.equal((await push(t, accountId, { FromUserName: 'o_menu', MsgType: 'event', Event: 'VIEW', EventKey: 'https://example.cn' })).body, 'success');

    const picture = await push(t, accountId, { FromUserName: 'o_media', MsgType: 'image', PicUrl: 'http://mmbiz.qpic.cn/abc.jpg', MediaId: 'media-123', MsgId: nextMsgId() });
    assert.equal(replyText(picture.body), MEDIA_ONLY_REPLY);
    const voice = await push(t, accountId, { FromUserName: 'o_media', MsgType: 'voice', MediaId: 'media-456', Format: 'amr', Recognition: '养老保险单位交多少个人交多少', MsgId: nextMsgId() });
    assert.ok(replyText(voice.body).length > 20);
    const location = await push(t, accountId, { FromUserName: 'o_media', MsgType: 'location', Location_X: 23.13, Location_Y: 113.26, Scale: 20, Label: '广州', MsgId: nextMsgId() });
    assert.equal(replyText(location.body), UNSUPPORTED_REPLY);
    const { messages: media } = await storedOf('o_media');
    const customer = media.filter((m) => m.sender === 'customer');
    assert.deepEqual(customer[0].payload.attachment, { kind: 'image', url: 'http://mmbiz.qpic.cn/abc.jpg', mediaId: 'media-123' });
    assert.equal(customer[1].text, '养老保险单位交多少个人交多少', 'speech recognition is the text of a voice message');
    assert.deepEqual(customer[1].payload.attachment, { kind: 'voice', mediaId: 'media-456', recognition: '养老保险单位交多少个人交多少' });
    assert.equal(media.at(-1)!.entry_id, 'yl-001');
    assert.equal(customer.length, 2, 'a location is answered, not stored');
  });

  it('转人工 queues the conversation; the agent’s replies go out as customer-service messages with a reused, refreshed access token', async () => {
    const handoff = replyText((await push(t, accountId, text('o_human', '转人工'))).body);
    assert.match(handoff, /人工/);
    const { conversation } = await storedOf('o_human');
    assert.equal(conversation.status, 'queued');

    a = await agent(t);
    await a.online();
    await until(async () => (await storedOf('o_human')).conversation.status !== 'queued' || (await a.accept(conversation.id)).statusCode === 200, 'accepted');
    assert.equal((await storedOf('o_human')).conversation.status, 'assigned');
    const quiet = await push(t, accountId, text('o_human', '我的养老金这个月没到账'));
    assert.equal(quiet.body, 'success', 'no robot reply while an agent serves');

    assert.equal((await a.reply(conversation.id, '您好，已为您查询，本月养老金将于15日发放。')).statusCode, 201);
    await until(() => api.sent.some((s) => s.body.text.content.includes('15日')), 'the agent’s reply reached WeChat');
    const toCitizen = api.sent.filter((s) => s.body.touser === 'o_human');
    assert.ok(toCitizen.some((s) => /为您服务/.test(s.body.text.content)), 'the agent’s greeting too');
    for (const s of toCitizen) {
      assert.equal(s.body.msgtype, 'text');
      assert.ok(api.isValid(s.token));
    }
    assert.ok(!toCitizen.some((s) => s.body.text.content.includes('养老保险')), 'robot replies went inline, not twice');
    assert.equal(api.tokenFetches(), 1, 'one token for every message');
    await a.reply(conversation.id, '还有其他问题吗？');
    await until(() => api.sent.some((s) => s.body.text.content === '还有其他问题吗？'), 'second reply');
    assert.equal(api.tokenFetches(), 1, 'the stored token is reused');
    const row = await t.ctx.db.selectFrom('wechat_accounts').select('access_token_sealed').where('id', '=', accountId).executeTakeFirstOrThrow();
    assert.ok(!row.access_token_sealed.includes(api.sent[0].token), 'the access token is stored sealed');

    api.expireTokens();
    await a.reply(conversation.id, '如需帮助请随时留言。');
    await until(() => api.sent.some((s) => s.body.text.content === '如需帮助请随时留言。'), 'the reply after the token went stale');
    assert.equal(api.refused.length, 1, 'refused once with 40001');
    assert.equal(api.tokenFetches(), 2, 'then a new token was fetched and the send tried again');
  });

  it('a reply after the 48-hour window waits and goes out when the citizen writes again', async () => {
    await push(t, accountId, text('o_late', '转人工'));
    const { conversation } = await storedOf('o_late');
    await until(async () => (await storedOf('o_late')).conversation.status === 'assigned' || (await a.accept(conversation.id)).statusCode === 200, 'accepted');
    await until(() => api.sent.some((s) => s.body.touser === 'o_late'), 'the greeting went out inside the window');
    const sentBefore = api.sent.length;

    const longAgo = new Date(Date.now() - 49 * 3_600_000).toISOString();
    await t.ctx.db.updateTable('messages').set({ created_at: longAgo }).where('conversation_id', '=', conversation.id).where('sender', '=', 'customer').execute();
    assert.ok((await a.mine()).some((c) => c.id === conversation.id), 'the agent serves it');
    assert.equal((await a.reply(conversation.id, '您好，您的问题已处理，请查收短信。')).statusCode, 201);
    await until(async () => {
      const rows = await t.ctx.db.selectFrom('channel_deliveries').select('status').where('conversation_id', '=', conversation.id).execute();
      return rows.some((r) => r.status === 'deferred');
    }, 'the delivery is kept for later');
    assert.equal(api.sent.length, sentBefore, 'nothing sent outside the window');

    const back = await push(t, accountId, text('o_late', '好的，谢谢'));
    assert.equal(back.body, 'success');
    await until(() => api.sent.some((s) => s.body.touser === 'o_late' && s.body.text.content.includes('请查收短信')), 'sent once the citizen wrote again');
  });
});
