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

// ── response schemas ──

/** One node of the category tree; `entryCount` counts the entries the caller may see in its subtree. */
export const categoryNodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  parent: z.string().nullable(),
  position: z.number(),
  entryCount: z.number().optional(),
  get children(): z.ZodArray<typeof categoryNodeSchema> {
    return z.array(categoryNodeSchema);
  },
});
export type CategoryNode = z.infer<typeof categoryNodeSchema>;

export const categoryTreeResponse = z.object({ items: z.array(categoryNodeSchema) });
export const entryListResponse = z.object({ items: z.array(entrySummarySchema), total: z.number(), page: z.number(), pageSize: z.number() });
export const relatedEntriesResponse = z.object({ items: z.array(entrySummarySchema) });
export const feedbackCountsSchema = z.object({ helpful: z.number(), unhelpful: z.number() });

/** A change that was done: nothing more to say. */
export const okResponse = z.object({ ok: z.boolean() });

export const suggestionSchema = z.object({
  id: z.string(),
  kind: z.enum(['correction', 'new_entry', 'edit', 'similar_question', 'new_entry_cluster']),
  entryId: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  status: z.enum(['pending', 'accepted', 'rejected']),
  source: z.enum(['citizen', 'agent', 'robot_learning', 'partner']),
  submittedBy: z.string(),
  createdAt: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  resultEntryId: z.string().nullable(),
});
export const suggestionCreatedResponse = z.object({ id: z.string(), status: suggestionSchema.shape.status });
export const suggestionsQuery = z.object({
  status: z.enum(['pending', 'accepted', 'rejected']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const suggestionListResponse = z.object({ items: z.array(suggestionSchema), total: z.number() });

export const synonymGroupSchema = z.object({ id: z.string(), term: z.string(), synonyms: z.array(z.string()), context: z.array(z.string()), updatedBy: z.string(), updatedAt: z.string() });
export const synonymListResponse = z.object({ items: z.array(synonymGroupSchema) });

/** A category created or changed: its id. */
export const categoryIdResponse = z.object({ id: z.string() });

const entryStateSchema = z.enum(['draft', 'in_review', 'published', 'archived']);
const versionStatusSchema = z.enum(['draft', 'in_review', 'published', 'superseded', 'rejected']);

/** An entry's version after a change: created, saved, submitted, approved, rejected, restored. */
export const versionRefResponse = z.object({ id: z.string(), version: z.number(), status: versionStatusSchema });

export const manageListResponse = z.object({
  total: z.number(),
  items: z.array(entrySummarySchema.extend({ state: entryStateSchema, publishedVersion: z.number().nullable(), latestVersion: z.number(), author: z.string(), updatedAt: z.string() })),
});

/** One version of an entry as the console shows it. */
export const versionSchema = z.object({
  version: z.number(),
  status: versionStatusSchema,
  category: z.string(),
  question: z.string(),
  similar: z.array(z.string()),
  answer: z.string(),
  keywords: z.array(z.string()),
  references: z.array(z.string()),
  audience: z.enum(AUDIENCES),
  roles: z.array(z.enum(ROLES)),
  effectiveFrom: z.string().nullable(),
  expiresAt: z.string().nullable(),
  changeNote: z.string().nullable(),
  author: z.string(),
  createdAt: z.string(),
  reviewer: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewComment: z.string().nullable(),
});

export const managedEntrySchema = z.object({
  id: z.string(),
  state: entryStateSchema,
  publishedVersion: z.number().nullable(),
  latestVersion: z.number(),
  hasPendingChange: z.boolean(),
  isArchived: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  latest: versionSchema,
  published: versionSchema.nullable(),
});
export const managedEntryResponse = managedEntrySchema.extend({
  feedback: feedbackCountsSchema,
  /** false: publishing waits for a second reviewer to exist */
  reviewerAvailable: z.boolean(),
  versions: z.array(versionSchema),
});

/** What changed between two versions, field by field; the answer and question as line hunks. */
export const diffSchema = z.object({
  from: z.number().nullable(),
  to: z.number(),
  changes: z.array(
    z.object({
      field: z.enum(['category', 'question', 'similar', 'answer', 'keywords', 'references', 'audience', 'roles', 'effectiveFrom', 'expiresAt']),
      before: z.unknown().optional(),
      after: z.unknown().optional(),
      added: z.array(z.string()).optional(),
      removed: z.array(z.string()).optional(),
      hunks: z.array(z.object({ kind: z.enum(['added', 'removed', 'same']), text: z.string() })).optional(),
    }),
  ),
});
export const diffQuery = z.object({ from: z.coerce.number().int().min(1).optional(), to: z.coerce.number().int().min(1).optional() });

export const reviewItemSchema = z.object({
  id: z.string(),
  version: z.number(),
  question: z.string(),
  author: z.string(),
  authorName: z.string().nullable(),
  submittedAt: z.string(),
  changeNote: z.string().nullable(),
  importId: z.string().nullable(),
  canApprove: z.boolean(),
  reviewerAvailable: z.boolean(),
  diff: diffSchema,
});
export const reviewQueueResponse = z.object({ items: z.array(reviewItemSchema) });

export const approveEntryBody = z.object({ comment: z.string().max(1000).optional(), version: z.number().int().optional() }).default({});
export const rejectEntryBody = z.object({ comment: z.string().max(1000) });
export const archiveEntryBody = z.object({ archived: z.boolean() });
export const rollbackBody = z.object({ version: z.number().int().min(1) });

/** The knowledge base in the transfer format, as exported. */
export const exportBundleSchema = z.object({
  categories: z.array(z.object({ id: z.string(), name: z.string(), parent: z.string().nullable(), position: z.number().optional() })),
  entries: z.array(
    z.object({
      id: z.string(),
      category: z.string(),
      question: z.string(),
      similar: z.array(z.string()),
      keywords: z.array(z.string()),
      answer: z.string(),
      audience: z.enum(AUDIENCES),
      references: z.array(z.string()),
      roles: z.array(z.enum(ROLES)),
      effectiveFrom: z.string().nullable(),
      expiresAt: z.string().nullable(),
    }),
  ),
});

/** The export's answer: the bundle as JSON, or with format=xlsx the same content as a workbook (sent as bytes, not serialized). */
export const exportResponse = z.union([
  exportBundleSchema,
  z.instanceof(Buffer).describe('format=xlsx: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
]);

/** JSON (an object with an `entries` array) or the bytes of an .xlsx file; the handler checks which, per `format`. */
export const importBody = z.unknown().describe('application/json: { categories?, entries: [...] } · application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: an .xlsx file');
export const approveImportBody = z.object({ comment: z.string().max(1000).optional() }).default({});
export const approveImportResponse = z.object({ importId: z.string(), approved: z.number() });
