import { z } from 'zod';
import { AGENT_STATUSES, calculatorOfferSchema, conversationSchema, interviewSchema, messageSchema } from '../../../common/conversations';
import { serviceHoursSchema } from './service-hours';

const text = z.string().trim().min(1, '消息不能为空 / text is required').max(4000, '消息太长（最多4000字） / text too long');
const clientMessageId = z.string().trim().min(1).max(100);

export const conversationParams = z.object({ id: z.string().min(1).max(64) });
/** A route's answer with no body (204). */
export const noContent = z.null();

// ── the robot API ──
export const robotAskBody = z.object({
  question: z.string().trim().min(1, '请输入问题 / question is required').max(2000, '问题太长（最多2000字） / too long'),
  sessionId: z.string().min(1).max(100).optional(),
  channel: z.string().min(1).max(32).optional(),
  startCalculation: z.string().trim().min(1).max(64).optional().describe('the rule set of the calculator the robot offered (its "帮我算一算" button)'),
});
/** One robot turn (ports.ts TurnResult, without the robot's internal reasoning). */
export const robotTurnResponse = z.object({
  type: z.enum(['answer', 'clarify', 'handoff', 'fallback']),
  entryId: z.string().optional(),
  /** Markdown: the answer, the clarify prompt, the fallback or hand-off message */
  answer: z.string().optional(),
  candidates: z.array(z.object({ entryId: z.string(), question: z.string(), score: z.number() })),
  /** calibrated probability that the top candidate is right (0..1) */
  confidence: z.number(),
  sessionId: z.string(),
  /** another hotline is responsible */
  referral: z.object({ topic: z.string(), hotline: z.string(), agency: z.string() }).optional(),
  handoffReason: z.string().optional(),
  /** the calculator interview running in the session */
  interview: interviewSchema.optional(),
  /** a calculator offered with the answer ("帮我算一算") */
  calculatorOffer: calculatorOfferSchema.optional(),
});

// ── webhooks of partner apps' keys ──
export const apiKeyParams = z.object({ id: z.string().min(1).max(64) });
export const webhookBody = z.object({ url: z.string().trim().min(1).max(500) });
export const webhookSetResponse = z.object({ url: z.string(), secret: z.string() });
export const webhookResponse = z.object({
  url: z.string(),
  updatedAt: z.string(),
  /** the latest 50, newest first */
  deliveries: z.array(
    z.object({
      id: z.string(),
      conversationId: z.string(),
      seq: z.number().int(),
      status: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.number().int(),
      lastStatusCode: z.number().int().nullable(),
      lastError: z.string().nullable(),
      createdAt: z.string(),
      deliveredAt: z.string().nullable(),
    }),
  ),
});
export const afterQuery = z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(200) });

// ── open channel API ──
export const openStartBody = z.object({
  customer: z.object({ externalId: z.string().trim().min(1).max(128), name: z.string().trim().min(1).max(64).optional() }),
  /** the partner's own name for where the user is (小程序, app, partner site) */
  channel: z.string().trim().min(1).max(32).default('open'),
});
export const openStartResponse = z.object({ conversationId: z.string(), isNew: z.boolean() });
/** `startCalculation`: the citizen pressed the robot's "帮我算一算" for this rule set (the text is what the chat shows). */
export const customerMessageBody = z.object({ clientMessageId, text, startCalculation: z.string().trim().min(1).max(64).optional() });
export const postedMessageResponse = z.object({ message: messageSchema, replies: z.array(messageSchema) });
export const messagesResponse = z.object({ messages: z.array(messageSchema) });
export const ratingBody = z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(500).optional() });
export const conversationResponse = conversationSchema;

// ── widget ──
export const widgetSessionBody = z.object({ siteKey: z.string().trim().min(1).max(64), visitorToken: z.string().trim().min(20).max(100).optional() });
export const widgetSessionResponse = z.object({
  visitorToken: z.string(),
  conversation: conversationSchema.nullable(),
  messages: z.array(messageSchema),
});
export const widgetStartResponse = z.object({ conversation: conversationSchema, messages: z.array(messageSchema) });
export const widgetStartBody = z.object({ siteKey: z.string().trim().min(1).max(64) });

// ── agent workspace ──
export const agentMessageBody = z.object({ text, entryId: z.string().trim().min(1).max(64).optional(), private: z.boolean().optional(), clientMessageId: clientMessageId.optional() });
export const transferBody = z.object({
  to: z.object({ agent: z.string().min(1).max(64).optional(), skill: z.string().min(1).max(64).optional() }),
  note: z.string().trim().max(1000).optional(),
});
export const closeBody = z.object({ category: z.string().trim().min(1).max(64), summary: z.string().trim().min(1).max(2000) });
export const readBody = z.object({ seq: z.number().int().min(0) });
export const agentStatusBody = z.object({ status: z.enum(AGENT_STATUSES), maxChats: z.number().int().min(1).max(20).optional() });
export const agentStateResponse = z.object({ userId: z.string(), status: z.enum(AGENT_STATUSES), maxChats: z.number().int(), skills: z.array(z.string()) });
export const listResponse = z.object({ items: z.array(conversationSchema) });
export const queueResponse = z.object({ items: z.array(conversationSchema), leftMessages: z.array(conversationSchema) });
export const conversationDetailResponse = z.object({ conversation: conversationSchema, messages: z.array(messageSchema) });
export const cannedReplyBody = z.object({ title: z.string().trim().min(1).max(50), text: z.string().trim().min(1).max(4000), shared: z.boolean().default(false) });
export const configureAgentBody = z.object({ skills: z.array(z.string().min(1).max(64)).max(50), maxChats: z.number().int().min(1).max(20).optional() });
export const agentParams = z.object({ userId: z.string().min(1).max(64) });
export const agentMessageResponse = z.object({ message: messageSchema });
export const contactPhoneResponse = z.object({ phone: z.string().describe('masked / 脱敏') });
/** Everything a contact did on every channel (contact-history.ts), newest conversation first. */
export const contactHistoryResponse = z.object({
  contact: z.object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable().describe('masked / 脱敏'), channels: z.array(z.string()), isVerified: z.boolean() }),
  conversations: z.array(
    z.object({
      conversation: conversationSchema,
      messages: z.array(messageSchema),
      /** calculations finished in the conversation, with their results */
      calculations: z.array(z.object({ seq: z.number().int(), rulesetId: z.string(), status: interviewSchema.shape.status.describe('complete or conditional'), outputs: z.record(z.string(), z.unknown()), at: z.string() })),
      events: z.array(z.object({ type: z.string(), actor: z.string(), at: z.string(), payload: z.record(z.string(), z.unknown()) })),
    }),
  ),
});
export const suggestionsResponse = z.object({
  /** the citizen's latest message the suggestions answer; null when there is none */
  question: z.string().nullable(),
  items: z.array(z.object({ entryId: z.string(), question: z.string(), answer: z.string(), score: z.number() })),
});
/** An agent with their status, skills and current number of open conversations. */
export const agentRowSchema = z.object({ userId: z.string(), name: z.string(), status: z.enum(AGENT_STATUSES), maxChats: z.number().int(), skills: z.array(z.string()), load: z.number().int() });
export const agentRowsResponse = z.object({ items: z.array(agentRowSchema) });
export const configuredAgentResponse = agentStateResponse.extend({ updatedAt: z.string() });
export const cannedReplySchema = z.object({ id: z.string(), ownerId: z.string().nullable().describe('null: shared'), title: z.string(), text: z.string() });
export const cannedRepliesResponse = z.object({ items: z.array(cannedReplySchema) });

// ── settings ──
export const skillBody = z.object({ name: z.string().trim().min(1).max(50), categories: z.array(z.string().min(1).max(64)).max(200), position: z.number().int().min(0).default(0) });
export const skillSchema = z.object({ id: z.string(), name: z.string(), categories: z.array(z.string()), position: z.number().int() });
export const skillsResponse = z.object({ items: z.array(skillSchema) });
export const skillParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, '技能组编号只能包含小写字母、数字、-和_ / lowercase letters, digits, - and _') });
export const serviceHoursBody = serviceHoursSchema;
export const funnelSettingsBody = z.object({
  idleCloseMinutes: z.number().int().min(5).max(7 * 24 * 60),
  defaultMaxChats: z.number().int().min(1).max(20),
  defaultHandleSeconds: z.number().int().min(30).max(3600),
});
export const serviceHoursResponse = serviceHoursSchema;
export const funnelSettingsResponse = z.object({ idleCloseMinutes: z.number().int(), defaultMaxChats: z.number().int(), defaultHandleSeconds: z.number().int() });

/** A mainland mobile (+86 optional) or a landline with its area code. */
export const contactPhoneBody = z.object({
  phone: z
    .string()
    .trim()
    .max(32)
    .refine((v) => /^(\+?86[\s-]?)?1[3-9]\d{9}$/.test(v.replace(/[\s-]/g, '')) || /^0\d{2,3}-?\d{7,8}$/.test(v.replace(/\s/g, '')), '请输入手机号或带区号的固定电话 / a mobile number or a landline with its area code'),
});
