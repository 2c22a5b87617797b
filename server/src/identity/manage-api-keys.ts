import type { ApiKeyScope } from '../../../common/roles';
import type { AppContext } from '../platform/context';
import { notFound } from '../platform/errors';
import { newId, nowIso } from '../platform/ids';
import { actorLabel, type Actor } from './permissions';
import { identityRepo } from './repo';
import { hashToken, newApiKey } from './tokens';

/** Issues an API key for a partner application; the key itself is returned once and stored hashed. */
export async function createApiKey(
  ctx: AppContext,
  actor: Actor,
  input: { name: string; scopes: ApiKeyScope[]; rateLimitPerMinute?: number },
) {
  const key = newApiKey();
  const record = {
    id: newId(),
    name: input.name,
    prefix: key.slice(0, 10),
    scopes: [...new Set(input.scopes)],
    rateLimitPerMinute: input.rateLimitPerMinute ?? 600,
    createdBy: actorLabel(actor),
    createdAt: nowIso(),
    revokedAt: null,
  };
  await identityRepo(ctx.db).insertApiKey({ ...record, keyHash: hashToken(key) });
  await ctx.audit.record(actor, { action: 'apikey.created', subjectType: 'api_key', subjectId: record.id, detail: { name: record.name, scopes: record.scopes } });
  return { ...record, key };
}

/** Revokes a key: it stops working at once. */
export async function revokeApiKey(ctx: AppContext, actor: Actor, id: string) {
  const revoked = await identityRepo(ctx.db).revokeApiKey(id, nowIso());
  if (!revoked) throw notFound('API 密钥');
  await ctx.audit.record(actor, { action: 'apikey.revoked', subjectType: 'api_key', subjectId: id });
}
