import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound, unauthorized } from '../platform/errors';
import { errorResponses, noBody, noQuery } from '../platform/http';
import { buildSnapshot } from './build-snapshot';
import { loadMonitorSettings, saveMonitorSettings, type SupervisionDeps } from './deps';
import { acknowledgeAlert } from './raise-alert';
import { supervisionRepo } from './repo';
import * as s from './schema';

/** The live monitor: its snapshot, acknowledging alerts, and its thresholds. */
export async function supervisionRoutes(fastify: FastifyInstance, deps: SupervisionDeps) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['live monitor'];

  app.get('/api/v1/supervisor/monitor', {
    config: { access: 'conversations.supervise' },
    schema: {
      tags,
      summary: '实时监控：坐席、各技能组排队、进行中的会话、未处理的告警 / live monitor: agents, queues, conversations in progress, open alerts',
      description: 'Kept current afterwards by pushes on the `/agent` Socket.IO namespace: `monitor:agents`, `monitor:queues`, `monitor:conversation`, `monitor:alert`.',
      querystring: noQuery,
      response: { 200: s.snapshotResponse, ...errorResponses },
    },
  }, async () => buildSnapshot(deps));

  app.post('/api/v1/supervisor/monitor/alerts/:id/acknowledge', {
    config: { access: 'conversations.supervise' },
    schema: { tags, summary: '确认告警 / acknowledge an alert', params: s.alertParams, body: noBody, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    if (request.actor.kind !== 'user') throw unauthorized();
    const alert = await supervisionRepo(deps.ctx.db).alert(request.params.id);
    if (!alert) throw notFound('告警', 'alert_not_found');
    // acknowledging twice (two supervisors at once) is not an error: the alert is handled
    if (await acknowledgeAlert(deps, alert.id, request.actor.id)) {
      await deps.ctx.audit.record(request.actor, { action: 'monitor.alert_acknowledged', subjectType: 'conversation', subjectId: alert.conversationId, detail: { alertId: alert.id, kind: alert.kind } });
    }
    return reply.status(204).send(null);
  });

  app.get('/api/v1/supervisor/monitor/settings', {
    config: { access: 'conversations.supervise' },
    schema: { tags, summary: '告警阈值 / alert thresholds', querystring: noQuery, response: { 200: s.settingsResponse, ...errorResponses } },
  }, async () => loadMonitorSettings(deps));

  app.put('/api/v1/supervisor/monitor/settings', {
    config: { access: 'conversations.configure' },
    schema: { tags, summary: '设置告警阈值（排队过久、坐席未回复） / set the thresholds (long wait, agent silent)', body: s.settingsBody, response: { 200: s.settingsResponse, ...errorResponses } },
  }, async (request) => {
    if (request.actor.kind !== 'user') throw unauthorized();
    await saveMonitorSettings(deps, request.body, `user:${request.actor.id}`);
    await deps.ctx.audit.record(request.actor, { action: 'monitor.settings_changed', detail: request.body });
    return loadMonitorSettings(deps);
  });
}
