import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, noBody, noQuery } from '../../platform/http';
import { handleCallEvent, type PhoneDeps } from './call-control';
import { loadIvrTree, saveIvrTree } from './manage-ivr';
import { presentCallback } from './presenter';
import { phoneRepo } from './repo';
import * as s from './schema';
import { simulateIvr } from './simulate-ivr';
import { claimCallback, finishCallback, revealCallbackNumber } from './work-callback';

/**
 * The phone line: the call-control webhook the telephony bridge posts to (API key, scope
 * `telephony`), the IVR tree, simulator, settings and extensions for supervisors (`channels.ivr`),
 * and the callback requests agents work through (`conversations.handle`).
 */
export async function phoneRoutes(fastify: FastifyInstance, deps: PhoneDeps) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { ctx } = deps.funnel;
  const repo = phoneRepo(ctx.db);
  const tags = ['phone line'];
  const entryExists = (entryId: string) => Boolean(deps.funnel.knowledgeEntry(entryId));

  app.post('/api/v1/channels/phone/calls/:callId/events', {
    // the bridge is one client sending every caller's events: the anonymous limit would cut calls off
    config: { rateLimit: false, access: 'channels.callControl' },
    schema: {
      tags,
      summary: '电话呼叫事件（语音网关调用） / a call event from the telephony bridge',
      description: '请求 `{event, seq?, from?, to?, asr?, digits?, text?, recordingUrl?}`，应答 `{actions:[{say},{collect},{queue},{bridge},{hangup}]}`。见 docs/channels-phone.md。',
      params: s.callParams,
      body: s.callEventBody,
      response: { 200: s.callResponse, ...errorResponses },
    },
  }, async (request) => {
    return { actions: await handleCallEvent(deps, request.params.callId, request.body) };
  });

  // ── the IVR tree (supervisors, admins) ──
  app.get('/api/v1/channels/phone/ivr', {
    config: { access: 'channels.ivr' },
    schema: { tags, summary: '语音导航菜单（当前版本） / the IVR menu tree in force', querystring: noQuery, response: { 200: s.ivrResponse, ...errorResponses } },
  }, async (request) => {
    return loadIvrTree(ctx);
  });

  app.put('/api/v1/channels/phone/ivr', {
    config: { access: 'channels.ivr' },
    schema: { tags, summary: '保存语音导航菜单（新版本） / save the IVR tree as a new version', body: s.saveIvrBody, response: { 200: s.ivrResponse, ...errorResponses } },
  }, async (request) => {
    return saveIvrTree(ctx, request.actor, request.body, entryExists);
  });

  app.get('/api/v1/channels/phone/ivr/versions', {
    config: { access: 'channels.ivr' },
    schema: { tags, summary: '语音导航菜单的历史版本 / saved versions of the IVR tree', querystring: noQuery, response: { 200: s.versionsResponse, ...errorResponses } },
  }, async (request) => {
    await loadIvrTree(ctx);
    return { items: await repo.versions() };
  });

  app.post('/api/v1/channels/phone/ivr/simulate', {
    config: { access: 'channels.ivr' },
    schema: { tags, summary: '模拟来电（不创建会话与工单） / simulate a call; creates nothing', body: s.simulateBody, response: { 200: s.simulateResponse, ...errorResponses } },
  }, async (request) => {
    const tree = request.body.tree ?? (await loadIvrTree(ctx)).tree;
    const { callbackThresholdSeconds } = await repo.settings();
    return simulateIvr(deps.funnel, { ...request.body, tree, callbackThresholdSeconds });
  });

  // ── the line's settings and agents' extensions ──
  app.get('/api/v1/channels/phone/settings', {
    config: { access: 'channels.ivr' },
    schema: { tags, summary: '电话线路设置 / the phone line’s settings', querystring: noQuery, response: { 200: s.phoneSettingsSchema, ...errorResponses } },
  }, async (request) => {
    return repo.settings();
  });

  app.put('/api/v1/channels/phone/settings', {
    config: { access: 'channels.ivr' },
    schema: { tags, summary: '修改电话线路设置 / change the phone line’s settings', body: s.phoneSettingsSchema, response: { 200: s.phoneSettingsSchema, ...errorResponses } },
  }, async (request) => {
    await repo.saveSettings(request.body);
    await ctx.audit.record(request.actor, { action: 'phone.settings.saved', detail: request.body });
    return repo.settings();
  });

  app.get('/api/v1/channels/phone/extensions', {
    config: { access: 'channels.ivr' },
    schema: { tags, summary: '坐席分机号 / agents’ extensions', querystring: noQuery, response: { 200: s.extensionsResponse, ...errorResponses } },
  }, async (request) => {
    const items = await repo.extensions();
    return { items: await Promise.all(items.map(async (e) => ({ ...e, name: await deps.funnel.staffName(e.userId) }))) };
  });

  app.put('/api/v1/channels/phone/extensions/:userId', {
    config: { access: 'channels.ivr' },
    schema: { tags, summary: '设置坐席分机号 / set an agent’s extension', params: s.extensionParams, body: s.extensionBody, response: { 200: z.object({ userId: z.string(), extension: z.string() }), ...errorResponses } },
  }, async (request) => {
    await repo.setExtension(request.params.userId, request.body.extension);
    await ctx.audit.record(request.actor, { action: 'phone.extension.set', subjectType: 'user', subjectId: request.params.userId, detail: request.body });
    return { userId: request.params.userId, extension: request.body.extension };
  });

  app.delete('/api/v1/channels/phone/extensions/:userId', {
    config: { access: 'channels.ivr' },
    schema: { tags, summary: '删除坐席分机号 / remove an agent’s extension', params: s.extensionParams, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await repo.removeExtension(request.params.userId);
    await ctx.audit.record(request.actor, { action: 'phone.extension.removed', subjectType: 'user', subjectId: request.params.userId });
    return reply.status(204).send(null);
  });

  // ── callback requests (agents) ──
  const present = (ticket: Parameters<typeof presentCallback>[0], actor: Parameters<typeof presentCallback>[1]) => presentCallback(ticket, actor, deps.funnel.staffName);

  app.get('/api/v1/channels/phone/callbacks', {
    config: { access: 'conversations.handle' },
    schema: { tags, summary: '预约回拨工单（号码已脱敏） / callback requests, numbers masked', querystring: s.callbacksQuery, response: { 200: s.callbacksResponse, ...errorResponses } },
  }, async (request) => {
    const tickets = await repo.callbacks(request.query.status);
    return { items: await Promise.all(tickets.map((t) => present(t, request.actor))) };
  });

  app.post('/api/v1/channels/phone/callbacks/:id/claim', {
    config: { access: 'conversations.handle' },
    schema: { tags, summary: '领取回拨工单 / claim a callback request', params: s.callbackParams, body: noBody, response: { 200: s.callbackSchema, ...errorResponses } },
  }, async (request) => {
    return present(await claimCallback(ctx, request.actor, request.params.id), request.actor);
  });

  app.post('/api/v1/channels/phone/callbacks/:id/reveal', {
    config: { access: 'conversations.handle' },
    schema: { tags, summary: '查看完整号码（仅领取人，留审计） / the full number, to the claiming agent only (audited)', params: s.callbackParams, body: noBody, response: { 200: s.revealResponse, ...errorResponses } },
  }, async (request) => {
    return { phone: await revealCallbackNumber(ctx, request.actor, request.params.id, request.ip) };
  });

  app.post('/api/v1/channels/phone/callbacks/:id/outcome', {
    config: { access: 'conversations.handle' },
    schema: { tags, summary: '回拨结果（已完成 / 未联系上） / record how the callback went', params: s.callbackParams, body: s.outcomeBody, response: { 200: s.callbackSchema, ...errorResponses } },
  }, async (request) => {
    return present(await finishCallback(ctx, request.actor, request.params.id, request.body), request.actor);
  });
}
