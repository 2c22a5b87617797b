import type { Kysely } from 'kysely';
import type { ApiKeyScope, Role } from '../../../common/roles';
import { fromJson, toJson } from '../platform/database';

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  failedLogins: number;
  lockedUntil: string | null;
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
  failedLogins: Number(row.failed_logins),
  lockedUntil: row.locked_until,
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

export function identityRepo(db: Kysely<any>) {
  return {
    async findUserByName(username: string) {
      const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
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
          failed_logins: user.failedLogins,
          locked_until: user.lockedUntil,
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
      if (patch.failedLogins !== undefined) values.failed_logins = patch.failedLogins;
      if (patch.lockedUntil !== undefined) values.locked_until = patch.lockedUntil;
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
