import type { Migration } from 'kysely';

/** The inspection domain's tables. */
export const inspectionMigrations: Record<string, Migration> = {};
