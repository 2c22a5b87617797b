import type { AppContext } from '../platform/context';
import { AppError } from '../platform/errors';
import { newToken, nowIso } from '../platform/ids';
import { verifyPassword } from './passwords';
import { identityRepo } from './repo';
import { hashToken, newSessionToken, SESSION_HOURS } from './tokens';

const MAX_FAILURES = 5;
const LOCK_MINUTES = 15;

/** Signs a user in: checks the password, locks the account after repeated failures, opens a session. */
export async function login(ctx: AppContext, input: { username: string; password: string }, ip?: string) {
  const repo = identityRepo(ctx.db);
  const user = await repo.findUserByName(input.username);
  const refuse = async (reason: string) => {
    await ctx.audit.record(`user:${input.username}`, { action: 'auth.login_failed', detail: { reason } }, ip);
    return new AppError(401, 'invalid_credentials', '用户名或密码错误 / wrong username or password');
  };
  if (!user) throw await refuse('unknown_user');
  if (user.isDisabled) throw await refuse('disabled');
  if (user.lockedUntil && user.lockedUntil > nowIso()) {
    await ctx.audit.record(`user:${user.username}`, { action: 'auth.login_failed', detail: { reason: 'locked' } }, ip);
    throw new AppError(423, 'account_locked', `账号已锁定，请${LOCK_MINUTES}分钟后再试 / account locked, try again later`);
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    const failures = user.failedLogins + 1;
    const lockedUntil = failures >= MAX_FAILURES ? new Date(Date.now() + LOCK_MINUTES * 60_000).toISOString() : null;
    await repo.updateUser(user.id, { failedLogins: lockedUntil ? 0 : failures, lockedUntil });
    if (lockedUntil) await ctx.audit.record(`user:${user.username}`, { action: 'auth.locked' }, ip);
    throw await refuse('wrong_password');
  }
  await repo.updateUser(user.id, { failedLogins: 0, lockedUntil: null });
  const token = newSessionToken();
  const csrfToken = newToken(18);
  const now = new Date();
  await repo.insertSession({
    tokenHash: hashToken(token),
    userId: user.id,
    csrfToken,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
  });
  await ctx.audit.record(`user:${user.username}`, { action: 'auth.login', subjectType: 'user', subjectId: user.id }, ip);
  return { token, csrfToken, user };
}

/** Ends a session. */
export async function logout(ctx: AppContext, token: string) {
  await identityRepo(ctx.db).deleteSession(hashToken(token));
}
