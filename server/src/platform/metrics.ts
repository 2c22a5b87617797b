import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { z } from 'zod';
import type { AppContext } from './context';
import { AppError, forbidden, unauthorized } from './errors';
import { errorResponses, noQuery } from './http';
import { nowIso } from './ids';

/**
 * The Prometheus metrics of one app. Each context has its own registry (never prom-client's global
 * one), so test apps in one process do not collide over metric names.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A counter a domain increments (robot decisions, …). */
  counter<Label extends string>(name: string, help: string, labelNames: readonly Label[] = []) {
    return new Counter<Label>({ name, help, labelNames, registers: [this.registry] });
  }

  /**
   * A gauge; with `collect` it is read at each scrape (connections, queue depth), so nothing has to
   * keep it up to date. A failing read leaves the gauge at its last value rather than failing the scrape.
   */
  gauge<Label extends string>(name: string, help: string, labelNames: readonly Label[] = [], collect?: (gauge: Gauge<Label>) => Promise<void> | void) {
    return new Gauge<Label>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        try {
          await collect?.(this);
        } catch {
          // a metric that cannot be read now is stale, not a reason to refuse every other metric
        }
      },
    });
  }

  histogram<Label extends string>(name: string, help: string, labelNames: readonly Label[], buckets: number[]) {
    return new Histogram<Label>({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read /metrics: with a token configured, the caller that presents it; without one, only a
 * caller on this machine that came straight to the socket (no X-Forwarded-For: a reverse proxy on
 * the same host would otherwise make every outside caller look local).
 */
export function mayReadMetrics(request: FastifyRequest, token: string | undefined): AppError | undefined {
  if (token) {
    const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!presented) return unauthorized('metrics_token_required', { zh: '需要指标访问令牌', en: 'metrics token required' });
    // digests have equal lengths, so the comparison takes the same time whatever was sent
    const digest = (text: string) => createHash('sha256').update(text).digest();
    if (!timingSafeEqual(digest(presented), digest(token))) return forbidden('metrics_token_wrong', { zh: '指标访问令牌不正确', en: 'wrong metrics token' });
    return undefined;
  }
  const local = LOOPBACK.has(request.socket.remoteAddress ?? '') && request.headers['x-forwarded-for'] === undefined;
  return local ? undefined : forbidden('metrics_local_only', { zh: '未配置 METRICS_TOKEN 时，指标只对本机开放', en: 'without METRICS_TOKEN, metrics answer only to this machine' });
}

/** Request rate and latency per route, and GET /metrics. */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, token: string | undefined) {
  const labels = ['method', 'route', 'status'] as const;
  const requests = metrics.counter('http_requests_total', 'HTTP requests answered, by method, route pattern and status class', labels);
  const duration = metrics.histogram('http_request_duration_seconds', 'Time to answer an HTTP request, by method, route pattern and status class', labels, [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

  app.addHook('onResponse', async (request, reply) => {
    // the route's pattern (/api/v1/kb/entries/:id), never the raw URL, so the label's values stay few
    const route = request.routeOptions.url ?? 'unmatched';
    const values = { method: request.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` };
    requests.inc(values);
    duration.observe(values, reply.elapsedTime / 1000);
  });

  const access = { open: 'the METRICS_TOKEN bearer, or a loopback caller when no token is set: checked here, it is no session or API key' };
  const response = { 200: z.string().describe('Prometheus text exposition format'), ...errorResponses };
  app.get('/metrics', { config: { access }, schema: { hide: true, querystring: noQuery, response } }, async (request, reply) => {
    const refused = mayReadMetrics(request, token);
    if (refused) throw refused;
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

/** Gauges of the platform's own parts, read at each scrape: job queue, event outbox, database pool. */
export function watchPlatform(ctx: AppContext) {
  const { metrics, jobs, db, database } = ctx;
  if (jobs.countsByStatus) {
    const countJobs = jobs.countsByStatus.bind(jobs);
    metrics.gauge('jobs', 'Background jobs by state: queued is the queue depth, failed the jobs that gave up', ['status'], async (gauge) => {
      const counts = await countJobs();
      for (const status of ['queued', 'running', 'done', 'failed'] as const) gauge.set({ status }, counts[status] ?? 0);
    });
  }
  // events written with a change but not yet handed to their consumers: the outbox's lag
  const pending = () => db.selectFrom('outbox').where('dispatched_at', 'is', null);
  metrics.gauge('outbox_pending_events', 'Domain events stored but not yet dispatched', [], async (gauge) => {
    const row = await pending().select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirst();
    gauge.set(Number(row?.count ?? 0));
  });
  metrics.gauge('outbox_oldest_pending_seconds', 'Age of the oldest domain event not yet dispatched (0 when none)', [], async (gauge) => {
    const row = await pending().select((eb) => eb.fn.min<string>('created_at').as('oldest')).executeTakeFirst();
    gauge.set(row?.oldest ? Math.max(0, (Date.parse(nowIso()) - Date.parse(row.oldest)) / 1000) : 0);
  });
  const pool = database.pool;
  if (pool) {
    metrics.gauge('db_pool_connections', 'PostgreSQL pool connections: total open, idle, and callers waiting for one', ['state'], (gauge) => {
      gauge.set({ state: 'total' }, pool.totalCount);
      gauge.set({ state: 'idle' }, pool.idleCount);
      gauge.set({ state: 'waiting' }, pool.waitingCount);
    });
  }
}
