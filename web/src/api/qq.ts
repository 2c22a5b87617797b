import { api } from './client';

/** A QQ bot as the server presents it (never its secret). */
export interface QqBot {
  id: string;
  name: string;
  appId: string;
  apiBaseUrl: string;
  tokenUrl: string;
  activeAllowance: number;
  /** the callback path on this server; webhookUrl is the full address when the server knows its public URL */
  webhookPath: string;
  webhookUrl: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface QqBotInput {
  name: string;
  appId: string;
  /** required when adding; when editing, empty keeps the stored secret */
  appSecret?: string;
  apiBaseUrl?: string;
  tokenUrl?: string;
  activeAllowance?: number;
}

const enc = encodeURIComponent;

/** The QQ channel's configuration API (admins). */
export const qqApi = {
  list: () => api.get<{ items: QqBot[] }>('/api/v1/channels/qq/bots'),
  create: (body: QqBotInput) => api.post<{ id: string }>('/api/v1/channels/qq/bots', body),
  update: (id: string, body: Partial<QqBotInput>) => api.put<QqBot>(`/api/v1/channels/qq/bots/${enc(id)}`, body),
  remove: (id: string) => api.delete<void>(`/api/v1/channels/qq/bots/${enc(id)}`),
};

/** The address to paste into the QQ bot platform's callback setting. */
export const webhookUrlOf = (bot: QqBot) => bot.webhookUrl ?? `${window.location.origin}${bot.webhookPath}`;
