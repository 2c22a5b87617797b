import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { qualityResultSchema } from '../../../common/analytics';
import { can, type Actor } from '../identity/permissions';
import { badRequest, notFound } from '../platform/errors';
import { errorResponses, noQuery } from '../platform/http';
import { appealFlag } from './appeal-flag';
import type { QualityFlag } from './model';
import type { InspectionDeps } from './ports';
import { REINSPECT_JOB } from './ports';
import { presentFlag, presentMessage, presentResult, presentRule } from './presenter';
import { inspectionRepo } from './repo';
import { reviewFlag } from './review-flag';
import { agentScorecards, endOfDay, myQuality, startOfDay } from './scorecards';
import * as s from './schema';
import { updateRule } from './update-rule';

const tags = ['quality inspection'];

/** Quality inspection: rules, results, reviews, appeals and scorecards. */
export async function inspectionRoutes(fastify: FastifyInstance, deps: InspectionDeps) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { ctx } = deps;
  const repo = inspectionRepo(ctx.db);
  const rulesById = async () => new Map((await repo.rules()).map((r) => [r.id, r]));

  /**
   * A conversation's inspection for this actor: supervisors see every one; an agent sees those they
   * served or were flagged in, and only their own flags (404 otherwise: existence is not revealed).
   * The routes let through reviewers and agents only (`access: ['quality.review', 'quality.appeal']`).
   */
  async function visibleInspection(actor: Actor, conversationId: string) {
    const isReviewer = can(actor, 'quality.review');
    const inspection = await repo.getInspection(conversationId);
    if (!inspection) throw notFound('质检结果', 'inspection_not_found');
    let flags = await repo.flagsOf([conversationId]);
    if (!isReviewer) {
      const me = actor.kind === 'user' ? actor.id : '';
      if (inspection.agentId !== me && !flags.some((f) => f.agentId === me)) throw notFound('质检结果', 'inspection_not_found');
      flags = flags.filter((f) => f.agentId === me);
    }
    return { inspection, flags };
  }

  app.get('/api/v1/quality/rules', {
    config: { access: ['quality.configure', 'quality.review'] },
    schema: { tags, summary: '质检规则及其标记数、被推翻率 / inspection rules with flag counts and overturn rates', querystring: noQuery, response: { 200: s.rulesResponse, ...errorResponses } },
  }, async () => {
    const counts = await repo.flagCountsByRule();
    const items = (await repo.rules()).map((rule) => {
      const own = counts.filter((c) => c.ruleId === rule.id);
      return presentRule(rule, { flagCount: own.reduce((n, c) => n + c.n, 0), overturnedCount: own.find((c) => c.status === 'overturned')?.n ?? 0 });
    });
    return { items };
  });

  app.put('/api/v1/quality/rules/:id', {
    config: { access: 'quality.configure' },
    schema: {
      tags,
      summary: '修改质检规则（开关、扣分、参数、词表）；随后重新质检近30天会话 / change a rule; the last 30 days are re-inspected',
      params: s.ruleParams,
      body: s.ruleUpdateBody,
      response: { 200: s.ruleUpdateResponse, ...errorResponses },
    },
  }, async (request) => {
    const { enabled, ...rest } = request.body;
    const { rule, jobId } = await updateRule(ctx, request.actor, request.params.id, { ...rest, isEnabled: enabled });
    const counts = (await repo.flagCountsByRule()).filter((c) => c.ruleId === rule.id);
    return { rule: presentRule(rule, { flagCount: counts.reduce((n, c) => n + c.n, 0), overturnedCount: counts.find((c) => c.status === 'overturned')?.n ?? 0 }), jobId };
  });

  app.get('/api/v1/quality/jobs/:id', {
    config: { access: 'quality.configure' },
    schema: { tags, summary: '重新质检任务的进度 / a re-inspection job', params: s.jobParams, response: { 200: s.jobResponse, ...errorResponses } },
  }, async (request) => {
    const job = await ctx.jobs.find(request.params.id);
    if (!job || job.kind !== REINSPECT_JOB) throw notFound('任务', 'job_not_found');
    return { id: job.id, status: job.status, progress: job.progress, result: job.result ?? undefined };
  });

  app.get('/api/v1/quality/conversations', {
    config: { access: 'quality.review' },
    schema: { tags, summary: '已质检会话（按坐席、分数、规则、状态筛选） / inspected conversations', querystring: s.listQuery, response: { 200: s.listResponse, ...errorResponses } },
  }, async (request) => {
    const q = request.query;
    if (q.minScore !== undefined && q.maxScore !== undefined && q.minScore > q.maxScore) throw badRequest('invalid_range', { zh: '最低分不能高于最高分', en: 'minScore above maxScore' }, 'minScore');
    const { items, total } = await repo.listInspections(
      { agentId: q.agent, minScore: q.minScore, maxScore: q.maxScore, ruleId: q.rule, status: q.status, closedFrom: q.from && startOfDay(q.from), closedBefore: q.to && endOfDay(q.to) },
      { page: q.page, pageSize: q.pageSize },
    );
    const flags = await repo.flagsOf(items.map((i) => i.conversationId));
    const names = await repo.staffNames([...new Set(items.flatMap((i) => (i.agentId ? [i.agentId] : [])))]);
    const count = (id: string, pick: (f: QualityFlag) => boolean) => flags.filter((f) => f.conversationId === id && pick(f)).length;
    return {
      total,
      items: items.map((i) => ({
        conversationId: i.conversationId,
        agentId: i.agentId,
        agentName: i.agentId ? (names.get(i.agentId) ?? null) : null,
        score: i.score,
        closedAt: i.closedAt,
        inspectedAt: i.inspectedAt,
        flagCount: count(i.conversationId, () => true),
        openCount: count(i.conversationId, (f) => f.status === 'open'),
        appealedCount: count(i.conversationId, (f) => f.status === 'appealed'),
      })),
    };
  });

  app.get('/api/v1/quality/conversations/:id', {
    config: { access: ['quality.review', 'quality.appeal'] },
    schema: { tags, summary: '一次会话的质检结果 / a conversation’s inspection', params: s.conversationParams, response: { 200: qualityResultSchema, ...errorResponses } },
  }, async (request) => {
    const { inspection, flags } = await visibleInspection(request.actor, request.params.id);
    return presentResult(inspection, flags, await rulesById());
  });

  app.get('/api/v1/quality/conversations/:id/details', {
    config: { access: ['quality.review', 'quality.appeal'] },
    schema: {
      tags,
      summary: '质检会话的对话记录与标记详情 / the transcript beside the flags, with reviews and appeals',
      params: s.conversationParams,
      response: { 200: s.detailsResponse, ...errorResponses },
    },
  }, async (request) => {
    const { inspection, flags } = await visibleInspection(request.actor, request.params.id);
    const conversation = await deps.conversations.getConversation(inspection.conversationId);
    const messages = await deps.conversations.messagesAfter(inspection.conversationId, 0, { includePrivate: false, limit: 2000 });
    const rules = await rulesById();
    return {
      conversationId: inspection.conversationId,
      category: conversation?.category ?? null,
      summary: conversation?.summary ?? null,
      messages: messages.filter((m) => !m.isPrivate).map(presentMessage),
      flags: flags.map((f) => presentFlag(f, rules)),
    };
  });

  const review = async (actor: Actor, flagId: string, body: { decision: 'confirm' | 'overturn'; note?: string }, conversationId?: string) => {
    const flag = await repo.getFlag(flagId);
    if (!flag || (conversationId && flag.conversationId !== conversationId)) throw notFound('质检标记', 'flag_not_found');
    await reviewFlag(ctx, actor, flagId, body);
    const inspection = (await repo.getInspection(flag.conversationId))!;
    return presentResult(inspection, await repo.flagsOf([flag.conversationId]), await rulesById());
  };
  const reviewSchema = {
    tags,
    summary: '确认或推翻标记（对申诉中的标记即裁决申诉），分数随之重算 / confirm or overturn a flag (decides an appeal); the score is recomputed',
    body: s.reviewBody,
    response: { 200: qualityResultSchema, ...errorResponses },
  };
  app.post('/api/v1/quality/flags/:flagId/review', { config: { access: 'quality.review' }, schema: { ...reviewSchema, params: s.flagParams } }, async (request) =>
    review(request.actor, request.params.flagId, request.body),
  );
  app.post('/api/v1/quality/conversations/:id/flags/:flagId/review', { config: { access: 'quality.review' }, schema: { ...reviewSchema, params: s.conversationFlagParams } }, async (request) =>
    review(request.actor, request.params.flagId, request.body, request.params.id),
  );

  app.post('/api/v1/quality/flags/:flagId/appeal', {
    config: { access: 'quality.appeal' },
    schema: { tags, summary: '坐席对自己的标记提出申诉 / an agent appeals a flag on their work', params: s.flagParams, body: s.appealBody, response: { 200: s.flagDetailSchema, ...errorResponses } },
  }, async (request) => {
    const flag = await appealFlag(ctx, request.actor as Actor & { kind: 'user' }, request.params.flagId, request.body);
    return presentFlag(flag, await rulesById());
  });

  app.get('/api/v1/quality/my', {
    config: { access: 'quality.appeal' },
    schema: { tags, summary: '我的质检：成绩、每周趋势、各规则次数、标记 / my inspections, weekly trend, flags by rule', querystring: noQuery, response: { 200: s.myResponse, ...errorResponses } },
  }, async (request) => myQuality(ctx, (request.actor as Actor & { kind: 'user' }).id));

  app.get('/api/v1/quality/agents', {
    config: { access: 'quality.review' },
    schema: { tags, summary: '坐席质检成绩单 / agents’ scorecards', querystring: s.agentsQuery, response: { 200: s.agentsResponse, ...errorResponses } },
  }, async (request) => {
    const { from, to } = request.query;
    if (from > to) throw badRequest('invalid_range', { zh: '开始日期晚于结束日期', en: 'from is after to' }, 'from');
    return agentScorecards(ctx, from, to);
  });
}
