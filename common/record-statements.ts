import { z } from 'zod';

// The contribution statement (参保证明): what the API answers when a citizen issues one, and what
// anyone holding its verification code may check publicly (masked only). Server and portal share these.

/** Letters and digits that cannot be misread for one another: no 0/O, 1/I/L. */
export const STATEMENT_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** 20 characters of 31: about 99 bits, shown as five groups of four (K7QM-2XD9-…). */
export const STATEMENT_CODE_LENGTH = 20;
export const STATEMENT_CODE_GROUP = 4;

/** A verification code as shown: groups of four joined by dashes. */
export const statementCodePattern = new RegExp(`^[${STATEMENT_CODE_ALPHABET}]{${STATEMENT_CODE_GROUP}}(-[${STATEMENT_CODE_ALPHABET}]{${STATEMENT_CODE_GROUP}}){${STATEMENT_CODE_LENGTH / STATEMENT_CODE_GROUP - 1}}$`);

/**
 * A code as someone typed it (lower case, spaces, missing or extra dashes, full-width characters)
 * in its shown form; whatever does not make a well-formed code comes back as typed, upper-cased.
 */
export function normalizeStatementCode(typed: string): string {
  const compact = typed.normalize('NFKC').toUpperCase().replace(/[\s\-_—–]/g, '');
  if (compact.length !== STATEMENT_CODE_LENGTH) return compact;
  return compact.match(new RegExp(`.{${STATEMENT_CODE_GROUP}}`, 'g'))!.join('-');
}

export const statementInsuranceSchema = z.object({
  paidMonths: z.number().int(),
  /** months owed by the employer (欠缴) */
  arrearsMonths: z.number().int(),
  /** YYYY-MM of the first and last month on record, null when none */
  firstMonth: z.string().nullable(),
  lastMonth: z.string().nullable(),
});

/** One year of pension months: paid, owed, and missing between the first month on record and the last (断缴). */
export const statementYearSchema = z.object({ year: z.number().int(), paidMonths: z.number().int(), arrearsMonths: z.number().int(), gapMonths: z.number().int() });

/** What a statement says, as stored when it was issued: masked, so it may be shown to whoever checks the code. */
export const statementContentSchema = z.object({
  nameMasked: z.string(),
  idNumberMasked: z.string(),
  /** YYYY-MM-DD: the day the figures are as of (the record's last import, or the issue day when read live) */
  asOf: z.string(),
  pension: statementInsuranceSchema,
  medical: statementInsuranceSchema,
  unemployment: statementInsuranceSchema,
  injury: statementInsuranceSchema,
  maternity: statementInsuranceSchema,
  /** pension months by year, oldest first */
  pensionYears: z.array(statementYearSchema),
});
export type StatementContent = z.infer<typeof statementContentSchema>;

/** POST /api/v1/me/statements */
export const issuedStatementSchema = z.object({
  code: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  /** where the citizen downloads it, with their Bearer token */
  pdfUrl: z.string(),
});
export type IssuedStatement = z.infer<typeof issuedStatementSchema>;

/** GET /api/v1/statements/{code}: a genuine statement, masked. */
export const statementCheckSchema = statementContentSchema.extend({
  code: z.string(),
  issuedAt: z.string(),
  /** valid until */
  expiresAt: z.string(),
});
export type StatementCheck = z.infer<typeof statementCheckSchema>;
