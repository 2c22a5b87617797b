import type { Migration } from 'kysely';

/** The phone channel's tables. */
export const phoneMigrations: Record<string, Migration> = {};
