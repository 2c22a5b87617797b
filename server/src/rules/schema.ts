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
