import type { AgentStatus } from '../../../common/conversations';
import { EVENTS } from '../../../common/events';
import { nowIso } from '../platform/ids';
import { badRequest } from '../platform/errors';
import { inTransaction, loadFunnelSettings, repoOf, type ConversationDeps } from './deps';
import type { AgentState } from './model';

/** An agent's own state; one who never set it is offline with the default seats and no skill limit. */
export async function agentState(deps: ConversationDeps, userId: string): Promise<AgentState> {
  const stored = await repoOf(deps.ctx.db).getAgent(userId);
  if (stored) return stored;
  const settings = await loadFunnelSettings(deps);
  return { userId, status: 'offline', maxChats: settings.defaultMaxChats, skills: [], updatedAt: nowIso() };
}

/**
 * An agent goes online (takes conversations), busy (keeps theirs, gets no new ones), away or offline,
 * and may change how many chats they handle at once. Going online starts assignment.
 */
export async function setAgentStatus(deps: ConversationDeps, userId: string, input: { status: AgentStatus; maxChats?: number }) {
  const current = await agentState(deps, userId);
  const next: AgentState = { ...current, status: input.status, maxChats: input.maxChats ?? current.maxChats, updatedAt: nowIso() };
  await inTransaction(deps, async (repo, emit) => {
    await repo.putAgent(next);
    await emit(EVENTS.agentStatusChanged, { userId, status: next.status });
  });
  return next;
}

/** A supervisor sets an agent's skills (and seats); unknown skills are refused. */
export async function configureAgent(deps: ConversationDeps, userId: string, input: { skills: string[]; maxChats?: number }) {
  const known = new Set((await repoOf(deps.ctx.db).skills()).map((s) => s.id));
  const unknown = input.skills.filter((s) => !known.has(s));
  if (unknown.length) throw badRequest('unknown_skill', { zh: `没有这些技能组：${unknown.join('、')}`, en: `unknown skills: ${unknown.join(', ')}` }, 'skills');
  const current = await agentState(deps, userId);
  const next: AgentState = { ...current, skills: [...new Set(input.skills)], maxChats: input.maxChats ?? current.maxChats, updatedAt: current.updatedAt };
  await inTransaction(deps, async (repo, emit) => {
    await repo.putAgent(next);
    await emit(EVENTS.agentStatusChanged, { userId, status: next.status });
  });
  return next;
}
