import type { Migration } from 'kysely';

/** The analytics domain's tables. */
export const analyticsMigrations: Record<string, Migration> = {};
