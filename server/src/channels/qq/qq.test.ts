import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../../testing/test-app';
import { accessTokens } from './access-token';

/**
 * The bot's Ed25519 key as the QQ bot platform derives it, built here on its own (not with the
 * adapter's code): the secret repeated to 32 bytes is the seed, wrapped in PKCS#8 for Node.
 */
function platformKeys(secret: string): { privateKey: KeyObject; publicKey: KeyObject } {
  let seed = secret;
  while (Buffer.byteLength(seed) < 32) seed += secret;
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed).subarray(0, 32)]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

interface Recorded {
  path: string;
  authorization: string;
  body: { content: string; msg_type: number; msg_id?: string; msg_seq?: number };
}

/** The QQ bot platform's API on loopback: the token endpoint (counting fetches) and the message endpoints (recording what they get). */
function fakeQqApi(expect: { appId: string; secret: string }) {
  const sent: Recorded[] = [];
  const refusedTokens = new Set<string>();
  let tokenFetches = 0;
  let refuseActive = false;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const body = raw ? JSON.parse(raw) : {};
      if (req.url === '/app/getAppAccessToken') {
        if (body.appId !== expect.appId || body.clientSecret !== expect.secret) return reply(400, { code: 100016, message: 'invalid appid or secret' });
        tokenFetches++;
        return reply(200, { access_token: `token-${tokenFetches}`, expires_in: '7200' }); // the platform sends a string
      }
      if (req.method === 'POST' && /^\/v2\/(users|groups)\/[^/]+\/messages$/.test(req.url ?? '')) {
        const authorization = String(req.headers.authorization);
        if (refusedTokens.has(authorization.replace(/^QQBot /, ''))) return reply(401, { code: 11244, message: 'token not exist or expire' });
        if (refuseActive && !body.msg_id) return reply(400, { code: 40034028, message: 'active message not allowed' });
        sent.push({ path: req.url!, authorization, body });
        return reply(200, { id: `ROBOT1.0_sent_${sent.length}`, timestamp: Math.floor(Date.now() / 1000) });
      }
      reply(404, { code: 404, message: 'not found' });
    });
  });
  return {
    sent,
    get tokenFetches() {
      return tokenFetches;
    },
    refuseToken: (token: string) => refusedTokens.add(token),
    setRefuseActive: (v: boolean) => (refuseActive = v),
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const until = async <T>(check: () => T | undefined | false | Promise<T | undefined | false>, label: string): Promise<T> => {
  for (let i = 0; i < 150; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 40));
  }
  assert.fail(`never happened: ${label}`);
};
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

const APP_ID = '102030405';
const SECRET = 'Qq7bT3xPzK9mWn2L'; // 16 characters: the seed repeats it twice

describe('the QQ channel (QQ bot platform, webhook mode)', () => {
  let t: TestApp;
  let admin: string;
  let apiBase: string;
  const api = fakeQqApi({ appId: APP_ID, secret: SECRET });
  const keys = platformKeys(SECRET);
  let botId: string;
  let eventCounter = 0;

  /** Posts a callback the way the platform does: body signed with the bot's key over timestamp + body. */
  function callback(body: unknown, options: { botId?: string; keys?: { privateKey: KeyObject }; timestamp?: string; signature?: string | null; raw?: string } = {}) {
    const raw = options.raw ?? JSON.stringify(body);
    const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
    const signature = options.signature === undefined ? sign(null, Buffer.from(timestamp + raw), (options.keys ?? keys).privateKey).toString('hex') : options.signature;
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/channels/qq/${options.botId ?? botId}`,
      headers: { 'content-type': 'application/json', 'user-agent': 'QQBot-Callback', 'x-bot-appid': APP_ID, 'x-signature-method': 'Ed25519', 'x-signature-timestamp': timestamp, ...(signature ? { 'x-signature-ed25519': signature } : {}) },
      payload: raw,
    });
  }
  const c2c = (openid: string, content: string, id = `ROBOT1.0_c2c_${++eventCounter}`) => ({
    op: 0,
    id: `C2C_MESSAGE_CREATE:${id}`,
    t: 'C2C_MESSAGE_CREATE',
    s: eventCounter,
    d: { id, content, timestamp: new Date().toISOString(), author: { id: openid, user_openid: openid, union_openid: openid } },
  });
  const groupAt = (groupOpenid: string, memberOpenid: string, content: string, id = `ROBOT1.0_grp_${++eventCounter}`) => ({
    op: 0,
    id: `GROUP_AT_MESSAGE_CREATE:${id}`,
    t: 'GROUP_AT_MESSAGE_CREATE',
    s: eventCounter,
    d: { id, content, timestamp: new Date().toISOString(), group_openid: groupOpenid, group_id: groupOpenid, author: { id: memberOpenid, member_openid: memberOpenid } },
  });
  const conversationOf = (externalId: string) =>
    t.ctx.db
      .selectFrom('conversations as c')
      .innerJoin('contact_identities as i', 'i.contact_id', 'c.contact_id')
      .select(['c.id', 'c.status'])
      .where('i.kind', '=', 'qq')
      .where('i.namespace', '=', botId)
      .where('i.external_id', '=', externalId)
      .orderBy('c.created_at', 'desc')
      .executeTakeFirst();
  const messagesOf = (conversationId: string) => t.ctx.db.selectFrom('messages').select(['seq', 'sender', 'text', 'client_message_id', 'payload']).where('conversation_id', '=', conversationId).orderBy('seq').execute();
  const sentTo = (path: string) => api.sent.filter((r) => r.path === path);

  before(async () => {
    t = await startTestApp();
    admin = await t.adminToken();
    apiBase = await api.listen();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels/qq/bots',
      headers: bearer(admin),
      payload: { name: '12333 QQ 助手', appId: APP_ID, appSecret: SECRET, apiBaseUrl: apiBase, tokenUrl: `${apiBase}/app/getAppAccessToken`, activeAllowance: 1 },
    });
    assert.equal(created.statusCode, 201, created.body);
    botId = created.json().id;
  });
  after(async () => {
    await t?.close();
    await api.close();
  });

  it('answers the callback-address validation with a signature that verifies under the key derived from the secret', async () => {
    const res = await callback({ op: 13, d: { plain_token: 'Arq0D5A61EgUu4OxUvOp', event_ts: '1725442341' } }, { signature: null });
    assert.equal(res.statusCode, 200, res.body);
    const answer = res.json();
    assert.equal(answer.plain_token, 'Arq0D5A61EgUu4OxUvOp');
    assert.ok(verify(null, Buffer.from('1725442341Arq0D5A61EgUu4OxUvOp'), keys.publicKey, Buffer.from(answer.signature, 'hex')), 'the platform can check it with the public key');

    // the platform's published example: appid 11111111, secret DG5g3B4j9X2KOErG
    const example = await t.app.inject({ method: 'POST', url: '/api/v1/channels/qq/bots', headers: bearer(admin), payload: { name: 'example', appId: '11111111', appSecret: 'DG5g3B4j9X2KOErG' } });
    assert.equal(example.statusCode, 201, example.body);
    const known = await t.app.inject({
      method: 'POST',
      url: `/api/v1/channels/qq/${example.json().id}`,
      headers: { 'content-type': 'application/json', 'x-bot-appid': '11111111' },
      payload: '{"d":{"plain_token":"Arq0D5A61EgUu4OxUvOp","event_ts":"1725442341"},"op":13}',
    });
    assert.equal(known.statusCode, 200, known.body);
    assert.deepEqual(known.json(), {
      plain_token: 'Arq0D5A61EgUu4OxUvOp',
      signature: '87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85e85205028a1132afe09280305f13aa6909ffc2d652c706',
    });

    // the validation cannot be used to get an event body signed (that would forge events)
    const oracle = await callback({ op: 13, d: { plain_token: JSON.stringify(c2c('EVIL', '伪造')), event_ts: String(Math.floor(Date.now() / 1000)) } }, { signature: null });
    assert.equal(oracle.statusCode, 400);
  });

  it('refuses events that are not signed by the bot’s key, and stores nothing of them', async () => {
    const jobsBefore = await t.ctx.db.selectFrom('jobs').select('id').where('kind', '=', 'channels.qq.event').execute();
    const event = c2c('OPENID_FORGED', '我要查养老金');
    const otherKey = platformKeys('not-the-bots-secret-at-all');
    for (const [label, res] of [
      ['signed with another key', await callback(event, { keys: otherKey })],
      ['unsigned', await callback(event, { signature: null })],
      ['altered after signing', await callback(event, { signature: sign(null, Buffer.from(`${Math.floor(Date.now() / 1000)}{}`), keys.privateKey).toString('hex') })],
      ['signed long ago', await callback(event, { timestamp: String(Math.floor(Date.now() / 1000) - 3 * 3600) })],
    ] as const) {
      assert.equal(res.statusCode, 401, `${label}: ${res.body}`);
    }
    await settle();
    const jobsAfter = await t.ctx.db.selectFrom('jobs').select('id').where('kind', '=', 'channels.qq.event').execute();
    assert.equal(jobsAfter.length, jobsBefore.length, 'no event queued');
    assert.equal(await conversationOf('user:OPENID_FORGED'), undefined, 'no conversation, no message');
    assert.equal((await callback(event)).statusCode, 200, 'the same event properly signed is taken');
  });

  it('a private message gets the robot’s answer as a passive reply quoting its msg_id; a redelivery stores one message', async () => {
    const openid = 'E4F4AEA33253A2797FB897C50B81D7ED';
    const event = c2c(openid, '失业金怎么领');
    const res = await callback(event);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { op: 12, d: 0 }, 'acknowledged at once');
    const path = `/v2/users/${openid}/messages`;
    const [reply] = await until(() => sentTo(path).length >= 1 && sentTo(path), 'the robot’s answer reached the platform');
    assert.equal(reply!.body.msg_id, event.d.id, 'a passive reply to the citizen’s message');
    assert.equal(reply!.body.msg_seq, 1);
    assert.equal(reply!.body.msg_type, 0);
    assert.match(reply!.authorization, /^QQBot token-\d+$/);
    assert.ok(reply!.body.content.length > 10 && !/\*\*|#/.test(reply!.body.content), 'plain text');

    // the platform delivers the same event again
    assert.equal((await callback(event)).statusCode, 200);
    await settle(600);
    const conversation = (await conversationOf(`user:${openid}`))!;
    const stored = await messagesOf(conversation.id);
    assert.equal(stored.filter((m) => m.sender === 'customer').length, 1, 'stored once');
    assert.equal(stored.filter((m) => m.client_message_id === event.d.id).length, 1);
    assert.equal(sentTo(path).length, 1, 'answered once');

    // a second question: a new passive reply; the cached token is used, not fetched again
    const fetches = api.tokenFetches;
    const second = c2c(openid, '养老保险转移怎么办理');
    await callback(second);
    const replies = await until(() => sentTo(path).length >= 2 && sentTo(path), 'the second answer');
    assert.equal(replies[1]!.body.msg_id, second.d.id);
    assert.equal(api.tokenFetches, fetches, 'the token is cached');
  });

  it('a group @-message is answered in the group, without the mention', async () => {
    const group = 'C9F778FE6ADF9D1D1DBE395BF744A33A';
    const event = groupAt(group, 'MEMBER0001', '<@!102030405> 失业金怎么领');
    assert.equal((await callback(event)).statusCode, 200);
    const [reply] = await until(() => sentTo(`/v2/groups/${group}/messages`).length >= 1 && sentTo(`/v2/groups/${group}/messages`), 'the answer in the group');
    assert.equal(reply!.body.msg_id, event.d.id);
    const conversation = (await conversationOf(`group:${group}:MEMBER0001`))!;
    const [question] = (await messagesOf(conversation.id)).filter((m) => m.sender === 'customer');
    assert.equal(question!.text, '失业金怎么领');
  });

  it('an image the citizen sends is kept as a link with the message', async () => {
    const event = c2c('OPENID_PICTURE', '');
    (event.d as Record<string, unknown>).attachments = [{ content_type: 'image/jpeg', filename: 'a.jpg', url: 'multimedia.nt.qq.com.cn/download?appid=1407&fileid=abc', width: 10, height: 10, size: 100 }];
    await callback(event);
    const conversation = await until(() => conversationOf('user:OPENID_PICTURE'), 'the message stored');
    const [picture] = await until(async () => {
      const m = (await messagesOf(conversation.id)).filter((x) => x.sender === 'customer');
      return m.length > 0 && m;
    }, 'the picture');
    assert.deepEqual(JSON.parse(picture!.payload).attachment, { kind: 'image', url: 'https://multimedia.nt.qq.com.cn/download?appid=1407&fileid=abc' });
  });

  it('other events are acknowledged and ignored', async () => {
    const res = await callback({ op: 0, id: 'FRIEND_ADD:1', t: 'FRIEND_ADD', s: 1, d: { openid: 'OPENID_FRIEND', timestamp: 1 } });
    assert.deepEqual(res.json(), { op: 12, d: 0 });
    await settle();
    assert.equal(await conversationOf('user:OPENID_FRIEND'), undefined);
  });

  it('an agent’s reply after the passive window is an active message; beyond the monthly allowance it waits for the citizen’s next message', async () => {
    const openid = 'OPENID_AGENT_CASE';
    const path = `/v2/users/${openid}/messages`;
    await callback(c2c(openid, '转人工'));
    const conversation = await until(async () => {
      const c = await conversationOf(`user:${openid}`);
      return c && c.status === 'queued' && c;
    }, 'handed to a person');
    await until(() => sentTo(path).length >= 1, 'the hand-off notice went out');
    const agentToken = await t.tokenFor(['agent']);
    const accepted = await t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${conversation.id}/accept`, headers: bearer(agentToken) });
    assert.equal(accepted.statusCode, 200, accepted.body);
    // the notice that an agent took over still goes out as a passive reply
    await until(() => sentTo(path).some((r) => /为您服务/.test(r.body.content) && r.body.msg_id), 'the agent’s greeting');
    // the citizen wrote two hours ago: the private chat's 60-minute passive window has closed
    await t.ctx.db.updateTable('messages').set({ created_at: new Date(Date.now() - 2 * 3600_000).toISOString() }).where('conversation_id', '=', conversation.id).where('sender', '=', 'customer').execute();

    const before = sentTo(path).length;
    const replyAsAgent = (text: string) => t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${conversation.id}/messages`, headers: bearer(agentToken), payload: { text } });
    assert.equal((await replyAsAgent('您好，您的失业金已审核通过。')).statusCode, 201);
    const active = await until(() => sentTo(path).length > before && sentTo(path).at(-1), 'the active message');
    assert.match(active.body.content, /审核通过/);
    assert.equal(active.body.msg_id, undefined, 'an active message quotes nothing');

    // the allowance (1 a month for this bot) is used: the next reply waits
    assert.equal((await replyAsAgent('另外，请于下周一前补交材料。')).statusCode, 201);
    const deferred = await until(async () => {
      const row = await t.ctx.db.selectFrom('channel_deliveries').select(['status', 'last_error']).where('conversation_id', '=', conversation.id).where('status', '=', 'deferred').executeTakeFirst();
      return row;
    }, 'the reply deferred');
    assert.match(String(deferred.last_error), /active messages/);
    await settle();
    assert.equal(sentTo(path).filter((r) => /补交材料/.test(r.body.content)).length, 0, 'not sent');

    // the citizen writes again: the waiting reply goes out as a passive reply to that message
    const again = c2c(openid, '好的，需要什么材料？');
    await callback(again);
    const resumed = await until(() => sentTo(path).find((r) => /补交材料/.test(r.body.content)), 'the waiting reply sent');
    assert.equal(resumed.body.msg_id, again.d.id);
    assert.equal(resumed.body.msg_seq, 1);
  });

  it('a refused access token is replaced once and the message still goes out', async () => {
    const openid = 'OPENID_TOKEN_CASE';
    const path = `/v2/users/${openid}/messages`;
    const current = `token-${api.tokenFetches}`;
    api.refuseToken(current);
    const fetches = api.tokenFetches;
    await callback(c2c(openid, '失业金怎么领'));
    const [reply] = await until(() => sentTo(path).length >= 1 && sentTo(path), 'sent with a new token');
    assert.notEqual(reply!.authorization, `QQBot ${current}`);
    assert.equal(api.tokenFetches, fetches + 1, 'one new token');

    // many sends at once when the token has run out: one fetch
    await t.ctx.db.updateTable('qq_bots').set({ access_token_expires_at: new Date(Date.now() + 30_000).toISOString() }).where('id', '=', botId).execute();
    const tokens = accessTokens(t.ctx);
    const got = await Promise.all(Array.from({ length: 5 }, () => tokens.get(botId)));
    assert.equal(api.tokenFetches, fetches + 2, 'refreshed before it expires, once');
    assert.equal(new Set(got).size, 1);
  });

  it('bots are configured by admins only; the secret is never returned and not stored in plain text', async () => {
    const agentToken = await t.tokenFor(['agent']);
    assert.equal((await t.app.inject({ url: '/api/v1/channels/qq/bots', headers: bearer(agentToken) })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/channels/qq/bots', headers: bearer(admin), payload: { name: 'x', appId: '1' } })).statusCode, 400);
    const duplicate = await t.app.inject({ method: 'POST', url: '/api/v1/channels/qq/bots', headers: bearer(admin), payload: { name: 'again', appId: APP_ID, appSecret: 'another' } });
    assert.equal(duplicate.statusCode, 409);

    const list = await t.app.inject({ url: '/api/v1/channels/qq/bots', headers: bearer(admin) });
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(SECRET));
    const bot = list.json().items.find((b: any) => b.id === botId);
    assert.equal(bot.webhookPath, `/api/v1/channels/qq/${botId}`);
    assert.equal(bot.activeAllowance, 1);
    const one = await t.app.inject({ url: `/api/v1/channels/qq/bots/${botId}`, headers: bearer(admin) });
    assert.ok(!one.body.includes(SECRET) && !/secret/i.test(Object.keys(one.json()).join(',')));

    // an update without a secret keeps it (the bot still validates with the same key)
    const renamed = await t.app.inject({ method: 'PUT', url: `/api/v1/channels/qq/bots/${botId}`, headers: bearer(admin), payload: { name: '人社局 QQ 助手', appSecret: '' } });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, '人社局 QQ 助手');
    const check = await callback({ op: 13, d: { plain_token: 'tok123', event_ts: '1700000000' } }, { signature: null });
    assert.ok(verify(null, Buffer.from('1700000000tok123'), keys.publicKey, Buffer.from(check.json().signature, 'hex')));

    const row = await t.ctx.db.selectFrom('qq_bots').selectAll().where('id', '=', botId).executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes(SECRET), 'the secret is sealed');
    assert.equal(t.ctx.secrets.open(row.app_secret_sealed), SECRET);
    assert.ok(row.access_token_sealed && !/^token-/.test(row.access_token_sealed), 'the access token is sealed too');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('subject_id', '=', botId).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['channels.qq.bot_created', 'channels.qq.bot_updated']);
    assert.ok(!JSON.stringify(audit).includes(SECRET), 'the audit names changes, never the secret');

    // a new secret takes effect at once: events signed with the old key are refused, and the old token is dropped
    const rotated = await t.app.inject({ method: 'PUT', url: `/api/v1/channels/qq/bots/${botId}`, headers: bearer(admin), payload: { appSecret: 'Rotated-Secret-0001' } });
    assert.equal(rotated.statusCode, 200, rotated.body);
    assert.equal((await callback({ op: 0, id: 'x', t: 'FRIEND_ADD', d: {} })).statusCode, 401);
    assert.equal((await callback({ op: 0, id: 'x', t: 'FRIEND_ADD', d: {} }, { keys: platformKeys('Rotated-Secret-0001') })).statusCode, 200);
    const afterRotation = await t.ctx.db.selectFrom('qq_bots').select(['access_token_sealed']).where('id', '=', botId).executeTakeFirstOrThrow();
    assert.equal(afterRotation.access_token_sealed, null);

    const removed = await t.app.inject({ method: 'POST', url: '/api/v1/channels/qq/bots', headers: bearer(admin), payload: { name: 'temp', appId: '999', appSecret: 'temporary-secret' } });
    const tempId = removed.json().id;
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/channels/qq/bots/${tempId}`, headers: bearer(admin) })).statusCode, 204);
    assert.equal((await t.app.inject({ url: `/api/v1/channels/qq/bots/${tempId}`, headers: bearer(admin) })).statusCode, 404);
    assert.equal((await callback({ op: 13, d: { plain_token: 'x', event_ts: '1' } }, { botId: tempId, signature: null })).statusCode, 404);
  });
});
