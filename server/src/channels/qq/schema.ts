import { z } from 'zod';

export const DEFAULT_API_BASE_URL = 'https://api.sgroup.qq.com';
export const DEFAULT_TOKEN_URL = 'https://bots.qq.com/app/getAppAccessToken';
/** The platform's monthly allowance of active messages per user (private chat) or group. */
export const DEFAULT_ACTIVE_ALLOWANCE = 4;

const httpUrl = z
  .string()
  .trim()
  .max(500)
  .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, '请输入 http(s) 地址 / must be an http(s) address')
  .transform((v) => v.replace(/\/+$/, ''));
const name = z.string().trim().min(1, '请输入名称 / name is required').max(100);
const appId = z.string().trim().min(1, '请输入 AppID / appId is required').max(64).regex(/^[0-9A-Za-z_-]+$/, 'AppID 格式不正确 / invalid appId');
const appSecret = z.string().trim().min(1, '请输入 AppSecret / appSecret is required').max(200);
const activeAllowance = z.number().int().min(0).max(1000);

export const botParams = z.object({ id: z.string().min(1).max(64) });
export const webhookParams = z.object({ botId: z.string().min(1).max(64) });

export const createBotBody = z.object({ name, appId, appSecret, apiBaseUrl: httpUrl.optional(), tokenUrl: httpUrl.optional(), activeAllowance: activeAllowance.optional() });
/** Every field optional; a missing or empty appSecret keeps the stored one. */
export const updateBotBody = z.object({
  name: name.optional(),
  appId: appId.optional(),
  appSecret: z.string().trim().max(200).optional(),
  apiBaseUrl: httpUrl.optional(),
  tokenUrl: httpUrl.optional(),
  activeAllowance: activeAllowance.optional(),
});

/** A bot as the console sees it: never its secret nor its access token. */
export const botResponse = z.object({
  id: z.string(),
  name: z.string(),
  appId: z.string(),
  apiBaseUrl: z.string(),
  tokenUrl: z.string(),
  activeAllowance: z.number(),
  /** the path of the callback address on this server */
  webhookPath: z.string(),
  /** the full callback address to paste into the QQ bot platform, when PUBLIC_URL is configured */
  webhookUrl: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const botListResponse = z.object({ items: z.array(botResponse) });
export const createdResponse = z.object({ id: z.string() });

/**
 * The callback's body as the handler reads it: the bytes of the JSON payload below, kept as they are
 * because the signature covers them (absent: no body, refused as not JSON).
 */
export const webhookBody = z
  .custom<Buffer>((value) => Buffer.isBuffer(value), 'JSON 请求体 / a JSON body')
  .nullish()
  .describe('application/json: the platform’s payload {op, id?, s?, t?, d?}, signed with Ed25519 (headers x-signature-ed25519, x-signature-timestamp)');
/** What the callback answers: the signed validation (op 13), a heartbeat's ack (op 11) or the callback ack (op 12). */
export const webhookAnswer = z.union([
  z.object({ plain_token: z.string(), signature: z.string() }),
  z.object({ op: z.number(), d: z.number() }),
]);
export type WebhookAnswer = z.infer<typeof webhookAnswer>;

/** The platform's callback payload `{op, id, d, s, t}` (only what we read of it). */
export const webhookPayload = z.object({
  op: z.number().int(),
  id: z.string().optional(),
  s: z.number().optional(),
  t: z.string().optional(),
  d: z.unknown().optional(),
});
export type WebhookPayload = z.infer<typeof webhookPayload>;

const attachment = z.object({ content_type: z.string().optional(), filename: z.string().optional(), url: z.string().optional() }).passthrough();
/** C2C_MESSAGE_CREATE's `d`: a user's private message to the bot. */
export const c2cMessage = z.object({
  id: z.string().min(1).max(200),
  content: z.string().max(20_000).default(''),
  author: z.object({ user_openid: z.string().min(1).max(128) }).passthrough(),
  attachments: z.array(attachment).optional(),
});
/** GROUP_AT_MESSAGE_CREATE's `d`: a group member @-mentioned the bot. */
export const groupAtMessage = z.object({
  id: z.string().min(1).max(200),
  content: z.string().max(20_000).default(''),
  group_openid: z.string().min(1).max(128),
  author: z.object({ member_openid: z.string().min(1).max(128) }).passthrough(),
  attachments: z.array(attachment).optional(),
});
export type QqAttachment = z.infer<typeof attachment>;
