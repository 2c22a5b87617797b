import type { Actor } from '../../identity/permissions';
import { badRequest, notFound } from '../../platform/errors';
import { newId, nowIso } from '../../platform/ids';
import { DEFAULT_API_BASE_URL, type WechatDeps } from './deps';
import type { AccountPatch, WechatAccount } from './repo';
import { ENCODING_AES_KEY } from './wechat-crypto';

export interface AccountInput {
  name: string;
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey?: string | null;
  apiBaseUrl?: string;
}

/** WeChat's own rule for the Token: 3 to 32 letters or digits. */
const TOKEN = /^[A-Za-z0-9]{3,32}$/;

function checkToken(token: string) {
  if (!TOKEN.test(token)) throw badRequest('invalid_token', { zh: 'Token 须为 3–32 位英文字母或数字', en: 'the token is 3 to 32 letters or digits' }, 'token');
}

function checkEncodingAESKey(key: string) {
  if (!ENCODING_AES_KEY.test(key)) {
    throw badRequest('invalid_encoding_aes_key', { zh: 'EncodingAESKey 须为 43 位字母、数字、+ 或 /', en: 'EncodingAESKey is 43 characters of the base64 alphabet' }, 'encodingAESKey');
  }
}

/** An http(s) address without a trailing slash. */
export function normalizeHttpUrl(text: string, field: string, code = 'invalid_url'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badRequest(code, { zh: '网址无效', en: 'invalid URL' }, field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badRequest(code, { zh: '只支持 http(s) 网址', en: 'only http(s) URLs' }, field);
  return url.toString().replace(/\/+$/, '');
}

/** Adds an official account; its AppSecret, Token and EncodingAESKey are stored sealed. */
export async function createAccount(deps: WechatDeps, actor: Actor, input: AccountInput): Promise<WechatAccount> {
  checkToken(input.token);
  if (input.encodingAESKey) checkEncodingAESKey(input.encodingAESKey);
  const apiBaseUrl = normalizeHttpUrl(input.apiBaseUrl ?? DEFAULT_API_BASE_URL, 'apiBaseUrl', 'invalid_api_base_url');
  const { secrets } = deps.ctx;
  const now = nowIso();
  const account: WechatAccount = {
    id: newId(),
    name: input.name,
    appId: input.appId,
    appSecretSealed: secrets.seal(input.appSecret),
    tokenSealed: secrets.seal(input.token),
    encodingAESKeySealed: input.encodingAESKey ? secrets.seal(input.encodingAESKey) : null,
    apiBaseUrl,
    welcomeText: null,
    welcomeLinks: [],
    menu: [],
    accessTokenSealed: null,
    accessTokenExpiresAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.repo.insertAccount(account);
  await deps.ctx.audit.record(actor, {
    action: 'wechat.account.created',
    subjectType: 'wechat_account',
    subjectId: account.id,
    detail: { name: account.name, appId: account.appId, apiBaseUrl, hasEncodingAESKey: Boolean(input.encodingAESKey) },
  });
  return account;
}

/**
 * Changes an account. A secret left out is kept; `encodingAESKey: null` turns safe mode off. A new
 * AppID, AppSecret or API address makes the stored access token useless, so it is dropped.
 */
export async function updateAccount(deps: WechatDeps, actor: Actor, id: string, patch: Partial<AccountInput>): Promise<WechatAccount> {
  const account = await deps.repo.getAccount(id);
  if (!account) throw notFound('公众号', 'wechat_account_not_found');
  if (patch.token !== undefined) checkToken(patch.token);
  if (patch.encodingAESKey) checkEncodingAESKey(patch.encodingAESKey);
  const apiBaseUrl = patch.apiBaseUrl === undefined ? undefined : normalizeHttpUrl(patch.apiBaseUrl, 'apiBaseUrl', 'invalid_api_base_url');
  const { secrets } = deps.ctx;
  const changes: AccountPatch = {
    name: patch.name,
    appId: patch.appId,
    apiBaseUrl,
    appSecretSealed: patch.appSecret === undefined ? undefined : secrets.seal(patch.appSecret),
    tokenSealed: patch.token === undefined ? undefined : secrets.seal(patch.token),
    encodingAESKeySealed: patch.encodingAESKey === undefined ? undefined : patch.encodingAESKey === null ? null : secrets.seal(patch.encodingAESKey),
  };
  const isNewIdentity = (patch.appId !== undefined && patch.appId !== account.appId) || patch.appSecret !== undefined || (apiBaseUrl !== undefined && apiBaseUrl !== account.apiBaseUrl);
  await deps.repo.updateAccount(id, isNewIdentity ? { ...changes, accessTokenSealed: null, accessTokenExpiresAt: null } : changes);
  // the audit names what changed, never a secret's value
  const changed = (Object.keys(patch) as (keyof AccountInput)[]).filter((k) => patch[k] !== undefined);
  await deps.ctx.audit.record(actor, { action: 'wechat.account.updated', subjectType: 'wechat_account', subjectId: id, detail: { changed } });
  return (await deps.repo.getAccount(id))!;
}

export async function deleteAccount(deps: WechatDeps, actor: Actor, id: string) {
  const account = await deps.repo.getAccount(id);
  if (!account || !(await deps.repo.deleteAccount(id))) throw notFound('公众号', 'wechat_account_not_found');
  await deps.ctx.audit.record(actor, { action: 'wechat.account.deleted', subjectType: 'wechat_account', subjectId: id, detail: { name: account.name, appId: account.appId } });
}
