import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database';
import { identityMigrations } from '../identity/migrations';
import { knowledgeMigrations } from '../knowledge/migrations';
import { rulesMigrations } from '../rules/migrations';
import { robotMigrations } from '../robot/migrations';

/**
 * Every domain's migrations, in one ordered set. Names start with a sortable prefix
 * (`001_identity_…`); Kysely runs them in name order, once each.
 */
const allMigrations: Record<string, Migration>[] = [identityMigrations, knowledgeMigrations, rulesMigrations, robotMigrations];

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
