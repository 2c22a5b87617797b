import type { OutboundMessage, SendOutcome } from '../../conversations/channel-adapter';
import type { MessageRecord } from '../../conversations/model';
import type { AppContext } from '../../platform/context';
import type { AccessTokens } from './access-token';
import { targetOf, type QqTarget } from './receive-message';
import { qqRepo, type QqBotRecord } from './repo';

/** How long after a citizen's message the platform accepts passive replies to it. */
export const PASSIVE_WINDOW_MS = { user: 60 * 60_000, group: 5 * 60_000 } as const;
/** Replies the platform accepts to one citizen message. */
export const MAX_REPLIES_PER_MESSAGE = 5;
// a reply must reach the platform while the window is still open: leave room for the request itself
const WINDOW_MARGIN_MS = 15_000;
const SEND_TIMEOUT_MS = 10_000;
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The month (China time) active messages are counted in. */
export const monthOf = (at: number) => new Date(at + CHINA_OFFSET_MS).toISOString().slice(0, 7);

/** Raised for an answer the platform gave that is worth trying again later (5xx, rate limits, network). */
class RetryLater extends Error {}

/**
 * Sends one message to a QQ user or group. A reply is passive whenever it can be: it quotes the
 * citizen's message it answers (or their latest one) while that message's window is open (private
 * chat 60 min, group 5 min) and fewer than five replies used it, each with its own msg_seq. Otherwise
 * an agent's message is an active message, within the bot's monthly allowance per user or group;
 * beyond it the message waits (`outside_window`) for the citizen's next message. Robot and system
 * messages are never active: outside the window they are dropped.
 */
export async function sendQqMessage(ctx: AppContext, tokens: AccessTokens, out: OutboundMessage): Promise<SendOutcome> {
  const repo = qqRepo(ctx.db);
  const bot = await repo.getBot(out.recipient.namespace);
  if (!bot) return { status: 'not_deliverable', reason: 'the QQ bot was removed' };
  const target = targetOf(out.recipient.externalId);
  if (!target) return { status: 'not_deliverable', reason: `not a QQ recipient: ${out.recipient.externalId}` };
  const content = out.text.trim();
  if (!content) return { status: 'not_deliverable', reason: 'nothing to send' };

  const now = Date.now();
  const windowMs = PASSIVE_WINDOW_MS[target.kind];
  const quotable = [out.inReplyTo, out.lastCustomerMessage].filter(
    (m, i, all): m is MessageRecord => !!m?.clientMessageId && now - Date.parse(m.createdAt) < windowMs - WINDOW_MARGIN_MS && all.findIndex((x) => x?.id === m.id) === i,
  );
  for (const citizenMessage of quotable) {
    const seq = await repo.replySeq(bot.id, citizenMessage.clientMessageId!, out.message.id, MAX_REPLIES_PER_MESSAGE);
    if (seq === undefined) continue;
    const answer = await post(ctx, tokens, bot, target, { content, msg_type: 0, msg_id: citizenMessage.clientMessageId!, msg_seq: seq });
    return answer.ok ? { status: 'sent' } : { status: 'not_deliverable', reason: `passive reply refused: ${answer.reason}` };
  }

  // the allowance is kept for what a person wrote: a notice (agent joined, rating invitation) is not worth one
  if (out.message.sender !== 'agent') return { status: 'not_deliverable', reason: 'the reply window has closed; notices are not sent as active messages' };
  const recipient = target.kind === 'user' ? `user:${target.openid}` : `group:${target.groupOpenid}`;
  if (!(await repo.reserveActiveSend(bot.id, recipient, monthOf(now), out.message.id, bot.activeAllowance))) {
    return { status: 'outside_window', reason: `the reply window has closed and this month's ${bot.activeAllowance} active messages are used` };
  }
  const answer = await post(ctx, tokens, bot, target, { content, msg_type: 0 });
  if (answer.ok) return { status: 'sent' };
  // refused (the user turned active messages off, or the platform's own count is spent): it did not
  // count, and the message waits for the citizen to write again
  await repo.releaseActiveSend(bot.id, out.message.id);
  return { status: 'outside_window', reason: `active message refused: ${answer.reason}` };
}

type PostAnswer = { ok: true } | { ok: false; reason: string };

/**
 * POSTs a message with the bot's access token; a refused token is replaced once. Network errors,
 * 5xx and rate limits throw (the delivery queue retries); other refusals are returned.
 */
async function post(ctx: AppContext, tokens: AccessTokens, bot: QqBotRecord, target: QqTarget, body: Record<string, unknown>): Promise<PostAnswer> {
  const url = target.kind === 'user' ? `${bot.apiBaseUrl}/v2/users/${encodeURIComponent(target.openid)}/messages` : `${bot.apiBaseUrl}/v2/groups/${encodeURIComponent(target.groupOpenid)}/messages`;
  let rejected: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await tokens.get(bot.id, { rejected });
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `QQBot ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    if (res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: true };
    }
    const detail = await res.text().then((t) => describeError(t), () => '');
    if (res.status === 401) {
      rejected = token;
      ctx.log.warn({ botId: bot.id, detail }, 'qq: access token refused, fetching a new one');
      continue;
    }
    if (res.status >= 500 || res.status === 429) throw new RetryLater(`qq send: HTTP ${res.status}${detail}`);
    return { ok: false, reason: `HTTP ${res.status}${detail}` };
  }
  throw new RetryLater('qq send: the access token was refused twice');
}

/** The platform's error answer `{code, message, trace_id}` in a line (no message content). */
function describeError(text: string): string {
  try {
    const e = JSON.parse(text) as { code?: unknown; err_code?: unknown; message?: unknown; trace_id?: unknown };
    return [e.code ?? e.err_code, typeof e.message === 'string' ? e.message.slice(0, 200) : undefined, e.trace_id ? `trace ${String(e.trace_id)}` : undefined]
      .filter((x) => x !== undefined && x !== '')
      .map((x) => ` ${String(x)}`)
      .join('');
  } catch {
    return '';
  }
}
