import { abilitiesOf, type Actor } from './permissions';
import type { ApiKeyRecord, UserRecord } from './repo';

/** A user as the API shows it: never the password hash. */
export const presentUser = (user: UserRecord) => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  roles: user.roles,
  isDisabled: user.isDisabled,
  isLocked: Boolean(user.lockedUntil && user.lockedUntil > new Date().toISOString()),
  createdAt: user.createdAt,
});

export const presentApiKey = (key: ApiKeyRecord) => ({
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
export function presentMe(actor: Actor) {
  return {
    kind: actor.kind,
    id: actor.kind === 'anonymous' ? null : actor.id,
    username: actor.kind === 'user' ? actor.username : actor.kind === 'apiKey' ? actor.name : null,
    roles: actor.roles,
    abilities: abilitiesOf(actor),
    csrfToken: actor.kind === 'user' ? actor.csrfToken ?? null : null,
  };
}
