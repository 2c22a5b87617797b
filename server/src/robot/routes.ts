import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorLabel } from '../identity/permissions';
import type { KnowledgeService } from '../knowledge/service';
import type { AppContext } from '../platform/context';
import { errorResponses, noBody, noQuery } from '../platform/http';
import { ASPECTS } from './dialogue-state';
import { clusterUnanswered, summarize } from './insights';
import { recordTranscripts } from './record-transcripts';
import { robotRepo } from './repo';
import { viewerOf, type RobotService } from './robot-service';
import * as s from './schema';

/** The robot: asking, the console's reasoning view, settings, insights and learning from agents. */
export async function registerRobot(fastify: FastifyInstance, { ctx, knowledge, robot }: { ctx: AppContext; knowledge: KnowledgeService; robot: RobotService }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['robot'];

  app.post('/api/v1/robot/explain', {
    config: { access: 'robot.insights' },
    schema: { tags, summary: '机器人推理过程（测试框，可带前几轮问题） / the robot’s reasoning for a question, optionally as a follow-up', body: s.explainBody, response: { 200: s.explanationSchema, ...errorResponses } },
  }, async (request) => {
    return (await robot.ready()).explain(request.body.question, viewerOf(request.actor), request.body.previous);
  });

  app.get('/api/v1/robot/aspects', {
    config: { access: 'robot.insights' },
    schema: { tags, summary: '各条目回答的方面（条件、去哪办、材料、多久、多少钱…） / what each entry answers about its topic', querystring: noQuery, response: { 200: s.aspectsResponse, ...errorResponses } },
  }, async (request) => {
    return { aspects: [...ASPECTS], entries: (await robot.ready()).aspects(viewerOf(request.actor)) };
  });

  app.get('/api/v1/robot/settings', {
    config: { access: 'robot.insights' },
    schema: { tags, summary: '机器人阈值设置 / settings', querystring: noQuery, response: { 200: s.settingsResponse, ...errorResponses } },
  }, async () => {
    return robot.settings();
  });

  app.put('/api/v1/robot/settings', {
    config: { access: 'robot.configure' },
    schema: { tags, summary: '修改机器人阈值 / change settings', body: s.settingsBody, response: { 200: s.settingsResponse, ...errorResponses } },
  }, async (request) => {
    await robot.saveSettings(request.body, actorLabel(request.actor));
    await ctx.audit.record(request.actor, { action: 'robot.settings_changed', detail: request.body });
    return robot.settings();
  });

  app.post('/api/v1/robot/retrain', {
    config: { access: 'robot.configure' },
    schema: { tags, summary: '重新学习排序与置信度模型 / retrain the models', body: noBody, response: { 200: s.retrainResponse, ...errorResponses } },
  }, async (request) => {
    const result = await robot.retrain(actorLabel(request.actor));
    await ctx.audit.record(request.actor, { action: 'robot.retrained', detail: result });
    return result;
  });

  app.get('/api/v1/robot/insights', {
    config: { access: 'robot.insights' },
    schema: { tags, summary: '未解决问题按主题聚类与转人工率 / unanswered topics and rates', querystring: s.insightsQuery, response: { 200: s.insightsResponse, ...errorResponses } },
  }, async (request) => {
    const since = new Date(Date.now() - request.query.days * 86_400_000).toISOString();
    const turns = await robotRepo(ctx.db).turnsSince(since);
    return { days: request.query.days, summary: summarize(turns), unanswered: clusterUnanswered(turns) };
  });

  app.post('/api/v1/robot/transcripts', {
    config: { access: 'robot.learn' },
    schema: {
      tags,
      summary: '提交已结束会话的记录供机器人学习（建议进入知识审核队列） / submit closed conversations for learning',
      body: s.transcriptsBody,
      response: { 200: s.transcriptsResponse, ...errorResponses },
    },
  }, async (request) => {
    return recordTranscripts(ctx, knowledge, robot, request.actor, request.body.transcripts);
  });
}
