import { z } from 'zod';
import { calendarDate } from '../platform/dates';

/** Request and document schemas of the rules API. Input values are checked by the engine (§1.3), not here. */

const text = z.object({ zh: z.string(), en: z.string() });
const ymd = calendarDate;

/** A rule-set version name: it ends up in file names and headers, so no control or line-separator characters. */
export const versionName = z
  .string()
  .max(40, '版本名至多 40 个字符 / a version name has at most 40 characters')
  .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]+$/u, '版本名不能含控制字符 / a version name cannot hold control characters')
  .refine((v) => v.trim() === v && v.length > 0, '版本名不能为空或以空白开头、结尾 / a version name cannot be blank or start or end with spaces');

export const ruleSetDocument = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/),
  version: versionName,
  effectiveFrom: ymd,
  effectiveTo: ymd.nullable().optional(),
  name: text,
  description: text,
  legalBasis: z.string(),
  inputs: z
    .array(
      z.object({
        id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
        type: z.enum(['enum', 'boolean', 'integer', 'decimal', 'money', 'yearMonth']),
        label: text,
        question: text,
        options: z.array(z.object({ id: z.string(), label: text })).optional(),
        min: z.union([z.number(), z.string()]).optional(),
        max: z.union([z.number(), z.string()]).optional(),
        scale: z.number().int().min(0).max(10).optional(),
        unit: text.optional(),
        askedWhen: text.optional(),
      }),
    )
    .min(1)
    .max(30),
  outputs: z
    .array(
      z.object({
        id: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
        type: z.enum(['money', 'integer', 'number', 'boolean', 'yearMonth', 'codes', 'string']),
        label: text,
        unit: text.optional(),
        nullable: z.boolean().optional(),
        companion: z.boolean().optional(),
        codes: z.record(z.string(), text).optional(),
      }),
    )
    .min(1),
  parameters: z.array(z.object({ name: z.string(), key: z.string(), label: text })),
  rules: z
    .array(
      z.object({
        id: z.string().min(1),
        title: text,
        citation: z.string().min(1, '每条规则须注明所依据的政策条款 / every rule cites its clause'),
        when: z.string().optional(),
        set: z.record(z.string(), z.string()).optional(),
        table: z.object({ inputs: z.array(z.string()), outputs: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
        why: text.optional(),
      }),
    )
    .min(1),
  eligibilityOutput: z.string().optional(),
  changes: z.array(z.object({ input: z.string(), increase: z.boolean().optional(), values: z.array(z.any()).optional(), text })).optional(),
  notes: z.array(text).optional(),
  headlines: z.array(z.object({ when: z.string().optional(), status: z.enum(['complete', 'conditional']).optional(), text })).optional(),
  tests: z.array(
    z.object({
      name: z.string(),
      inputs: z.record(z.string(), z.any()),
      goal: z.string().optional(),
      date: ymd.optional(),
      expect: z.record(z.string(), z.any()).optional(),
      expectQuestion: z.string().optional(),
      expectErrorField: z.string().optional(),
    }),
  ),
});

export const ruleSetParams = z.object({ id: z.string() });
export const versionParams = z.object({ id: z.string(), version: z.string() });
export const langQuery = z.object({ lang: z.enum(['zh', 'en']).optional(), date: ymd.optional() });

/** The determine body is read as-is: the engine validates inputs in the order RULESETS.md §1.3 requires. */
export const determineBody = z.any();

export const parameterVersionBody = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/).optional(),
  jurisdiction: z.string(),
  effectiveFrom: ymd,
  effectiveTo: ymd.nullable().optional(),
  values: z.record(z.string(), z.any()).refine((v) => Object.keys(v).length > 0, '至少修改一个参数 / at least one value'),
  note: z.string().max(2000).optional(),
});

export const parameterVersionParams = z.object({ id: z.string().max(80) });
export const approveBody = z.object({ comment: z.string().max(2000).optional() }).nullish();
export const rejectBody = z.object({ comment: z.string().max(2000) });

export const whatIfBody = z.object({
  date: ymd.optional(),
  jurisdiction: z.string().optional(),
  overrides: z.record(z.string(), z.any()),
  sum: z.array(z.string()).min(1),
  population: z.union([z.object({ generate: z.number().int().min(1) }), z.object({ csv: z.string().min(1) })]),
});

/* ── response schemas: what the rules API answers ── */

const ruleSetStatus = z.enum(['draft', 'published', 'retired']);
/** A value the engine computed or a caller gave: a number, string, boolean, list or null, as JSON. */
const jsonValue = z.unknown();
const values = z.record(z.string(), jsonValue);

/** A rule set as clients see it (service.ts presentRuleSet): labels in the language asked. */
export const ruleSetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  version: z.string(),
  effectiveFrom: z.string(),
  legalBasis: z.string(),
  versions: z.array(z.object({ version: z.string(), effectiveFrom: z.string(), effectiveTo: z.string().nullable(), status: ruleSetStatus })),
  inputs: z.array(
    z.object({
      id: z.string(),
      /** enum | boolean | integer | decimal(scale) | money | yearMonth */
      type: z.string(),
      label: z.string(),
      question: z.string(),
      options: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
      min: z.union([z.number(), z.string()]).optional(),
      max: z.union([z.number(), z.string()]).optional(),
      scale: z.number().int().optional(),
      unit: z.string().optional(),
      askedWhen: z.string().optional(),
    }),
  ),
  outputs: z.array(z.object({ id: z.string(), type: z.string(), label: z.string(), unit: z.string().optional(), nullable: z.boolean(), codes: z.record(z.string(), z.string()).optional() })),
});
export const ruleSetListResponse = z.object({ items: z.array(ruleSetSummarySchema) });

const testCaseSchema = z.object({
  name: z.string(),
  inputs: values,
  goal: z.string().optional(),
  date: z.string().optional(),
  expect: values.optional(),
  expectQuestion: z.string().optional(),
  expectErrorField: z.string().optional(),
});

/** A rule set as a document: its rules as FEEL, decision tables and the clause each cites (presenter.ts). */
export const ruleSetDocumentResponse = ruleSetSummarySchema.extend({
  parameters: z.array(z.object({ name: z.string(), key: z.string(), label: z.string() })),
  rules: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      citation: z.string(),
      when: z.string().optional(),
      decisionTable: z.object({ inputs: z.array(z.string()), outputs: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
      set: z.record(z.string(), z.string()).optional(),
      why: z.string().optional(),
    }),
  ),
  notes: z.array(z.string()),
  tests: z.array(testCaseSchema),
});

/** One rule that fired, as logged: the values it read and produced, and the decision-table row. */
const traceRecordSchema = z.object({ rule: z.string(), values, result: values, row: z.number().int().optional() });
/** One rule that fired, as shown: with its title, citation, plain reason (why) and derivation (how). */
const traceEntrySchema = traceRecordSchema.extend({ title: z.string(), citation: z.string(), why: z.string(), how: z.string() });

const questionSchema = z.object({
  id: z.string(),
  text: z.string(),
  label: z.string(),
  type: z.enum(['enum', 'boolean', 'integer', 'decimal', 'money', 'yearMonth']),
  options: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  unit: z.string().optional(),
  /** answer to "why are you asking this?" */
  why: z.string(),
});

const determinationStatus = z.enum(['complete', 'need_input', 'conditional']);

/** POST …/determine: the result (or the next question) and the id it was logged under. */
export const determineResponse = z.object({
  status: determinationStatus,
  headline: z.string().optional(),
  outputs: values,
  ruleSet: z.object({ id: z.string(), version: z.string() }),
  date: z.string(),
  jurisdiction: z.string(),
  parameterVersions: z.array(z.string()),
  question: questionSchema.optional(),
  unknownInputs: z.array(z.string()).optional(),
  explanation: z.array(traceEntrySchema).optional(),
  notes: z.array(z.string()).optional(),
  suggestions: z
    .array(z.object({ input: z.string(), from: jsonValue, to: jsonValue, delta: z.number().optional(), conditional: z.boolean(), text: z.string() }))
    .optional(),
  determinationId: z.string(),
});

/** A parameter version in force (presenter.ts presentParameterVersion). */
export const parameterVersionSchema = z.object({
  id: z.string(),
  jurisdiction: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  values,
  note: z.string().nullable(),
  status: z.literal('published'),
});
/** A stored parameter version with its review (presenter.ts presentParameterReview). */
export const parameterReviewSchema = parameterVersionSchema.extend({
  status: z.enum(['pending', 'published', 'rejected']),
  createdBy: z.string(),
  createdAt: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewComment: z.string().nullable(),
});
export const parametersResponse = z.object({
  jurisdictions: z.array(z.object({ code: z.string(), name: text, parent: z.string().optional() })),
  items: z.array(parameterVersionSchema),
});
export const parametersInForceResponse = z.object({ date: z.string(), jurisdiction: z.string(), versions: z.array(z.string()), values });
export const parameterReviewList = z.object({ items: z.array(parameterReviewSchema) });
export const parameterImportResponse = z.object({ created: z.array(parameterReviewSchema) });
export const jurisdictionQuery = z.object({ jurisdiction: z.string().optional() });

const testResultSchema = z.object({ name: z.string(), passed: z.boolean(), detail: z.string().optional() });
/** A rule-set version in the console (presenter.ts presentVersion). */
export const versionListResponse = z.object({
  items: z.array(
    z.object({
      version: z.string(),
      effectiveFrom: z.string(),
      effectiveTo: z.string().nullable(),
      status: ruleSetStatus,
      builtIn: z.boolean(),
      tests: z.array(testResultSchema).nullable(),
      createdBy: z.string(),
      createdAt: z.string().nullable(),
      publishedBy: z.string().nullable(),
      publishedAt: z.string().nullable(),
    }),
  ),
});
/** A saved, imported or published version with its test results. */
export const savedVersionResponse = z.object({ id: z.string(), version: z.string(), status: ruleSetStatus, tests: z.array(testResultSchema) });

/** The body of a workbook upload: the .xlsx bytes (checked by the handler, which answers 400 invalid_workbook). */
export const workbookBody = z.any().describe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (Excel workbook)');
/** An Excel workbook, sent as bytes. */
export const workbookFile = z.any().describe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet (Excel workbook)');
export const exportQuery = z.object({ version: z.string().optional() });

const whatIfTotals = z.object({ complete: z.number().int(), incomplete: z.number().int(), totals: z.record(z.string(), z.number()) });
/** A what-if comparison (run-what-if.ts WhatIfResult). */
export const whatIfResponse = z.object({
  people: z.number().int(),
  invalid: z.array(z.object({ row: z.number().int(), field: z.string().optional(), message: z.string() })),
  baseline: whatIfTotals,
  scenario: whatIfTotals,
  difference: z.record(z.string(), z.number()),
  parameterVersions: z.array(z.string()),
  overrides: values,
  ms: z.number(),
});

export const determinationParams = z.object({ id: z.string() });
/** A logged determination (presenter.ts presentDetermination). Records written before the trace was structured also carry its texts. */
export const determinationSchema = z.object({
  id: z.string(),
  ruleSet: z.object({ id: z.string(), version: z.string() }),
  date: z.string(),
  jurisdiction: z.string(),
  parameterVersions: z.array(z.string()),
  parameters: values,
  inputs: values,
  unknownInputs: z.array(z.string()),
  goal: z.string().nullable(),
  status: determinationStatus,
  outputs: values,
  questionId: z.string().nullable(),
  trace: z.array(traceRecordSchema.extend({ title: z.string().optional(), citation: z.string().optional(), why: z.string().optional(), how: z.string().optional() })),
  actor: z.string(),
  createdAt: z.string(),
});
export const determinationList = z.object({ items: z.array(determinationSchema), total: z.number().int() });

/** A replayed determination: whether today's engine gives the same outputs and trace. */
export const replayResponse = z.object({
  matches: z.boolean(),
  traceMatches: z.boolean(),
  status: determinationStatus,
  outputs: values,
  explanation: z.array(traceEntrySchema),
  recorded: z.object({ status: determinationStatus, outputs: values }),
});

/** A rule-set document to save as a draft: read as-is, saveRuleSetVersion checks it against `ruleSetDocument` and answers 400 with the field. */
export const ruleSetDocumentBody = z.any().describe('规则集文档（见 ruleSetDocument） / a rule-set document');

