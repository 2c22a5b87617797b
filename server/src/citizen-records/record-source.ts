import { normalizeIdNumber } from '../../../common/id-number';
import { AppError } from '../platform/errors';
import type { ApplicationEvent, ApplicationRecord, ContributionRun, PaymentRecord, PersonRecord } from './model';
import { toWrite } from './import-records';
import type { RecordsRepo } from './repo';
import { importPerson } from './schema';

/**
 * Where a person's contributions, applications and payments are read from: the local store fed by
 * the nightly import, or the core business system itself, asked live. Who the person is (ID number,
 * name, phone: what sign-in checks) is always kept in the local store.
 */
export interface RecordSource {
  readonly kind: 'local' | 'core';
  runsOf(person: PersonRecord): Promise<ContributionRun[]>;
  applicationsOf(person: PersonRecord): Promise<ApplicationRecord[]>;
  applicationOf(person: PersonRecord, ref: string): Promise<(ApplicationRecord & { history: ApplicationEvent[] }) | undefined>;
  paymentsOf(person: PersonRecord): Promise<PaymentRecord[]>;
  /** a person the local store does not know yet (core only: their identity is copied in on first sign-in) */
  discover?(idNumber: string): Promise<{ idNumber: string; name: string; phone: string } | undefined>;
}

/** The local store (the default): what the last import wrote. */
export function localRecordSource(repo: RecordsRepo): RecordSource {
  return {
    kind: 'local',
    runsOf: (p) => repo.runsOf(p.id),
    applicationsOf: (p) => repo.applicationsOf(p.id),
    applicationOf: (p, ref) => repo.applicationOf(p.id, ref),
    paymentsOf: (p) => repo.paymentsOf(p.id),
  };
}

/**
 * The core business system over HTTP: `GET {url}/persons/{idNumber}` answers one person in the import
 * format (server/src/citizen-records/schema.ts), 404 when unknown. Answers are checked like an import;
 * a core system that is down or answers nonsense is a 503, never an empty record.
 */
export function coreRecordSource(options: { url: string; apiKey?: string; timeoutMs?: number }): RecordSource {
  async function fetchPerson(idNumber: string) {
    let res: Response;
    try {
      res = await fetch(`${options.url}/persons/${encodeURIComponent(normalizeIdNumber(idNumber))}`, {
        headers: { accept: 'application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch {
      throw unavailable();
    }
    if (res.status === 404) return undefined;
    if (!res.ok) throw unavailable();
    const parsed = importPerson.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success) throw unavailable();
    return parsed.data;
  }
  /** One person as the store would keep them; application ids are their references (nothing is stored). */
  async function recordOf(person: PersonRecord) {
    const fetched = await fetchPerson(person.idNumber);
    const write = fetched ? toWrite(fetched) : { runs: [], applications: [], payments: [] };
    const applications = write.applications.map((a) => ({ id: a.ref, personId: person.id, ref: a.ref, type: a.type, status: a.status, submittedAt: a.submittedAt, updatedAt: a.updatedAt, history: a.events }));
    applications.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt));
    return { runs: write.runs, applications, payments: [...write.payments].sort((a, b) => b.month.localeCompare(a.month)) };
  }
  return {
    kind: 'core',
    runsOf: async (p) => (await recordOf(p)).runs,
    applicationsOf: async (p) => (await recordOf(p)).applications.map(({ history: _history, ...a }) => a),
    applicationOf: async (p, ref) => (await recordOf(p)).applications.find((a) => a.ref === ref),
    paymentsOf: async (p) => (await recordOf(p)).payments,
    async discover(idNumber) {
      const fetched = await fetchPerson(idNumber);
      return fetched && { idNumber: fetched.idNumber, name: fetched.name, phone: fetched.phone };
    },
  };
}

const unavailable = () => new AppError(503, 'core_unavailable', { zh: '业务系统暂时无法查询，请稍后再试', en: 'the core business system cannot be reached now, try again later' });
