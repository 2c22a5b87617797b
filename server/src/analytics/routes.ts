import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachment } from '../platform/content-disposition';
import { notFound } from '../platform/errors';
import { errorResponses, noQuery } from '../platform/http';
import type { Segmenter } from '../text/segmenter';
import type { AnalyticsDeps } from './register';
import { addHardTopicsSheet, addHotTopicsSheet, addSummarySheet, addVolumesSheet, workbook, XLSX_TYPE } from './export-workbook';
import type { ReportData } from './generate-reports';
import { draftFromHardTopic, readHardTopics } from './hard-topics';
import { readHotTopics, readSummary, readVolumes } from './read-indicators';
import { analyticsRepo } from './repo';
import * as s from './schema';

/** The data analysis centre's API: indicators, hot and hard topics, exports and reports (supervisors, admins). */
export async function analyticsRoutes(fastify: FastifyInstance, deps: AnalyticsDeps, segmenter: Segmenter) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { ctx } = deps;
  const repo = analyticsRepo(ctx.db);
  const tags = ['analytics'];

  app.get('/api/v1/analytics/summary', { config: { access: 'analytics.read' }, schema: { tags, summary: '核心指标 / headline indicators', querystring: s.filterQuery, response: { 200: s.summarySchema, ...errorResponses } } }, async (request) => {
    return readSummary(repo, request.query);
  });

  app.get('/api/v1/analytics/volumes', { config: { access: 'analytics.read' }, schema: { tags, summary: '会话量分布 / conversation volumes by one dimension', querystring: s.volumesQuery, response: { 200: s.volumesSchema, ...errorResponses } } }, async (request) => {
    const { by, ...filter } = request.query;
    return readVolumes(repo, filter, by);
  });

  app.get('/api/v1/analytics/hot-topics', { config: { access: 'analytics.read' }, schema: { tags, summary: '热点问题（与上一周期比较） / hot topics against the previous period', querystring: s.hotTopicsQuery, response: { 200: s.hotTopicsSchema, ...errorResponses } } }, async (request) => {
    const { level, ...filter } = request.query;
    return readHotTopics(repo, filter, level);
  });

  app.get('/api/v1/analytics/hard-topics', { config: { access: 'analytics.read' }, schema: { tags, summary: '难点问题（转人工、无帮助、未答出，聚类） / hard topics, clustered', querystring: s.filterQuery, response: { 200: s.hardTopicsSchema, ...errorResponses } } }, async (request) => {
    return readHardTopics(repo, segmenter, request.query);
  });

  app.post('/api/v1/analytics/hard-topics/draft', { config: { access: 'analytics.read' }, schema: { tags, summary: '由难点问题生成知识条目草稿 / a knowledge entry draft from a hard topic', body: s.draftBody, response: { 201: s.draftResponse, ...errorResponses } } }, async (request, reply) => {
    const created = await draftFromHardTopic(ctx, repo, segmenter, deps.drafts, request.actor, request.body);
    return reply.status(201).send(created);
  });

  app.get('/api/v1/analytics/export/:file', { config: { access: 'analytics.read' }, schema: { tags, summary: '导出指标为 Excel / an indicator as an Excel workbook', params: z.object({ file: z.enum(s.EXPORT_FILES) }), querystring: s.exportQuery, response: { 200: s.workbookFile, ...errorResponses } } }, async (request, reply) => {
    const { by, level, ...filter } = request.query;
    const file = request.params.file;
    let buffer: Buffer;
    if (file === 'summary.xlsx') {
      const summary = await readSummary(repo, filter);
      buffer = await workbook((wb) => addSummarySheet(wb, summary));
    } else if (file === 'volumes.xlsx') {
      const volumes = await readVolumes(repo, filter, by);
      buffer = await workbook((wb) => addVolumesSheet(wb, volumes));
    } else if (file === 'hot-topics.xlsx') {
      const hot = await readHotTopics(repo, filter, level);
      buffer = await workbook((wb) => addHotTopicsSheet(wb, hot));
    } else {
      const hard = await readHardTopics(repo, segmenter, filter);
      buffer = await workbook((wb) => addHardTopicsSheet(wb, hard));
    }
    await ctx.audit.record(request.actor, { action: 'analytics.exported', detail: { file, from: filter.from, to: filter.to } });
    reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(`zhixun-${file.replace('.xlsx', '')}-${filter.from}-${filter.to}.xlsx`));
    return reply.send(buffer);
  });

  app.get('/api/v1/analytics/reports', { config: { access: 'analytics.read' }, schema: { tags, summary: '日报与周报 / daily and weekly reports', querystring: noQuery, response: { 200: s.reportList, ...errorResponses } } }, async () => ({
    items: await repo.listReports(),
  }));

  // one route for the stored JSON and its workbook: GET /reports/{id} and /reports/{id}.xlsx
  app.get('/api/v1/analytics/reports/:id', { config: { access: 'analytics.read' }, schema: { tags, summary: '报告内容（JSON，或 {id}.xlsx 为 Excel） / a report, or its workbook', params: z.object({ id: z.string().min(1).max(100) }), response: { 200: s.reportResponse, ...errorResponses } } }, async (request, reply) => {
    const isXlsx = request.params.id.endsWith('.xlsx');
    const report = await repo.report(isXlsx ? request.params.id.slice(0, -5) : request.params.id);
    if (!report) throw notFound('报告', 'report_not_found');
    if (!isXlsx) return report;
    const data = report.data as ReportData;
    const buffer = await workbook((wb) => {
      addSummarySheet(wb, data.summary);
      addVolumesSheet(wb, data.volumes.channel, '渠道 By channel');
      addVolumesSheet(wb, data.volumes.category, '分类 By category');
      addVolumesSheet(wb, data.volumes.day, '每日 By day');
      addHotTopicsSheet(wb, data.hotTopics);
      addHardTopicsSheet(wb, data.hardTopics);
    });
    reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(`zhixun-${report.kind}-report-${report.from}.xlsx`));
    return reply.send(buffer);
  });
}
