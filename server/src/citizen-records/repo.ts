import type { Kysely } from 'kysely';
import type { SecretBox } from '../platform/secrets';
import type { ApplicationEvent, ApplicationRecord, ContributionRun, PaymentRecord, PersonRecord } from './model';

/** One person's whole record as the import writes it (everything the core system sent, replaced at once). */
export interface PersonRecordWrite {
  idNumber: string;
  name: string;
  phone: string;
  runs: ContributionRun[];
  applications: { id: string; ref: string; type: string; status: string; submittedAt: string; updatedAt: string; events: ApplicationEvent[] }[];
  payments: PaymentRecord[];
}

/** Rows a statement may hold: SQLite allows 32,766 bound values, and nine columns a row is the widest here. */
const ROWS_PER_INSERT = 2000;

async function insertChunked(db: Kysely<any>, table: string, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await db.insertInto(table).values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
}

const toRun = (r: any): ContributionRun => ({
  insurance: r.insurance,
  fromMonth: r.from_month,
  toMonth: r.to_month,
  employer: r.employer,
  base: r.base,
  employerAmount: r.employer_amount,
  personalAmount: r.personal_amount,
  status: r.status,
});

const toApplication = (r: any): ApplicationRecord => ({ id: r.id, personId: r.person_id, ref: r.ref, type: r.type, status: r.status, submittedAt: r.submitted_at, updatedAt: r.updated_at });

/** Queries of the records store; personal fields are sealed on the way in and opened on the way out. */
export function recordsRepo(db: Kysely<any>, secrets: SecretBox) {
  const toPerson = (r: any): PersonRecord => ({ id: r.id, idNumber: secrets.open(r.id_number_sealed), name: secrets.open(r.name_sealed), phone: secrets.open(r.phone_sealed), updatedAt: r.updated_at });
  return {
    idNumberHash: (idNumber: string) => secrets.lookupHash(`id:${idNumber}`),

    async personById(id: string): Promise<PersonRecord | undefined> {
      const row = await db.selectFrom('record_persons').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toPerson(row);
    },
    async personByIdNumber(idNumber: string): Promise<PersonRecord | undefined> {
      const row = await db.selectFrom('record_persons').selectAll().where('id_number_hash', '=', this.idNumberHash(idNumber)).executeTakeFirst();
      return row && toPerson(row);
    },
    async countPersons(): Promise<number> {
      const row = await db.selectFrom('record_persons').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /**
     * Replaces each person's record with what the core system sent (found by ID number; new persons
     * get a random id, which is never derived from the ID number), all in one transaction.
     */
    async replacePersons(persons: PersonRecordWrite[], newPersonId: () => string, now: string) {
      await db.transaction().execute(async (trx) => {
        const hashes = persons.map((p) => this.idNumberHash(p.idNumber));
        const existing = new Map<string, string>();
        for (let i = 0; i < hashes.length; i += 500) {
          const rows = await trx.selectFrom('record_persons').select(['id', 'id_number_hash']).where('id_number_hash', 'in', hashes.slice(i, i + 500)).execute();
          for (const r of rows) existing.set(r.id_number_hash, r.id);
        }
        const ids = persons.map((_, i) => existing.get(hashes[i]) ?? newPersonId());
        const known = ids.filter((id, i) => existing.get(hashes[i]) === id);
        for (let i = 0; i < known.length; i += 500) {
          const chunk = known.slice(i, i + 500);
          const appIds = (await trx.selectFrom('record_applications').select('id').where('person_id', 'in', chunk).execute()).map((r) => r.id);
          for (let j = 0; j < appIds.length; j += 500) await trx.deleteFrom('record_application_events').where('application_id', 'in', appIds.slice(j, j + 500)).execute();
          for (const table of ['record_applications', 'record_contributions', 'record_payments', 'record_persons']) await trx.deleteFrom(table).where(table === 'record_persons' ? 'id' : 'person_id', 'in', chunk).execute();
        }
        await insertChunked(
          trx,
          'record_persons',
          persons.map((p, i) => ({
            id: ids[i],
            id_number_hash: hashes[i],
            id_number_sealed: secrets.seal(p.idNumber),
            name_sealed: secrets.seal(p.name),
            phone_sealed: secrets.seal(p.phone),
            created_at: now,
            updated_at: now,
          })),
        );
        await insertChunked(
          trx,
          'record_contributions',
          persons.flatMap((p, i) =>
            p.runs.map((r) => ({ person_id: ids[i], insurance: r.insurance, from_month: r.fromMonth, to_month: r.toMonth, employer: r.employer, base: r.base, employer_amount: r.employerAmount, personal_amount: r.personalAmount, status: r.status })),
          ),
        );
        await insertChunked(
          trx,
          'record_applications',
          persons.flatMap((p, i) => p.applications.map((a) => ({ id: a.id, person_id: ids[i], ref: a.ref, type: a.type, status: a.status, submitted_at: a.submittedAt, updated_at: a.updatedAt }))),
        );
        await insertChunked(
          trx,
          'record_application_events',
          persons.flatMap((p) => p.applications.flatMap((a) => a.events.map((e, seq) => ({ application_id: a.id, seq, at: e.at, status: e.status, note: e.note })))),
        );
        await insertChunked(
          trx,
          'record_payments',
          persons.flatMap((p, i) => p.payments.map((pay) => ({ person_id: ids[i], month: pay.month, type: pay.type, amount: pay.amount }))),
        );
      });
    },

    async runsOf(personId: string): Promise<ContributionRun[]> {
      const rows = await db.selectFrom('record_contributions').selectAll().where('person_id', '=', personId).orderBy('insurance').orderBy('from_month').execute();
      return rows.map(toRun);
    },
    async applicationsOf(personId: string): Promise<ApplicationRecord[]> {
      const rows = await db.selectFrom('record_applications').selectAll().where('person_id', '=', personId).orderBy('submitted_at', 'desc').orderBy('ref').execute();
      return rows.map(toApplication);
    },
    /** One application of this person by its reference: another person's reference is simply not found. */
    async applicationOf(personId: string, ref: string): Promise<(ApplicationRecord & { history: ApplicationEvent[] }) | undefined> {
      const row = await db.selectFrom('record_applications').selectAll().where('person_id', '=', personId).where('ref', '=', ref).executeTakeFirst();
      if (!row) return undefined;
      const events = await db.selectFrom('record_application_events').selectAll().where('application_id', '=', row.id).orderBy('seq').execute();
      return { ...toApplication(row), history: events.map((e) => ({ at: e.at, status: e.status, note: e.note ?? null })) };
    },
    async paymentsOf(personId: string): Promise<PaymentRecord[]> {
      const rows = await db.selectFrom('record_payments').selectAll().where('person_id', '=', personId).orderBy('month', 'desc').orderBy('type').execute();
      return rows.map((r) => ({ month: r.month, type: r.type, amount: r.amount }));
    },
  };
}

export type RecordsRepo = ReturnType<typeof recordsRepo>;
