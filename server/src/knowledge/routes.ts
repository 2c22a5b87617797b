import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorLabel, authorize, can, canSeeStaff } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { badRequest, notFound } from '../platform/errors';
import { attachment } from '../platform/content-disposition';
import { errorResponses, noBody, noQuery } from '../platform/http';
import { languageOf } from '../platform/language';
import { exportKnowledge } from '../knowledge/export-knowledge';
import { IMPORT_JOB, runImportJob, type ImportJobPayload } from './import-knowledge';
import { deleteCategory, saveCategory } from './manage-categories';
import { deleteSynonymGroup, saveSynonymGroup } from './manage-synonyms';
import type { EntryContent } from './model';
import { previewSynonymGroup, type SynonymReach } from './preview-synonym-group';
import type { StaffDirectory } from './ports';
import * as present from './presenter';
import { recordFeedback } from './record-feedback';
import { knowledgeRepo } from './repo';
import { maySeeImportJob } from './policy';
import { approveEntry, approveImport, rejectEntry, setArchived, submitForReview } from './review-entry';
import { createEntry, saveDraft } from './save-entry';
import * as s from './schema';
import type { KnowledgeService } from './service';
import { reviewSuggestion, submitSuggestion } from './suggestions';
import { writeWorkbook } from './transfer-format';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Import files may be larger than other requests (the global limit is small); the work itself runs as a job. */
const IMPORT_BODY_LIMIT = 25 * 1024 * 1024;

const contentFrom = (body: z.infer<typeof s.entryContentBody>): EntryContent => ({
  categoryId: body.category,
  question: body.question,
  similar: body.similar,
  answer: body.answer,
  keywords: body.keywords,
  references: body.references,
  audience: body.audience,
  roles: body.roles,
  effectiveFrom: body.effectiveFrom,
  expiresAt: body.expiresAt,
});


/** The knowledge base: the open read API, crowdsourcing, and the editors' and reviewers' console API. */
export async function registerKnowledge(fastify: FastifyInstance, { ctx, knowledge, synonymReach, staff }: { ctx: AppContext; knowledge: KnowledgeService; synonymReach: SynonymReach; staff: StaffDirectory }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['knowledge'];
  const manageTags = ['knowledge-console'];
  const repo = knowledgeRepo(ctx.db);
  /** After a change, wait for this instance's index to catch up so the caller reads their own write. */
  const settled = () => knowledge.idle();
  const pathOf = (categoryId: string) => knowledge.pathOf(categoryId);

  fastify.addContentTypeParser([XLSX_TYPE, 'application/octet-stream'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // ── open API ──
  app.get('/api/v1/kb/categories', {
    config: { access: 'kb.read' },
    schema: { tags, summary: '知识分类树 / category tree', querystring: noQuery, response: { 200: s.categoryTreeResponse, ...errorResponses } },
  }, async (request) => {
    const counts = new Map<string, number>();
    for (const e of knowledge.listServable(request.actor)) counts.set(e.categoryId, (counts.get(e.categoryId) ?? 0) + 1);
    return { items: present.presentCategoryTree(knowledge.categories(), counts, !canSeeStaff(request.actor)) };
  });

  app.get('/api/v1/kb/entries', {
    config: { access: 'kb.read' },
    schema: { tags, summary: '条目列表（按分类，含下级） / entries of a category subtree', querystring: s.listEntriesQuery, response: { 200: s.entryListResponse, ...errorResponses } },
  }, async (request) => {
    const { category, page, pageSize } = request.query;
    const all = knowledge.listServable(request.actor, category);
    const items = all.slice((page - 1) * pageSize, page * pageSize).map((e) => present.presentEntrySummary(e, pathOf));
    return { items, total: all.length, page, pageSize };
  });

  app.get('/api/v1/kb/entries/:id', {
    config: { access: 'kb.read' },
    schema: { tags, summary: '条目详情（已发布版本） / an entry as served', params: s.entryIdParams, response: { 200: s.servedEntrySchema, ...errorResponses } },
  }, async (request) => {
    // Staff entries answer 404, not 403, to callers who may not see them: existence is not revealed.
    const entry = knowledge.servable(request.params.id, request.actor);
    if (!entry) throw notFound('条目');
    return present.presentServedEntry(entry, pathOf);
  });

  app.get('/api/v1/kb/entries/:id/related', {
    config: { access: 'kb.read' },
    schema: { tags, summary: '相关条目 / related entries', params: s.entryIdParams, response: { 200: s.relatedEntriesResponse, ...errorResponses } },
  }, async (request) => {
    if (!knowledge.servable(request.params.id, request.actor)) throw notFound('条目');
    return { items: knowledge.related(request.params.id, request.actor).map((e) => present.presentEntrySummary(e, pathOf)) };
  });

  app.get('/api/v1/kb/search', {
    config: { access: 'kb.read' },
    schema: { tags, summary: '搜索知识 / search the knowledge base', querystring: s.searchQuery, response: { 200: s.searchResponse, ...errorResponses } },
  }, async (request) => {
    const { q, category, limit } = request.query;
    const { hits, applied } = knowledge.searchWithExpansion(q, request.actor, { limit, categoryId: category });
    return {
      items: hits.map((h) => ({ ...present.presentEntrySummary(h.entry, pathOf), score: h.score, snippet: present.snippetOf(h.entry) })),
      // the library holds staff vocabulary too: which groups fired is for staff eyes only
      ...(canSeeStaff(request.actor) ? { synonymsApplied: applied } : {}),
    };
  });

  app.post('/api/v1/kb/entries/:id/feedback', {
    config: { access: 'kb.feedback' },
    schema: { tags, summary: '有用/没用评价 / rate an answer', params: s.entryIdParams, body: s.feedbackBody, response: { 200: s.feedbackCountsSchema, ...errorResponses } },
  }, async (request) => {
    return recordFeedback(ctx, knowledge, request.actor, request.params.id, { isHelpful: request.body.helpful, comment: request.body.comment, channel: request.body.channel });
  });

  app.post('/api/v1/kb/suggestions', {
    // everyone may suggest; proposing a new entry or an edit is for staff (checked below, by kind)
    config: { access: 'kb.suggest' },
    schema: { tags, summary: '提交纠错或新知识建议 / suggest a correction or new entry', body: s.suggestionBody, response: { 201: s.suggestionCreatedResponse, ...errorResponses } },
  }, async (request, reply) => {
    if (request.body.kind === 'new_entry' || request.body.kind === 'edit') authorize(request.actor, 'kb.propose');
    const suggestion = await submitSuggestion(ctx, knowledge, request.actor, request.body);
    return reply.status(201).send({ id: suggestion.id, status: suggestion.status });
  });

  // ── console: suggestions, synonyms ──
  app.get('/api/v1/kb/suggestions', {
    config: { access: 'kb.suggestions' },
    schema: { tags: manageTags, summary: '建议审核队列 / suggestions queue', querystring: s.suggestionsQuery, response: { 200: s.suggestionListResponse, ...errorResponses } },
  }, async (request) => {
    const result = await repo.listSuggestions(request.query);
    return { items: result.items.map(present.presentSuggestion), total: result.total };
  });

  app.post('/api/v1/kb/suggestions/:id/review', {
    config: { access: 'kb.suggestions' },
    schema: { tags: manageTags, summary: '采纳或驳回建议 / accept or reject', params: s.entryIdParams, body: s.reviewSuggestionBody, response: { 200: s.suggestionSchema, ...errorResponses } },
  }, async (request) => {
    const result = await reviewSuggestion(ctx, request.actor, request.params.id, request.body);
    return present.presentSuggestion(result);
  });

  app.get('/api/v1/kb/synonyms', {
    config: { access: 'kb.readStaff' },
    schema: { tags: manageTags, summary: '同义词库 / synonym library', querystring: noQuery, response: { 200: s.synonymListResponse, ...errorResponses } },
  }, async () => {
    return { items: knowledge.synonyms().map(present.presentSynonymGroup) };
  });
  app.post('/api/v1/kb/synonyms', {
    config: { access: 'kb.synonyms' },
    schema: { tags: manageTags, summary: '新增同义词组 / add a synonym group', body: s.synonymBody, response: { 201: s.synonymGroupSchema, ...errorResponses } },
  }, async (request, reply) => {
    const group = await saveSynonymGroup(ctx, request.actor, request.body);
    await settled();
    return reply.status(201).send(present.presentSynonymGroup(group));
  });
  app.post('/api/v1/kb/synonyms/preview', {
    config: { access: 'kb.synonyms' },
    schema: { tags: manageTags, summary: '预览同义词组的影响 / preview which questions and answers a synonym group changes', body: s.synonymPreviewBody, response: { 200: s.synonymPreviewResponse, ...errorResponses } },
  }, async (request) => {
    return previewSynonymGroup(knowledge, synonymReach, request.body);
  });
  app.put('/api/v1/kb/synonyms/:id', {
    config: { access: 'kb.synonyms' },
    schema: { tags: manageTags, summary: '修改同义词组 / edit a synonym group', params: s.entryIdParams, body: s.synonymBody, response: { 200: s.synonymGroupSchema, ...errorResponses } },
  }, async (request) => {
    const group = await saveSynonymGroup(ctx, request.actor, { ...request.body, id: request.params.id });
    await settled();
    return present.presentSynonymGroup(group);
  });
  app.delete('/api/v1/kb/synonyms/:id', {
    config: { access: 'kb.synonyms' },
    schema: { tags: manageTags, summary: '删除同义词组 / delete a synonym group', params: s.entryIdParams, response: { 200: s.okResponse, ...errorResponses } },
  }, async (request) => {
    await deleteSynonymGroup(ctx, request.actor, request.params.id);
    await settled();
    return { ok: true };
  });

  // ── console: categories ──
  app.post('/api/v1/kb/categories', {
    config: { access: 'kb.edit' },
    schema: { tags: manageTags, summary: '新建分类 / create a category', body: s.categoryBody, response: { 201: s.categoryIdResponse, ...errorResponses } },
  }, async (request, reply) => {
    const b = request.body;
    await saveCategory(ctx, request.actor, { id: b.id, name: b.name, parentId: b.parent, position: b.position }, { isNew: true });
    await settled();
    return reply.status(201).send({ id: b.id });
  });
  app.patch('/api/v1/kb/categories/:id', {
    config: { access: 'kb.edit' },
    schema: { tags: manageTags, summary: '重命名/移动分类 / rename or move', params: s.entryIdParams, body: s.categoryPatchBody, response: { 200: s.categoryIdResponse, ...errorResponses } },
  }, async (request) => {
    const current = await repo.findCategory(request.params.id);
    if (!current) throw notFound('分类');
    const b = request.body;
    await saveCategory(ctx, request.actor, { id: current.id, name: b.name ?? current.name, parentId: b.parent !== undefined ? b.parent : current.parentId, position: b.position ?? current.position }, { isNew: false });
    await settled();
    return { id: current.id };
  });
  app.delete('/api/v1/kb/categories/:id', {
    config: { access: 'kb.edit' },
    schema: { tags: manageTags, summary: '删除空分类 / delete an empty category', params: s.entryIdParams, response: { 200: s.okResponse, ...errorResponses } },
  }, async (request) => {
    await deleteCategory(ctx, request.actor, request.params.id);
    await settled();
    return { ok: true };
  });

  // ── console: entries and review ──
  app.get('/api/v1/kb/manage/entries', {
    config: { access: 'kb.viewDrafts' },
    schema: { tags: manageTags, summary: '全部条目（含草稿） / all entries with drafts', querystring: s.manageListQuery, response: { 200: s.manageListResponse, ...errorResponses } },
  }, async (request) => {
    const { state, category, q, page, pageSize } = request.query;
    const [heads, latest] = await Promise.all([repo.listHeads(), repo.listLatestVersions()]);
    const headById = new Map(heads.map((h) => [h.id, h]));
    const within = category ? knowledge.subtreeIds(category) : undefined;
    const needle = q?.trim().toLowerCase();
    const rows = latest
      .map((v) => ({ head: headById.get(v.entryId)!, v }))
      .filter(({ head, v }) => (!state || present.entryState(head, v) === state) && (!within || within.has(v.categoryId)) && (!needle || v.entryId.includes(needle) || v.question.toLowerCase().includes(needle)));
    return {
      total: rows.length,
      items: rows.slice((page - 1) * pageSize, page * pageSize).map(({ head, v }) => ({
        ...present.presentEntrySummary(v, pathOf),
        state: present.entryState(head, v),
        publishedVersion: head.publishedVersion,
        latestVersion: head.latestVersion,
        author: v.author,
        updatedAt: head.updatedAt,
      })),
    };
  });

  app.get('/api/v1/kb/manage/entries/:id', {
    config: { access: 'kb.viewDrafts' },
    schema: { tags: manageTags, summary: '条目管理视图 / entry with versions', params: s.entryIdParams, response: { 200: s.managedEntryResponse, ...errorResponses } },
  }, async (request) => {
    const head = await repo.findHead(request.params.id);
    if (!head) throw notFound('条目');
    const versions = await repo.listVersions(head.id);
    const latest = versions.find((v) => v.version === head.latestVersion)!;
    const published = versions.find((v) => v.version === head.publishedVersion);
    const [feedback, reviewerAvailable] = await Promise.all([repo.feedbackCounts(head.id), staff.hasReviewerOtherThan(latest.author)]);
    // reviewerAvailable: false tells the editor that publishing waits for a second reviewer to exist
    return { ...present.presentManagedEntry(head, latest, published), feedback, reviewerAvailable, versions: versions.map(present.presentVersion) };
  });

  app.post('/api/v1/kb/manage/entries', {
    config: { access: 'kb.edit' },
    schema: { tags: manageTags, summary: '新建条目（草稿） / create an entry (draft)', body: s.createEntryBody, response: { 201: s.versionRefResponse, ...errorResponses } },
  }, async (request, reply) => {
    const v = await createEntry(ctx, request.actor, { id: request.body.id, content: contentFrom(request.body), changeNote: request.body.changeNote });
    return reply.status(201).send({ id: v.entryId, version: v.version, status: v.status });
  });

  app.put('/api/v1/kb/manage/entries/:id', {
    config: { access: 'kb.edit' },
    schema: { tags: manageTags, summary: '保存修改为新草稿 / save an edit as a new draft', params: s.entryIdParams, body: s.saveDraftBody, response: { 200: s.versionRefResponse, ...errorResponses } },
  }, async (request) => {
    const v = await saveDraft(ctx, request.actor, request.params.id, { content: contentFrom(request.body), changeNote: request.body.changeNote, baseVersion: request.body.baseVersion });
    return { id: v.entryId, version: v.version, status: v.status };
  });

  app.post('/api/v1/kb/manage/entries/:id/submit', {
    config: { access: 'kb.edit' },
    schema: { tags: manageTags, summary: '提交审核 / submit for review', params: s.entryIdParams, body: noBody, response: { 200: s.versionRefResponse, ...errorResponses } },
  }, async (request) => {
    const v = await submitForReview(ctx, request.actor, request.params.id);
    return { id: v.entryId, version: v.version, status: v.status };
  });

  app.post('/api/v1/kb/manage/entries/:id/approve', {
    config: { access: 'kb.review' },
    schema: { tags: manageTags, summary: '审核通过并发布 / approve and publish', params: s.entryIdParams, body: s.approveEntryBody, response: { 200: s.versionRefResponse, ...errorResponses } },
  }, async (request) => {
    const v = await approveEntry(ctx, request.actor, request.params.id, request.body ?? {});
    await settled();
    return { id: v.entryId, version: v.version, status: v.status };
  });

  app.post('/api/v1/kb/manage/entries/:id/reject', {
    config: { access: 'kb.review' },
    schema: { tags: manageTags, summary: '退回修改 / send back', params: s.entryIdParams, body: s.rejectEntryBody, response: { 200: s.versionRefResponse, ...errorResponses } },
  }, async (request) => {
    const v = await rejectEntry(ctx, request.actor, request.params.id, request.body);
    return { id: v.entryId, version: v.version, status: v.status };
  });

  app.post('/api/v1/kb/manage/entries/:id/archive', {
    config: { access: 'kb.review' },
    schema: { tags: manageTags, summary: '下线或恢复 / archive or restore', params: s.entryIdParams, body: s.archiveEntryBody, response: { 200: s.okResponse, ...errorResponses } },
  }, async (request) => {
    await setArchived(ctx, request.actor, request.params.id, request.body.archived);
    await settled();
    return { ok: true };
  });

  app.get('/api/v1/kb/manage/entries/:id/diff', {
    config: { access: 'kb.viewDrafts' },
    schema: { tags: manageTags, summary: '版本差异 / diff two versions', params: s.entryIdParams, querystring: s.diffQuery, response: { 200: s.diffSchema, ...errorResponses } },
  }, async (request) => {
    const head = await repo.findHead(request.params.id);
    if (!head) throw notFound('条目');
    const to = await repo.findVersion(head.id, request.query.to ?? head.latestVersion);
    const fromNumber = request.query.from ?? head.publishedVersion ?? undefined;
    const from = fromNumber ? await repo.findVersion(head.id, fromNumber) : undefined;
    if (!to || (fromNumber && !from)) throw notFound('版本');
    return present.presentDiff(from, to);
  });

  app.post('/api/v1/kb/manage/entries/:id/rollback', {
    config: { access: 'kb.edit' },
    schema: { tags: manageTags, summary: '回滚到某一版本（生成草稿待审） / restore an old version as a draft', params: s.entryIdParams, body: s.rollbackBody, response: { 200: s.versionRefResponse, ...errorResponses } },
  }, async (request) => {
    const old = await repo.findVersion(request.params.id, request.body.version);
    if (!old) throw notFound('版本');
    const v = await saveDraft(ctx, request.actor, request.params.id, { content: old, changeNote: `回滚到版本 ${old.version} / restore version ${old.version}` });
    return { id: v.entryId, version: v.version, status: v.status };
  });

  app.get('/api/v1/kb/manage/review-queue', {
    config: { access: 'kb.viewDrafts' },
    schema: { tags: manageTags, summary: '待审核的修改（含差异） / changes awaiting review with diffs', querystring: noQuery, response: { 200: s.reviewQueueResponse, ...errorResponses } },
  }, async (request) => {
    const pending = await repo.listVersionsInReview();
    const authors = [...new Set(pending.map((v) => v.author))];
    const [names, ...reviewable] = await Promise.all([staff.namesOf(authors), ...authors.map((a) => staff.hasReviewerOtherThan(a))]);
    const hasOtherReviewer = new Map(authors.map((a, i) => [a, reviewable[i]]));
    const me = actorLabel(request.actor);
    const items = [];
    for (const v of pending) {
      const head = (await repo.findHead(v.entryId))!;
      const published = head.publishedVersion ? await repo.findVersion(v.entryId, head.publishedVersion) : undefined;
      items.push(
        present.presentReviewItem(v, {
          authorName: names.get(v.author) ?? null,
          canApprove: can(request.actor, 'kb.review') && v.author !== me,
          reviewerAvailable: hasOtherReviewer.get(v.author)!,
          diff: present.presentDiff(published, v),
        }),
      );
    }
    return { items };
  });

  // ── import / export ──
  app.get('/api/v1/kb/export', {
    config: { access: 'kb.export' },
    schema: {
      tags: manageTags,
      summary: '导出知识库（JSON 或 Excel） / export',
      querystring: s.transferQuery.pick({ format: true, which: true }),
      response: { 200: s.exportResponse, ...errorResponses },
    },
  }, async (request, reply) => {
    const bundle = await exportKnowledge(ctx, { which: request.query.which });
    await ctx.audit.record(request.actor, { action: 'knowledge.exported', detail: { format: request.query.format, entries: bundle.entries.length } });
    const stamp = new Date().toISOString().slice(0, 10);
    if (request.query.format === 'xlsx') {
      reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(`zhixun-kb-${stamp}.xlsx`));
      return reply.send(await writeWorkbook(bundle));
    }
    reply.header('content-disposition', attachment(`zhixun-kb-${stamp}.json`));
    return bundle;
  });

  // An import runs as a background job: the request only stores the file and answers 202.
  ctx.jobs.register(IMPORT_JOB, async (payload: ImportJobPayload, run) => {
    const report = await runImportJob(ctx, payload, run);
    await settled();
    return report;
  });

  app.post('/api/v1/kb/import', {
    bodyLimit: IMPORT_BODY_LIMIT,
    config: { access: 'kb.import' },
    schema: {
      tags: manageTags,
      summary: '导入知识库：JSON 正文或 .xlsx 文件，后台执行；全部行校验通过才写入，写入的版本待他人审核 / import in the background; all rows validated first; imported versions await review by someone else',
      querystring: s.transferQuery.pick({ format: true, mode: true }),
      body: s.importBody,
      response: { 202: z.object({ jobId: z.string() }), ...errorResponses },
    },
  }, async (request, reply) => {
    const body = request.body;
    let file: unknown;
    if (request.query.format === 'xlsx') {
      if (!Buffer.isBuffer(body)) throw badRequest('xlsx_expected', { zh: `请以 ${XLSX_TYPE} 上传 .xlsx 文件`, en: 'send the .xlsx file as the body' });
      file = body.toString('base64');
    } else {
      if (Buffer.isBuffer(body)) throw badRequest('json_expected', { zh: '请以 application/json 上传', en: 'send JSON' });
      if (!body || typeof body !== 'object' || !Array.isArray((body as { entries?: unknown }).entries)) {
        throw badRequest('import_invalid', { zh: '文件应包含 entries 数组', en: 'the file must hold an "entries" array' });
      }
      file = body;
    }
    const payload: ImportJobPayload = { format: request.query.format, file };
    const job = await ctx.jobs.enqueue(IMPORT_JOB, payload, { createdBy: actorLabel(request.actor) });
    return reply.status(202).send({ jobId: job.id });
  });

  app.get('/api/v1/kb/import/jobs/:id', {
    config: { access: 'kb.import' },
    schema: { tags: manageTags, summary: '导入任务的状态、进度与结果 / an import job: status, progress, result', params: s.entryIdParams, response: { 200: s.importJobSchema, ...errorResponses } },
  }, async (request) => {
    const job = await ctx.jobs.find(request.params.id);
    if (!job || job.kind !== IMPORT_JOB || !maySeeImportJob(request.actor, job)) throw notFound('导入任务');
    return present.presentImportJob(job, languageOf(request));
  });

  app.post('/api/v1/kb/import/jobs/:id/approve', {
    config: { access: 'kb.review' },
    schema: {
      tags: manageTags,
      summary: '审核通过整个导入并发布（导入者本人不可） / approve and publish a whole import (not by its importer)',
      params: s.entryIdParams,
      body: s.approveImportBody,
      response: { 200: s.approveImportResponse, ...errorResponses },
    },
  }, async (request) => {
    const result = await approveImport(ctx, request.actor, request.params.id, request.body ?? {});
    await settled();
    return result;
  });
}
