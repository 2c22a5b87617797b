import type { Actor } from '../../identity/permissions';
import { badRequest, notFound } from '../../platform/errors';
import type { WechatDeps } from './deps';
import { normalizeHttpUrl } from './manage-accounts';
import { welcomeOf } from './receive-callback';
import type { MenuItem, WechatAccount, WelcomeLink } from './repo';

/** Sets the text answered to a new follower (null: the default welcome) and its self-service links. */
export async function setWelcome(deps: WechatDeps, actor: Actor, id: string, input: { text: string | null; links: WelcomeLink[] }): Promise<WechatAccount> {
  if (!(await deps.repo.getAccount(id))) throw notFound('公众号', 'wechat_account_not_found');
  const links = input.links.map((l, i) => ({ title: l.title, url: normalizeHttpUrl(l.url, `links.${i}.url`) }));
  if ([...welcomeOf(deps, { welcomeText: input.text, welcomeLinks: links })].length > deps.limits.maxTextLength) {
    throw badRequest('welcome_too_long', { zh: `欢迎语连同链接不能超过 ${deps.limits.maxTextLength} 字`, en: `the welcome with its links is longer than ${deps.limits.maxTextLength} characters` }, 'text');
  }
  await deps.repo.updateAccount(id, { welcomeText: input.text, welcomeLinks: links });
  await deps.ctx.audit.record(actor, { action: 'wechat.welcome.updated', subjectType: 'wechat_account', subjectId: id, detail: { isDefault: input.text === null, links: links.length } });
  return (await deps.repo.getAccount(id))!;
}

/**
 * Sets what the account's menu CLICK keys open: a public knowledge entry or a calculator, each
 * checked to exist (an internal entry is as unknown as a missing one).
 */
export async function setMenu(deps: WechatDeps, actor: Actor, id: string, items: MenuItem[]): Promise<WechatAccount> {
  if (!(await deps.repo.getAccount(id))) throw notFound('公众号', 'wechat_account_not_found');
  const keys = new Set<string>();
  items.forEach((item, i) => {
    if (keys.has(item.key)) throw badRequest('duplicate_menu_key', { zh: `菜单键重复：${item.key}`, en: `the key appears twice: ${item.key}` }, `items.${i}.key`);
    keys.add(item.key);
    if ('entryId' in item && !deps.funnel.knowledgeEntry(item.entryId)) {
      throw badRequest('unknown_entry', { zh: `没有这条公开知识：${item.entryId}`, en: `no public knowledge entry ${item.entryId}` }, `items.${i}.entryId`);
    }
    if ('rulesetId' in item && !deps.funnel.calculator(item.rulesetId)) {
      throw badRequest('unknown_calculator', { zh: `没有这个测算器：${item.rulesetId}`, en: `no calculator ${item.rulesetId}` }, `items.${i}.rulesetId`);
    }
  });
  const menu = items.map((item): MenuItem => ('entryId' in item ? { key: item.key, entryId: item.entryId } : { key: item.key, rulesetId: item.rulesetId }));
  await deps.repo.updateAccount(id, { menu });
  await deps.ctx.audit.record(actor, { action: 'wechat.menu.updated', subjectType: 'wechat_account', subjectId: id, detail: { menu } });
  return (await deps.repo.getAccount(id))!;
}
