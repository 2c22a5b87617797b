import type { AppContext } from '../platform/context';
import { nowIso } from '../platform/ids';
import { repoOf } from './deps';

/**
 * The queue in the metrics scrape: how many citizens wait for an agent (live conversations, and left
 * messages taken out of hours, apart) and how long the one queued longest has waited. Read at each scrape.
 */
export function watchQueue(ctx: AppContext) {
  const repo = repoOf(ctx.db);
  ctx.metrics.gauge('conversations_waiting', 'Conversations waiting for an agent: live ones, and left messages (留言) taken out of hours', ['kind'], async (gauge) => {
    const counts = await repo.countQueued();
    gauge.set({ kind: 'live' }, counts.live);
    gauge.set({ kind: 'left_message' }, counts.leftMessages);
  });
  ctx.metrics.gauge('conversations_longest_wait_seconds', 'How long the conversation waiting longest for an agent has waited (0 when none waits)', [], async (gauge) => {
    const [longest] = await repo.queued({ limit: 1 });
    gauge.set(longest?.queuedAt ? Math.max(0, (Date.parse(nowIso()) - Date.parse(longest.queuedAt)) / 1000) : 0);
  });
}
