import { EVENTS } from '../../../common/events';
import { maskPersonalData } from '../../../common/masking';
import { now as clockNow, nowIso } from '../platform/ids';
import { conflict, forbidden } from '../platform/errors';
import { inTransaction, LEARN_JOB, loadFunnelSettings, messageCreated, repoOf, type ConversationDeps } from './deps';
import type { ConversationRecord } from './model';

export const SURVEY_TEXT = '本次服务已结束。请您为本次服务评分（1–5分，5分为非常满意），也可以留下意见。';

/**
 * Ends a conversation with a closing category and summary. Where an agent served, the citizen is
 * offered the satisfaction survey (1–5 and a comment).
 */
export async function closeConversation(
  deps: ConversationDeps,
  by: { userId: string; isSupervisor: boolean } | 'system',
  conversation: ConversationRecord,
  input: { category: string | null; summary: string | null; reason?: string },
) {
  if (conversation.status === 'resolved') throw conflict('conversation_closed', { zh: '会话已结束', en: 'the conversation is closed already' });
  if (by !== 'system' && conversation.assigneeId !== by.userId && !by.isSupervisor) throw forbidden('not_assignee', { zh: '只能结束自己的会话', en: 'you can close only your own conversations' });
  const hadAgent = conversation.assigneeId !== null || conversation.status === 'assigned';
  const actor = by === 'system' ? 'system' : `user:${by.userId}`;
  const notice = await inTransaction(deps, async (r, emit) => {
    const closed = await r.updateConversation(
      conversation.id,
      { status: 'resolved', closedAt: nowIso(), category: input.category, summary: input.summary },
      { status: [conversation.status] },
    );
    if (!closed) return null;
    await r.insertEvent(conversation.id, 'close', actor, { category: input.category, reason: input.reason ?? null, from: conversation.status });
    const text = hadAgent ? SURVEY_TEXT : input.reason === 'idle' ? '由于长时间没有新消息，本次会话已结束。如需帮助，请随时再来咨询。' : '本次会话已结束。';
    const stored = await r.appendMessage(conversation.id, { sender: 'system', text, payload: hadAgent ? { survey: true } : {} });
    await emit(EVENTS.conversationChanged, { conversationId: conversation.id, status: 'resolved', from: conversation.status, assigneeId: conversation.assigneeId });
    await emit(EVENTS.messageCreated, messageCreated(stored));
    await emit(EVENTS.conversationClosed, { conversationId: conversation.id, hadAgent });
    return stored;
  });
  if (notice === null) throw conflict('conversation_changed', { zh: '会话状态已变化，请刷新', en: 'the conversation changed meanwhile' });
  // once, on the instance that closed it (every instance sees the event)
  if (hadAgent) await deps.ctx.jobs.enqueue(LEARN_JOB, { conversationId: conversation.id }, { createdBy: actor });
}

/** Closes conversations nobody wrote in for the configured time (the periodic job). */
export async function closeIdleConversations(deps: ConversationDeps, now = clockNow()): Promise<number> {
  const settings = await loadFunnelSettings(deps);
  const before = new Date(now.getTime() - settings.idleCloseMinutes * 60_000).toISOString();
  let closed = 0;
  for (const conversation of await repoOf(deps.ctx.db).idleSince(before)) {
    try {
      await closeConversation(deps, 'system', conversation, { category: conversation.category, summary: conversation.summary ?? '超时自动结束 / closed after inactivity', reason: 'idle' });
      closed++;
    } catch (err) {
      // a message or an agent got there first: it is no longer idle
      deps.ctx.log.debug({ err, conversationId: conversation.id }, 'idle close skipped');
    }
  }
  return closed;
}

/** The citizen's satisfaction rating of a served conversation: once, 1–5, an optional comment. */
export async function rateConversation(deps: ConversationDeps, conversation: ConversationRecord, input: { score: number; comment?: string }) {
  if (conversation.status !== 'resolved') throw conflict('not_closed', { zh: '会话结束后才能评价', en: 'rate the conversation after it has ended' });
  if (conversation.rating !== null) throw conflict('already_rated', { zh: '您已评价过本次服务', en: 'already rated' });
  const comment = input.comment?.trim() ? maskPersonalData(input.comment.trim()) : null;
  const rated = await inTransaction(deps, async (r, emit) => {
    const done = await r.updateConversation(conversation.id, { rating: input.score, ratingComment: comment }, { status: ['resolved'] });
    if (done) {
      await r.insertEvent(conversation.id, 'rating', 'customer', { score: input.score });
      await emit(EVENTS.conversationChanged, { conversationId: conversation.id, status: 'resolved', reason: 'rating' });
    }
    return done;
  });
  if (!rated) throw conflict('conversation_changed', { zh: '会话状态已变化', en: 'the conversation changed meanwhile' });
}

/**
 * What a closed conversation teaches the robot: the citizen's questions and the agent's answers to
 * them (with the entry sent, when one was), through the robot's existing learning path, which
 * decides what the robot missed. Requests for a person (转人工) are not questions and are left out;
 * a question the robot did answer stays in, since the citizen still needed a person.
 */
export async function learnFromClosedConversation(deps: ConversationDeps, conversationId: string) {
  const messages = await repoOf(deps.ctx.db).messagesAfter(conversationId, 0, { includePrivate: false, limit: 500 });
  const turns = messages
    .filter((m) => m.sender === 'agent' || (m.sender === 'customer' && !deps.robot.robot.wantsHuman(m.text)))
    .map((m) => ({ role: m.sender === 'customer' ? ('citizen' as const) : ('agent' as const), text: m.text, entryId: m.entryId ?? undefined }));
  if (!turns.some((t) => t.role === 'agent')) return;
  await deps.learning.learnFrom({ id: conversationId, turns });
}
