import type { AgentStatus, CalculatorOffer, Channel, ConversationStatus, Interview, Sender } from '../../../common/conversations';

/** A person, whichever channels they used. */
export interface Contact {
  id: string;
  name: string | null;
  phoneHash: string | null;
  /** the recorded phone number, masked (138****5678) */
  phoneMasked: string | null;
  idNumberHash: string | null;
  createdAt: string;
}

/** How a contact is known on one channel: a widget visitor, an API key's external id, a WeChat openid … */
export interface ContactIdentity {
  id: string;
  contactId: string;
  kind: Channel;
  namespace: string;
  externalId: string;
  isVerified: boolean;
}

export interface ConversationRecord {
  id: string;
  contactId: string;
  channel: Channel;
  channelRef: string | null;
  status: ConversationStatus;
  isLeftMessage: boolean;
  skill: string | null;
  assigneeId: string | null;
  handoffReason: string | null;
  category: string | null;
  summary: string | null;
  rating: number | null;
  ratingComment: string | null;
  lastSeq: number;
  agentReadSeq: number;
  customerReadSeq: number;
  queuedAt: string | null;
  assignedAt: string | null;
  firstAgentReplyAt: string | null;
  closedAt: string | null;
  lastMessageAt: string;
  createdAt: string;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  seq: number;
  sender: Sender;
  senderId: string | null;
  senderName: string | null;
  text: string;
  format: 'markdown' | 'text';
  isPrivate: boolean;
  clientMessageId: string | null;
  inReplyTo: number | null;
  entryId: string | null;
  payload: MessagePayload;
  createdAt: string;
}

/** What a message carries beyond its text. */
export interface MessagePayload {
  options?: { entryId: string; question: string }[];
  interview?: Interview;
  /** a calculator offered with the robot's answer */
  calculatorOffer?: CalculatorOffer;
  /** the robot's decision, for analytics and quality inspection */
  decision?: 'answer' | 'clarify' | 'handoff' | 'fallback';
  confidence?: number;
  /** the closing message that invites the citizen to rate the service */
  survey?: boolean;
  /** a picture, a voice message … a citizen sent on a channel that carries them */
  attachment?: MessageAttachment;
}

/** Media a channel delivered with a message; the platform keeps the media, we keep its reference. */
export interface MessageAttachment {
  kind: 'image' | 'voice' | 'video' | 'file' | 'location';
  /** where the platform serves it (a WeChat PicUrl), when it gives one */
  url?: string;
  /** the platform's media id, to fetch it through its API */
  mediaId?: string;
  /** voice: the platform's speech recognition, when it gave one */
  recognition?: string;
}

/** A message about to be stored: the sequence number and id are given on append. */
export type NewMessage = Omit<MessageRecord, 'id' | 'seq' | 'conversationId' | 'createdAt' | 'payload' | 'senderId' | 'senderName' | 'clientMessageId' | 'inReplyTo' | 'entryId' | 'isPrivate' | 'format'> &
  Partial<Pick<MessageRecord, 'senderId' | 'senderName' | 'clientMessageId' | 'inReplyTo' | 'entryId' | 'isPrivate' | 'format' | 'payload'>>;

export const CONVERSATION_EVENT_TYPES = ['created', 'handoff', 'queued', 'left_message', 'assign', 'accept', 'transfer', 'take_over', 'close', 'rating', 'reopen'] as const;
export type ConversationEventType = (typeof CONVERSATION_EVENT_TYPES)[number];

export interface ConversationEvent {
  id: string;
  conversationId: string;
  type: ConversationEventType;
  actor: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

export interface AgentState {
  userId: string;
  status: AgentStatus;
  maxChats: number;
  skills: string[];
  updatedAt: string;
}

export interface Skill {
  id: string;
  name: string;
  /** knowledge categories routed to this skill (sub-categories included) */
  categories: string[];
  position: number;
}
