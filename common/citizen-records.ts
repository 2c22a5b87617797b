import { z } from 'zod';

// What the personal-services API answers (server presenters produce these; the portal reads them).
// Amounts are decimal strings with two places ("1234.50"): money is never binary floating point.

const amount = z.string().regex(/^-?\d+\.\d\d$/);

export const insuranceSummarySchema = z.object({
  /** months paid in full */
  paidMonths: z.number().int(),
  /** months owed by the employer (欠缴) */
  arrearsMonths: z.number().int(),
  /** what the person paid themselves, paid months only */
  personalContributions: amount,
  firstMonth: z.string().nullable(),
  lastMonth: z.string().nullable(),
});

export const citizenPersonSchema = z.object({
  /** the citizen sees their own name; staff see it masked (张*华) unless unmasked with a reason */
  name: z.string(),
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
});

export const myRecordSchema = z.object({
  person: citizenPersonSchema,
  pension: insuranceSummarySchema.extend({ accountBalance: amount }),
  medical: insuranceSummarySchema,
  unemployment: insuranceSummarySchema,
  injury: insuranceSummarySchema,
  maternity: insuranceSummarySchema,
  /** when the record was last fed from the core system */
  updatedAt: z.string(),
});
export type MyRecord = z.infer<typeof myRecordSchema>;

export const contributionMonthSchema = z.object({
  month: z.string(),
  employer: z.string(),
  base: amount,
  employerAmount: amount,
  personalAmount: amount,
  status: z.enum(['paid', 'arrears']),
});
export const contributionMonthsSchema = z.object({
  insurance: z.string(),
  items: z.array(contributionMonthSchema),
  /** months with no contribution between the first month and the last (断缴) */
  gaps: z.array(z.string()),
});

export const accountYearSchema = z.object({ year: z.number().int(), opening: amount, contributions: amount, rate: z.string(), interest: amount, closing: amount });
export const pensionAccountSchema = z.object({ balance: amount, years: z.array(accountYearSchema) });

export const applicationEventSchema = z.object({ at: z.string(), status: z.string(), note: z.string().nullable() });
export const applicationSummarySchema = z.object({ id: z.string(), type: z.string(), status: z.string(), submittedAt: z.string(), updatedAt: z.string() });
export const applicationsSchema = z.object({ items: z.array(applicationSummarySchema) });
export const applicationSchema = applicationSummarySchema.extend({ history: z.array(applicationEventSchema) });

export const paymentsSchema = z.object({ items: z.array(z.object({ month: z.string(), type: z.string(), amount })) });

export const accessLogSchema = z.object({
  items: z.array(
    z.object({
      at: z.string(),
      /** who looked: a staff member's display name and username, never an internal id */
      who: z.string(),
      /** what they saw: record (masked), or one field unmasked */
      what: z.enum(['record', 'idNumber', 'phone', 'name']),
      reason: z.string().nullable(),
      /** the conversation it was looked at in, if any */
      conversationId: z.string().nullable(),
    }),
  ),
});

export const citizenSessionSchema = z.object({
  token: z.string().optional(),
  person: citizenPersonSchema,
  expiresAt: z.string(),
  /** records need a verification (SMS code) no older than this */
  verifiedUntil: z.string(),
});

/** Personal records are shown within this many minutes of the citizen's last SMS code (sign-in or step-up). */
export const RECORDS_VERIFIED_MINUTES = 15;

/** Whether a citizen's last SMS code is recent enough to show their records. */
export function isFreshlyVerified(verifiedAt: string, at = new Date()) {
  return at.getTime() - new Date(verifiedAt).getTime() <= RECORDS_VERIFIED_MINUTES * 60_000;
}
