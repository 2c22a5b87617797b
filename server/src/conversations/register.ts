import type { FastifyInstance } from 'fastify';
import { EVENTS, type EventPayloads } from '../../../common/events';
import { isUniqueViolation } from '../platform/database';
import { assignWaiting } from './assign-conversation';
import type { ChannelAdapter } from './channel-adapter';
import { CHANNEL_SEND_JOB, type ChannelDelivery } from './channel-delivery';
import { deliverWebhook, queueWebhookDelivery, WEBHOOK_JOB } from './channel-webhooks';
import { closeIdleConversations, learnFromClosedConversation } from './close-conversation';
import { LEARN_JOB, repoOf, type ConversationDeps } from './deps';
import { conversationRoutes } from './routes';
import { watchQueue } from './watch-queue';
import { widgetRoutes } from './widget-routes';

/** The widget site the platform's own portal uses; operators add sites for other pages. */
export const PORTAL_SITE_KEY = 'portal';

/**
 * The conversations domain in the app: its routes, the consumers of its events (assignment, robot
 * learning), its periodic jobs (idle close) and its queue gauges.
 */
export async function registerConversations(app: FastifyInstance, deps: ConversationDeps, delivery: ChannelDelivery, adapters: ChannelAdapter[]) {
  const { ctx } = deps;
  await conversationRoutes(app, deps);
  await widgetRoutes(app, deps);
  for (const adapter of adapters) await adapter.routes(app);
  await ensurePortalSite(deps);

  const assign = () => void assignWaiting(deps).catch((err) => ctx.log.error({ err }, 'assignment failed'));
  // any instance may act on these: assignment is guarded by conditional updates
  ctx.events.on(EVENTS.conversationChanged, (p: EventPayloads['conversation.changed']) => {
    if (p.status === 'queued' || p.status === 'resolved' || p.from === 'assigned') assign();
  });
  ctx.events.on(EVENTS.agentStatusChanged, (p: EventPayloads['agent.status_changed']) => {
    if (p.status === 'online') assign();
  });

  ctx.jobs.register(LEARN_JOB, async ({ conversationId }: { conversationId: string }) => learnFromClosedConversation(deps, conversationId));
  // once per message, on the instance whose outbox dispatched it
  ctx.events.onOwn(EVENTS.messageCreated, (p: EventPayloads['message.created']) => {
    queueWebhookDelivery(deps, p).catch((err) => ctx.log.error({ err }, 'webhook delivery could not be queued'));
  });
  ctx.jobs.register(WEBHOOK_JOB, (payload: { deliveryId: string }) => deliverWebhook(deps, payload));
  // messages out to external channels (WeChat, QQ …), once per message
  ctx.events.onOwn(EVENTS.messageCreated, (p: EventPayloads['message.created']) => {
    delivery.onMessageCreated(p).catch((err) => ctx.log.error({ err }, 'channel delivery could not be queued'));
  });
  ctx.jobs.register(CHANNEL_SEND_JOB, (payload: { deliveryId: string }) => delivery.send(payload));
  watchQueue(ctx);
  ctx.jobs.every(60_000, 'conversations.close-idle', async () => {
    const closed = await closeIdleConversations(deps);
    if (closed) ctx.log.info({ closed }, 'idle conversations closed');
  });
}

async function ensurePortalSite(deps: ConversationDeps) {
  const repo = repoOf(deps.ctx.db);
  if (await repo.widgetSite(PORTAL_SITE_KEY)) return;
  try {
    await repo.insertWidgetSite({ key: PORTAL_SITE_KEY, name: '门户网站 / portal', origins: [] });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err; // another instance created it at the same moment
  }
}
