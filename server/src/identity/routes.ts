import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/context';
import { errorResponses, errorSchema, noBody, noQuery } from '../platform/http';
import { login, logout } from './login';
import { clearLoginThrottle, loginThrottle } from './login-throttle';
import { createApiKey, revokeApiKey } from './manage-api-keys';
import { createUser, updateUser } from './manage-users';
import { presentApiKey, presentLoginThrottle, presentMe, presentUser } from './presenter';
import { presentAuditEntries } from './present-audit';
import { identityRepo } from './repo';
import * as s from './schema';
import { SESSION_COOKIE, SESSION_HOURS } from './tokens';

/** Sign-in, users, API keys and the audit log. */
export async function registerIdentity(fastify: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['identity'];

  app.post('/api/v1/auth/login', {
    schema: { tags, summary: '登录（失败过多时按来源地址限速，429 login_throttled）/ sign in (failures slow down the address: 429 login_throttled)', body: s.loginBody, response: { 200: s.loginResponse, ...errorResponses, 429: errorSchema } },
    config: { access: { open: 'sign-in' }, rateLimit: { max: 20, timeWindow: '1 minute' } },
  }, async (request, reply) => {
    const { token, csrfToken, user } = await login(ctx, request.body, request.ip);
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      // over TLS, directly or through a proxy listed in TRUST_PROXY (request.protocol believes only those)
      secure: request.protocol === 'https',
      maxAge: SESSION_HOURS * 3600,
    });
    return { token, csrfToken, user: presentUser(user) };
  });

  app.post('/api/v1/auth/logout', {
    schema: { tags, summary: '退出登录 / sign out', body: noBody, response: { 200: s.okSchema, ...errorResponses } },
    config: { access: { open: 'sign-out ends whatever session the caller presents' } },
  }, async (request, reply) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : request.cookies[SESSION_COOKIE];
    if (token) await logout(ctx, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/v1/auth/me', {
    schema: { tags, summary: '当前身份与权限 / who am I', querystring: noQuery, response: { 200: s.meSchema, ...errorResponses } },
    config: { access: { open: 'every caller may learn who they are and what they may do' } },
  }, async (request) =>
    presentMe(request.actor),
  );

  app.get('/api/v1/users', {
    schema: { tags, summary: '用户列表 / users', querystring: noQuery, response: { 200: z.object({ items: z.array(s.userSchema) }), ...errorResponses } },
    config: { access: 'users.manage' },
  }, async () => {
    return { items: (await identityRepo(ctx.db).listUsers()).map(presentUser) };
  });

  app.post('/api/v1/users', {
    schema: { tags, summary: '新建用户 / create user', body: s.createUserBody, response: { 201: s.userSchema, ...errorResponses } },
    config: { access: 'users.manage' },
  }, async (request, reply) => {
    const user = await createUser(ctx, request.actor, request.body);
    return reply.status(201).send(presentUser(user));
  });

  app.patch('/api/v1/users/:id', {
    schema: { tags, summary: '修改用户 / update user', params: s.idParams, body: s.updateUserBody, response: { 200: s.userSchema, ...errorResponses } },
    config: { access: 'users.manage' },
  }, async (request) => {
    return presentUser(await updateUser(ctx, request.actor, request.params.id, request.body));
  });

  app.get('/api/v1/api-keys', {
    schema: { tags, summary: 'API 密钥 / API keys', querystring: noQuery, response: { 200: z.object({ items: z.array(s.apiKeySchema) }), ...errorResponses } },
    config: { access: 'apiKeys.manage' },
  }, async () => {
    return { items: (await identityRepo(ctx.db).listApiKeys()).map(presentApiKey) };
  });

  app.post('/api/v1/api-keys', {
    schema: { tags, summary: '签发 API 密钥（仅显示一次） / issue an API key (shown once)', body: s.createApiKeyBody, response: { 201: s.apiKeySchema.extend({ key: z.string() }), ...errorResponses } },
    config: { access: 'apiKeys.manage' },
  }, async (request, reply) => {
    const created = await createApiKey(ctx, request.actor, request.body);
    return reply.status(201).send({ ...presentApiKey(created), key: created.key });
  });

  app.delete('/api/v1/api-keys/:id', {
    schema: { tags, summary: '吊销 API 密钥 / revoke an API key', params: s.idParams, response: { 200: s.okSchema, ...errorResponses } },
    config: { access: 'apiKeys.manage' },
  }, async (request) => {
    await revokeApiKey(ctx, request.actor, request.params.id);
    return { ok: true };
  });

  app.get('/api/v1/auth/throttles', {
    schema: { tags, summary: '登录限速（失败过多的地址）/ sign-in throttles', querystring: noQuery, response: { 200: z.object({ items: z.array(s.loginThrottleSchema) }), ...errorResponses } },
    config: { access: 'loginThrottles.manage' },
  }, async () => {
    return { items: (await loginThrottle(ctx).list()).map((throttle) => presentLoginThrottle(throttle)) };
  });

  app.delete('/api/v1/auth/throttles/:id', {
    schema: { tags, summary: '解除登录限速 / clear a sign-in throttle', params: s.idParams, response: { 200: s.okSchema, ...errorResponses } },
    config: { access: 'loginThrottles.manage' },
  }, async (request) => {
    await clearLoginThrottle(ctx, request.actor, request.params.id, request.ip);
    return { ok: true };
  });

  app.get('/api/v1/audit', {
    schema: { tags, summary: '审计日志 / audit log', querystring: s.auditQuery, response: { 200: s.auditPageSchema, ...errorResponses } },
    config: { access: 'audit.read' },
  }, async (request) => {
    const page = await ctx.audit.list(request.query);
    return { total: page.total, items: await presentAuditEntries(ctx.db, ctx.secrets, page.items) };
  });
}
