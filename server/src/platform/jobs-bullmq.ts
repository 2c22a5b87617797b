import type { FastifyBaseLogger } from 'fastify';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { AppError } from './errors';
import { nowIso } from './ids';
import { jobErrorOf, type JobHandler, type JobQueue, type JobRecord, type JobStatus } from './jobs';

interface Envelope {
  payload: unknown;
  createdBy: string;
  createdAt: string;
}

/**
 * The job queue on Redis (BullMQ), used when REDIS_URL is set: the same interface and job code as
 * the database queue, with Redis doing the claiming, delays, retries after a crash and the
 * once-per-interval scheduling across instances. Each kind of job has its own BullMQ queue and an
 * instance runs workers only for the kinds it registered, so a job is never taken by a worker that
 * cannot run it (as during start-up, before every domain has registered). Job ids are `kind:n`.
 */
export class BullJobQueue implements JobQueue {
  private handlers = new Map<string, JobHandler>();
  private periodic = new Map<string, { intervalMs: number; fn: () => Promise<void> }>();
  private queues = new Map<string, Queue>();
  private workers = new Map<string, Worker>();
  private connection: Redis;
  private isStarted = false;
  private abort = new AbortController();

  constructor(
    private url: string,
    private log: FastifyBaseLogger,
    private readonly prefix = 'zhixun',
  ) {
    // BullMQ's blocking commands need connections that never give up on a request
    this.connection = new Redis(url, { maxRetriesPerRequest: null });
  }

  private queue(name: string) {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  private startWorker(name: string, run: (job: Job) => Promise<unknown>) {
    if (!this.isStarted || this.workers.has(name)) return;
    const worker = new Worker(name, run, { connection: new Redis(this.url, { maxRetriesPerRequest: null }), prefix: this.prefix, concurrency: 2 });
    worker.on('error', (err) => this.log.error({ err, queue: name }, 'job worker error'));
    this.workers.set(name, worker);
  }

  register(kind: string, handler: JobHandler) {
    this.handlers.set(kind, handler);
    this.startWorker(kind, (job) => this.process(kind, job));
  }

  async enqueue(kind: string, payload: unknown, { createdBy, runAt }: { createdBy: string; runAt?: string }) {
    const envelope: Envelope = { payload, createdBy, createdAt: nowIso() };
    const delay = runAt ? Math.max(0, new Date(runAt).getTime() - Date.now()) : undefined;
    const job = await this.queue(kind).add(kind, envelope, { delay, attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 } });
    return this.toRecord(job, 'queued');
  }

  async find(id: string) {
    const at = id.lastIndexOf(':');
    if (at <= 0) return undefined;
    const kind = id.slice(0, at);
    if (!this.handlers.has(kind) && !this.queues.has(kind)) return undefined;
    // the state first: a job read before it finished would show a stale hash next to a final state
    const state = await this.queue(kind).getJobState(id.slice(at + 1));
    const job = await this.queue(kind).getJob(id.slice(at + 1));
    if (!job) return undefined;
    const status: JobStatus = state === 'completed' ? 'done' : state === 'failed' ? 'failed' : state === 'active' ? 'running' : 'queued';
    return this.toRecord(job, status);
  }

  /**
   * Jobs by state over the kinds this instance runs (BullMQ's waiting, delayed and prioritized are
   * all still queued); periodic jobs are left out, as in the database queue.
   */
  async countsByStatus() {
    const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const kind of this.handlers.keys()) {
      const byState = await this.queue(kind).getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed');
      counts.queued += (byState.waiting ?? 0) + (byState.delayed ?? 0) + (byState.prioritized ?? 0);
      counts.running += byState.active ?? 0;
      counts.done += byState.completed ?? 0;
      counts.failed += byState.failed ?? 0;
    }
    return counts;
  }

  every(intervalMs: number, name: string, fn: () => Promise<void>) {
    this.periodic.set(name, { intervalMs, fn });
    if (this.isStarted) this.schedule(name);
  }

  private schedule(name: string) {
    const { intervalMs, fn } = this.periodic.get(name)!;
    const queueName = `periodic.${name}`;
    void this.queue(queueName)
      .upsertJobScheduler(name, { every: intervalMs }, { name, opts: { removeOnComplete: true, removeOnFail: 100 } })
      .catch((err) => this.log.error({ err, job: name }, 'could not schedule a periodic job'));
    this.startWorker(queueName, async () => {
      await fn();
      return null;
    });
  }

  async runNow(name: string) {
    const periodic = this.periodic.get(name);
    if (!periodic) throw new Error(`no periodic job ${name}`);
    await periodic.fn();
  }

  start() {
    if (this.isStarted) return;
    this.isStarted = true;
    this.abort = new AbortController();
    for (const kind of this.handlers.keys()) this.startWorker(kind, (job) => this.process(kind, job));
    for (const name of this.periodic.keys()) this.schedule(name);
  }

  async stop() {
    this.isStarted = false;
    this.abort.abort();
    await Promise.all([...this.workers.values()].map(async (w) => {
      await w.close();
      await (w.opts.connection as Redis).quit().catch(() => {});
    }));
    this.workers.clear();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    await this.connection.quit().catch(() => {});
  }

  private async process(kind: string, job: Job) {
    const handler = this.handlers.get(kind)!;
    const envelope = job.data as Envelope;
    try {
      return await handler(envelope.payload, {
        job: this.toRecord(job, 'running'),
        signal: this.abort.signal,
        progress: async (percent, message) => job.updateProgress({ percent: Math.max(0, Math.min(100, Math.round(percent))), message: message ?? null }),
      });
    } catch (err) {
      // the client reads the error's code and message from the job, as from the database queue
      const shown = jobErrorOf(err);
      if (!(err instanceof AppError)) this.log.error({ err, jobId: job.id, kind }, 'job failed');
      // an application error would fail the same way again: no retry
      throw err instanceof AppError ? new UnrecoverableError(JSON.stringify(shown)) : new Error(JSON.stringify(shown));
    }
  }

  private toRecord(job: Job, status: JobStatus): JobRecord {
    const envelope = (job.data ?? {}) as Envelope;
    const progress = (typeof job.progress === 'object' && job.progress ? job.progress : { percent: 0, message: null }) as { percent: number; message: string | null };
    let error: JobRecord['error'] = null;
    if (status === 'failed') {
      try {
        error = JSON.parse(job.failedReason);
      } catch {
        error = jobErrorOf(undefined);
      }
    }
    const at = (ms?: number) => (ms ? new Date(ms).toISOString() : null);
    return {
      id: `${job.name}:${job.id}`,
      kind: job.name,
      status,
      progress: status === 'done' ? 100 : progress.percent,
      message: progress.message,
      result: status === 'done' ? (job.returnvalue ?? null) : null,
      error,
      attempts: job.attemptsMade,
      createdBy: envelope.createdBy,
      createdAt: envelope.createdAt ?? at(job.timestamp)!,
      startedAt: at(job.processedOn),
      finishedAt: at(job.finishedOn),
      updatedAt: nowIso(),
    };
  }
}
