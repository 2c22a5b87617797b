import { EVENTS } from '../../../common/events';
import { nowIso } from '../platform/ids';
import { conflict, forbidden } from '../platform/errors';
import { inTransaction, messageCreated, repoOf, type ConversationDeps } from './deps';
import type { AgentState, ConversationRecord } from './model';
import { agentState } from './set-agent-status';

/** Whether an agent's skills cover a conversation's (an agent with no skills takes every queue). */
export const coversSkill = (agent: Pick<AgentState, 'skills'>, skill: string | null) => skill === null || agent.skills.length === 0 || agent.skills.includes(skill);

/**
 * Gives a waiting conversation to an agent: only if it is still waiting (another agent or instance
 * may have been quicker), then tells the citizen who is serving them.
 */
async function giveTo(deps: ConversationDeps, conversation: ConversationRecord, agentId: string, how: 'assign' | 'accept'): Promise<boolean> {
  const name = await deps.staff.displayName(agentId);
  const notice = await inTransaction(deps, async (repo, emit) => {
    const taken = await repo.updateConversation(conversation.id, { status: 'assigned', assigneeId: agentId, assignedAt: nowIso() }, { status: ['queued'], assigneeId: null });
    if (!taken) return undefined;
    await repo.insertEvent(conversation.id, how, how === 'assign' ? 'system' : `user:${agentId}`, { agentId });
    const stored = await repo.appendMessage(conversation.id, { sender: 'system', text: `人工客服${name}为您服务。` });
    await emit(EVENTS.conversationChanged, { conversationId: conversation.id, status: 'assigned', from: 'queued', assigneeId: agentId, skill: conversation.skill });
    await emit(EVENTS.messageCreated, messageCreated(stored));
    return stored;
  });
  return notice !== undefined;
}

/** One assignment run at a time per app (several apps live in one test process). */
const runs = new WeakMap<ConversationDeps, { current?: Promise<number>; again: boolean }>();

/**
 * Automatic assignment: the longest-waiting live conversation first, to the least-loaded agent on
 * duty who has its skill and a free seat. Runs after every hand-off, status change and close; runs
 * are serialised within the instance, and the conditional update keeps instances from giving one
 * conversation twice. Left messages are not assigned: agents pick them from the workspace.
 */
export function assignWaiting(deps: ConversationDeps): Promise<number> {
  let run = runs.get(deps);
  if (!run) runs.set(deps, (run = { again: false }));
  const state = run;
  if (state.current) {
    state.again = true; // something changed during this run: go round once more
    return state.current;
  }
  state.current = (async () => {
    let total = 0;
    do {
      state.again = false;
      total += await assignOnce(deps);
    } while (state.again);
    return total;
  })().finally(() => (state.current = undefined));
  return state.current;
}

async function assignOnce(deps: ConversationDeps): Promise<number> {
  const repo = repoOf(deps.ctx.db);
  const agents = await repo.onlineAgents();
  if (!agents.length) return 0;
  const waiting = await repo.queued({ leftMessages: false });
  if (!waiting.length) return 0;
  const load = await repo.loadOf(agents.map((a) => a.userId));
  let assigned = 0;
  for (const conversation of waiting) {
    const free = agents.filter((a) => coversSkill(a, conversation.skill) && (load.get(a.userId) ?? 0) < a.maxChats);
    if (!free.length) continue;
    // least loaded; on a tie the one who has waited longest since their last change
    free.sort((a, b) => (load.get(a.userId) ?? 0) - (load.get(b.userId) ?? 0) || a.updatedAt.localeCompare(b.updatedAt));
    const agent = free[0];
    if (await giveTo(deps, conversation, agent.userId, 'assign')) {
      load.set(agent.userId, (load.get(agent.userId) ?? 0) + 1);
      assigned++;
    }
  }
  return assigned;
}

/**
 * An agent picks a conversation from the queue (or a left message). The agent must have its skill;
 * a supervisor may take any. 409 when someone else was quicker.
 */
export async function acceptConversation(deps: ConversationDeps, agentId: string, conversation: ConversationRecord, options: { isSupervisor: boolean }) {
  if (conversation.status !== 'queued') throw conflict('not_waiting', { zh: '该会话已不在排队中', en: 'the conversation is no longer waiting' });
  if (!options.isSupervisor) {
    const agent = await agentState(deps, agentId);
    if (!coversSkill(agent, conversation.skill)) throw forbidden('skill_required', { zh: '您没有该会话所需的技能组', en: 'you do not have the skill this conversation needs' });
  }
  if (!(await giveTo(deps, conversation, agentId, 'accept'))) throw conflict('not_waiting', { zh: '该会话已被他人接起', en: 'someone else took the conversation' });
}
