import { createHmac } from 'node:crypto';
import { EVENTS, type EventPayloads } from '../../../common/events';
import { badRequest, notFound } from '../platform/errors';
import { newId, newToken, nowIso } from '../platform/ids';
import type { ConversationDeps } from './deps';
import { presentMessage } from './presenter';
import { conversationsRepo } from './repo';

export const WEBHOOK_JOB = 'conversations.webhook';
export const SIGNATURE_HEADER = 'x-zhixun-signature';
export const DELIVERY_HEADER = 'x-zhixun-delivery';
/** Waits before each retry of a delivery the app did not accept: 10 s, 1 min, 5 min, 30 min, 2 h. */
export const RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];

/** `sha256=<hex>`: the HMAC-SHA256 of the exact body with the webhook's secret. */
export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * A partner app's webhook: new messages in the conversations its API key opened (robot, agent and
 * system messages; never internal notes, never the app's own customer messages) are pushed to its
 * URL, signed, and retried with back-off until accepted. Setting it (or setting it again) makes a
 * new secret, which is shown once.
 */
export async function setWebhook(deps: ConversationDeps, apiKeyId: string, url: string) {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('invalid_url', { zh: '网址无效', en: 'invalid URL' }, 'url');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw badRequest('invalid_url', { zh: '只支持 http(s) 网址', en: 'only http(s) URLs' }, 'url');
  const secret = `whsec_${newToken(24)}`;
  const now = nowIso();
  await deps.ctx.db
    .insertInto('channel_webhooks')
    .values({ api_key_id: apiKeyId, url: parsed.toString(), secret: deps.ctx.secrets.seal(secret), created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('api_key_id').doUpdateSet({ url: parsed.toString(), secret: deps.ctx.secrets.seal(secret), updated_at: now }))
    .execute();
  return { url: parsed.toString(), secret };
}

export async function removeWebhook(deps: ConversationDeps, apiKeyId: string) {
  await deps.ctx.db.deleteFrom('channel_webhooks').where('api_key_id', '=', apiKeyId).execute();
}

/** The webhook (without its secret) and its recent deliveries, failures first to see. */
export async function describeWebhook(deps: ConversationDeps, apiKeyId: string) {
  const hook = await deps.ctx.db.selectFrom('channel_webhooks').select(['url', 'created_at', 'updated_at']).where('api_key_id', '=', apiKeyId).executeTakeFirst();
  if (!hook) throw notFound('回调地址', 'webhook_not_found');
  const deliveries = await deps.ctx.db.selectFrom('webhook_deliveries').selectAll().where('api_key_id', '=', apiKeyId).orderBy('created_at', 'desc').limit(50).execute();
  return {
    url: hook.url as string,
    updatedAt: hook.updated_at as string,
    deliveries: deliveries.map((d: any) => ({
      id: d.id as string,
      conversationId: d.conversation_id as string,
      seq: Number(d.seq),
      status: d.status as 'pending' | 'delivered' | 'failed',
      attempts: Number(d.attempts),
      lastStatusCode: d.last_status_code === null ? null : Number(d.last_status_code),
      lastError: d.last_error as string | null,
      createdAt: d.created_at as string,
      deliveredAt: d.delivered_at as string | null,
    })),
  };
}

/** Consumer of new messages (once per message, on the instance that published it): queue a delivery. */
export async function queueWebhookDelivery(deps: ConversationDeps, p: EventPayloads['message.created']) {
  if (p.isPrivate || p.sender === 'customer') return;
  const repo = conversationsRepo(deps.ctx.db);
  const conversation = await repo.getConversation(p.conversationId);
  if (!conversation || conversation.channel !== 'open' || !conversation.channelRef) return;
  const hook = await deps.ctx.db.selectFrom('channel_webhooks').select('api_key_id').where('api_key_id', '=', conversation.channelRef).executeTakeFirst();
  if (!hook) return;
  const id = newId();
  const now = nowIso();
  await deps.ctx.db
    .insertInto('webhook_deliveries')
    .values({ id, api_key_id: conversation.channelRef, conversation_id: p.conversationId, seq: p.seq, status: 'pending', attempts: 0, created_at: now, updated_at: now })
    .execute();
  await deps.ctx.jobs.enqueue(WEBHOOK_JOB, { deliveryId: id }, { createdBy: 'system' });
}

/** The signing secret; rows written before secrets were sealed hold it in plain text. */
const webhookSecret = (deps: ConversationDeps, stored: string) => (stored.startsWith('v1:') ? deps.ctx.secrets.open(stored) : stored);

/** The background job: one attempt to deliver; a refusal or a network error schedules the next attempt. */
export async function deliverWebhook(deps: ConversationDeps, { deliveryId }: { deliveryId: string }) {
  const db = deps.ctx.db;
  const delivery = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst();
  if (!delivery || delivery.status !== 'pending') return { skipped: true };
  const hook = await db.selectFrom('channel_webhooks').selectAll().where('api_key_id', '=', delivery.api_key_id).executeTakeFirst();
  const message = await conversationsRepo(db).messageBySeq(delivery.conversation_id, Number(delivery.seq));
  const view = message && presentMessage(message, { forStaff: false, format: 'markdown' });
  if (!hook || !view) {
    await db.updateTable('webhook_deliveries').set({ status: 'failed', last_error: 'webhook or message removed', updated_at: nowIso() }).where('id', '=', deliveryId).execute();
    return { skipped: true };
  }
  const body = JSON.stringify({ event: EVENTS.messageCreated, deliveryId, conversationId: delivery.conversation_id, message: view });
  const attempts = Number(delivery.attempts) + 1;
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(webhookSecret(deps, hook.secret), body), [DELIVERY_HEADER]: deliveryId, 'user-agent': 'zhixun-webhook/1' },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(5000),
    });
    statusCode = res.status;
    if (res.status >= 200 && res.status < 300) {
      await db.updateTable('webhook_deliveries').set({ status: 'delivered', attempts, last_status_code: statusCode, last_error: null, delivered_at: nowIso(), updated_at: nowIso() }).where('id', '=', deliveryId).execute();
      return { delivered: true, attempts };
    }
    error = `HTTP ${res.status}`;
  } catch (err) {
    error = (err as Error).name === 'TimeoutError' ? 'timeout after 5 s' : String((err as Error).message ?? err).slice(0, 200);
  }
  const delay = RETRY_DELAYS_MS[attempts - 1];
  await db
    .updateTable('webhook_deliveries')
    .set({ status: delay === undefined ? 'failed' : 'pending', attempts, last_status_code: statusCode, last_error: error, updated_at: nowIso() })
    .where('id', '=', deliveryId)
    .execute();
  if (delay !== undefined) await deps.ctx.jobs.enqueue(WEBHOOK_JOB, { deliveryId }, { createdBy: 'system', runAt: new Date(Date.now() + delay).toISOString() });
  return { delivered: false, attempts, error };
}
