import type { AppContext } from '../platform/context';
import { AppError } from '../platform/errors';
import { newToken } from '../platform/ids';
import { LoginThrottledError, loginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './passwords';
import { identityRepo } from './repo';
import { hashToken, newSessionToken, SESSION_HOURS } from './tokens';

// Unknown users are checked against this hash so that they cost the same scrypt time as real ones:
// a quick answer would tell an attacker which usernames exist. Made once, with the current parameters.
let dummyHash: Promise<string> | undefined;
const passwordHashOfNobody = () => (dummyHash ??= hashPassword(newToken(24)));

/**
 * Signs a user in and opens a session. Unknown, disabled and wrong-password attempts get one answer
 * and cost one hash; failures throttle the calling address (login-throttle.ts), never the account.
 */
export async function login(ctx: AppContext, input: { username: string; password: string }, client = 'unknown') {
  const repo = identityRepo(ctx.db);
  const throttle = loginThrottle(ctx);
  const wait = await throttle.secondsToWait(client, input.username);
  if (wait > 0) {
    await ctx.audit.record(`user:${input.username}`, { action: 'auth.login_failed', detail: { reason: 'throttled' } }, client);
    throw new LoginThrottledError(wait);
  }
  const user = await repo.findUserByName(input.username);
  const isPasswordRight = await verifyPassword(input.password, user?.passwordHash ?? (await passwordHashOfNobody()));
  if (!user || user.isDisabled || !isPasswordRight) {
    const reason = !user ? 'unknown_user' : user.isDisabled ? 'disabled' : 'wrong_password';
    await throttle.recordFailure(client, input.username);
    await ctx.audit.record(`user:${user?.username ?? input.username}`, { action: 'auth.login_failed', detail: { reason } }, client);
    throw new AppError(401, 'invalid_credentials', { zh: '用户名或密码错误', en: 'wrong username or password' });
  }
  await throttle.recordSuccess(client, input.username);
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
  await ctx.audit.record(`user:${user.username}`, { action: 'auth.login', subjectType: 'user', subjectId: user.id }, client);
  return { token, csrfToken, user };
}

/** Ends a session. */
export async function logout(ctx: AppContext, token: string) {
  await identityRepo(ctx.db).deleteSession(hashToken(token));
}
