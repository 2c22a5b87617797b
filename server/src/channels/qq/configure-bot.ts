import type { z } from 'zod';
import type { Actor } from '../../identity/permissions';
import type { AppContext } from '../../platform/context';
import { isUniqueViolation } from '../../platform/database';
import { conflict, notFound } from '../../platform/errors';
import { newId } from '../../platform/ids';
import { qqRepo } from './repo';
import { DEFAULT_ACTIVE_ALLOWANCE, DEFAULT_API_BASE_URL, DEFAULT_TOKEN_URL, type createBotBody, type updateBotBody } from './schema';

const duplicateAppId = () => conflict('qq_app_id_taken', { zh: '该 AppID 已配置为另一个机器人', en: 'this appId belongs to another bot already' });

/** Adds a QQ bot: its app secret is stored sealed, and the change is audited (without the secret). */
export async function createBot(ctx: AppContext, actor: Actor, input: z.infer<typeof createBotBody>, ip?: string): Promise<{ id: string }> {
  const id = newId();
  const bot = {
    id,
    name: input.name,
    appId: input.appId,
    appSecretSealed: ctx.secrets.seal(input.appSecret),
    apiBaseUrl: input.apiBaseUrl ?? DEFAULT_API_BASE_URL,
    tokenUrl: input.tokenUrl ?? DEFAULT_TOKEN_URL,
    activeAllowance: input.activeAllowance ?? DEFAULT_ACTIVE_ALLOWANCE,
  };
  try {
    await qqRepo(ctx.db).insertBot(bot);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateAppId();
    throw err;
  }
  await ctx.audit.record(
    actor,
    { action: 'channels.qq.bot_created', subjectType: 'qq_bot', subjectId: id, detail: { name: bot.name, appId: bot.appId, apiBaseUrl: bot.apiBaseUrl, tokenUrl: bot.tokenUrl, activeAllowance: bot.activeAllowance } },
    ip,
  );
  return { id };
}

/**
 * Changes a bot; an empty or missing secret keeps the stored one. Only what differs is written (a
 * new app id, secret or token address also drops the cached access token), and the audit names it.
 */
export async function updateBot(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof updateBotBody>, ip?: string) {
  const repo = qqRepo(ctx.db);
  const bot = await repo.getBot(id);
  if (!bot) throw notFound('QQ 机器人', 'qq_bot_not_found');
  const { appSecret, ...fields } = input;
  const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((k) => fields[k] !== undefined && fields[k] !== bot[k]);
  const patch: Parameters<typeof repo.updateBot>[1] = Object.fromEntries(changed.map((k) => [k, fields[k]]));
  const isNewSecret = !!appSecret && appSecret !== ctx.secrets.open(bot.appSecretSealed);
  if (isNewSecret) patch.appSecretSealed = ctx.secrets.seal(appSecret);
  if (!changed.length && !isNewSecret) return bot;
  try {
    await repo.updateBot(id, patch);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateAppId();
    throw err;
  }
  const detail = { changed: [...changed, ...(isNewSecret ? ['appSecret'] : [])], ...Object.fromEntries(changed.map((k) => [k, fields[k]])) };
  await ctx.audit.record(actor, { action: 'channels.qq.bot_updated', subjectType: 'qq_bot', subjectId: id, detail }, ip);
  return (await repo.getBot(id))!;
}

/** Removes a bot: its callback address stops answering and messages to its users can no longer be sent. */
export async function deleteBot(ctx: AppContext, actor: Actor, id: string, ip?: string) {
  const repo = qqRepo(ctx.db);
  const bot = await repo.getBot(id);
  if (!bot) throw notFound('QQ 机器人', 'qq_bot_not_found');
  await repo.deleteBot(id);
  await ctx.audit.record(actor, { action: 'channels.qq.bot_deleted', subjectType: 'qq_bot', subjectId: id, detail: { name: bot.name, appId: bot.appId } }, ip);
}
