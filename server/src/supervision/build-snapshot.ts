import type { MonitorSnapshot } from '../../../common/analytics';
import { secondsSince, type SupervisionDeps } from './deps';
import { supervisionRepo } from './repo';

const STATUS_ORDER = ['online', 'busy', 'away', 'offline'];
/** The name of the queue of conversations no skill claims. */
export const GENERAL_QUEUE = '综合';

/** Every agent with their status, seats, load, conversations and silence, on duty first. */
export async function buildAgents(deps: SupervisionDeps, nowMs = Date.now()): Promise<MonitorSnapshot['agents']> {
  const repo = supervisionRepo(deps.ctx.db);
  const [agents, assigned, lastReply] = await Promise.all([repo.agents(), repo.assigned(), repo.lastReplyByAgent()]);
  const byAgent = new Map<string, string[]>();
  for (const c of assigned) if (c.assigneeId) byAgent.set(c.assigneeId, [...(byAgent.get(c.assigneeId) ?? []), c.id]);
  // a supervisor who took a conversation over serves it without an agents row
  const ids = [...new Set([...agents.map((a) => a.userId), ...byAgent.keys()])];
  const rows = await Promise.all(
    ids.map(async (userId) => {
      const a = agents.find((x) => x.userId === userId);
      const conversationIds = byAgent.get(userId) ?? [];
      const replied = lastReply.get(userId);
      return {
        userId,
        name: await deps.conversations.displayName(userId),
        status: a?.status ?? 'busy',
        maxChats: a?.maxChats ?? 0,
        load: conversationIds.length,
        skills: a?.skills ?? [],
        conversationIds,
        silentSeconds: conversationIds.length && replied ? secondsSince(replied, nowMs) : null,
      };
    }),
  );
  const rank = (s: string) => (STATUS_ORDER.includes(s) ? STATUS_ORDER.indexOf(s) : STATUS_ORDER.length);
  return rows.sort((x, y) => rank(x.status) - rank(y.status) || x.name.localeCompare(y.name, 'zh'));
}

/** A card per skill (and the general queue), with the left messages counted apart. */
export async function buildQueues(deps: SupervisionDeps, nowMs = Date.now()): Promise<Pick<MonitorSnapshot, 'queues' | 'leftMessages'>> {
  const repo = supervisionRepo(deps.ctx.db);
  const [skills, counts] = await Promise.all([repo.skills(), repo.queueCounts()]);
  const queues: MonitorSnapshot['queues'] = [{ skill: null, name: GENERAL_QUEUE, waiting: 0, longestWaitSeconds: 0 }, ...skills.map((s) => ({ skill: s.id, name: s.name, waiting: 0, longestWaitSeconds: 0 }))];
  const leftMessages = { waiting: 0, longestWaitSeconds: 0 };
  for (const row of counts) {
    const longest = row.oldest ? secondsSince(row.oldest, nowMs) : 0;
    // a skill deleted while conversations still wait for it keeps a card of its own
    const target = row.isLeftMessage ? leftMessages : (queues.find((q) => q.skill === row.skill) ?? queues[queues.push({ skill: row.skill, name: row.skill ?? GENERAL_QUEUE, waiting: 0, longestWaitSeconds: 0 }) - 1]);
    target.waiting += row.waiting;
    target.longestWaitSeconds = Math.max(target.longestWaitSeconds, longest);
  }
  return { queues, leftMessages };
}

/** The live monitor's whole picture; realtime pushes keep it current afterwards. */
export async function buildSnapshot(deps: SupervisionDeps): Promise<MonitorSnapshot> {
  const nowMs = Date.now();
  const repo = supervisionRepo(deps.ctx.db);
  const [agents, queues, conversations, alerts] = await Promise.all([
    buildAgents(deps, nowMs),
    buildQueues(deps, nowMs),
    repo.inProgressIds().then((ids) => deps.conversations.present(ids)),
    repo.openAlerts(),
  ]);
  return { at: new Date(nowMs).toISOString(), agents, ...queues, conversations, alerts };
}
