import { z } from 'zod';
import { AUDIENCES, ROLES } from '../../../common/roles';
import { calendarDate } from '../platform/dates';

/** A lone UTF-16 surrogate: JSON lets one through, but no database stores it as sent. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Text that is valid Unicode (no lone surrogates), trimmed, of the given length. */
const wellFormedText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !LONE_SURROGATE.test(v), { message: '含有无效字符 / contains an invalid character (lone surrogate)' });

export const entryIdParams = z.object({ id: z.string().min(1).max(64) });

/** What an editor sends to create or change an entry. */
export const entryContentBody = z.object({
  category: z.string().min(1).max(64),
  question: z.string().trim().min(2, '标准问题至少2个字 / question too short').max(500),
  similar: z.array(z.string().trim().min(1).max(500)).max(200).default([]),
  answer: z.string().trim().min(1, '答案不能为空 / answer required').max(50_000),
  keywords: z.array(z.string().trim().min(1).max(50)).max(100).default([]),
  references: z.array(z.string().trim().min(1).max(500)).max(50).default([]),
  audience: z.enum(AUDIENCES).default('public'),
  roles: z.array(z.enum(ROLES)).default([]),
  effectiveFrom: calendarDate.nullable().default(null),
  expiresAt: calendarDate.nullable().default(null),
  changeNote: z.string().max(500).optional(),
});
export const createEntryBody = entryContentBody.extend({ id: z.string().max(64).optional() });
/** An edit names the version it was based on, so it never silently replaces someone else's newer draft. */
export const saveDraftBody = entryContentBody.extend({ baseVersion: z.number({ message: '缺少 baseVersion（编辑所基于的版本） / baseVersion is required' }).int().min(1) });

export const servedEntrySchema = z.object({
  id: z.string(),
  category: z.string(),
  categoryPath: z.string(),
  question: z.string(),
  similar: z.array(z.string()),
  answer: z.string(),
  answerHtml: z.string(),
  keywords: z.array(z.string()),
  audience: z.enum(AUDIENCES),
  references: z.array(z.string()),
  version: z.number(),
  effectiveFrom: z.string().nullable(),
  expiresAt: z.string().nullable(),
  updatedAt: z.string(),
});

export const entrySummarySchema = z.object({
  id: z.string(),
  category: z.string(),
  categoryPath: z.string(),
  question: z.string(),
  audience: z.enum(AUDIENCES),
  version: z.number(),
});

export const listEntriesQuery = z.object({
  category: z.string().max(64).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const searchQuery = z.object({
  q: z.string().trim().min(1, '请输入搜索内容 / q is required').max(500),
  category: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const searchResponse = z.object({
  items: z.array(entrySummarySchema.extend({ score: z.number(), snippet: z.string() })),
  /** staff only: which synonym groups widened the query */
  synonymsApplied: z.array(z.object({ from: z.string(), to: z.string() })).optional(),
});

export const feedbackBody = z.object({
  helpful: z.boolean(),
  comment: z.string().max(1000).optional(),
  channel: z.string().max(32).optional(),
});

export const suggestionBody = z.object({
  kind: z.enum(['correction', 'new_entry', 'edit', 'similar_question']),
  entryId: z.string().max(64).optional(),
  payload: z
    .object({
      text: z.string().max(5000).optional(),
      question: z.string().max(500).optional(),
      answer: z.string().max(50_000).optional(),
      similar: z.array(z.string().max(500)).max(50).optional(),
      keywords: z.array(z.string().max(50)).max(50).optional(),
      categoryId: z.string().max(64).optional(),
      contact: z.string().max(200).optional(),
    })
    .refine((p) => Object.values(p).some((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v && String(v).trim()))), '建议内容不能为空 / the suggestion is empty'),
});

export const reviewSuggestionBody = z.object({
  decision: z.enum(['accept', 'reject']),
  note: z.string().max(1000).optional(),
  categoryId: z.string().max(64).optional(),
});

export const categoryBody = z.object({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  parent: z.string().max(64).nullable().default(null),
  position: z.number().int().min(0).max(100_000).default(0),
});
export const categoryPatchBody = categoryBody.omit({ id: true }).partial();

export const synonymBody = z.object({
  term: wellFormedText(50),
  synonyms: z.array(wellFormedText(50)).max(200),
  /** words near which the colloquial synonyms apply (one must occur in the question); empty: everywhere */
  context: z.array(wellFormedText(20)).max(30, '语境词最多30个 / at most 30 context words').default([]),
});

/** A group as it would be saved, to preview its reach: with an id it replaces that group, without one it is added. */
export const synonymPreviewBody = synonymBody.extend({ id: z.string().min(1).max(64).optional() });

const previewSide = z.object({
  /** the synonym groups that fired: colloquial phrase → official term */
  synonyms: z.array(z.object({ phrase: z.string(), term: z.string() })),
  /** the robot's best entry for the question, or none */
  top: z.object({ entryId: z.string(), question: z.string() }).nullable(),
});

/** What saving a synonym group would change: questions whose synonyms differ, and whether their best entry changes. */
export const synonymPreviewResponse = z.object({
  changed: z.array(
    z.object({
      question: z.string(),
      /** a citizen's question from the robot log (masked), or an entry's similar question */
      source: z.enum(['log', 'similar']),
      /** times asked in the log window (0 for similar questions) */
      asked: z.number(),
      before: previewSide,
      after: previewSide,
      answerChanged: z.boolean(),
    }),
  ),
  /** questions analysed */
  sampled: z.number(),
  /** questions whose synonyms differ */
  changedCount: z.number(),
  /** of the changed questions, how many were ranked again (the most asked first, up to a cap) */
  ranked: z.number(),
  /** of the ranked questions, those whose best entry changes */
  answerChangedCount: z.number(),
});
export type SynonymPreview = z.infer<typeof synonymPreviewResponse>;

export const manageListQuery = z.object({
  state: z.enum(['draft', 'in_review', 'published', 'archived']).optional(),
  category: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const transferQuery = z.object({
  format: z.enum(['json', 'xlsx']).default('json'),
  which: z.enum(['published', 'latest']).default('published'),
  /** Kept for older clients: either way imported versions await review by someone other than the importer. */
  mode: z.enum(['draft', 'publish']).default('draft'),
});

export const importJobSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.number(),
  message: z.string().nullable(),
  /** The import's report: categories, created, updated, unchanged, inReview, importId. */
  result: z.record(z.string(), z.union([z.number(), z.string()])).nullable(),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
