import type { FastifyInstance } from 'fastify';
import { EVENTS, type EventPayloads } from '../../../common/events';
import type { SupervisionDeps } from './deps';
import { startMonitorFeed } from './monitor-feed';
import { checkCustomerMessage, checkTransfers, checkWaits } from './raise-alert';
import { supervisionRoutes } from './routes';

export type { SupervisionDeps } from './deps';

/** The periodic check of waits (queue and agents' silence), once across instances. */
export const CHECK_WAITS_JOB = 'supervision.check-waits';

/**
 * The supervision domain in the app: the live monitor's routes, its realtime feed (each instance
 * pushes to its own supervisors) and its alerts (raised once, by the instance that dispatched the
 * event, or by the periodic check).
 */
export async function registerSupervision(app: FastifyInstance, deps: SupervisionDeps) {
  const { ctx } = deps;
  await supervisionRoutes(app, deps);
  const stopFeed = startMonitorFeed(deps);
  app.addHook('onClose', async () => stopFeed());

  const failed = (what: string) => (err: unknown) => ctx.log.error({ err }, `monitor: ${what} failed`);
  ctx.events.onOwn(EVENTS.messageCreated, (p: EventPayloads['message.created']) => void checkCustomerMessage(deps, p).catch(failed('message check')));
  ctx.events.onOwn(EVENTS.conversationChanged, (p: EventPayloads['conversation.changed']) => {
    if (p.reason === 'transfer') void checkTransfers(deps, p.conversationId).catch(failed('transfer check'));
  });
  ctx.jobs.every(deps.checkEveryMs ?? 5000, CHECK_WAITS_JOB, async () => {
    await checkWaits(deps);
  });
}
