import type { FastifyRequest } from 'fastify';
import type { Role } from '../../../common/roles';
import type { AppContext } from '../platform/context';
import { fromJson } from '../platform/database';
import { AppError } from '../platform/errors';
import { nowIso } from '../platform/ids';
import type { Actor } from './permissions';
import { identityRepo } from './repo';
import { API_KEY_PREFIX, CSRF_HEADER, hashToken, SESSION_COOKIE, SESSION_PREFIX } from './tokens';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Citizens' session tokens (citizen-identity) start with this; the sessions live in that domain. */
const CITIZEN_PREFIX = 'zxc_';

/** How a citizen's Bearer token becomes their session (citizen-identity provides it). */
export interface CitizenSessions {
  resolve(token: string): Promise<{ tokenHash: string; personId: string; verifiedAt: string } | undefined>;
}

/**
 * Works out who is calling from a Bearer token (staff or citizen session, or API key) or the session cookie.
 * A bad or expired credential is a 401, never a silent downgrade to anonymous.
 * Cookie sessions must echo their CSRF token on every unsafe method.
 */
export async function resolveActor(ctx: AppContext, request: FastifyRequest, citizens?: CitizenSessions): Promise<Actor> {
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const cookie = request.cookies?.[SESSION_COOKIE];
  const clientKey = request.ip;
  const repo = identityRepo(ctx.db);

  if (bearer?.startsWith(API_KEY_PREFIX)) {
    const key = await repo.findApiKeyByHash(hashToken(bearer));
    if (!key || key.revokedAt) throw new AppError(401, 'invalid_api_key', { zh: 'API 密钥无效或已吊销', en: 'invalid or revoked API key' });
    return { kind: 'apiKey', id: key.id, name: key.name, roles: [], scopes: key.scopes, rateLimitPerMinute: key.rateLimitPerMinute, clientKey: `key:${key.id}` };
  }
  if (bearer?.startsWith(CITIZEN_PREFIX) && citizens) {
    const session = await citizens.resolve(bearer);
    if (!session) throw new AppError(401, 'session_expired', { zh: '登录已过期，请重新登录', en: 'session expired' });
    // rate limits follow the client address, not the person: one person signed in twice gains nothing
    return { kind: 'citizen', personId: session.personId, sessionId: session.tokenHash, roles: [], clientKey, verifiedAt: session.verifiedAt };
  }
  const token = bearer ?? cookie;
  if (!token) return { kind: 'anonymous', roles: [], clientKey };
  if (!token.startsWith(SESSION_PREFIX)) throw new AppError(401, 'invalid_token', { zh: '登录凭据无效', en: 'invalid credentials' });
  const session = await repo.findSession(hashToken(token));
  if (!session || session.expires_at < nowIso() || Number(session.is_disabled)) {
    if (!bearer) return { kind: 'anonymous', roles: [], clientKey }; // a stale cookie just means signed out
    throw new AppError(401, 'session_expired', { zh: '登录已过期，请重新登录', en: 'session expired' });
  }
  const viaCookie = !bearer;
  if (viaCookie && !SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrf_token) {
    throw new AppError(403, 'csrf_failed', { zh: '请求校验失败，请刷新页面', en: 'CSRF check failed' });
  }
  return {
    kind: 'user',
    id: session.user_id,
    username: session.username,
    roles: fromJson<Role[]>(session.roles, []),
    clientKey: `user:${session.user_id}`,
    csrfToken: session.csrf_token,
    viaCookie,
  };
}
