import { createHash } from 'node:crypto';
import { newToken } from '../platform/ids';

export const SESSION_PREFIX = 'zxs_';
export const API_KEY_PREFIX = 'zxk_';
export const SESSION_COOKIE = 'zx_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_HOURS = 12;

/** Tokens and keys are stored only as SHA-256 hashes: a leaked table reveals none of them. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newSessionToken = () => SESSION_PREFIX + newToken(32);
export const newApiKey = () => API_KEY_PREFIX + newToken(32);
