import { sql, type Kysely } from 'kysely';
import type { ApiKeyScope, Role } from '../../../common/roles';
import { fromJson, toJson } from '../platform/database';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  isDisabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  rateLimitPerMinute: number;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

const toUser = (row: any): UserRecord => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  passwordHash: row.password_hash,
  roles: fromJson(row.roles, []),
  isDisabled: Boolean(Number(row.is_disabled)),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toApiKey = (row: any): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: fromJson(row.scopes, []),
  rateLimitPerMinute: Number(row.rate_limit_per_minute),
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** Failed sign-ins counted for one address, or one (address, username) pair. */
export interface LoginThrottleRecord {
  id: string;
  key: string;
  client: string;
  username: string | null;
  failures: number;
  firstFailureAt: string;
  lastFailureAt: string;
  blockedUntil: string | null;
}

const toThrottle = (row: any): LoginThrottleRecord => ({
  id: row.id,
  key: row.key,
  client: row.client,
  username: row.username,
  failures: Number(row.failures),
  firstFailureAt: row.first_failure_at,
  lastFailureAt: row.last_failure_at,
  blockedUntil: row.blocked_until,
});

/**
 * Usernames compare case-insensitively (a unique index on lower(username)). Only ASCII letters are
 * folded: names are ASCII, and JavaScript's toLowerCase would fold look-alikes such as the Kelvin sign into `k`.
 */
export const foldUsername = (username: string) => username.replace(/[A-Z]/g, (c) => c.toLowerCase());

export function identityRepo(db: Kysely<any>) {
  return {
    async findUserByName(username: string) {
      const row = await db.selectFrom('users').selectAll().where(sql`lower(username)`, '=', foldUsername(username)).executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
    async findUser(id: string) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
    async listUsers() {
      const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
      return rows.map(toUser);
    },
    async countUsers() {
      const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async insertUser(user: UserRecord) {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          username: user.username,
          display_name: user.displayName,
          password_hash: user.passwordHash,
          roles: toJson(user.roles),
          is_disabled: user.isDisabled ? 1 : 0,
          created_at: user.createdAt,
          updated_at: user.updatedAt,
        })
        .execute();
    },
    async updateUser(id: string, patch: Partial<Omit<UserRecord, 'id' | 'createdAt'>>) {
      const values: Record<string, unknown> = {};
      if (patch.displayName !== undefined) values.display_name = patch.displayName;
      if (patch.passwordHash !== undefined) values.password_hash = patch.passwordHash;
      if (patch.roles !== undefined) values.roles = toJson(patch.roles);
      if (patch.isDisabled !== undefined) values.is_disabled = patch.isDisabled ? 1 : 0;
      if (patch.updatedAt !== undefined) values.updated_at = patch.updatedAt;
      await db.updateTable('users').set(values).where('id', '=', id).execute();
    },
    async insertSession(s: { tokenHash: string; userId: string; csrfToken: string; createdAt: string; expiresAt: string }) {
      await db
        .insertInto('sessions')
        .values({ token_hash: s.tokenHash, user_id: s.userId, csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt })
        .execute();
    },
    async findSession(tokenHash: string) {
      return db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['sessions.user_id', 'sessions.csrf_token', 'sessions.expires_at', 'users.username', 'users.roles', 'users.is_disabled'])
        .where('sessions.token_hash', '=', tokenHash)
        .executeTakeFirst();
    },
    async deleteSession(tokenHash: string) {
      await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },
    async deleteSessionsOf(userId: string) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },
    async findLoginThrottles(keys: string[]) {
      const rows = await db.selectFrom('login_throttles').selectAll().where('key', 'in', keys).execute();
      return rows.map(toThrottle);
    },
    /**
     * Counts one failed sign-in against a key in one statement (several instances may count at once);
     * a key quiet since `resetBefore` starts again from one. Returns the new count.
     */
    async countLoginFailure(entry: { id: string; key: string; client: string; username: string | null; at: string; resetBefore: string }) {
      const isStale = sql<boolean>`login_throttles.last_failure_at < ${entry.resetBefore}`;
      const row = await db
        .insertInto('login_throttles')
        .values({
          id: entry.id,
          key: entry.key,
          client: entry.client,
          username: entry.username,
          failures: 1,
          first_failure_at: entry.at,
          last_failure_at: entry.at,
          blocked_until: null,
        })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: sql`case when ${isStale} then 1 else login_throttles.failures + 1 end`,
            first_failure_at: sql`case when ${isStale} then ${entry.at} else login_throttles.first_failure_at end`,
            blocked_until: sql`case when ${isStale} then null else login_throttles.blocked_until end`,
            last_failure_at: entry.at,
          }),
        )
        .returning(['failures'])
        .executeTakeFirstOrThrow();
      return Number(row.failures);
    },
    async blockLoginUntil(key: string, until: string) {
      await db.updateTable('login_throttles').set({ blocked_until: until }).where('key', '=', key).execute();
    },
    async deleteLoginThrottle(key: string) {
      await db.deleteFrom('login_throttles').where('key', '=', key).execute();
    },
    /** Throttles with a failure since `since`, newest first. */
    async listLoginThrottles(since: string) {
      const rows = await db.selectFrom('login_throttles').selectAll().where('last_failure_at', '>=', since).orderBy('last_failure_at', 'desc').limit(500).execute();
      return rows.map(toThrottle);
    },
    async findLoginThrottle(id: string) {
      const row = await db.selectFrom('login_throttles').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toThrottle(row) : undefined;
    },
    async deleteLoginThrottleById(id: string) {
      await db.deleteFrom('login_throttles').where('id', '=', id).execute();
    },
    /** Forgets throttles quiet since `before` and no longer blocking. */
    async pruneLoginThrottles(before: string) {
      await db
        .deleteFrom('login_throttles')
        .where('last_failure_at', '<', before)
        .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', before)]))
        .execute();
    },
    async insertApiKey(key: ApiKeyRecord & { keyHash: string }) {
      await db
        .insertInto('api_keys')
        .values({
          id: key.id,
          name: key.name,
          key_hash: key.keyHash,
          prefix: key.prefix,
          scopes: toJson(key.scopes),
          rate_limit_per_minute: key.rateLimitPerMinute,
          created_by: key.createdBy,
          created_at: key.createdAt,
          revoked_at: null,
        })
        .execute();
    },
    async findApiKeyByHash(keyHash: string) {
      const row = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
      return row ? toApiKey(row) : undefined;
    },
    async listApiKeys() {
      const rows = await db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map(toApiKey);
    },
    async revokeApiKey(id: string, at: string) {
      const result = await db.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type IdentityRepo = ReturnType<typeof identityRepo>;
