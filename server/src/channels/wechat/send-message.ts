import type { OutboundMessage, SendOutcome } from '../../conversations/channel-adapter';
import { STALE_TOKEN_ERRCODES, type AccessToken } from './access-token';
import { REPLY_WINDOW_MS, type WechatDeps } from './deps';

/** errcode 45015: the follower has not written for 48 hours (the customer-service window is closed). */
const OUTSIDE_WINDOW_ERRCODE = 45015;

/**
 * Sends one message to a follower with the customer-service message API (客服消息):
 * POST {apiBaseUrl}/cgi-bin/message/custom/send?access_token=… . Outside the 48-hour window it is
 * not tried (kept for the follower's next message); a stale token is replaced and the call tried once
 * more; any other refusal throws, so the delivery queue retries later.
 */
export async function sendMessage(deps: WechatDeps, out: OutboundMessage): Promise<SendOutcome> {
  const accountId = out.recipient.namespace;
  if (!(await deps.repo.getAccount(accountId))) return { status: 'not_deliverable', reason: 'the WeChat account was removed' };
  if (!out.text.trim()) return { status: 'not_deliverable', reason: 'nothing to send' };
  const last = out.lastCustomerMessage ? Date.parse(out.lastCustomerMessage.createdAt) : NaN;
  if (!(Date.now() - last <= REPLY_WINDOW_MS)) return { status: 'outside_window', reason: 'the follower has not written for 48 hours' };

  const body = JSON.stringify({ touser: out.recipient.externalId, msgtype: 'text', text: { content: out.text } });
  let token = await deps.tokens.get(accountId);
  let result = await post(deps, accountId, token, body);
  if (STALE_TOKEN_ERRCODES.has(result.errcode)) {
    await deps.tokens.invalidate(accountId, token);
    token = await deps.tokens.get(accountId);
    result = await post(deps, accountId, token, body);
  }
  if (result.errcode === 0) return { status: 'sent' };
  if (result.errcode === OUTSIDE_WINDOW_ERRCODE) return { status: 'outside_window', reason: `errcode ${OUTSIDE_WINDOW_ERRCODE}: ${result.errmsg}` };
  throw new Error(`wechat custom send refused: errcode ${result.errcode} ${result.errmsg}`.trim());
}

async function post(deps: WechatDeps, accountId: string, token: AccessToken, body: string): Promise<{ errcode: number; errmsg: string }> {
  const account = await deps.repo.getAccount(accountId);
  if (!account) throw new Error('the WeChat account was removed');
  const url = new URL(`${account.apiBaseUrl}/cgi-bin/message/custom/send`);
  url.searchParams.set('access_token', token.value);
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body, signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!res.ok) throw new Error(`wechat custom send answered HTTP ${res.status}`);
  const json = (await res.json()) as { errcode?: number; errmsg?: string };
  return { errcode: Number(json.errcode ?? 0), errmsg: String(json.errmsg ?? '') };
}
