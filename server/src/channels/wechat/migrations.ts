import type { Migration } from 'kysely';

/** The wechat channel's tables. */
export const wechatMigrations: Record<string, Migration> = {};
