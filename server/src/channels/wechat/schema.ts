import { z } from 'zod';
import { errorResponses, errorSchema } from '../../platform/http';

const name = z.string().trim().min(1, '请填写名称 / name is required').max(100);
const appId = z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'AppID 无效 / invalid AppID');
const appSecret = z.string().trim().min(1, '请填写 AppSecret / AppSecret is required').max(128);
// the format rules (Token 3–32 letters or digits, EncodingAESKey 43 characters) are checked by the use case, with their own codes
const token = z.string().trim().min(1, '请填写 Token / token is required').max(64);
const encodingAESKey = z.string().trim().max(64);
const apiBaseUrl = z.string().trim().min(1).max(300);

export const accountParams = z.object({ id: z.string().min(1).max(64) });

export const createAccountBody = z.object({ name, appId, appSecret, token, encodingAESKey: encodingAESKey.optional(), apiBaseUrl: apiBaseUrl.optional() });
/** Secrets left out are kept; `encodingAESKey: null` turns safe mode off. */
export const updateAccountBody = z.object({
  name: name.optional(),
  appId: appId.optional(),
  appSecret: appSecret.optional(),
  token: token.optional(),
  encodingAESKey: encodingAESKey.nullable().optional(),
  apiBaseUrl: apiBaseUrl.optional(),
});

const link = z.object({ title: z.string().trim().min(1).max(30), url: z.string().trim().min(1).max(300) });
export const welcomeBody = z.object({
  /** null: the default welcome (with the portal's links) */
  text: z.string().trim().min(1).max(500).nullable(),
  links: z.array(link).max(5).default([]),
});

const key = z.string().trim().min(1, '请填写菜单键 / key is required').max(128);
const menuItem = z.union([
  z.object({ key, entryId: z.string().trim().min(1).max(64) }).strict(),
  z.object({ key, rulesetId: z.string().trim().min(1).max(64) }).strict(),
]);
export const menuBody = z.object({ items: z.array(menuItem).max(100) });

export const accountResponse = z.object({
  id: z.string(),
  name: z.string(),
  appId: z.string(),
  apiBaseUrl: z.string(),
  hasEncodingAESKey: z.boolean(),
  /** the server address (URL) to paste into WeChat's admin, 服务器配置 */
  callbackUrl: z.string(),
  welcome: z.object({ text: z.string().nullable(), links: z.array(link), isDefault: z.boolean(), preview: z.string() }),
  menu: z.array(z.union([z.object({ key: z.string(), entryId: z.string() }), z.object({ key: z.string(), rulesetId: z.string() })])),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const accountListResponse = z.object({ items: z.array(accountResponse) });
export const createdResponse = z.object({ id: z.string() });

/** The query WeChat signs its callbacks with; everything is checked by the use case (a missing field is a 401, not a 400). */
export const callbackParams = z.object({ accountId: z.string().min(1).max(64) });
export const callbackQuery = z
  .object({
    signature: z.string().max(128).optional(),
    timestamp: z.string().max(32).optional(),
    nonce: z.string().max(128).optional(),
    echostr: z.string().max(1000).optional(),
    encrypt_type: z.string().max(16).optional(),
    msg_signature: z.string().max(128).optional(),
    openid: z.string().max(128).optional(),
  })
  .passthrough();

/**
 * The raw XML WeChat posts (text/xml or application/xml), kept as text: safe mode signs the
 * ciphertext inside it. A post without a body (null to the validator) is refused by the handler, 401.
 */
export const callbackBody = z.string().nullish().describe('text/xml: <xml><ToUserName>…</ToUserName><FromUserName>…</FromUserName><MsgType>…</MsgType>…</xml>, or in safe mode <xml><Encrypt>…</Encrypt></xml>');

/** A refusal of a callback: an empty text/plain body (WeChat reads only the status); a malformed query gets the usual error body. */
const refusal = z.union([z.literal('').describe('text/plain: empty'), errorSchema]);
const refusals = { ...errorResponses, 400: refusal, 401: refusal, 403: refusal, 404: refusal };
export const verifyCallbackResponses = { 200: z.string().describe('text/plain: the `echostr` WeChat sent'), ...refusals };
export const callbackResponses = {
  200: z.string().describe('application/xml: the passive reply (in safe mode, encrypted), or text/plain `success` when there is nothing to say now'),
  ...refusals,
};
