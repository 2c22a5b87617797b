import type { z } from 'zod';
import { abilitiesOf, type Actor } from './permissions';
import type { ApiKeyRecord, LoginThrottleRecord, UserRecord } from './repo';
import type { apiKeySchema, loginThrottleSchema, meSchema, userSchema } from './schema';

/** A user as the API shows it: never the password hash. */
export const presentUser = (user: UserRecord): z.infer<typeof userSchema> => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  roles: user.roles,
  isDisabled: user.isDisabled,
  createdAt: user.createdAt,
});

/** A login throttle as admins see it: whom it slows down, and until when. */
export const presentLoginThrottle = (throttle: LoginThrottleRecord, now = new Date().toISOString()): z.infer<typeof loginThrottleSchema> => ({
  id: throttle.id,
  scope: throttle.username === null ? ('client' as const) : ('client_username' as const),
  client: throttle.client,
  username: throttle.username,
  failures: throttle.failures,
  firstFailureAt: throttle.firstFailureAt,
  lastFailureAt: throttle.lastFailureAt,
  blockedUntil: throttle.blockedUntil,
  isBlocked: Boolean(throttle.blockedUntil && throttle.blockedUntil > now),
});

/** An API key as the API shows it: its prefix, never the key or its hash. */
export const presentApiKey = (key: ApiKeyRecord): z.infer<typeof apiKeySchema> => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes,
  rateLimitPerMinute: key.rateLimitPerMinute,
  createdBy: key.createdBy,
  createdAt: key.createdAt,
  revokedAt: key.revokedAt,
});

/** Who the caller is and what they may do: the web app reads this instead of checking roles. */
export function presentMe(actor: Actor): z.infer<typeof meSchema> {
  return {
    kind: actor.kind,
    // a citizen's person id is not theirs to see: /api/v1/citizen/me says who they are
    id: actor.kind === 'user' || actor.kind === 'apiKey' ? actor.id : null,
    username: actor.kind === 'user' ? actor.username : actor.kind === 'apiKey' ? actor.name : null,
    roles: actor.roles,
    abilities: abilitiesOf(actor),
    csrfToken: actor.kind === 'user' ? actor.csrfToken ?? null : null,
  };
}
