import { api } from './client';

const enc = encodeURIComponent;

/** A menu CLICK key and what it opens: a public knowledge entry or a calculator. */
export type WechatMenuItem = { key: string; entryId: string } | { key: string; rulesetId: string };
export interface WechatLink {
  title: string;
  url: string;
}

/** An official account as the server presents it: never a secret. */
export interface WechatAccount {
  id: string;
  name: string;
  appId: string;
  apiBaseUrl: string;
  hasEncodingAESKey: boolean;
  /** the server address to paste into WeChat's admin (服务器配置) */
  callbackUrl: string;
  welcome: { text: string | null; links: WechatLink[]; isDefault: boolean; preview: string };
  menu: WechatMenuItem[];
  createdAt: string;
  updatedAt: string;
}

export interface WechatAccountInput {
  name: string;
  appId: string;
  appSecret: string;
  token: string;
  encodingAESKey?: string;
  apiBaseUrl?: string;
}

/** On update a secret left out is kept; `encodingAESKey: null` turns safe mode off. */
export type WechatAccountPatch = Partial<Omit<WechatAccountInput, 'encodingAESKey'>> & { encodingAESKey?: string | null };

const base = '/api/v1/channels/wechat/accounts';

export const wechat = {
  list: () => api.get<{ items: WechatAccount[] }>(base),
  get: (id: string) => api.get<WechatAccount>(`${base}/${enc(id)}`),
  create: (body: WechatAccountInput) => api.post<{ id: string }>(base, body),
  update: (id: string, body: WechatAccountPatch) => api.patch<WechatAccount>(`${base}/${enc(id)}`, body),
  remove: (id: string) => api.delete<void>(`${base}/${enc(id)}`),
  setWelcome: (id: string, body: { text: string | null; links: WechatLink[] }) => api.put<WechatAccount>(`${base}/${enc(id)}/welcome`, body),
  setMenu: (id: string, items: WechatMenuItem[]) => api.put<WechatAccount>(`${base}/${enc(id)}/menu`, { items }),
};
