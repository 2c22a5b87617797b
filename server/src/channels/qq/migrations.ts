import type { Migration } from 'kysely';

/** The qq channel's tables. */
export const qqMigrations: Record<string, Migration> = {};
