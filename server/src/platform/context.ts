import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../identity/audit';
import type { Config } from './config';
import type { Database } from './database';
import type { EventBus } from './events';
import type { JobQueue } from './jobs';

/** What every use case may reach: configuration, storage, events, background jobs, the audit log and a logger. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Kysely<any>;
  events: EventBus;
  jobs: JobQueue;
  audit: AuditLog;
  log: FastifyBaseLogger;
}
