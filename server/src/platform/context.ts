import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../identity/audit';
import type { Config } from './config';
import type { Database } from './database';
import type { EventBus } from './events';
import type { JobQueue } from './jobs';
import type { Metrics } from './metrics';
import type { Outbox } from './outbox';
import type { SecretBox } from './secrets';

/** What every use case may reach: configuration, storage, events, background jobs, the audit log and a logger. */
export interface AppContext {
  config: Config;
  database: Database;
  db: Kysely<any>;
  /** subscribe to domain events here; they reach every instance */
  events: EventBus;
  /** publish domain events here, in the transaction of the change */
  outbox: Outbox;
  jobs: JobQueue;
  audit: AuditLog;
  log: FastifyBaseLogger;
  /** encrypts secrets kept in the database */
  secrets: SecretBox;
  /** Prometheus metrics of this app: domains add their counters and gauges here (GET /metrics) */
  metrics: Metrics;
}
