import { EVENTS } from '../../../common/events';
import type { QueueInfo } from '../../../common/conversations';
import { now as clockNow, nowIso } from '../platform/ids';
import { inTransaction, loadFunnelSettings, loadServiceHours, messageCreated, repoOf, type ConversationDeps } from './deps';
import type { ConversationRecord, MessageRecord } from './model';
import { describeOpening, isServiceOpen, nextOpening } from './service-hours';

/**
 * The skill a conversation needs: the knowledge category of the topic (the entry the robot was on,
 * or the last one it answered in this conversation), mapped to a skill in the console; a skill
 * listing a category also takes its sub-categories. No match → the general queue (null).
 */
export async function skillFor(deps: ConversationDeps, conversationId: string, entryId?: string): Promise<string | null> {
  const repo = repoOf(deps.ctx.db);
  let topic = entryId;
  if (!topic) {
    const recent = await repo.messagesAfter(conversationId, 0, { includePrivate: false, limit: 500 });
    topic = [...recent].reverse().find((m) => m.entryId)?.entryId ?? undefined;
  }
  const category = topic ? deps.knowledge.categoryOfEntry(topic) : undefined;
  if (!category) return null;
  const path = deps.knowledge.categoryPath(category);
  const skills = await repo.skills();
  for (const categoryId of path) {
    const skill = skills.find((s) => s.categories.includes(categoryId));
    if (skill) return skill.id;
  }
  return null;
}

/**
 * Where a waiting conversation stands: its place among the live conversations of its skill, and a
 * wait estimate: the rounds of service ahead of it (place ÷ free seats of the agents on duty with
 * that skill) times the configured handling time.
 */
export async function queueInfo(deps: ConversationDeps, conversation: ConversationRecord): Promise<QueueInfo | undefined> {
  if (conversation.status !== 'queued' || conversation.isLeftMessage || !conversation.queuedAt) return undefined;
  const repo = repoOf(deps.ctx.db);
  const ahead = await repo.queuedAhead(conversation.skill, conversation.queuedAt, conversation.id);
  const settings = await loadFunnelSettings(deps);
  const agents = (await repo.onlineAgents()).filter((a) => conversation.skill === null || a.skills.length === 0 || a.skills.includes(conversation.skill));
  const seats = Math.max(1, agents.reduce((n, a) => n + a.maxChats, 0));
  const position = ahead + 1;
  return { position, estimatedWaitSeconds: Math.ceil(position / seats) * settings.defaultHandleSeconds };
}

/**
 * Hands a conversation from the robot to people. In service hours it joins its skill's queue and
 * the citizen is told their place and the expected wait; outside them it becomes a left message
 * (留言) that agents answer when they are back, on the channel it came from. Returns the notice to
 * the citizen, or undefined when the conversation had already left the robot.
 */
export async function handOff(
  deps: ConversationDeps,
  conversation: ConversationRecord,
  input: { reason: string; entryId?: string; inReplyTo?: number; by: string; skill?: string },
): Promise<MessageRecord | undefined> {
  const skill = input.skill ?? (await skillFor(deps, conversation.id, input.entryId));
  const hours = await loadServiceHours(deps);
  const now = clockNow();
  const isOpen = isServiceOpen(hours, now);
  const notice = await inTransaction(deps, async (repo, emit) => {
    const moved = await repo.updateConversation(
      conversation.id,
      { status: 'queued', skill, handoffReason: input.reason, queuedAt: nowIso(), isLeftMessage: !isOpen },
      { status: ['bot'] },
    );
    if (!moved) return undefined;
    await repo.insertEvent(conversation.id, isOpen ? 'handoff' : 'left_message', input.by, { reason: input.reason, skill });
    const opening = isOpen ? null : nextOpening(hours, now);
    const text = isOpen
      ? '您已进入人工服务排队，轮到您时人工客服会马上回复；排队位置会随时更新。'
      : `现在是非人工服务时间${opening ? `，人工客服将于${describeOpening(opening)}上班` : ''}。您可以直接在这里留言，工作人员上班后会在这里回复您。`;
    const stored = await repo.appendMessage(conversation.id, { sender: 'system', text, inReplyTo: input.inReplyTo ?? null });
    await emit(EVENTS.conversationChanged, { conversationId: conversation.id, status: 'queued', from: 'bot', skill, reason: input.reason });
    await emit(EVENTS.messageCreated, messageCreated(stored));
    return stored;
  });
  return notice;
}
