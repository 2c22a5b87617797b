import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../platform/errors';
import { errorResponses, noQuery } from '../../platform/http';
import { setMenu, setWelcome } from './configure-replies';
import type { WechatDeps } from './deps';
import { createAccount, deleteAccount, updateAccount } from './manage-accounts';
import { presentAccount } from './presenter';
import { receiveCallback, verifyCallbackUrl, type CallbackAnswer } from './receive-callback';
import * as s from './schema';

const tags = ['wechat'];
// the accounts' configuration is the admins'
const access = 'channels.configure';

/** The WeChat channel: the account configuration API (admins) and the callback endpoint WeChat calls. */
export async function wechatRoutes(fastify: FastifyInstance, deps: WechatDeps) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // the address WeChat's admin is given: the configured public address, else the one this request came to
  const baseUrl = (request: FastifyRequest) => deps.ctx.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`;

  async function accountOr404(id: string) {
    const account = await deps.repo.getAccount(id);
    if (!account) throw notFound('公众号', 'wechat_account_not_found');
    return account;
  }

  app.post('/api/v1/channels/wechat/accounts', {
    config: { access },
    schema: { tags, summary: '添加公众号 / add an official account', body: s.createAccountBody, response: { 201: s.createdResponse, ...errorResponses } },
  }, async (request, reply) => {
    const account = await createAccount(deps, request.actor, request.body);
    return reply.status(201).send({ id: account.id });
  });

  app.get('/api/v1/channels/wechat/accounts', {
    config: { access },
    schema: { tags, summary: '公众号列表 / official accounts', querystring: noQuery, response: { 200: s.accountListResponse, ...errorResponses } },
  }, async (request) => {
    return { items: (await deps.repo.listAccounts()).map((a) => presentAccount(deps, a, baseUrl(request))) };
  });

  app.get('/api/v1/channels/wechat/accounts/:id', {
    config: { access },
    schema: { tags, summary: '公众号详情 / an official account', params: s.accountParams, response: { 200: s.accountResponse, ...errorResponses } },
  }, async (request) => {
    return presentAccount(deps, await accountOr404(request.params.id), baseUrl(request));
  });

  app.patch('/api/v1/channels/wechat/accounts/:id', {
    config: { access },
    schema: { tags, summary: '修改公众号（未填的密钥保持不变） / change an account (secrets left out are kept)', params: s.accountParams, body: s.updateAccountBody, response: { 200: s.accountResponse, ...errorResponses } },
  }, async (request) => {
    return presentAccount(deps, await updateAccount(deps, request.actor, request.params.id, request.body), baseUrl(request));
  });

  app.delete('/api/v1/channels/wechat/accounts/:id', {
    config: { access },
    schema: { tags, summary: '删除公众号 / remove an account', params: s.accountParams, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await deleteAccount(deps, request.actor, request.params.id);
    return reply.status(204).send(null);
  });

  app.put('/api/v1/channels/wechat/accounts/:id/welcome', {
    config: { access },
    schema: { tags, summary: '关注欢迎语 / the welcome for new followers', params: s.accountParams, body: s.welcomeBody, response: { 200: s.accountResponse, ...errorResponses } },
  }, async (request) => {
    return presentAccount(deps, await setWelcome(deps, request.actor, request.params.id, request.body), baseUrl(request));
  });

  app.put('/api/v1/channels/wechat/accounts/:id/menu', {
    config: { access },
    schema: { tags, summary: '菜单点击事件对应的知识或测算 / what menu CLICK keys open', params: s.accountParams, body: s.menuBody, response: { 200: s.accountResponse, ...errorResponses } },
  }, async (request) => {
    return presentAccount(deps, await setMenu(deps, request.actor, request.params.id, request.body.items), baseUrl(request));
  });

  // the callback endpoint, in a plugin of its own so that its XML body parser applies to it alone
  await app.register(async (scope) => {
    const callback = scope.withTypeProvider<ZodTypeProvider>();
    // WeChat posts XML; the raw text is kept (safe mode signs the ciphertext inside it)
    callback.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const send = (reply: FastifyReply, answer: CallbackAnswer) => reply.status(answer.status).type(answer.contentType).send(answer.body);
    // signed by WeChat, not by a user: checked first and cheaply, and not under the anonymous rate limit
    const config = { rateLimit: false, access: { open: 'WeChat’s servers; the signature (the account’s Token) is checked by the handler' } } as const;

    callback.get('/api/v1/channels/wechat/:accountId', {
      config,
      schema: { tags, summary: '微信服务器地址验证 / WeChat server address verification', params: s.callbackParams, querystring: s.callbackQuery, response: s.verifyCallbackResponses },
    }, async (request, reply) => send(reply, await verifyCallbackUrl(deps, request.params.accountId, request.query)));

    callback.post('/api/v1/channels/wechat/:accountId', {
      config,
      schema: { tags, summary: '微信推送的消息与事件 / messages and events WeChat pushes', params: s.callbackParams, querystring: s.callbackQuery, body: s.callbackBody, response: s.callbackResponses },
    }, async (request, reply) => send(reply, await receiveCallback(deps, request.params.accountId, request.query, request.body)));
  });
}
