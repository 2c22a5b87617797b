import { z } from 'zod';
import { API_KEY_SCOPES, ROLES } from '../../../common/roles';
import { pageQuery } from '../platform/http';
import { MIN_PASSWORD_LENGTH } from './password-strength';

export const loginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});

// length here; commonness and guessability in the use case (password-strength.ts → 400 weak_password)
const password = z.string().min(MIN_PASSWORD_LENGTH, `密码至少${MIN_PASSWORD_LENGTH}位 / at least ${MIN_PASSWORD_LENGTH} characters`).max(256);
export const createUserBody = z.object({
  username: z.string().regex(/^[a-zA-Z0-9_.-]{2,64}$/, '用户名只能包含字母、数字、_.- / letters, digits, _.- only'),
  password,
  roles: z.array(z.enum(ROLES)).min(1),
  displayName: z.string().min(1).max(64).optional(),
});
export const updateUserBody = z.object({
  roles: z.array(z.enum(ROLES)).min(1).optional(),
  password: password.optional(),
  displayName: z.string().min(1).max(64).optional(),
  isDisabled: z.boolean().optional(),
});
export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  isDisabled: z.boolean(),
  createdAt: z.string(),
});
export const loginResponse = z.object({ token: z.string(), csrfToken: z.string(), user: userSchema });
export const loginThrottleSchema = z.object({
  id: z.string(),
  /** `client`: every sign-in from the address; `client_username`: that address trying that username. */
  scope: z.enum(['client', 'client_username']),
  client: z.string(),
  username: z.string().nullable(),
  failures: z.number(),
  firstFailureAt: z.string(),
  lastFailureAt: z.string(),
  blockedUntil: z.string().nullable(),
  isBlocked: z.boolean(),
});
export const createApiKeyBody = z.object({
  name: z.string().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
});
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  rateLimitPerMinute: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export const meSchema = z.object({
  kind: z.string(),
  id: z.string().nullable(),
  username: z.string().nullable(),
  roles: z.array(z.string()),
  abilities: z.array(z.string()),
  csrfToken: z.string().nullable(),
});
export const idParams = z.object({ id: z.string().min(1).max(100) });


/** `{ ok: true }`: the answer of an action that has nothing else to say. */
export const okSchema = z.object({ ok: z.boolean() });

/** The audit log's filters (identity/audit.ts list). */
export const auditQuery = z.object({
  ...pageQuery,
  action: z.string().max(64).optional().describe('an action, or a prefix ending in "." (records.)'),
  actor: z.string().max(200).optional(),
  subjectType: z.string().max(64).optional(),
  subjectId: z.string().max(200).optional(),
});

/** One row of the audit log, with the names the presenter adds (present-audit.ts). */
export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  detail: z.record(z.string(), z.any()),
  ip: z.string().nullable(),
  actorKind: z.enum(['user', 'apiKey', 'citizen', 'anonymous', 'other']),
  actorName: z.string().nullable(),
  actorUsername: z.string().nullable(),
  subjectName: z.string().nullable(),
});
export const auditPageSchema = z.object({ total: z.number(), items: z.array(auditEntrySchema) });
