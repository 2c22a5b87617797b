import { randomInt } from 'node:crypto';
import { maskIdNumber } from '../../../common/masking';
import { normalizeStatementCode, STATEMENT_CODE_ALPHABET, STATEMENT_CODE_LENGTH, type StatementContent } from '../../../common/record-statements';
import type { Actor } from '../identity/permissions';
import { newId, now } from '../platform/ids';
import type { SecretBox } from '../platform/secrets';
import type { ContributionRun, PersonRecord } from './model';
import type { CitizenRecordsDeps } from './ports';
import { maskName } from './presenter';
import { PERSON_SUBJECT } from './read-record';
import { INSURANCES } from './schema';
import { statementRepo } from './statement-repo';
import { contributionMonths, summarizeRuns } from './summarize-record';

/** How long a statement can be checked by its code: long enough for an employer or a bank to look. */
export const STATEMENT_VALID_DAYS = 90;

/** A new verification code: uniformly random characters of the unambiguous alphabet, in groups of four. */
export function newStatementCode(): string {
  const chars = Array.from({ length: STATEMENT_CODE_LENGTH }, () => STATEMENT_CODE_ALPHABET[randomInt(STATEMENT_CODE_ALPHABET.length)]);
  return normalizeStatementCode(chars.join(''));
}

/** The keyed hash a statement is stored and found under, for a code however it was typed. */
export const statementCodeHash = (secrets: SecretBox, code: string) => secrets.lookupHash(`statement:${normalizeStatementCode(code)}`);

const chinaDay = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' });
/** YYYY-MM-DD of an instant in China time, the date a statement states. */
export const chinaDate = (at: Date | string) => chinaDay.format(new Date(at));

/**
 * What a statement says, masked: who (name 张*华, ID number masked), per insurance the months paid
 * and owed with the first and last month, and the pension months year by year.
 */
export function statementContent(person: PersonRecord, runs: ContributionRun[], asOf: string): StatementContent {
  const summary = summarizeRuns(runs);
  const part = (insurance: (typeof INSURANCES)[number]) => {
    const s = summary[insurance];
    return { paidMonths: s.paidMonths, arrearsMonths: s.arrearsMonths, firstMonth: s.firstMonth, lastMonth: s.lastMonth };
  };
  const pension = contributionMonths(runs, 'pension');
  const years = new Map<number, { year: number; paidMonths: number; arrearsMonths: number; gapMonths: number }>();
  const yearOf = (month: string) => {
    const year = Number(month.slice(0, 4));
    if (!years.has(year)) years.set(year, { year, paidMonths: 0, arrearsMonths: 0, gapMonths: 0 });
    return years.get(year)!;
  };
  for (const m of pension.items) yearOf(m.month)[m.status === 'paid' ? 'paidMonths' : 'arrearsMonths']++;
  for (const gap of pension.gaps) yearOf(gap).gapMonths++;
  return {
    nameMasked: maskName(person.name),
    idNumberMasked: maskIdNumber(person.idNumber),
    asOf,
    pension: part('pension'),
    medical: part('medical'),
    unemployment: part('unemployment'),
    injury: part('injury'),
    maternity: part('maternity'),
    pensionYears: [...years.values()].sort((a, b) => a.year - b.year),
  };
}

/**
 * Issues a contribution statement to the signed-in citizen (already checked by `ownPerson`): a new
 * verification code, kept only as a keyed hash, with a masked snapshot of what the statement says.
 * Figures from the local store are as of its last import; read live from the core system, as of today.
 */
export async function issueStatement(deps: CitizenRecordsDeps, actor: Actor, person: PersonRecord, ip?: string) {
  const runs = await deps.source.runsOf(person);
  const issued = now();
  const content = statementContent(person, runs, chinaDate(deps.source.kind === 'core' ? issued : person.updatedAt));
  const code = newStatementCode();
  const statement = { id: newId(), personId: person.id, issuedAt: issued.toISOString(), expiresAt: new Date(issued.getTime() + STATEMENT_VALID_DAYS * 86_400_000).toISOString(), content };
  await statementRepo(deps.ctx.db).insert({ ...statement, codeHash: statementCodeHash(deps.ctx.secrets, code) });
  await deps.ctx.audit.record(actor, { action: 'records.statement_issued', subjectType: PERSON_SUBJECT, subjectId: person.id, detail: { statementId: statement.id, expiresAt: statement.expiresAt } }, ip);
  return { code, ...statement };
}
