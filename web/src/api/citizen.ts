/**
 * The citizen's API client: a Bearer token kept in sessionStorage (never localStorage, never the staff
 * cookie), a step-up SMS code asked for and the call retried when records need a fresh verification,
 * and a signed-out handler when the session has ended.
 */
import type { z } from 'zod';
import type {
  accessLogSchema, applicationSchema, applicationsSchema, citizenPersonSchema, citizenSessionSchema, contributionMonthsSchema, MyRecord, paymentsSchema, pensionAccountSchema,
} from '../../../common/citizen-records';
import type { IssuedStatement } from '../../../common/record-statements';
import { ApiError, chosenLanguage, networkErrorMessage, withQuery } from './client';

export type CitizenPerson = z.infer<typeof citizenPersonSchema>;
export type CitizenSession = z.infer<typeof citizenSessionSchema>;
export type ContributionMonths = z.infer<typeof contributionMonthsSchema>;
export type ContributionMonth = ContributionMonths['items'][number];
export type PensionAccount = z.infer<typeof pensionAccountSchema>;
export type ApplicationSummary = z.infer<typeof applicationsSchema>['items'][number];
export type Application = z.infer<typeof applicationSchema>;
export type Payment = z.infer<typeof paymentsSchema>['items'][number];
export type AccessLogItem = z.infer<typeof accessLogSchema>['items'][number];
export type { MyRecord };

export const INSURANCES = ['pension', 'medical', 'unemployment', 'injury', 'maternity'] as const;
export type Insurance = (typeof INSURANCES)[number];

/** An error answer with the seconds to wait when the server said so (429 retry-after). */
export class CitizenApiError extends ApiError {
  retryAfterSeconds?: number;
}

const STORAGE_KEY = 'zhixun.citizen';

/** What the tab remembers of the citizen's sign-in: the token and whose it is. */
export interface StoredCitizen {
  token: string;
  person: CitizenPerson;
  expiresAt: string;
}

/** The signed-in citizen of this tab, if any. */
export function storedCitizen(): StoredCitizen | null {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    const value = text ? (JSON.parse(text) as StoredCitizen) : null;
    return value?.token ? value : null;
  } catch {
    return null;
  }
}

function storeCitizen(value: StoredCitizen | null) {
  try {
    if (value) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    /* storage blocked: the sign-in lasts as long as the page */
  }
}

let askStepUp: (() => Promise<boolean>) | null = null;
let pendingStepUp: Promise<boolean> | null = null;
/** Asks the citizen for a fresh SMS code; resolves true once verified, false when they cancel. */
export const setStepUpHandler = (handler: (() => Promise<boolean>) | null) => {
  askStepUp = handler;
};

let onSignedOut: (() => void) | null = null;
/** Called when the server says the citizen's session is over (expired, or signed out everywhere). */
export const setCitizenSignedOutHandler = (handler: (() => void) | null) => {
  onSignedOut = handler;
};

const SESSION_OVER = new Set(['session_expired', 'citizen_sign_in_required']);

async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': chosenLanguage() };
  const token = storedCitizen()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    // credentials omitted: a staff cookie in the same browser must never stand in for the citizen
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
  } catch {
    throw new CitizenApiError(0, 'network', networkErrorMessage());
  }
  const text = await res.text();
  let data: any;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (res.ok) return data as T;
  const e = data?.error ?? {};
  const error = new CitizenApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? `${res.status} ${res.statusText}`, e.field, e.details);
  const retryAfter = Number(res.headers.get('retry-after'));
  if (retryAfter > 0) error.retryAfterSeconds = retryAfter;
  throw error;
}

/**
 * A call on the citizen's behalf: a stale verification asks for a step-up code (one prompt shared
 * by calls made at once) and retries once; an ended session drops the token and signs out.
 */
async function citizenCall<T>(method: string, path: string, body?: unknown, isRetry = false): Promise<T> {
  try {
    return await send<T>(method, path, body);
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    if (err.code === 'step_up_required' && askStepUp && !isRetry) {
      pendingStepUp ??= askStepUp().finally(() => {
        pendingStepUp = null;
      });
      if (await pendingStepUp) return citizenCall<T>(method, path, body, true);
    } else if (SESSION_OVER.has(err.code) && storedCitizen()) {
      storeCitizen(null);
      onSignedOut?.();
    }
    throw err;
  }
}

/** Sign-in, step-up and sign-out (citizen-identity). */
export const citizenAuth = {
  sendCode: (phone: string) => send<{ sent: true; expiresInSeconds: number }>('POST', '/api/v1/citizen/sms-codes', { phone }),
  async login(input: { idNumber: string; name: string; phone: string; code: string }) {
    const session = await send<CitizenSession>('POST', '/api/v1/citizen/login', input);
    if (!session.token) throw new CitizenApiError(500, 'no_token', chosenLanguage() === 'en' ? 'Sign-in failed, please try again later' : '登录失败，请稍后重试');
    storeCitizen({ token: session.token, person: session.person, expiresAt: session.expiresAt });
    return session;
  },
  sendStepUpCode: () => citizenCall<{ sent: true; expiresInSeconds: number }>('POST', '/api/v1/citizen/step-up/sms-code', {}),
  stepUp: (code: string) => citizenCall<{ verifiedUntil: string }>('POST', '/api/v1/citizen/step-up', { code }),
  /** Ends this session (or every session of the person); the token is dropped whatever the answer. */
  async logout(everywhere: boolean) {
    try {
      await send<null>('POST', '/api/v1/citizen/logout', { everywhere });
    } finally {
      storeCitizen(null);
    }
  },
};

/** The citizen's own records (citizen-records); each needs a verification no older than 15 minutes. */
export const myRecords = {
  record: () => citizenCall<MyRecord>('GET', '/api/v1/me/record'),
  contributions: (insurance: Insurance) => citizenCall<ContributionMonths>('GET', withQuery('/api/v1/me/contributions', { insurance })),
  pensionAccount: () => citizenCall<PensionAccount>('GET', '/api/v1/me/pension-account'),
  applications: () => citizenCall<{ items: ApplicationSummary[] }>('GET', '/api/v1/me/applications'),
  application: (id: string) => citizenCall<Application>('GET', `/api/v1/me/applications/${encodeURIComponent(id)}`),
  payments: () => citizenCall<{ items: Payment[] }>('GET', '/api/v1/me/payments'),
  accessLog: () => citizenCall<{ items: AccessLogItem[] }>('GET', '/api/v1/me/access-log'),
  /** WeChat (or another channel) identities bound to me: the robot there then knows who is asking */
  bindings: () => citizenCall<{ items: { id: string; channel: string; boundAt: string }[] }>('GET', '/api/v1/citizen/bindings'),
  bind: (ticket: string) => citizenCall<{ channel: string; boundAt: string }>('POST', '/api/v1/citizen/bindings', { ticket }),
  unbind: (id: string) => citizenCall<null>('DELETE', `/api/v1/citizen/bindings/${encodeURIComponent(id)}`),
  /** 参保证明: issued with a verification code anyone can check at /verify/{code} */
  issueStatement: () => citizenCall<IssuedStatement>('POST', '/api/v1/me/statements', {}),
  /** The statement's PDF, fetched with the Bearer token (a plain link would carry no sign-in). */
  async statementPdf(pdfUrl: string): Promise<Blob> {
    const token = storedCitizen()?.token;
    const res = await fetch(pdfUrl, { headers: { 'accept-language': chosenLanguage(), ...(token ? { authorization: `Bearer ${token}` } : {}) }, credentials: 'omit' });
    if (!res.ok) {
      const e = (await res.json().catch(() => undefined))?.error ?? {};
      throw new CitizenApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? res.statusText);
    }
    return res.blob();
  },
};
