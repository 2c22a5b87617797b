import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../platform/context';
import { errorResponses, errorSchema, pageQuery } from '../platform/http';
import { login, logout } from './login';
import { clearLoginThrottle, loginThrottle } from './login-throttle';
import { createApiKey, revokeApiKey } from './manage-api-keys';
import { createUser, updateUser } from './manage-users';
import { authorize } from './permissions';
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
    config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
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

  app.post('/api/v1/auth/logout', { schema: { tags, summary: '退出登录 / sign out' } }, async (request, reply) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : request.cookies[SESSION_COOKIE];
    if (token) await logout(ctx, token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/v1/auth/me', { schema: { tags, summary: '当前身份与权限 / who am I', response: { 200: s.meSchema } } }, async (request) =>
    presentMe(request.actor),
  );

  app.get('/api/v1/users', { schema: { tags, summary: '用户列表 / users', response: { 200: z.object({ items: z.array(s.userSchema) }) } } }, async (request) => {
    authorize(request.actor, 'users.manage');
    return { items: (await identityRepo(ctx.db).listUsers()).map(presentUser) };
  });

  app.post('/api/v1/users', { schema: { tags, summary: '新建用户 / create user', body: s.createUserBody, response: { 201: s.userSchema, ...errorResponses } } }, async (request, reply) => {
    authorize(request.actor, 'users.manage');
    const user = await createUser(ctx, request.actor, request.body);
    return reply.status(201).send(presentUser(user));
  });

  app.patch('/api/v1/users/:id', { schema: { tags, summary: '修改用户 / update user', params: s.idParams, body: s.updateUserBody, response: { 200: s.userSchema, ...errorResponses } } }, async (request) => {
    authorize(request.actor, 'users.manage');
    return presentUser(await updateUser(ctx, request.actor, request.params.id, request.body));
  });

  app.get('/api/v1/api-keys', { schema: { tags, summary: 'API 密钥 / API keys', response: { 200: z.object({ items: z.array(s.apiKeySchema) }) } } }, async (request) => {
    authorize(request.actor, 'apiKeys.manage');
    return { items: (await identityRepo(ctx.db).listApiKeys()).map(presentApiKey) };
  });

  app.post('/api/v1/api-keys', { schema: { tags, summary: '签发 API 密钥（仅显示一次） / issue an API key (shown once)', body: s.createApiKeyBody, response: { 201: s.apiKeySchema.extend({ key: z.string() }), ...errorResponses } } }, async (request, reply) => {
    authorize(request.actor, 'apiKeys.manage');
    const created = await createApiKey(ctx, request.actor, request.body);
    return reply.status(201).send({ ...presentApiKey(created), key: created.key });
  });

  app.delete('/api/v1/api-keys/:id', { schema: { tags, summary: '吊销 API 密钥 / revoke an API key', params: s.idParams } }, async (request) => {
    authorize(request.actor, 'apiKeys.manage');
    await revokeApiKey(ctx, request.actor, request.params.id);
    return { ok: true };
  });

  app.get('/api/v1/auth/throttles', { schema: { tags, summary: '登录限速（失败过多的地址）/ sign-in throttles', response: { 200: z.object({ items: z.array(s.loginThrottleSchema) }) } } }, async (request) => {
    authorize(request.actor, 'loginThrottles.manage');
    return { items: (await loginThrottle(ctx).list()).map((throttle) => presentLoginThrottle(throttle)) };
  });

  app.delete('/api/v1/auth/throttles/:id', { schema: { tags, summary: '解除登录限速 / clear a sign-in throttle', params: s.idParams, response: { 200: z.object({ ok: z.boolean() }), ...errorResponses } } }, async (request) => {
    authorize(request.actor, 'loginThrottles.manage');
    await clearLoginThrottle(ctx, request.actor, request.params.id, request.ip);
    return { ok: true };
  });

  app.get('/api/v1/audit', { schema: { tags, summary: '审计日志 / audit log', querystring: z.object({ ...pageQuery, action: z.string().max(64).optional().describe('an action, or a prefix ending in "." (records.)'), actor: z.string().max(200).optional(), subjectType: z.string().max(64).optional(), subjectId: z.string().max(200).optional() }) } }, async (request) => {
    authorize(request.actor, 'audit.read');
    const page = await ctx.audit.list(request.query);
    return { total: page.total, items: await presentAuditEntries(ctx.db, ctx.secrets, page.items) };
  });
}
