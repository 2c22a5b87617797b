import { EVENTS } from '../../../common/events';
import { nowIso } from '../platform/ids';
import { badRequest, conflict, forbidden } from '../platform/errors';
import { inTransaction, messageCreated, repoOf, type ConversationDeps } from './deps';
import type { ConversationRecord } from './model';

/**
 * Hands an assigned conversation on: to a named agent (who must be on duty or busy, not away), or
 * back into the queue of a skill. The note travels as an internal note the citizen never sees; the
 * conversation keeps its original place in the queue, since the citizen has waited already.
 */
export async function transferConversation(
  deps: ConversationDeps,
  byUserId: string,
  conversation: ConversationRecord,
  input: { to: { agent?: string; skill?: string }; note?: string },
  options: { isSupervisor: boolean },
) {
  if (conversation.status !== 'assigned') throw conflict('not_assigned', { zh: '只能转接正在服务中的会话', en: 'only an assigned conversation can be transferred' });
  if (conversation.assigneeId !== byUserId && !options.isSupervisor) throw forbidden('not_assignee', { zh: '只能转接自己的会话', en: 'you can transfer only your own conversations' });
  const repo = repoOf(deps.ctx.db);
  const { agent: toAgent, skill: toSkill } = input.to;
  if (Boolean(toAgent) === Boolean(toSkill)) throw badRequest('invalid_target', { zh: '请指定转给某位坐席或某个技能组', en: 'give either an agent or a skill' }, 'to');
  if (toAgent) {
    const target = await repo.getAgent(toAgent);
    if (!target || target.status === 'away' || target.status === 'offline') throw conflict('agent_unavailable', { zh: '该坐席当前不在线', en: 'that agent is not available' });
    if (toAgent === conversation.assigneeId) throw badRequest('invalid_target', { zh: '不能转给自己', en: 'cannot transfer to yourself' }, 'to');
  }
  if (toSkill && !(await repo.skills()).some((s) => s.id === toSkill)) throw badRequest('unknown_skill', { zh: `没有这个技能组：${toSkill}`, en: `no skill ${toSkill}` }, 'to.skill');

  const fromName = await deps.staff.displayName(byUserId);
  const toName = toAgent ? await deps.staff.displayName(toAgent) : undefined;
  const messages = await inTransaction(deps, async (r, emit) => {
    const patch = toAgent
      ? { assigneeId: toAgent, assignedAt: nowIso(), agentReadSeq: 0 }
      : { status: 'queued' as const, assigneeId: null, skill: toSkill!, isLeftMessage: false };
    const moved = await r.updateConversation(conversation.id, patch, { status: ['assigned'], assigneeId: conversation.assigneeId });
    if (!moved) return undefined;
    await r.insertEvent(conversation.id, 'transfer', `user:${byUserId}`, { from: conversation.assigneeId, toAgent: toAgent ?? null, toSkill: toSkill ?? null, note: input.note ?? null });
    const stored = [];
    if (input.note) stored.push(await r.appendMessage(conversation.id, { sender: 'agent', senderId: byUserId, senderName: fromName, text: `转接备注：${input.note}`, isPrivate: true }));
    stored.push(await r.appendMessage(conversation.id, { sender: 'system', text: toAgent ? `已为您转接到人工客服${toName}。` : '已为您转接到更合适的人工客服，请稍候。' }));
    await emit(EVENTS.conversationChanged, { conversationId: conversation.id, status: toAgent ? 'assigned' : 'queued', from: 'assigned', assigneeId: toAgent ?? null, skill: toSkill ?? conversation.skill, reason: 'transfer' });
    for (const m of stored) await emit(EVENTS.messageCreated, messageCreated(m));
    return stored;
  });
  if (!messages) throw conflict('not_assigned', { zh: '会话状态已变化，请刷新', en: 'the conversation changed meanwhile' });
}

/** A supervisor takes a conversation over from the robot, the queue or another agent. */
export async function takeOverConversation(deps: ConversationDeps, supervisorId: string, conversation: ConversationRecord) {
  if (conversation.status === 'resolved') throw conflict('conversation_closed', { zh: '会话已结束', en: 'the conversation is closed' });
  if (conversation.assigneeId === supervisorId) return;
  const name = await deps.staff.displayName(supervisorId);
  const notice = await inTransaction(deps, async (r, emit) => {
    const moved = await r.updateConversation(
      conversation.id,
      { status: 'assigned', assigneeId: supervisorId, assignedAt: nowIso(), queuedAt: conversation.queuedAt ?? nowIso() },
      { status: [conversation.status], assigneeId: conversation.assigneeId },
    );
    if (!moved) return undefined;
    await r.insertEvent(conversation.id, 'take_over', `user:${supervisorId}`, { from: conversation.assigneeId, status: conversation.status });
    const stored = await r.appendMessage(conversation.id, { sender: 'system', text: `人工客服${name}为您服务。` });
    await emit(EVENTS.conversationChanged, { conversationId: conversation.id, status: 'assigned', from: conversation.status, assigneeId: supervisorId, skill: conversation.skill, reason: 'take_over' });
    await emit(EVENTS.messageCreated, messageCreated(stored));
    return stored;
  });
  if (!notice) throw conflict('conversation_changed', { zh: '会话状态已变化，请刷新', en: 'the conversation changed meanwhile' });
}
