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
