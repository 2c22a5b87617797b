import type { FastifyInstance } from 'fastify';
import type { Channel } from '../../../common/conversations';
import type { AppContext } from '../platform/context';
import type { ConversationRecord, MessageAttachment, MessageRecord } from './model';

/**
 * The one interface every external channel (WeChat, QQ, the phone line …) implements. An adapter
 * verifies and parses its platform's inbound requests and hands citizens' messages to the funnel
 * (ChannelFunnel); the delivery queue calls `send` for every robot, agent and system message of its
 * conversations. Adding a channel means a folder with an adapter: the funnel and the workspace do
 * not change.
 */
export interface ChannelAdapter {
  readonly channel: Channel;
  readonly limits: ChannelLimits;
  /** The platform's inbound endpoints (webhooks), and the adapter's own configuration API. */
  routes(app: FastifyInstance): Promise<void>;
  /**
   * Sends one message to the citizen. Throwing means "try again later" (network, rate limit): the
   * queue retries with back-off. `outside_window` keeps it as a left message, sent when the citizen
   * next writes; `not_deliverable` gives up (the channel cannot carry it at all).
   */
  send(out: OutboundMessage): Promise<SendOutcome>;
}

export interface ChannelLimits {
  /** longest text one outbound message may carry; a longer answer is cut, with a link to the full text */
  maxTextLength: number;
  /** true when the channel shows Markdown; otherwise messages go out as plain text */
  richText: boolean;
  /** how long after the citizen's last message the platform lets us write (WeChat: 48 h); null: any time */
  replyWindowMs: number | null;
  /**
   * false when the channel cannot reach the citizen outside their own request (a voice call: the agent
   * talks on the line): the delivery queue then queues nothing for it. Default true.
   */
  sendsLater?: boolean;
  /**
   * true when the adapter returns the robot's replies to a citizen's message itself (WeChat's passive
   * reply in the HTTP response): the queue then leaves those replies alone unless the adapter hands
   * them over with `deliverLater`.
   */
  answersInline: boolean;
}

export interface OutboundMessage {
  conversation: ConversationRecord;
  message: MessageRecord;
  /** the message as this channel shows it (plain text within the length limit, link to the full answer) */
  text: string;
  /** who receives it: the citizen's id on this channel and the account it came through */
  recipient: { namespace: string; externalId: string };
  /** the citizen's message it answers, if any (passive replies quote its platform id) */
  inReplyTo: MessageRecord | null;
  /** the citizen's latest message in the conversation: reply windows count from it */
  lastCustomerMessage: MessageRecord | null;
}

export type SendOutcome = { status: 'sent' } | { status: 'outside_window'; reason: string } | { status: 'not_deliverable'; reason: string };

/** A citizen's message as an adapter parsed it from its platform. */
export interface InboundMessage {
  channel: Channel;
  /** the account, bot or line it arrived through: the id space of `externalId` */
  namespace: string;
  /** the citizen's id on the platform (openid …) */
  externalId: string;
  name?: string;
  /** the platform's message id: a redelivery with the same id is stored once */
  messageId: string;
  text: string;
  attachment?: MessageAttachment;
  /** a menu choice: answer this knowledge entry, or start this calculator */
  pick?: { entryId: string } | { rulesetId: string };
  /** a caller's number (phone channel): joins the contact known by it on other channels */
  phone?: string;
  /** a step through the channel's own menu ("按键 1：养老保险"): stored for the agent to see, never answered by the robot */
  isNavigation?: boolean;
}

export interface InboundResult {
  conversation: ConversationRecord;
  message: MessageRecord;
  /** the robot's and the system's replies to it, stored */
  replies: MessageRecord[];
  isDuplicate: boolean;
}

/** What an adapter may ask of the conversation flow: nothing else of it is reachable from a channel. */
export interface ChannelFunnel {
  ctx: AppContext;
  /**
   * Finds or creates the citizen and their open conversation on this channel, stores the message
   * (once per `messageId`) and lets the robot answer while it is the responder.
   */
  receive(input: InboundMessage): Promise<InboundResult>;
  /** Hands replies the adapter could not return inline (its window closed) to the delivery queue. */
  deliverLater(conversationId: string, seqs: number[]): Promise<void>;
  /** A message as a channel with these limits shows it. */
  render(message: MessageRecord, limits: ChannelLimits): string;
  /** The citizen's current conversation on a channel, if one is open. */
  openConversationOf(channel: Channel, namespace: string, externalId: string): Promise<ConversationRecord | undefined>;
  /** Hands an open conversation to a person now (a caller pressed 0), with the reason shown to agents. */
  handOff(conversationId: string, reason: string, skill?: string): Promise<{ status: ConversationRecord['status']; queue?: { position: number; estimatedWaitSeconds: number } }>;
  /** Ends a conversation from the channel side (a call hung up). */
  close(conversationId: string, reason: string): Promise<void>;
  /** Public questions and calculators that menus may point to. */
  knowledgeEntry(entryId: string): { question: string } | undefined;
  calculator(rulesetId: string): { name: string } | undefined;
  /** Whether agents are on duty now (service hours, holidays, 调休), and when they are next (phone IVR). */
  serviceHours(): Promise<{ isOpen: boolean; nextOpening: Date | null }>;
  /** A staff member's display name, as citizens are told it ("坐席 王芳 为您服务"). */
  staffName(userId: string): Promise<string>;
}
