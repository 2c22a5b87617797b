import { z } from 'zod';

/**
 * The conversation model as it crosses the wire (HTTP, realtime, webhooks): one definition for the
 * server's serialisers and the web app's types.
 */

/** Where a conversation came from. Each is a channel adapter on the server. */
export const CHANNELS = ['web', 'open', 'wechat', 'qq', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The funnel: the robot first, then the queue, then an agent, then done. */
export const CONVERSATION_STATUSES = ['bot', 'queued', 'assigned', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const SENDERS = ['customer', 'robot', 'agent', 'system'] as const;
export type Sender = (typeof SENDERS)[number];

export const AGENT_STATUSES = ['online', 'busy', 'away', 'offline'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** Why a conversation went from the robot to a person. */
export const HANDOFF_REASONS = ['request', 'anger', 'failures', 'human-only', 'robot'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** A calculator interview running inside the conversation (the robot asks, the citizen answers). */
export const interviewSchema = z.object({
  rulesetId: z.string(),
  status: z.enum(['need_input', 'complete', 'conditional', 'cancelled']),
  question: z
    .object({ id: z.string(), text: z.string(), type: z.string(), options: z.array(z.object({ id: z.string(), label: z.string() })).optional() })
    .optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
});
export type Interview = z.infer<typeof interviewSchema>;

/** A calculator the robot offers with its answer ("帮我算一算"); taking it starts the interview. */
export const calculatorOfferSchema = z.object({ rulesetId: z.string(), name: z.string() });
export type CalculatorOffer = z.infer<typeof calculatorOfferSchema>;

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  /** gap-free per conversation, from 1 */
  seq: z.number().int(),
  sender: z.enum(SENDERS),
  /** the agent's display name; absent for the citizen, the robot and the system */
  senderName: z.string().optional(),
  text: z.string(),
  /** `markdown` on the web; channels without rich text get plain text */
  format: z.enum(['markdown', 'text']),
  /** an internal note between staff: never shown to the citizen */
  private: z.boolean().optional(),
  /** the sender's idempotency id, echoed back */
  clientMessageId: z.string().nullable().optional(),
  /** the knowledge entry the answer came from */
  entryId: z.string().nullable().optional(),
  /** entries the robot offers to choose from (a clarify prompt) */
  options: z.array(z.object({ entryId: z.string(), question: z.string() })).optional(),
  interview: interviewSchema.optional(),
  /** a calculator offered with the answer: the widget shows a button, other channels a reply to send */
  calculatorOffer: calculatorOfferSchema.optional(),
  /** the closing message that invites a rating (1–5 and a comment) */
  survey: z.boolean().optional(),
  /** media the citizen sent on a channel that carries it (WeChat, QQ) */
  attachment: z
    .object({ kind: z.enum(['image', 'voice', 'video', 'file', 'location']), url: z.string().optional(), mediaId: z.string().optional(), recognition: z.string().optional() })
    .optional(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof messageSchema>;

export const queueInfoSchema = z.object({
  /** 1 = next to be served */
  position: z.number().int(),
  estimatedWaitSeconds: z.number().int(),
});
export type QueueInfo = z.infer<typeof queueInfoSchema>;

export const conversationSchema = z.object({
  id: z.string(),
  channel: z.enum(CHANNELS),
  status: z.enum(CONVERSATION_STATUSES),
  /** a left message (留言) taken outside service hours: answered later, on the same channel */
  isLeftMessage: z.boolean(),
  skill: z.string().nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  contact: z.object({ id: z.string(), name: z.string().nullable() }),
  handoffReason: z.string().nullable(),
  queue: queueInfoSchema.optional(),
  lastSeq: z.number().int(),
  /** the other side's read state: up to which message the agent (for the citizen) or the citizen (for staff) has read */
  readSeq: z.number().int(),
  /** when it joined the queue (wait time), null before a hand-off */
  queuedAt: z.string().nullable(),
  /** messages from the citizen the assignee has not read yet */
  unread: z.number().int().optional(),
  category: z.string().nullable(),
  summary: z.string().nullable(),
  rating: z.object({ score: z.number().int(), comment: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  lastMessageAt: z.string(),
  closedAt: z.string().nullable(),
});
export type Conversation = z.infer<typeof conversationSchema>;

/** Realtime event names pushed to widgets and workspaces (Socket.IO). */
export const REALTIME = {
  message: 'message',
  conversation: 'conversation',
  queue: 'queue',
  typing: 'typing',
  read: 'read',
  reconnect: 'reconnect-elsewhere',
} as const;
