import { z } from 'zod';
import { idNumberProblem, normalizeIdNumber } from '../../../common/id-number';

/** The five social insurances a contribution month belongs to. */
export const INSURANCES = ['pension', 'medical', 'unemployment', 'injury', 'maternity'] as const;
export type Insurance = (typeof INSURANCES)[number];

/** Kinds of application (业务经办) a citizen can follow; other kinds are kept as given. */
export const APPLICATION_TYPES = ['retirement', 'unemployment_benefit', 'card_replacement', 'transfer', 'injury_recognition', 'other'] as const;

// at most two decimals, read as a person would write them (851.39 is 85138.99999… cents in binary)
const money = z.number().finite().min(0).max(10_000_000).refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most two decimals');
const month = z.string().regex(/^(19|20)\d\d-(0[1-9]|1[0-2])$/, 'YYYY-MM');
const isoTime = z.string().datetime({ offset: true }).or(z.string().regex(/^\d{4}-\d\d-\d\d$/, 'YYYY-MM-DD or an ISO date-time'));

export const importContribution = z.object({
  month,
  insurance: z.enum(INSURANCES),
  employer: z.string().trim().min(1).max(200),
  base: money,
  employerAmount: money,
  personalAmount: money,
  status: z.enum(['paid', 'arrears']),
});

export const importApplication = z.object({
  /** the core system's own reference (受理编号); unique per person */
  id: z.string().trim().min(1).max(64),
  type: z.string().trim().min(1).max(40),
  status: z.string().trim().min(1).max(40),
  history: z.array(z.object({ at: isoTime, status: z.string().trim().min(1).max(40), note: z.string().max(500).optional() })).min(1).max(100),
});

export const importPayment = z.object({
  month,
  /** pension, unemployment_benefit, injury_allowance, … */
  type: z.string().trim().min(1).max(40),
  amount: money,
});

export const importPerson = z.object({
  idNumber: z
    .string()
    .transform(normalizeIdNumber)
    .superRefine((v, check) => {
      const problem = idNumberProblem(v);
      // schema messages are written "中文 / English"; the error handler sends the caller's half
      if (problem) check.addIssue({ code: 'custom', message: `${problem.zh} / ${problem.en}` });
    }),
  name: z.string().trim().min(1).max(50),
  phone: z.string().regex(/^1\d{10}$/, '11-digit mobile number'),
  contributions: z.array(importContribution).max(5 * 12 * 60).default([]),
  applications: z.array(importApplication).max(200).default([]),
  payments: z.array(importPayment).max(12 * 60).default([]),
});
export type ImportPerson = z.input<typeof importPerson>;
export type ValidPerson = z.output<typeof importPerson>;

/** POST /api/v1/records/import: validated person by person, so errors can name the row. */
export const importRequest = z.object({ persons: z.array(z.unknown()).min(1).max(20_000) });
export const importResponse = z.object({ imported: z.number().int() });
