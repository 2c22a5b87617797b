import type { Channel, Conversation, Message } from '../../../common/conversations';
import { repoOf, type ConversationDeps } from './deps';
import { queueInfo } from './hand-off-conversation';
import type { ConversationRecord, MessageRecord } from './model';
import { markdownToPlainText } from './render-text';

/** Channels that show Markdown; the others get plain text. */
const RICH_CHANNELS: Channel[] = ['web', 'open'];
export const textFormatOf = (channel: Channel): 'markdown' | 'text' => (RICH_CHANNELS.includes(channel) ? 'markdown' : 'text');

/**
 * A message as its viewer sees it. Citizens never receive internal notes (the queries leave them
 * out; this is the second guard), and a channel without rich text gets the answer as plain text.
 */
export function presentMessage(m: MessageRecord, viewer: { forStaff: boolean; format: 'markdown' | 'text' }): Message | undefined {
  if (m.isPrivate && !viewer.forStaff) return undefined;
  const asText = viewer.format === 'text' && m.format === 'markdown';
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    sender: m.sender,
    ...(m.senderName && m.sender === 'agent' ? { senderName: m.senderName } : {}),
    text: asText ? markdownToPlainText(m.text) : m.text,
    format: asText ? 'text' : m.format,
    ...(m.isPrivate ? { private: true } : {}),
    clientMessageId: m.clientMessageId,
    entryId: m.entryId,
    ...(m.payload.options ? { options: m.payload.options } : {}),
    ...(m.payload.interview ? { interview: m.payload.interview } : {}),
    ...(m.payload.calculatorOffer ? { calculatorOffer: m.payload.calculatorOffer } : {}),
    ...(m.payload.survey ? { survey: true } : {}),
    ...(m.payload.attachment ? { attachment: m.payload.attachment } : {}),
    createdAt: m.createdAt,
  };
}

export function presentMessages(messages: MessageRecord[], viewer: { forStaff: boolean; format: 'markdown' | 'text' }): Message[] {
  return messages.map((m) => presentMessage(m, viewer)).filter((m): m is Message => m !== undefined);
}

/** A conversation with its contact's and assignee's names, its place in the queue, and (for staff) unread count. */
export async function presentConversation(deps: ConversationDeps, c: ConversationRecord, viewer: { forStaff: boolean }): Promise<Conversation> {
  const repo = repoOf(deps.ctx.db);
  const contact = await repo.getContact(c.contactId);
  return {
    id: c.id,
    channel: c.channel,
    status: c.status,
    isLeftMessage: c.isLeftMessage,
    skill: c.skill,
    assignee: c.assigneeId ? { id: c.assigneeId, name: await deps.staff.displayName(c.assigneeId) } : null,
    contact: { id: c.contactId, name: contact?.name ?? null },
    handoffReason: c.handoffReason,
    ...(await queueInfo(deps, c).then((queue) => (queue ? { queue } : {}))),
    lastSeq: c.lastSeq,
    readSeq: viewer.forStaff ? c.customerReadSeq : c.agentReadSeq,
    queuedAt: c.queuedAt,
    ...(viewer.forStaff ? { unread: await repo.unreadFromCustomer(c.id, c.agentReadSeq) } : {}),
    category: viewer.forStaff ? c.category : null,
    summary: viewer.forStaff ? c.summary : null,
    rating: c.rating !== null ? { score: c.rating, comment: viewer.forStaff ? c.ratingComment : null } : null,
    createdAt: c.createdAt,
    lastMessageAt: c.lastMessageAt,
    closedAt: c.closedAt,
  };
}
