import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { fromJson, toJson } from './database';
import { AppError } from './errors';
import { type Bilingual, detailsIn, type Lang } from './language';
import { newId, nowIso } from './ids';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

/** A job as the queue stores it (the payload stays in the table only until the job ends). */
export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  /** 0–100 */
  progress: number;
  message: string | null;
  result: unknown;
  /** Why the job failed, in the shape of an API error. */
  error: JobError | null;
  attempts: number;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

/** What a handler may do while it runs. */
export interface JobRun {
  job: JobRecord;
  /** Records progress (0–100) and a short message; also tells the queue the job is alive. */
  progress(percent: number, message?: string): Promise<void>;
  /** Aborted when the queue stops: a handler checks it between chunks and returns early by throwing. */
  signal: AbortSignal;
}

export type JobHandler = (payload: any, run: JobRun) => Promise<unknown>;

/**
 * Background work: the database-backed queue every instance runs in-process. A later Redis
 * (BullMQ) implementation keeps this interface, so job code does not change.
 */
export interface JobQueue {
  /** Says which handler runs jobs of a kind. Handlers may run again after a crash, so they must be idempotent. */
  register(kind: string, handler: JobHandler): void;
  /** Queues a job; `runAt` (ISO time) holds it back until then, for retries with back-off. */
  enqueue(kind: string, payload: unknown, options: { createdBy: string; runAt?: string }): Promise<JobRecord>;
  find(id: string): Promise<JobRecord | undefined>;
  /** Runs `fn` every `intervalMs`, once across all instances sharing the database. */
  every(intervalMs: number, name: string, fn: () => Promise<void>): void;
  /** Runs a periodic job now, on this instance (an operator's "run now", and tests). */
  runNow(name: string): Promise<void>;
  start(): void;
  /** Stops taking work; a running job is aborted and queued again for the next start. */
  stop(): Promise<void>;
  /** How many jobs are in each state, for the metrics scrape; queues that cannot count cheaply leave it out. */
  countsByStatus?(): Promise<Partial<Record<JobStatus, number>>>;
}

export interface DatabaseJobQueueOptions {
  /** How often an idle worker looks for queued jobs another instance added. */
  pollMs?: number;
  /** A running job whose progress has not moved for this long is taken to have died with its process. */
  staleAfterMs?: number;
  /** How many times a job is started before it is failed for good. */
  maxAttempts?: number;
}

const toJob = (row: any): JobRecord => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  progress: Number(row.progress),
  message: row.message,
  result: fromJson(row.result, null),
  error: fromJson(row.error, null),
  attempts: Number(row.attempts),
  createdBy: row.created_by,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  updatedAt: row.updated_at,
});

/** A job's failure in the shape of an API error; `messages` lets a presenter answer in the reader's language. */
export interface JobError {
  code: string;
  message: string;
  messages?: Bilingual;
  details?: unknown;
}

/** How a failure is stored on its job (also by the BullMQ queue). */
export const jobErrorOf = (err: unknown): JobError =>
  err instanceof AppError
    ? { code: err.code, message: err.message, messages: err.messages, details: (err as AppError & { details?: unknown }).details }
    : { code: 'job_failed', message: '任务执行失败', messages: { zh: '任务执行失败', en: 'the job failed' } };

/** A stored job failure in one language (failures stored before `messages` existed keep their one text). */
export const jobErrorIn = (error: JobError | null, lang: Lang) =>
  error && { code: error.code, message: error.messages?.[lang] ?? error.message, details: detailsIn(error.details, lang) };

/** The default queue: jobs are rows; a worker in each instance claims one row at a time. */
export class DatabaseJobQueue implements JobQueue {
  private handlers = new Map<string, JobHandler>();
  private periodic = new Map<string, () => Promise<void>>();
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  private abort = new AbortController();
  private isStarted = false;
  private wantsAnotherPass = false;
  private readonly pollMs: number;
  private readonly staleAfterMs: number;
  private readonly maxAttempts: number;

  constructor(
    private db: Kysely<any>,
    private log: FastifyBaseLogger,
    options: DatabaseJobQueueOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  register(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
    this.kick();
  }

  async enqueue(kind: string, payload: unknown, { createdBy, runAt }: { createdBy: string; runAt?: string }) {
    const now = nowIso();
    const row = { id: newId(), kind, status: 'queued', payload: toJson(payload), progress: 0, message: null, result: null, error: null, attempts: 0, created_by: createdBy, created_at: now, started_at: null, finished_at: null, updated_at: now, run_at: runAt ?? null };
    await this.db.insertInto('jobs').values(row).execute();
    this.kick();
    return toJob(row);
  }

  async countsByStatus() {
    const rows = await this.db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)])) as Partial<Record<JobStatus, number>>;
  }

  async find(id: string) {
    const row = await this.db.selectFrom('jobs').select(['id', 'kind', 'status', 'progress', 'message', 'result', 'error', 'attempts', 'created_by', 'created_at', 'started_at', 'finished_at', 'updated_at']).where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  every(intervalMs: number, name: string, fn: () => Promise<void>) {
    this.periodic.set(name, fn);
    const tick = async () => {
      if (!this.isStarted) return;
      try {
        if (await this.claimSchedule(name, intervalMs)) await fn();
      } catch (err) {
        this.log.error({ err, job: name }, 'periodic job failed');
      }
    };
    const timer = setInterval(() => void tick(), intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  async runNow(name: string) {
    const fn = this.periodic.get(name);
    if (!fn) throw new Error(`no periodic job ${name}`);
    await fn();
  }

  start() {
    if (this.isStarted) return;
    this.isStarted = true;
    this.abort = new AbortController();
    const timer = setInterval(() => this.kick(), this.pollMs);
    timer.unref();
    this.timers.push(timer);
    this.kick();
  }

  async stop() {
    this.isStarted = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.abort.abort();
    await this.running;
  }

  /** Runs queued jobs one after another until none is left (one job at a time per instance). */
  private kick() {
    if (!this.isStarted) return;
    if (this.running) {
      this.wantsAnotherPass = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.log.error({ err }, 'job worker failed'))
      .finally(() => {
        this.running = null;
        if (this.wantsAnotherPass) {
          this.wantsAnotherPass = false;
          this.kick();
        }
      });
  }

  private async drain() {
    await this.requeueStale();
    for (let job = await this.claim(); job; job = this.isStarted ? await this.claim() : undefined) await this.run(job);
  }

  /** Takes the oldest queued job of a kind this instance can run; the status check makes the claim atomic. */
  private async claim(): Promise<(JobRecord & { payload: unknown }) | undefined> {
    const kinds = [...this.handlers.keys()];
    if (!kinds.length) return undefined;
    for (;;) {
      const due = nowIso();
      const next = await this.db
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'queued')
        .where('kind', 'in', kinds)
        .where((eb) => eb.or([eb('run_at', 'is', null), eb('run_at', '<=', due)]))
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (!next) return undefined;
      const now = nowIso();
      const row = await this.db
        .updateTable('jobs')
        .set((eb) => ({ status: 'running', started_at: now, updated_at: now, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', next.id)
        .where('status', '=', 'queued')
        .returningAll()
        .executeTakeFirst();
      // another instance took it first: look again
      if (row) return { ...toJob(row), payload: fromJson(row.payload, null) };
    }
  }

  private async run(job: JobRecord & { payload: unknown }) {
    const handler = this.handlers.get(job.kind)!;
    const signal = this.abort.signal;
    const update = (values: Record<string, unknown>) => this.db.updateTable('jobs').set({ ...values, updated_at: nowIso() }).where('id', '=', job.id).execute();
    const run: JobRun = {
      job,
      signal,
      progress: async (percent, message) => {
        await update({ progress: Math.max(0, Math.min(100, Math.round(percent))), message: message ?? null });
      },
    };
    try {
      const result = await handler(job.payload, run);
      await update({ status: 'done', progress: 100, result: toJson(result), payload: null, finished_at: nowIso() });
    } catch (err) {
      if (signal.aborted) {
        // stopped mid-way: the next start runs it again (handlers are idempotent)
        await update({ status: 'queued', attempts: job.attempts - 1 });
        return;
      }
      if (!(err instanceof AppError)) this.log.error({ err, jobId: job.id, kind: job.kind }, 'job failed');
      await update({ status: 'failed', error: toJson(jobErrorOf(err)), payload: null, finished_at: nowIso() });
    }
  }

  /** Jobs left running by an instance that died are queued again, or failed after maxAttempts. */
  private async requeueStale() {
    const before = new Date(Date.now() - this.staleAfterMs).toISOString();
    const now = nowIso();
    await this.db.updateTable('jobs').set({ status: 'queued', updated_at: now }).where('status', '=', 'running').where('updated_at', '<', before).where('attempts', '<', this.maxAttempts).execute();
    const gaveUp = toJson({ code: 'job_abandoned', message: '任务多次中断，已放弃', messages: { zh: '任务多次中断，已放弃', en: 'the job was interrupted too often' } } satisfies JobError);
    await this.db.updateTable('jobs').set({ status: 'failed', error: gaveUp, payload: null, finished_at: now, updated_at: now }).where('status', '=', 'running').where('updated_at', '<', before).execute();
  }

  /** Moves a schedule's next run forward; only the instance whose update matched runs it. */
  private async claimSchedule(name: string, intervalMs: number) {
    const now = new Date();
    // a little under the interval, so timer drift does not make every other tick miss
    const next = new Date(now.getTime() + intervalMs * 0.9).toISOString();
    await this.db.insertInto('job_schedules').values({ name, next_run_at: now.toISOString() }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const result = await this.db.updateTable('job_schedules').set({ next_run_at: next }).where('name', '=', name).where('next_run_at', '<=', now.toISOString()).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
