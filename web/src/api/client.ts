/** A typed fetch client: cookie session, CSRF header on unsafe methods, one error shape. */

export interface ErrorDetail {
  sheet?: string;
  row?: number;
  field?: string;
  message: string;
}

/** An error answer of the API, `{error:{code,message,field?,details?}}`, or a network failure. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
    public details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
  /** The route does not exist (yet): features built in parallel answer 404 with no body of ours. */
  get isNotAvailable() {
    return this.status === 404 && (this.code === 'route_not_found' || this.code === 'http_404');
  }
}

/**
 * The language the user chose in the UI (saved by the i18n provider under `zhixun.lang`; Chinese by
 * default), sent as Accept-Language so the server's error messages come in it.
 */
export function chosenLanguage(): 'zh' | 'en' {
  try {
    return localStorage.getItem('zhixun.lang') === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage blocked: the default
  }
}

/** The message of a failure that never reached the server. */
export const networkErrorMessage = () => (chosenLanguage() === 'en' ? 'Network error, please try again later' : '网络连接失败，请稍后重试');

let csrfToken: string | null = null;
/** The session's CSRF token, echoed on every non-GET request. */
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

let onUnauthorized: (() => void) | null = null;
/** Called when the API answers 401: the session ended (expired, signed out elsewhere, roles changed). */
export const setUnauthorizedHandler = (handler: (() => void) | null) => {
  onUnauthorized = handler;
};

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Raw body (a file) with its content type. */
  raw?: { data: BodyInit; contentType: string };
  signal?: AbortSignal;
}

/** Sends a request to the API and returns its JSON, or throws ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': chosenLanguage() };
  let body: BodyInit | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = options.raw.data;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(path, options.query), { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', networkErrorMessage());
  }
  const text = await res.text();
  let data: any = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/api/v1/auth/')) onUnauthorized?.();
    const e = data?.error;
    if (e && typeof e === 'object') throw new ApiError(res.status, e.code ?? `http_${res.status}`, e.message ?? res.statusText, e.field, e.details);
    // an answer without our error body (a proxy's page, say)
    const code = res.status === 404 ? 'route_not_found' : `http_${res.status}`;
    throw new ApiError(res.status, code, (typeof data?.message === 'string' && data.message) || `${res.status} ${res.statusText}`);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, data: BodyInit, contentType: string, query?: Query) => request<T>('POST', path, { raw: { data, contentType }, query }),
};

/** A readable message of any thrown value. */
export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
