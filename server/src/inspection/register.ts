import type { FastifyInstance } from 'fastify';
import { EVENTS, type EventPayloads } from '../../../common/events';
import { inspectConversation, reinspectSince } from './inspect-conversation';
import { INSPECT_JOB, REINSPECT_JOB, type InspectionDeps } from './ports';
import { inspectionRoutes } from './routes';
import { ensureDefaultRules } from './update-rule';

export type { InspectionDeps } from './ports';

/**
 * The inspection domain in the app: every closed conversation an agent served is inspected by a
 * background job; rule changes re-inspect the last 30 days.
 */
export async function registerInspection(app: FastifyInstance, deps: InspectionDeps) {
  const { ctx } = deps;
  await ensureDefaultRules(ctx);
  await inspectionRoutes(app, deps);
  ctx.jobs.register(INSPECT_JOB, async ({ conversationId }: { conversationId: string }) => ({ inspected: await inspectConversation(deps, conversationId) }));
  ctx.jobs.register(REINSPECT_JOB, async ({ since }: { since: string }, run) => reinspectSince(deps, since, (p) => run.progress(p)));
  // once per close, on the instance whose outbox dispatched it
  ctx.events.onOwn(EVENTS.conversationClosed, (p: EventPayloads['conversation.closed']) => {
    if (!p.hadAgent) return;
    ctx.jobs.enqueue(INSPECT_JOB, { conversationId: p.conversationId }, { createdBy: 'system' }).catch((err) => ctx.log.error({ err }, 'inspection could not be queued'));
  });
}
