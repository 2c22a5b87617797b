import type { FastifyInstance } from 'fastify';
import { EVENTS } from '../../../common/events';
import type { AppContext } from '../platform/context';
import { Segmenter } from '../text/segmenter';
import { generateDueReports, REPORTS_SCHEDULE } from './generate-reports';
import type { KnowledgeDrafts } from './ports';
import { rebuildAnalytics, REBUILD_JOB } from './rebuild-analytics';
import { recordConversationFacts, SerialQueue } from './record-facts';
import { analyticsRepo } from './repo';
import { analyticsRoutes } from './routes';

/** What the analytics domain needs from the rest of the app. */
export interface AnalyticsDeps {
  ctx: AppContext;
  /** the knowledge domain's create-draft use case */
  drafts: KnowledgeDrafts;
}

/** Handles for tests and benchmarks: wait for the consumer, rebuild everything now. */
export interface AnalyticsHandle {
  idle(): Promise<void>;
  rebuild(): Promise<{ conversations: number }>;
}
declare module 'fastify' {
  interface FastifyInstance {
    analytics: AnalyticsHandle;
  }
}

/**
 * The analytics domain in the app: a consumer of the conversation events that keeps each
 * conversation's facts and the hourly rollups current, the rebuild job, the reports schedule and
 * the data analysis centre's API.
 */
export async function registerAnalytics(app: FastifyInstance, deps: AnalyticsDeps) {
  const { ctx } = deps;
  const repo = analyticsRepo(ctx.db);
  // clustering hard topics segments questions; one segmenter per app (its dictionary takes a moment to load)
  const segmenter = new Segmenter([]);
  await analyticsRoutes(app, deps, segmenter);

  // once per event, on the instance whose outbox dispatched it; one at a time so writes never race
  const queue = new SerialQueue();
  const refresh = (p: { conversationId?: string }) => {
    if (!p?.conversationId) return;
    const id = p.conversationId;
    queue.push(() => recordConversationFacts(repo, id), (err) => ctx.log.error({ err, conversationId: id }, 'analytics facts not recorded'), id);
  };
  for (const name of [EVENTS.conversationCreated, EVENTS.conversationChanged, EVENTS.conversationClosed, EVENTS.messageCreated] as const) ctx.events.onOwn(name, refresh);

  ctx.jobs.register(REBUILD_JOB, async (_payload, run) => rebuildAnalytics(ctx, (percent) => run.progress?.(percent)));
  ctx.jobs.every(3600_000, REPORTS_SCHEDULE, async () => {
    const made = await generateDueReports(repo, segmenter);
    if (made.length) ctx.log.info({ reports: made.length }, 'analytics reports generated');
  });
  // existing conversations (analytics added to a running installation, or an upgrade emptied the tables)
  if ((await repo.factsCount()) === 0 && (await repo.hasConversations())) await ctx.jobs.enqueue(REBUILD_JOB, {}, { createdBy: 'system' });

  app.decorate('analytics', {
    idle: () => queue.idle(),
    rebuild: () => rebuildAnalytics(ctx),
  } satisfies AnalyticsHandle);
}
