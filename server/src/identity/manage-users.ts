import type { Role } from '../../../common/roles';
import type { AppContext } from '../platform/context';
import { conflict, notFound } from '../platform/errors';
import { newId, newToken, nowIso } from '../platform/ids';
import { assertStrongPassword } from './password-strength';
import { hashPassword } from './passwords';
import type { Actor } from './permissions';
import { identityRepo, type UserRecord } from './repo';

export interface NewUser {
  username: string;
  password: string;
  roles: Role[];
  displayName?: string;
}

/**
 * Creates a staff user. Usernames are unique regardless of case (`ADMIN` is `admin`); the pre-check gives
 * a clear message, and two creations racing past it meet the database's unique index (409 as well).
 */
export async function createUser(ctx: AppContext, actor: Actor | string, input: NewUser): Promise<UserRecord> {
  assertStrongPassword(input.password, [input.username, input.displayName ?? '']);
  const repo = identityRepo(ctx.db);
  if (await repo.findUserByName(input.username)) throw conflict('username_taken', { zh: `用户名已存在：${input.username}`, en: `username taken: ${input.username}` });
  const now = nowIso();
  const user: UserRecord = {
    id: newId(),
    username: input.username,
    displayName: input.displayName ?? input.username,
    passwordHash: await hashPassword(input.password),
    roles: [...new Set(input.roles)],
    isDisabled: false,
    createdAt: now,
    updatedAt: now,
  };
  await repo.insertUser(user);
  await ctx.audit.record(actor, { action: 'user.created', subjectType: 'user', subjectId: user.id, detail: { username: user.username, roles: user.roles } });
  return user;
}

/** Changes a user's roles, password, name or disabled flag; role changes and disabling end their sessions. */
export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  id: string,
  patch: { roles?: Role[]; password?: string; displayName?: string; isDisabled?: boolean },
) {
  const repo = identityRepo(ctx.db);
  const user = await repo.findUser(id);
  if (!user) throw notFound('用户');
  if (patch.password) assertStrongPassword(patch.password, [user.username, patch.displayName ?? user.displayName]);
  await repo.updateUser(id, {
    roles: patch.roles ? [...new Set(patch.roles)] : undefined,
    passwordHash: patch.password ? await hashPassword(patch.password) : undefined,
    displayName: patch.displayName,
    isDisabled: patch.isDisabled,
    updatedAt: nowIso(),
  });
  if (patch.roles || patch.isDisabled || patch.password) await repo.deleteSessionsOf(id);
  await ctx.audit.record(actor, {
    action: patch.roles ? 'user.roles_changed' : 'user.updated',
    subjectType: 'user',
    subjectId: id,
    detail: { username: user.username, roles: patch.roles, isDisabled: patch.isDisabled, passwordChanged: Boolean(patch.password) },
  });
  return (await repo.findUser(id))!;
}

/** Creates the `admin` user on first start; prints a generated password once when none is configured. */
export async function ensureAdmin(ctx: AppContext): Promise<{ created: boolean; generatedPassword?: string }> {
  const repo = identityRepo(ctx.db);
  if (await repo.findUserByName('admin')) return { created: false };
  const generatedPassword = ctx.config.ADMIN_PASSWORD ? undefined : newToken(12);
  await createUser(ctx, 'system', { username: 'admin', password: ctx.config.ADMIN_PASSWORD ?? generatedPassword!, roles: ['admin'], displayName: '系统管理员' });
  return { created: true, generatedPassword };
}
