import type { Conversation, Message } from '../../../common/conversations';
import { storedCitizen } from '../api/citizen';
import { chosenLanguage, networkErrorMessage } from '../api/client';

/**
 * The widget's HTTP calls (POST /api/v1/widget/…). The visitor is anonymous and known by the token
 * in the `x-visitor-token` header; cookies are never sent, so a staff member signed in in the same
 * browser still talks to the service as a citizen.
 */

export class WidgetApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown, visitorToken?: string): Promise<T> {
  // the widget's language (set from the embedding page) for the server's error messages
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': chosenLanguage() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (visitorToken) headers['x-visitor-token'] = visitorToken;
  // signed in to 我的社保 in this tab: the conversation is with a verified citizen (the robot and the
  // serving agent may then use their record)
  const citizen = storedCitizen();
  if (citizen) headers.authorization = `Bearer ${citizen.token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
  } catch {
    throw new WidgetApiError(0, 'network', networkErrorMessage());
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new WidgetApiError(res.status, data?.error?.code ?? `http_${res.status}`, data?.error?.message ?? res.statusText);
  return data as T;
}

export interface WidgetSession {
  visitorToken: string;
  conversation: Conversation | null;
  messages: Message[];
}

export const widgetApi = {
  /** The visitor (a new token when the stored one is unknown) and their latest conversation. */
  session: (siteKey: string, visitorToken?: string) => call<WidgetSession>('POST', '/api/v1/widget/sessions', { siteKey, ...(visitorToken ? { visitorToken } : {}) }),
  /** Starts a conversation (or returns the open one) with the robot's welcome. */
  start: (siteKey: string, visitorToken: string) => call<{ conversation: Conversation; messages: Message[] }>('POST', '/api/v1/widget/conversations', { siteKey }, visitorToken),
  conversation: (id: string, visitorToken: string) => call<Conversation>('GET', `/api/v1/widget/conversations/${encodeURIComponent(id)}`, undefined, visitorToken),
  rate: (id: string, visitorToken: string, score: number, comment?: string) =>
    call<null>('POST', `/api/v1/widget/conversations/${encodeURIComponent(id)}/rating`, { score, ...(comment ? { comment } : {}) }, visitorToken),
  /** 有用 / 没用 on the knowledge entry an answer came from. */
  entryFeedback: (entryId: string, helpful: boolean) => call<unknown>('POST', `/api/v1/kb/entries/${encodeURIComponent(entryId)}/feedback`, { helpful, channel: 'web' }),
};
