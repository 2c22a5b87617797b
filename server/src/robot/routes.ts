import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorLabel, authorize } from '../identity/permissions';
import type { KnowledgeService } from '../knowledge/service';
import type { AppContext } from '../platform/context';
import { errorResponses } from '../platform/http';
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
    schema: { tags, summary: '机器人推理过程（测试框，可带前几轮问题） / the robot’s reasoning for a question, optionally as a follow-up', body: s.explainBody },
  }, async (request) => {
    authorize(request.actor, 'robot.insights');
    return (await robot.ready()).explain(request.body.question, viewerOf(request.actor), request.body.previous);
  });

  app.get('/api/v1/robot/aspects', {
    schema: { tags, summary: '各条目回答的方面（条件、去哪办、材料、多久、多少钱…） / what each entry answers about its topic', response: { 200: s.aspectsResponse, ...errorResponses } },
  }, async (request) => {
    authorize(request.actor, 'robot.insights');
    return { aspects: [...ASPECTS], entries: (await robot.ready()).aspects(viewerOf(request.actor)) };
  });

  app.get('/api/v1/robot/settings', { schema: { tags, summary: '机器人阈值设置 / settings' } }, async (request) => {
    authorize(request.actor, 'robot.insights');
    return robot.settings();
  });

  app.put('/api/v1/robot/settings', { schema: { tags, summary: '修改机器人阈值 / change settings', body: s.settingsBody } }, async (request) => {
    authorize(request.actor, 'robot.configure');
    await robot.saveSettings(request.body, actorLabel(request.actor));
    await ctx.audit.record(request.actor, { action: 'robot.settings_changed', detail: request.body });
    return robot.settings();
  });

  app.post('/api/v1/robot/retrain', { schema: { tags, summary: '重新学习排序与置信度模型 / retrain the models' } }, async (request) => {
    authorize(request.actor, 'robot.configure');
    const result = await robot.retrain(actorLabel(request.actor));
    await ctx.audit.record(request.actor, { action: 'robot.retrained', detail: result });
    return result;
  });

  app.get('/api/v1/robot/insights', {
    schema: { tags, summary: '未解决问题按主题聚类与转人工率 / unanswered topics and rates', querystring: s.insightsQuery },
  }, async (request) => {
    authorize(request.actor, 'robot.insights');
    const since = new Date(Date.now() - request.query.days * 86_400_000).toISOString();
    const turns = await robotRepo(ctx.db).turnsSince(since);
    return { days: request.query.days, summary: summarize(turns), unanswered: clusterUnanswered(turns) };
  });

  app.post('/api/v1/robot/transcripts', {
    schema: {
      tags,
      summary: '提交已结束会话的记录供机器人学习（建议进入知识审核队列） / submit closed conversations for learning',
      body: s.transcriptsBody,
      response: { 200: z.object({ examples: z.number(), proposals: z.number() }), ...errorResponses },
    },
  }, async (request) => {
    authorize(request.actor, 'robot.learn');
    return recordTranscripts(ctx, knowledge, robot, request.actor, request.body.transcripts);
  });
}
