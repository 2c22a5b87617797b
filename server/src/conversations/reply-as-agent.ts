import { EVENTS } from '../../../common/events';
import { nowIso } from '../platform/ids';
import { conflict, forbidden } from '../platform/errors';
import { inTransaction, messageCreated, repoOf, type ConversationDeps } from './deps';
import type { ConversationRecord, MessageRecord } from './model';

/**
 * An agent's message in a conversation: a reply to the citizen (only the assignee, or a supervisor
 * who took over), or an internal note (`private`) that any staff member who may see the conversation
 * can leave — the citizen never sees it. A reply may name the knowledge entry it came from; the
 * robot later learns from that pairing. A reply to a left message reaches the citizen on their channel.
 */
export async function replyAsAgent(
  deps: ConversationDeps,
  agentId: string,
  conversation: ConversationRecord,
  input: { text: string; entryId?: string; isPrivate?: boolean; clientMessageId?: string },
): Promise<MessageRecord> {
  const repo = repoOf(deps.ctx.db);
  if (input.clientMessageId) {
    const seen = await repo.messageByClientId(conversation.id, input.clientMessageId);
    if (seen) return seen;
  }
  if (!input.isPrivate) {
    if (conversation.status === 'resolved') throw conflict('conversation_closed', { zh: '会话已结束', en: 'the conversation is closed' });
    if (conversation.assigneeId !== agentId) throw forbidden('not_assignee', { zh: '请先接起该会话再回复', en: 'accept the conversation before replying' });
  }
  const senderName = await deps.staff.displayName(agentId);
  return inTransaction(deps, async (r, emit) => {
    const stored = await r.appendMessage(conversation.id, {
      sender: 'agent',
      senderId: agentId,
      senderName,
      text: input.text,
      isPrivate: input.isPrivate ?? false,
      entryId: input.entryId ?? null,
      clientMessageId: input.clientMessageId ?? null,
    });
    // an agent who writes has read everything before it
    const patch = input.isPrivate ? { agentReadSeq: stored.seq } : { agentReadSeq: stored.seq, firstAgentReplyAt: conversation.firstAgentReplyAt ?? nowIso() };
    await r.updateConversation(conversation.id, patch);
    await emit(EVENTS.messageCreated, messageCreated(stored));
    return stored;
  });
}

/** Marks everything up to `seq` as read by the assignee (unread counts; 已读 shown to the citizen). */
export async function markReadByAgent(deps: ConversationDeps, conversation: ConversationRecord, seq: number) {
  if (seq <= conversation.agentReadSeq) return;
  const upTo = Math.min(seq, conversation.lastSeq);
  await repoOf(deps.ctx.db).updateConversation(conversation.id, { agentReadSeq: upTo });
  // realtime only: not worth an outbox row
  deps.ctx.events.emit(EVENTS.read, { conversationId: conversation.id, by: 'agent', seq: upTo });
}

/** Marks everything up to `seq` as read by the citizen (已读 in the agent's view). */
export async function markReadByCustomer(deps: ConversationDeps, conversation: ConversationRecord, seq: number) {
  if (seq <= conversation.customerReadSeq) return;
  const upTo = Math.min(seq, conversation.lastSeq);
  await repoOf(deps.ctx.db).updateConversation(conversation.id, { customerReadSeq: upTo });
  deps.ctx.events.emit(EVENTS.read, { conversationId: conversation.id, by: 'customer', seq: upTo });
}
