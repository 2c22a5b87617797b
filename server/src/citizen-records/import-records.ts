import type { Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { AppError } from '../platform/errors';
import { newId, nowIso } from '../platform/ids';
import { monthIndex, type ContributionRun } from './model';
import { recordsRepo, type PersonRecordWrite } from './repo';
import { importPerson, type ValidPerson } from './schema';

export interface ImportProblem {
  /** 1-based position of the person in the file */
  row: number;
  field: string;
  message: string;
}

/** Errors listed at most: enough to fix a file, not a megabyte of the same mistake. */
const MAX_PROBLEMS = 100;

/**
 * "851.39" for 851.39: exact, since amounts were checked to have at most two decimals (and are far
 * below 2^53 cents). A Decimal per amount made an import of 10,000 persons take minutes.
 */
function cents(value: number): string {
  const c = Math.round(value * 100);
  const abs = Math.abs(c);
  return `${c < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Checks every person of an import before anything is written: the schema (ID number with its check
 * character, months, amounts), and what the schema cannot see — the same ID number twice in the
 * file, the same month of one insurance twice, the same application reference twice.
 */
export function validateImport(persons: unknown[]): { valid: ValidPerson[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const valid: ValidPerson[] = [];
  const seen = new Map<string, number>();
  persons.forEach((raw, i) => {
    const row = i + 1;
    if (problems.length >= MAX_PROBLEMS) return;
    const parsed = importPerson.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 5)) problems.push({ row, field: issue.path.join('.') || 'person', message: issue.message });
      return;
    }
    const person = parsed.data;
    const earlier = seen.get(person.idNumber);
    if (earlier) problems.push({ row, field: 'idNumber', message: `与第${earlier}行的身份证号重复 / same ID number as row ${earlier}` });
    seen.set(person.idNumber, row);
    const months = new Set<string>();
    person.contributions.forEach((c, j) => {
      const key = `${c.insurance}:${c.month}`;
      if (months.has(key)) problems.push({ row, field: `contributions.${j}`, message: `${c.insurance} ${c.month} 重复 / month given twice` });
      months.add(key);
    });
    const refs = new Set<string>();
    person.applications.forEach((a, j) => {
      if (refs.has(a.id)) problems.push({ row, field: `applications.${j}.id`, message: `受理编号 ${a.id} 重复 / application id given twice` });
      refs.add(a.id);
    });
    valid.push(person);
  });
  return { valid, problems: problems.slice(0, MAX_PROBLEMS) };
}

/** Consecutive months with the same employer, base, amounts and status become one stored run. */
export function toRuns(contributions: ValidPerson['contributions']): ContributionRun[] {
  const sorted = [...contributions].sort((a, b) => (a.insurance === b.insurance ? a.month.localeCompare(b.month) : a.insurance.localeCompare(b.insurance)));
  const runs: ContributionRun[] = [];
  for (const c of sorted) {
    const run: ContributionRun = { insurance: c.insurance, fromMonth: c.month, toMonth: c.month, employer: c.employer, base: cents(c.base), employerAmount: cents(c.employerAmount), personalAmount: cents(c.personalAmount), status: c.status };
    const last = runs.at(-1);
    const continues =
      last &&
      last.insurance === run.insurance &&
      monthIndex(last.toMonth) + 1 === monthIndex(run.fromMonth) &&
      last.employer === run.employer &&
      last.base === run.base &&
      last.employerAmount === run.employerAmount &&
      last.personalAmount === run.personalAmount &&
      last.status === run.status;
    if (continues) last.toMonth = run.toMonth;
    else runs.push(run);
  }
  return runs;
}

/** A validated person as the store keeps them. */
export function toWrite(person: ValidPerson): PersonRecordWrite {
  return {
    idNumber: person.idNumber,
    name: person.name,
    phone: person.phone,
    runs: toRuns(person.contributions),
    applications: person.applications.map((a) => {
      const history = [...a.history].sort((x, y) => x.at.localeCompare(y.at));
      return { id: newId(), ref: a.id, type: a.type, status: a.status, submittedAt: history[0].at, updatedAt: history.at(-1)!.at, events: history.map((h) => ({ at: h.at, status: h.status, note: h.note ?? null })) };
    }),
    payments: person.payments.map((p) => ({ month: p.month, type: p.type, amount: cents(p.amount) })),
  };
}

/** Persons written per transaction: a nightly feed of a whole city must not hold one lock for minutes. */
const PERSONS_PER_TRANSACTION = 500;

/**
 * Imports citizens' records from the core business system: the whole file is validated first and
 * nothing is written when any row is wrong (400 with row-numbered problems); then each person's
 * record is replaced by what the file says.
 */
export async function importRecords(ctx: AppContext, actor: Actor | string, persons: unknown[]): Promise<{ imported: number }> {
  const { valid, problems } = validateImport(persons);
  if (problems.length) {
    const error = new AppError(400, 'invalid_records', { zh: `导入文件有${problems.length >= MAX_PROBLEMS ? '至少' : ''}${problems.length}处错误，未导入任何记录`, en: `${problems.length} problems, nothing imported` }, `persons.${problems[0].row - 1}.${problems[0].field}`);
    Object.assign(error, { details: problems });
    throw error;
  }
  await writePersons(ctx, valid);
  await ctx.audit.record(actor, { action: 'records.import', detail: { persons: valid.length } });
  return { imported: valid.length };
}

/** Writes validated persons in transactions of a few hundred. */
export async function writePersons(ctx: AppContext, persons: ValidPerson[]) {
  const repo = recordsRepo(ctx.db, ctx.secrets);
  for (let i = 0; i < persons.length; i += PERSONS_PER_TRANSACTION) {
    await repo.replacePersons(persons.slice(i, i + PERSONS_PER_TRANSACTION).map(toWrite), newId, nowIso());
  }
}
