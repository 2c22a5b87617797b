import { z } from 'zod';

// ── the IVR menu tree ──
export const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;
const id = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, '只能用字母、数字、点、横线和下划线 / letters, digits, . - _ only');
const spoken = z.string().trim().min(1).max(500);

/** What pressing a key (or saying its keyword) does. */
export const ivrActionSchema = z.discriminatedUnion('type', [
  /** go to a sub-menu */
  z.object({ type: z.literal('menu'), nodeId: id }),
  /** read a public knowledge entry's answer */
  z.object({ type: z.literal('entry'), entryId: id }),
  /** the caller asks the robot a free question by voice */
  z.object({ type: z.literal('robot') }),
  /** put the caller through to an agent queue (a skill, or the general queue) */
  z.object({ type: z.literal('queue'), skill: id.nullish() }),
  /** take a callback request (预约回拨) */
  z.object({ type: z.literal('callback') }),
  z.object({ type: z.literal('repeat') }),
  z.object({ type: z.literal('back') }),
  z.object({ type: z.literal('hangup') }),
]);
export type IvrAction = z.infer<typeof ivrActionSchema>;

export const ivrOptionSchema = z.object({
  digit: z.enum(DIGITS),
  /** what the option is called: recorded in the conversation ("按键 1：养老保险") and read when the prompt is blank */
  label: z.string().trim().min(1).max(40),
  /** words a caller may say instead of pressing the key (with a speech recogniser) */
  keywords: z.array(z.string().trim().min(1).max(20)).max(10).default([]),
  action: ivrActionSchema,
});
export type IvrOption = z.infer<typeof ivrOptionSchema>;

export const ivrNodeSchema = z.object({
  id,
  /** what the caller hears (text for speech synthesis); blank: the options are read out ("养老保险请按1 …") */
  prompt: z.string().trim().max(500).default(''),
  options: z.array(ivrOptionSchema).min(1, '每个菜单至少一个选项 / a menu needs an option').max(12),
});
export type IvrNode = z.infer<typeof ivrNodeSchema>;

export const ivrTreeSchema = z.object({
  rootId: id,
  /** said once when the call starts, before the first menu */
  greeting: spoken,
  /** said outside service hours, before the callback / self-service choice */
  closedNotice: spoken,
  nodes: z.array(ivrNodeSchema).min(1).max(60),
});
export type IvrTree = z.infer<typeof ivrTreeSchema>;

export const ivrResponse = z.object({ version: z.number(), tree: ivrTreeSchema, savedBy: z.string(), savedAt: z.string() });
export const saveIvrBody = z.object({
  tree: ivrTreeSchema,
  /** the version the editor started from: a save over someone else's newer version is refused (409) */
  baseVersion: z.number().int().min(0),
});
export const versionsResponse = z.object({ items: z.array(z.object({ version: z.number(), savedBy: z.string(), savedAt: z.string() })) });

// ── the line's settings and agents' extensions ──
export const phoneSettingsSchema = z.object({
  /** a queue wait estimate above this offers the caller a callback instead of holding (seconds) */
  callbackThresholdSeconds: z.number().int().min(0).max(24 * 3600),
});
export type PhoneSettings = z.infer<typeof phoneSettingsSchema>;

export const extensionParams = z.object({ userId: z.string().min(1).max(64) });
export const extensionBody = z.object({ extension: z.string().trim().min(1).max(20).regex(/^[0-9*#+]+$/, '分机号只能是数字 / digits only') });
export const extensionsResponse = z.object({ items: z.array(z.object({ userId: z.string(), name: z.string(), extension: z.string() })) });

// ── call control (the telephony bridge) ──
export const callParams = z.object({ callId: z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_.:@-]+$/, 'call id: letters, digits and . : @ - _') });

export const callEventBody = z.object({
  event: z.enum(['start', 'dtmf', 'speech', 'timeout', 'poll', 'hangup']),
  /** the bridge's counter of events in this call (1, 2, 3 …): a redelivery with the same number changes nothing */
  seq: z.number().int().min(1).max(1_000_000).optional(),
  /** the caller's number (start) */
  from: z.string().trim().max(32).optional(),
  /** the number dialled (start) */
  to: z.string().trim().max(32).optional(),
  /** the bridge recognises speech itself and sends `text` (start) */
  asr: z.boolean().optional(),
  /** keys pressed (dtmf) */
  digits: z.string().trim().regex(/^[0-9*#]{1,20}$/, 'digits: 0-9 * #').optional(),
  /** speech already recognised by the telephony platform (speech) */
  text: z.string().trim().max(500).optional(),
  /** a recording of the caller for our speech service (speech) */
  recordingUrl: z.string().trim().url().max(2000).optional(),
});
export type CallEvent = z.infer<typeof callEventBody>;

export const callActionSchema = z.union([
  z.object({ say: z.string(), audioUrl: z.string().optional() }),
  z.object({ collect: z.object({ digits: z.number(), speech: z.boolean(), timeoutMs: z.number() }) }),
  z.object({ queue: z.object({ conversationId: z.string(), skill: z.string().nullable(), position: z.number(), estimatedWaitSeconds: z.number() }) }),
  z.object({ bridge: z.object({ agentId: z.string(), agentName: z.string(), extension: z.string().optional() }) }),
  z.object({ hangup: z.literal(true) }),
]);
export type CallAction = z.infer<typeof callActionSchema>;
export const callResponse = z.object({ actions: z.array(callActionSchema) });

// ── the simulator ──
export const simulateBody = z.object({
  /** a draft to try; without it, the saved tree */
  tree: ivrTreeSchema.optional(),
  /** what the caller does, in order: keys, or words (as a speech recogniser would give them) */
  inputs: z.array(z.object({ digits: z.string().trim().regex(/^[0-9*#]{1,20}$/).optional(), text: z.string().trim().min(1).max(500).optional() })).max(50).default([]),
  /** pretend agents are off duty */
  isClosed: z.boolean().default(false),
  /** pretend the queue's wait estimate (seconds) */
  waitSeconds: z.number().int().min(0).max(24 * 3600).default(60),
});
export const simulateResponse = z.object({
  turns: z.array(z.object({ input: z.string(), actions: z.array(callActionSchema), state: z.string() })),
});

// ── callback requests ──
export const CALLBACK_WINDOWS = ['within_2h', 'tomorrow_morning', 'tomorrow_afternoon'] as const;
export type CallbackWindow = (typeof CALLBACK_WINDOWS)[number];
export const callbackSchema = z.object({
  id: z.string(),
  phone: z.string(),
  window: z.enum(CALLBACK_WINDOWS),
  windowStart: z.string(),
  windowEnd: z.string(),
  status: z.enum(['open', 'claimed', 'done', 'failed']),
  conversationId: z.string().nullable(),
  contactId: z.string().nullable(),
  claimedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  isMine: z.boolean(),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type CallbackView = z.infer<typeof callbackSchema>;
export const callbackParams = z.object({ id: z.string().min(1).max(64) });
export const callbacksQuery = z.object({ status: z.enum(['active', 'closed']).default('active') });
export const callbacksResponse = z.object({ items: z.array(callbackSchema) });
export const revealResponse = z.object({ phone: z.string() });
export const outcomeBody = z.object({ status: z.enum(['done', 'failed']), note: z.string().trim().max(500).optional() });
