import { z } from 'zod';
import { FLAG_STATUSES } from '../../../common/analytics';
import { RULE_TYPES } from './model';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD / date as YYYY-MM-DD');
const rate = z.number().min(0).max(1).nullable();

export const ruleSchema = z.object({
  id: z.string(),
  type: z.enum(RULE_TYPES),
  name: z.string(),
  description: z.string(),
  params: z.record(z.string(), z.unknown()),
  weight: z.number().int(),
  enabled: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** flags this rule raised (all time), how many were overturned, and the share */
  flagCount: z.number().int(),
  overturnedCount: z.number().int(),
  overturnRate: rate,
});
export const rulesResponse = z.object({ items: z.array(ruleSchema) });
export const ruleParams = z.object({ id: z.string().min(1).max(64) });
export const ruleUpdateBody = z.object({
  name: z.string().trim().min(1).max(50).optional(),
  description: z.string().trim().max(500).optional(),
  weight: z.number().int().min(0).max(100).optional(),
  enabled: z.boolean().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});
export const ruleUpdateResponse = z.object({ rule: ruleSchema, jobId: z.string() });

export const jobParams = z.object({ id: z.string().min(1).max(64) });
export const jobResponse = z.object({ id: z.string(), status: z.string(), progress: z.number(), result: z.unknown().optional() });

export const conversationParams = z.object({ id: z.string().min(1).max(64) });
export const flagParams = z.object({ flagId: z.string().min(1).max(64) });
export const conversationFlagParams = z.object({ id: z.string().min(1).max(64), flagId: z.string().min(1).max(64) });

export const listQuery = z.object({
  agent: z.string().max(64).optional(),
  minScore: z.coerce.number().int().min(0).max(100).optional(),
  maxScore: z.coerce.number().int().min(0).max(100).optional(),
  rule: z.string().max(64).optional(),
  status: z.enum(FLAG_STATUSES).optional(),
  from: day.optional(),
  to: day.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export const listResponse = z.object({
  total: z.number().int(),
  items: z.array(
    z.object({
      conversationId: z.string(),
      agentId: z.string().nullable(),
      agentName: z.string().nullable(),
      score: z.number().int(),
      closedAt: z.string(),
      inspectedAt: z.string(),
      flagCount: z.number().int(),
      openCount: z.number().int(),
      appealedCount: z.number().int(),
    }),
  ),
});

/** A flag with its review and appeal: the console's and the agent's view. */
export const flagDetailSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  rule: z.string(),
  ruleName: z.string(),
  messageSeq: z.number().int().nullable(),
  excerpt: z.string(),
  weight: z.number(),
  status: z.enum(FLAG_STATUSES),
  agentId: z.string().nullable(),
  reviewNote: z.string().nullable(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  appealReason: z.string().nullable(),
  appealedAt: z.string().nullable(),
  appealDecision: z.enum(['confirm', 'overturn']).nullable(),
  createdAt: z.string(),
});

/** The transcript beside the flags: what the citizen saw (personal data masked), and the close data. */
export const detailsResponse = z.object({
  conversationId: z.string(),
  category: z.string().nullable(),
  summary: z.string().nullable(),
  messages: z.array(z.object({ seq: z.number().int(), sender: z.string(), senderName: z.string().nullable(), text: z.string(), entryId: z.string().nullable(), createdAt: z.string() })),
  flags: z.array(flagDetailSchema),
});

export const reviewBody = z.object({ decision: z.enum(['confirm', 'overturn']), note: z.string().trim().max(1000).optional() });
export const appealBody = z.object({ reason: z.string().trim().min(1, '请填写申诉理由 / give a reason').max(1000) });

const trendPoint = z.object({ week: z.string(), count: z.number().int(), averageScore: z.number().nullable() });
const ruleCount = z.object({ rule: z.string(), ruleName: z.string(), count: z.number().int() });

export const myResponse = z.object({
  inspected: z.number().int(),
  averageScore: z.number().nullable(),
  inspections: z.array(z.object({ conversationId: z.string(), score: z.number().int(), closedAt: z.string(), inspectedAt: z.string() })),
  trend: z.array(trendPoint),
  byRule: z.array(ruleCount),
  flags: z.array(flagDetailSchema),
});

export const agentsQuery = z.object({ from: day, to: day });
export const agentsResponse = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      agentId: z.string(),
      agentName: z.string(),
      inspected: z.number().int(),
      averageScore: z.number().nullable(),
      flagsByRule: z.array(ruleCount),
      trend: z.array(trendPoint),
    }),
  ),
});
