import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database';
import { identityMigrations } from '../identity/migrations';
import { knowledgeMigrations } from '../knowledge/migrations';
import { rulesMigrations } from '../rules/migrations';
import { robotMigrations } from '../robot/migrations';
import { conversationsMigrations } from '../conversations/migrations';
import { phoneMigrations } from '../channels/phone/migrations';
import { qqMigrations } from '../channels/qq/migrations';
import { wechatMigrations } from '../channels/wechat/migrations';
import { analyticsMigrations } from '../analytics/migrations';
import { inspectionMigrations } from '../inspection/migrations';
import { supervisionMigrations } from '../supervision/migrations';
import { citizenRecordsMigrations } from '../citizen-records/migrations';
import { citizenIdentityMigrations } from '../citizen-identity/migrations';
import { statementMigrations } from '../citizen-records/statement-migrations';

/** The platform's own tables: the job queue (platform/jobs.ts), its periodic-job schedule, and the event outbox (platform/outbox.ts). */
const platformMigrations: Record<string, Migration> = {
  '020_platform_jobs': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('payload', 'text')
        .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('message', 'text')
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'created_at']).execute();
      await db.schema
        .createTable('job_schedules')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('next_run_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '031_platform_outbox': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('dispatched_at', 'text')
        .execute();
      await db.schema.createIndex('outbox_pending').on('outbox').columns(['dispatched_at', 'created_at']).execute();
    },
  },
  '032_platform_jobs_run_at': {
    async up(db: Kysely<any>) {
      // a job may wait until a time (retries with back-off)
      await db.schema.alterTable('jobs').addColumn('run_at', 'text').execute();
    },
  },
};

/**
 * Every domain's migrations, in one ordered set. Names start with a sortable prefix
 * (`001_identity_…`); Kysely runs them in name order, once each.
 */
const allMigrations: Record<string, Migration>[] = [identityMigrations, knowledgeMigrations, rulesMigrations, robotMigrations, platformMigrations, conversationsMigrations, wechatMigrations, qqMigrations, phoneMigrations, analyticsMigrations, inspectionMigrations, supervisionMigrations, citizenRecordsMigrations, citizenIdentityMigrations, statementMigrations];

class DomainMigrations implements MigrationProvider {
  async getMigrations() {
    return Object.assign({}, ...allMigrations) as Record<string, Migration>;
  }
}

/** Brings the schema up to date; throws on the first failing migration. */
export async function migrateToLatest(database: Database) {
  // Kysely looks for its bookkeeping tables across all schemas; name ours so that several
  // schemas (one per test file) in one database do not see each other's.
  const migrator = new Migrator({ db: database.db, provider: new DomainMigrations(), migrationTableSchema: database.schema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`);
  }
}
