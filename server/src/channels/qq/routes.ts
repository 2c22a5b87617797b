import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context';
import { notFound } from '../../platform/errors';
import { errorResponses, noQuery } from '../../platform/http';
import { createBot, deleteBot, updateBot } from './configure-bot';
import { presentBot } from './presenter';
import type { CallbackAnswer, CallbackRequest } from './receive-callback';
import { qqRepo } from './repo';
import * as s from './schema';

const tags = ['channels: QQ'];
// the bots' configuration is the admins'
const access = 'channels.configure';

/** The QQ bots' configuration API (admins) and the callback address the QQ bot platform posts to. */
export async function qqRoutes(fastify: FastifyInstance, ctx: AppContext, receiveCallback: (request: CallbackRequest) => Promise<CallbackAnswer>) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const repo = qqRepo(ctx.db);
  const present = (bot: NonNullable<Awaited<ReturnType<typeof repo.getBot>>>) => presentBot(bot, ctx.config.PUBLIC_URL);

  app.get('/api/v1/channels/qq/bots', {
    config: { access },
    schema: { tags, summary: 'QQ 机器人列表 / QQ bots', querystring: noQuery, response: { 200: s.botListResponse, ...errorResponses } },
  }, async (request) => {
    return { items: (await repo.listBots()).map(present) };
  });

  app.post('/api/v1/channels/qq/bots', {
    config: { access },
    schema: {
      tags,
      summary: '添加 QQ 机器人 / add a QQ bot',
      description: 'The app secret is stored encrypted and never returned. The answer’s bot id gives the callback address `/api/v1/channels/qq/{id}` to paste into the QQ bot platform.',
      body: s.createBotBody,
      response: { 201: s.createdResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    return reply.status(201).send(await createBot(ctx, request.actor, request.body, request.ip));
  });

  app.get('/api/v1/channels/qq/bots/:id', {
    config: { access },
    schema: { tags, summary: 'QQ 机器人详情 / a QQ bot', params: s.botParams, response: { 200: s.botResponse, ...errorResponses } },
  }, async (request) => {
    const bot = await repo.getBot(request.params.id);
    if (!bot) throw notFound('QQ 机器人', 'qq_bot_not_found');
    return present(bot);
  });

  app.put('/api/v1/channels/qq/bots/:id', {
    config: { access },
    schema: { tags, summary: '修改 QQ 机器人（不填密钥则保留原密钥） / change a QQ bot (no secret keeps the stored one)', params: s.botParams, body: s.updateBotBody, response: { 200: s.botResponse, ...errorResponses } },
  }, async (request) => {
    return present(await updateBot(ctx, request.actor, request.params.id, request.body, request.ip));
  });

  app.delete('/api/v1/channels/qq/bots/:id', {
    config: { access },
    schema: { tags, summary: '删除 QQ 机器人 / delete a QQ bot', params: s.botParams, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await deleteBot(ctx, request.actor, request.params.id, request.ip);
    return reply.status(204).send(null);
  });

  // The callback address. Its own scope: the JSON parser here keeps the body's bytes, which the
  // platform's signature covers; everywhere else the usual parser stays.
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post('/api/v1/channels/qq/:botId', {
      // authenticated by the platform's signature, checked first; the anonymous rate limit would drop bursts of events
      config: { rateLimit: false, access: { open: 'the QQ bot platform; its Ed25519 signature is checked by the handler' } },
      schema: {
        tags,
        summary: 'QQ 机器人平台事件回调 / callback of the QQ bot platform (signed with Ed25519)',
        params: s.webhookParams,
        body: s.webhookBody,
        response: { 200: s.webhookAnswer, ...errorResponses },
      },
    }, async (request, reply) => {
      const answer = await receiveCallback({ botId: request.params.botId, headers: request.headers, body: request.body ?? Buffer.alloc(0) });
      return reply.status(answer.status).send(answer.body);
    });
  });
}
