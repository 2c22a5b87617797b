import { MONITOR_EVENTS, type MonitorPushes } from '../../../common/analytics';
import { EVENTS, type EventPayloads } from '../../../common/events';
import { buildAgents, buildQueues } from './build-snapshot';
import type { SupervisionDeps } from './deps';
import { supervisionRepo } from './repo';

/** Bursts of events (a hand-off writes several) are gathered this long before the monitor is recomputed. */
export const PUSH_DELAY_MS = 250;

/**
 * Keeps the supervisors connected to this instance current. Listens to the domain events, which
 * reach every instance, marks what they touch (agents, queues, conversations) and, at most every
 * PUSH_DELAY_MS, recomputes only that and pushes it. An instance with no supervisor connected
 * computes nothing. Returns a stop function.
 */
export function startMonitorFeed(deps: SupervisionDeps) {
  const { ctx } = deps;
  let agentsDirty = false;
  let queuesDirty = false;
  const dirtyConversations = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let isStopped = false;

  const push = <E extends keyof MonitorPushes>(event: E, payload: MonitorPushes[E]) => deps.sockets()?.emit(event, payload);
  const isWatched = () => (deps.sockets()?.count() ?? 0) > 0;

  function schedule(mark: { agents?: boolean; queues?: boolean; conversationId?: string }) {
    if (isStopped || !isWatched()) return;
    agentsDirty ||= Boolean(mark.agents);
    queuesDirty ||= Boolean(mark.queues);
    if (mark.conversationId) dirtyConversations.add(mark.conversationId);
    if (!timer) timer = setTimeout(() => void flush(), PUSH_DELAY_MS);
  }

  async function flush() {
    timer = undefined;
    const [doAgents, doQueues, ids] = [agentsDirty, queuesDirty, [...dirtyConversations]];
    agentsDirty = queuesDirty = false;
    dirtyConversations.clear();
    if (!isWatched()) return;
    try {
      const at = new Date().toISOString();
      if (doQueues) push(MONITOR_EVENTS.queues, { at, ...(await buildQueues(deps)) });
      for (const conversation of ids.length ? await deps.conversations.present(ids) : []) {
        // the robot's own conversations are not the monitor's business until they are handed off
        if (conversation.status !== 'bot') push(MONITOR_EVENTS.conversation, conversation);
      }
      if (doAgents) push(MONITOR_EVENTS.agents, { at, agents: await buildAgents(deps) });
    } catch (err) {
      ctx.log.error({ err }, 'monitor push failed');
    }
  }

  ctx.events.on(EVENTS.conversationCreated, (p: EventPayloads['conversation.created']) => schedule({ conversationId: p.conversationId }));
  ctx.events.on(EVENTS.conversationChanged, (p: EventPayloads['conversation.changed']) =>
    schedule({ conversationId: p.conversationId, agents: true, queues: p.status === 'queued' || p.from === 'queued' }),
  );
  ctx.events.on(EVENTS.conversationClosed, (p: EventPayloads['conversation.closed']) => schedule({ conversationId: p.conversationId, agents: true, queues: true }));
  ctx.events.on(EVENTS.messageCreated, (p: EventPayloads['message.created']) => schedule({ conversationId: p.conversationId, agents: p.sender === 'agent' && !p.isPrivate }));
  ctx.events.on(EVENTS.agentStatusChanged, () => schedule({ agents: true }));
  // alerts go out at once: they are rare and urgent
  ctx.events.on(EVENTS.alertChanged, (p: EventPayloads['alert.changed']) => {
    if (!isWatched()) return;
    void supervisionRepo(ctx.db)
      .alert(p.alertId)
      .then((stored) => {
        if (!stored) return;
        const { isOpen: _state, ...alert } = stored;
        push(MONITOR_EVENTS.alert, { alert, isOpen: p.isOpen });
      })
      .catch((err) => ctx.log.error({ err }, 'alert push failed'));
  });

  return () => {
    isStopped = true;
    if (timer) clearTimeout(timer);
  };
}
