import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearer, type TestApp } from '../../testing/test-app';
import { aesKeyOf, encryptMessage } from './wechat-crypto';

/**
 * WeChat's side, for tests: a fake of its API on loopback, and callback requests signed (and in safe
 * mode encrypted) as WeChat sends them. Used by the channel's tests and by tests across channels
 * and instances.
 */
export const APP_ID = 'wx5f3c2a1b0e9d8c7a';
export const APP_SECRET = 'app-secret-3b9f1c7e2d4a6b8c0d1e2f3a4b5c6d7e';
export const TOKEN = 'zhixunToken2026';
export const AES_KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
export const ACCOUNT_ID_ON_WECHAT = 'gh_0123456789ab';
export const PUBLIC_URL = 'https://12333.example.gov.cn';

/** WeChat's API on loopback: the token endpoint (counting fetches) and the customer-service send (recording bodies). */
export function fakeWechatApi() {
  const valid = new Set<string>();
  const sent: { token: string; body: { touser: string; msgtype: string; text: { content: string } } }[] = [];
  const refused: string[] = [];
  let tokenFetches = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const json = (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      if (url.searchParams.get('grant_type') !== 'client_credential' || url.searchParams.get('appid') !== APP_ID || url.searchParams.get('secret') !== APP_SECRET) {
        return json({ errcode: 40125, errmsg: 'invalid appsecret' });
      }
      tokenFetches++;
      const token = `ACCESS_${tokenFetches}_${randomBytes(6).toString('hex')}`;
      valid.add(token);
      return json({ access_token: token, expires_in: 7200 });
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/custom/send') {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const token = url.searchParams.get('access_token') ?? '';
        if (!valid.has(token)) {
          refused.push(token);
          return json({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
        }
        sent.push({ token, body: JSON.parse(raw) });
        json({ errcode: 0, errmsg: 'ok' });
      });
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  return {
    sent,
    refused,
    tokenFetches: () => tokenFetches,
    isValid: (token: string) => valid.has(token),
    /** WeChat stops accepting every token given so far (as when another client fetched a new one) */
    expireTokens: () => valid.clear(),
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ── the WeChat side of the callback, written independently of the server's own helpers ──
export const sha1 = (...parts: string[]) => createHash('sha1').update([...parts].sort().join('')).digest('hex');
export const cdata = (v: string) => `<![CDATA[${v}]]>`;
export const toXml = (fields: Record<string, string | number>) =>
  `<xml>${Object.entries(fields).map(([k, v]) => (typeof v === 'number' ? `<${k}>${v}</${k}>` : `<${k}>${cdata(v)}</${k}>`)).join('')}</xml>`;
export const field = (xml: string, name: string) => new RegExp(`<${name}>(?:<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|([^<]*))</${name}>`).exec(xml)?.slice(1).find((v) => v !== undefined);
export const now = () => Math.floor(Date.now() / 1000);
let msgIds = 7_300_000_000_000_000_000n;
export const nextMsgId = () => String(++msgIds);

export interface PushOptions {
  safe?: boolean;
  timestamp?: string;
  nonce?: string;
  token?: string;
  appId?: string;
}

/** Posts a message as WeChat would: signed with the Token, and in safe mode encrypted and signed over the ciphertext. */
export function push(t: TestApp, accountId: string, fields: Record<string, string | number>, options: PushOptions = {}) {
  const xml = toXml({ ToUserName: ACCOUNT_ID_ON_WECHAT, CreateTime: now(), ...fields });
  const timestamp = options.timestamp ?? String(now());
  const nonce = options.nonce ?? String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999));
  const token = options.token ?? TOKEN;
  const query = new URLSearchParams({ signature: sha1(token, timestamp, nonce), timestamp, nonce, openid: String(fields.FromUserName) });
  let payload = xml;
  if (options.safe) {
    const encrypt = encryptMessage(xml, aesKeyOf(AES_KEY), options.appId ?? APP_ID);
    payload = toXml({ ToUserName: ACCOUNT_ID_ON_WECHAT, Encrypt: encrypt });
    query.set('encrypt_type', 'aes');
    query.set('msg_signature', sha1(token, timestamp, nonce, encrypt));
  }
  return t.app.inject({ method: 'POST', url: `/api/v1/channels/wechat/${accountId}?${query}`, headers: { 'content-type': 'text/xml' }, payload });
}

export const text = (openid: string, content: string, msgId = nextMsgId()) => ({ FromUserName: openid, MsgType: 'text', Content: content, MsgId: msgId });
/** The text content of a plain passive reply. */
export const replyText = (xml: string) => {
  assert.equal(field(xml, 'MsgType'), 'text', xml);
  return field(xml, 'Content') ?? '';
};

export const until = async (check: () => boolean | Promise<boolean>, label: string) => {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`never happened: ${label}`);
};


/** An official account configured by the admin with the test's AppID, secret, Token and AES key; returns its id. */
export async function createWechatAccount(t: TestApp, apiBaseUrl: string): Promise<string> {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/channels/wechat/accounts',
    headers: bearer(await t.adminToken()),
    payload: { name: '12333 公众号', appId: APP_ID, appSecret: APP_SECRET, token: TOKEN, encodingAESKey: AES_KEY, apiBaseUrl },
  });
  assert.equal(created.statusCode, 201, created.body);
  return created.json().id as string;
}
