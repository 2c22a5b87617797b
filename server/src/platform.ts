import { createHash } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { maskPersonalData } from '../../common/masking';
import { auditLog } from './identity/audit';
import type { Config } from './platform/config';
import type { AppContext } from './platform/context';
import { openDatabase } from './platform/database';
import { EventBus } from './platform/events';
import { DatabaseJobQueue } from './platform/jobs';
import { BullJobQueue } from './platform/jobs-bullmq';
import { Metrics } from './platform/metrics';
import { migrateToLatest } from './platform/migrations';
import { Outbox } from './platform/outbox';
import { createSecretBox } from './platform/secrets';

/** Opens storage, brings the schema up to date, connects events and starts the job worker: everything but HTTP. */
export async function createContext(config: Config, options: { schema?: string; logStream?: pino.DestinationStream } = {}): Promise<AppContext> {
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, schema: options.schema });
  await migrateToLatest(database);
  const events = new EventBus();
  if (config.REDIS_URL) await events.connectRedis(config.REDIS_URL);
  const log = pino({ level: config.LOG_LEVEL, serializers: { req: serializeRequestForLog } }, options.logStream ?? pino.destination(1));
  // with Redis the jobs run on BullMQ; their keys are named after the database, which every instance of one installation shares
  const installation = createHash('sha256').update(`${config.DATABASE_URL ?? path.resolve(config.DATA_DIR)}|${options.schema ?? ''}`).digest('hex').slice(0, 12);
  const jobs = config.REDIS_URL ? new BullJobQueue(config.REDIS_URL, log, `zhixun:${installation}`) : new DatabaseJobQueue(database.db, log);
  jobs.start();
  const outbox = new Outbox(database.db, events, log);
  outbox.start();
  return { config, database, db: database.db, events, outbox, jobs, audit: auditLog(database.db), log, secrets: createSecretBox(config, log), metrics: new Metrics() };
}

/**
 * What a request log line records: search URLs carry citizens' words, so the decoded URL is masked
 * (ID, phone and card numbers) before it reaches the log.
 */
export function serializeRequestForLog(req: { method?: string; url?: string; id?: unknown; ip?: string }) {
  let url = req.url ?? '';
  try {
    url = decodeURIComponent(url);
  } catch {
    // a malformed escape: mask the raw text
  }
  return { method: req.method, url: maskPersonalData(url), id: req.id, remoteAddress: req.ip };
}

/** Closes what createContext opened. */
export async function closeContext(ctx: AppContext) {
  ctx.outbox.stop();
  await ctx.jobs.stop();
  await ctx.events.close();
  await ctx.database.close();
}
