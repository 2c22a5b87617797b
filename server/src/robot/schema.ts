import { ASPECTS } from './dialogue-state';
import { z } from 'zod';


export const askBody = z.object({
  question: z.string().trim().min(1, '请输入问题 / question is required').max(2000, '问题太长（最多2000字） / too long'),
  sessionId: z.string().min(1).max(100).optional(),
  channel: z.string().min(1).max(32).optional(),
});

export const candidateSchema = z.object({ entryId: z.string(), question: z.string(), score: z.number() });

/** A policy calculation interview running inside the chat. */
export const chatInterviewSchema = z.object({
  rulesetId: z.string(),
  status: z.enum(['need_input', 'complete', 'conditional', 'cancelled']),
  question: z.object({ id: z.string(), text: z.string(), type: z.string(), options: z.array(z.object({ id: z.string(), label: z.string() })).optional() }).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
});
export type ChatInterview = z.infer<typeof chatInterviewSchema>;

export const askResponse = z.object({
  type: z.enum(['answer', 'clarify', 'handoff', 'fallback']),
  entryId: z.string().optional(),
  answer: z.string().optional(),
  candidates: z.array(candidateSchema),
  confidence: z.number(),
  sessionId: z.string(),
  referral: z.object({ topic: z.string(), hotline: z.string(), agency: z.string() }).optional(),
  handoffReason: z.string().optional(),
  /** Set while the robot runs a policy calculation interview inside the chat. */
  interview: chatInterviewSchema.optional(),
});

export const settingsBody = z
  .object({
    answerThreshold: z.number().min(0).max(1),
    clarifyThreshold: z.number().min(0).max(1),
    handoffAfterFailures: z.number().int().min(1).max(10),
    humanOnlyCategories: z.array(z.string().max(64)).max(200),
    humanOnlyEntries: z.array(z.string().max(64)).max(500),
    handoffOnAnger: z.boolean(),
    /** entry id → the aspects an editor set for it (replaces what is read from its questions) */
    entryAspects: z.record(z.string().min(1).max(64), z.array(z.enum(ASPECTS)).max(ASPECTS.length)).optional(),
  })
  .refine((s) => s.clarifyThreshold <= s.answerThreshold, { message: '澄清阈值不能高于直接回答阈值 / clarifyThreshold must not exceed answerThreshold', path: ['clarifyThreshold'] });

export const transcriptsBody = z.object({
  transcripts: z
    .array(
      z.object({
        id: z.string().min(1).max(100),
        turns: z
          .array(z.object({ role: z.enum(['citizen', 'agent', 'robot']), text: z.string().max(5000), entryId: z.string().max(64).optional() }))
          .min(1)
          .max(500),
      }),
    )
    .min(1)
    .max(1000),
});

export const insightsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(7) });

export const explainBody = z.object({
  question: askBody.shape.question,
  /** the conversation's earlier questions, oldest first: the question is explained as their follow-up */
  previous: z.array(z.string().trim().min(1).max(2000)).max(10).optional(),
});

export const aspectsResponse = z.object({
  aspects: z.array(z.enum(ASPECTS)),
  entries: z.array(z.object({ entryId: z.string(), question: z.string(), aspects: z.array(z.enum(ASPECTS)), edited: z.boolean() })),
});

/** The settings as stored and answered (the request's cross-field check is not repeated on the way out). */
export const settingsResponse = z.object({
  answerThreshold: z.number(),
  clarifyThreshold: z.number(),
  handoffAfterFailures: z.number(),
  humanOnlyCategories: z.array(z.string()),
  humanOnlyEntries: z.array(z.string()),
  handoffOnAnger: z.boolean(),
  /** entry id → the aspects an editor set for it */
  entryAspects: z.record(z.string(), z.array(z.enum(ASPECTS))).optional(),
});

export const retrainResponse = z.object({ entries: z.number().describe('entries the models learned from') });

export const insightsResponse = z.object({
  days: z.number(),
  summary: z.object({
    turns: z.number(),
    sessions: z.number(),
    answered: z.number(),
    clarified: z.number(),
    handedOff: z.number(),
    fellBack: z.number(),
    answerRate: z.number(),
    handoffRate: z.number(),
  }),
  /** questions the robot did not answer, grouped by topic, the largest first */
  unanswered: z.array(
    z.object({ label: z.string(), count: z.number(), decisions: z.record(z.string(), z.number()), examples: z.array(z.string()), topEntryId: z.string().nullable() }),
  ),
});

const referralSchema = z.object({ topic: z.string(), hotline: z.string(), agency: z.string() });

/** The robot's reasoning for one question: how it was read, the ranked candidates with their features, and the decision. */
export const explanationSchema = z.object({
  question: z.string(),
  normalized: z.string(),
  corrected: z.string(),
  corrections: z.array(z.object({ from: z.string(), to: z.string() })),
  tokens: z.array(z.string()),
  synonymsApplied: z.array(z.object({ phrase: z.string(), term: z.string() })),
  bigrams: z.array(z.string()),
  unknownShare: z.number(),
  candidates: z.array(z.object({ entryId: z.string(), question: z.string(), score: z.number(), rankLogit: z.number(), features: z.record(z.string(), z.number()) })),
  confidence: z.number(),
  decision: z.enum(['answer', 'clarify', 'handoff', 'fallback']),
  handoffReason: z.string().optional(),
  referral: referralSchema.optional(),
  /** how the question was read as a follow-up of the conversation's topic */
  followUp: z.object({ topicEntryId: z.string(), topicQuestion: z.string(), reading: z.string() }).optional(),
});

export const transcriptsResponse = z.object({ examples: z.number(), proposals: z.number() });
