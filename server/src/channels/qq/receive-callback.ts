import { maskPersonalData } from '../../../../common/masking';
import type { AppContext } from '../../platform/context';
import { isSignedByPlatform, keyPairOf, validationAnswer, type QqKeyPair } from './qq-signature';
import { qqRepo } from './repo';
import { webhookPayload, type WebhookAnswer } from './schema';

export const QQ_EVENT_JOB = 'channels.qq.event';
/** Events whose signature timestamp is further than this from our clock are refused (a replay, or a clock far off). */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;
/** The events we turn into citizens' messages; every other event is acknowledged and ignored. */
export const MESSAGE_EVENTS = ['C2C_MESSAGE_CREATE', 'GROUP_AT_MESSAGE_CREATE'] as const;

const OP_DISPATCH = 0;
const OP_HEARTBEAT = 1;
const OP_HEARTBEAT_ACK = 11;
const OP_CALLBACK_ACK = 12;
const OP_VALIDATION = 13;

/** What the job that stores an event receives: only the fields used, text already masked. */
export interface QqEventJob {
  botId: string;
  eventId?: string;
  type: (typeof MESSAGE_EVENTS)[number];
  d: unknown;
}

export interface CallbackRequest {
  botId: string;
  headers: Record<string, string | string[] | undefined>;
  /** the body's bytes exactly as received: the signature covers them */
  body: Buffer;
}
export type CallbackAnswer = { status: number; body: WebhookAnswer | { error: { code: string; message: string } } };

const header = (headers: CallbackRequest['headers'], name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};
const refused = (code: string, message: string): CallbackAnswer => ({ status: 401, body: { error: { code, message } } });

/**
 * The bot's callback address. The platform first validates the address (op 13: we sign
 * `event_ts + plain_token` with the key derived from the app secret); then every event it posts is
 * signed, and one that is not signed by the bot's key is refused before anything is stored. A
 * citizen's message is queued as a job and acknowledged at once (op 12): the robot's answer goes out
 * later through the delivery queue, so the platform never waits on the robot.
 */
export function callbackReceiver(ctx: AppContext) {
  const repo = qqRepo(ctx.db);
  // the key pair of each bot, derived again only when its secret changes
  const keys = new Map<string, { sealed: string; keys: QqKeyPair }>();
  function keysOf(botId: string, sealed: string): QqKeyPair {
    const known = keys.get(botId);
    if (known?.sealed === sealed) return known.keys;
    const derived = keyPairOf(ctx.secrets.open(sealed));
    keys.set(botId, { sealed, keys: derived });
    return derived;
  }

  return async function receiveCallback(request: CallbackRequest): Promise<CallbackAnswer> {
    const bot = await repo.getBot(request.botId);
    if (!bot) return { status: 404, body: { error: { code: 'qq_bot_not_found', message: 'QQ 机器人不存在 / no such bot' } } };
    const botKeys = keysOf(bot.id, bot.appSecretSealed);
    let json: unknown;
    try {
      json = JSON.parse(request.body.toString('utf8'));
    } catch {
      return { status: 400, body: { error: { code: 'invalid_json', message: '请求体不是 JSON / the body is not JSON' } } };
    }
    const parsed = webhookPayload.safeParse(json);
    if (!parsed.success) return { status: 400, body: { error: { code: 'invalid_payload', message: '不是 QQ 机器人平台的回调 / not a QQ bot platform callback' } } };
    const payload = parsed.data;
    const appIdHeader = header(request.headers, 'x-bot-appid');
    if (appIdHeader && appIdHeader !== bot.appId) return refused('qq_wrong_bot', '回调不属于该机器人 / the callback is for another bot');
    const signature = header(request.headers, 'x-signature-ed25519');
    const timestamp = header(request.headers, 'x-signature-timestamp');

    if (payload.op === OP_VALIDATION) {
      // A signed validation is checked like any event. The answer signs `event_ts + plain_token`, so
      // both are held to the shapes the platform uses (digits; a short token without braces or quotes):
      // otherwise anyone could make us sign `timestamp + {an event body}` and forge events with it.
      if (signature && !isSignedByPlatform(botKeys, timestamp, request.body, signature)) return refused('qq_bad_signature', '签名无效 / bad signature');
      const d = (payload.d ?? {}) as { plain_token?: unknown; event_ts?: unknown };
      const eventTs = typeof d.event_ts === 'number' ? String(d.event_ts) : d.event_ts;
      const plainToken = d.plain_token;
      if (typeof eventTs !== 'string' || !/^\d{1,20}$/.test(eventTs) || typeof plainToken !== 'string' || !/^[A-Za-z0-9_\-+/=.]{1,128}$/.test(plainToken)) {
        return { status: 400, body: { error: { code: 'invalid_validation', message: '回调验证请求无效 / invalid validation request' } } };
      }
      return { status: 200, body: validationAnswer(botKeys, eventTs, plainToken) };
    }

    if (!isSignedByPlatform(botKeys, timestamp, request.body, signature)) return refused('qq_bad_signature', '签名无效 / bad or missing signature');
    const sentAt = Number(timestamp) * 1000;
    if (!Number.isFinite(sentAt) || Math.abs(Date.now() - sentAt) > MAX_CLOCK_SKEW_MS) return refused('qq_stale_callback', '回调时间戳过旧 / the callback timestamp is too far off');

    if (payload.op === OP_DISPATCH && MESSAGE_EVENTS.includes(payload.t as QqEventJob['type'])) {
      const job: QqEventJob = { botId: bot.id, eventId: payload.id, type: payload.t as QqEventJob['type'], d: withMaskedContent(payload.d) };
      await ctx.jobs.enqueue(QQ_EVENT_JOB, job, { createdBy: `qq:${bot.id}` });
    }
    // the platform's SDK answers a heartbeat with its sequence number
    if (payload.op === OP_HEARTBEAT) return { status: 200, body: { op: OP_HEARTBEAT_ACK, d: typeof payload.d === 'number' ? payload.d : 0 } };
    // d 0: received (1 would ask the platform to deliver it again)
    return { status: 200, body: { op: OP_CALLBACK_ACK, d: 0 } };
  };
}

/** The job table keeps payloads: ID and phone numbers in a citizen's text are masked before they get there (as they are when stored). */
function withMaskedContent(d: unknown): unknown {
  if (!d || typeof d !== 'object') return d;
  const event = d as { content?: unknown };
  return typeof event.content === 'string' ? { ...event, content: maskPersonalData(event.content) } : d;
}
