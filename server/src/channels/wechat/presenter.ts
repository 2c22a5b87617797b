import type { z } from 'zod';
import { welcomeOf } from './receive-callback';
import type { WechatDeps } from './deps';
import type { WechatAccount } from './repo';
import type { accountResponse } from './schema';

/** An account as the console sees it: never a secret, only whether safe mode's key is set. */
export function presentAccount(deps: Pick<WechatDeps, 'ctx'>, account: WechatAccount, baseUrl: string): z.infer<typeof accountResponse> {
  return {
    id: account.id,
    name: account.name,
    appId: account.appId,
    apiBaseUrl: account.apiBaseUrl,
    hasEncodingAESKey: account.encodingAESKeySealed !== null,
    callbackUrl: `${baseUrl}/api/v1/channels/wechat/${account.id}`,
    welcome: { text: account.welcomeText, links: account.welcomeLinks, isDefault: account.welcomeText === null, preview: welcomeOf(deps, account) },
    menu: account.menu,
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
}
