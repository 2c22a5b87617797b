import { setImmediate as nextTurn } from 'node:timers/promises';
import { EVENTS } from '../../../common/events';
import type { AppContext } from '../platform/context';
import { AppError } from '../platform/errors';
import { nowIso } from '../platform/ids';
import { bilingualOf } from '../platform/language';
import type { JobRun } from '../platform/jobs';
import { checkCategoryWrite } from './category-tree';
import type { Category, EntryContent, EntryVersion } from './model';
import { knowledgeRepo } from './repo';
import { parseJsonBundleInChunks, parseWorkbook, type RowError, type TransferBundle, type TransferEntry } from './transfer-format';

/** The job kind of a console import. */
export const IMPORT_JOB = 'knowledge.import';

/** Entries written per transaction; between two batches other requests are served. */
const BATCH = 200;

export interface ImportOptions {
  /**
   * Publish at once instead of submitting for review: only for the system itself (first-start seed).
   * People's imports always go through review, approved by someone other than the importer.
   */
  publish?: boolean;
  /** Tags the imported versions, so a reviewer can approve the whole import at once. */
  importId?: string;
  /** Called between batches with the share of entries written (0–1). */
  onProgress?: (share: number) => Promise<void>;
  /** Checked between batches: an aborted import stops and may be run again later. */
  signal?: AbortSignal;
}

export interface ImportReport {
  categories: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Versions waiting for a reviewer (0 when published by the system). */
  inReview: number;
}

/** What the import job stores: the file as sent, and who sent it. */
export interface ImportJobPayload {
  format: 'json' | 'xlsx';
  /** The JSON document, or the .xlsx file as base64. */
  file: unknown;
}

const contentOf = (e: TransferEntry): EntryContent => ({
  categoryId: e.category,
  question: e.question,
  similar: e.similar,
  answer: e.answer,
  keywords: e.keywords,
  references: e.references,
  audience: e.audience,
  roles: e.roles,
  effectiveFrom: e.effectiveFrom,
  expiresAt: e.expiresAt,
});

const sameContent = (a: EntryContent, b: EntryContent) =>
  JSON.stringify([a.categoryId, a.question, a.similar, a.answer, a.keywords, a.references, a.audience, a.roles, a.effectiveFrom, a.expiresAt]) ===
  JSON.stringify([b.categoryId, b.question, b.similar, b.answer, b.keywords, b.references, b.audience, b.roles, b.effectiveFrom, b.expiresAt]);

/** Rejects the whole file with its row-numbered problems: an import is all or nothing. */
export function rejectFile(errors: RowError[]): never {
  // row problems are written "中文 / English" (schema messages): each language gets its half
  const first = errors.slice(0, 5).map((e) => ({ ...e, message: bilingualOf(e.message) }));
  const zh = first.map((e) => `${e.sheet ? `${e.sheet} ` : ''}第${e.row}行${e.field ? `（${e.field}）` : ''}：${e.message.zh}`);
  const en = first.map((e) => `${e.sheet ? `${e.sheet} ` : ''}row ${e.row}${e.field ? ` (${e.field})` : ''}: ${e.message.en}`);
  const error = new AppError(400, 'import_invalid', { zh: `文件有 ${errors.length} 处错误，未导入任何内容：${zh.join('；')}`, en: `${errors.length} problems in the file, nothing imported: ${en.join('; ')}` });
  (error as AppError & { details?: RowError[] }).details = errors;
  throw error;
}

/** Every problem of a bundle against the stored categories: the tree stays a tree, ids are unique, categories known. */
export function checkBundle(existing: Category[], bundle: TransferBundle): RowError[] {
  const errors: RowError[] = [];
  const rowOf = new Map<string, number>();
  bundle.categories.forEach((c, i) => {
    if (rowOf.has(c.id)) errors.push({ sheet: 'categories', row: i + 1, field: 'id', message: `分类编号重复 / duplicate category id ${c.id}` });
    else rowOf.set(c.id, i + 1);
  });
  for (const problem of checkCategoryWrite(existing, bundle.categories.map((c) => ({ id: c.id, parentId: c.parent })))) {
    errors.push({ sheet: 'categories', row: rowOf.get(problem.id)!, field: 'parent', message: `${problem.message.zh} / ${problem.message.en}` });
  }
  const categoryIds = new Set([...existing.map((c) => c.id), ...bundle.categories.map((c) => c.id)]);
  const seen = new Set<string>();
  bundle.entries.forEach((e, i) => {
    if (seen.has(e.id)) errors.push({ row: i + 1, field: 'id', message: `编号重复 / duplicate id ${e.id}` });
    seen.add(e.id);
    if (!categoryIds.has(e.category)) errors.push({ row: i + 1, field: 'category', message: `分类不存在 / unknown category ${e.category}` });
    if (e.effectiveFrom && e.expiresAt && e.expiresAt < e.effectiveFrom) errors.push({ row: i + 1, field: 'expiresAt', message: '失效日期早于生效日期 / expiresAt is before effectiveFrom' });
  });
  return errors.sort((a, b) => (a.sheet ?? '').localeCompare(b.sheet ?? '') || a.row - b.row);
}

/**
 * Imports categories and entries. Every row is checked first; with any error nothing is written.
 * Entries are then written in batches, each in its own transaction, yielding to other requests in
 * between. Existing entries get a new version only when they changed, so running an interrupted
 * import again finishes it without duplicating anything.
 */
export async function importKnowledge(ctx: AppContext, author: string, bundle: TransferBundle, options: ImportOptions = {}): Promise<ImportReport> {
  if (options.publish && author !== 'system') throw new Error('only the system publishes on import; people’s imports go through review');
  const repo = knowledgeRepo(ctx.db);
  const errors = checkBundle(await repo.listCategories(), bundle);
  if (errors.length) rejectFile(errors);

  const status = options.publish ? 'published' : 'in_review';
  const report: ImportReport = { categories: bundle.categories.length, created: 0, updated: 0, unchanged: 0, inReview: 0 };
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const tx = knowledgeRepo(trx);
    for (const [i, c] of bundle.categories.entries()) await tx.upsertCategory({ id: c.id, name: c.name, parentId: c.parent, position: c.position ?? i }, now);
  });
  for (let start = 0; start < bundle.entries.length; start += BATCH) {
    if (options.signal?.aborted) throw new Error('import stopped');
    await ctx.db.transaction().execute(async (trx) => {
      const tx = knowledgeRepo(trx);
      for (const e of bundle.entries.slice(start, start + BATCH)) {
        const content = contentOf(e);
        const head = await tx.findHead(e.id);
        const version = (n: number): EntryVersion => ({
          ...content,
          entryId: e.id,
          version: n,
          status,
          changeNote: '导入 / imported',
          author,
          createdAt: now,
          reviewer: status === 'published' ? author : null,
          reviewedAt: status === 'published' ? now : null,
          reviewComment: null,
          importId: options.importId ?? null,
        });
        if (!head) {
          await tx.insertHead({ id: e.id, publishedVersion: status === 'published' ? 1 : null, latestVersion: 1, isArchived: false, createdBy: author, createdAt: now, updatedAt: now });
          await tx.insertVersion(version(1));
          report.created++;
          continue;
        }
        const latest = (await tx.findVersion(e.id, head.latestVersion))!;
        const isSettled = status === 'published' ? head.publishedVersion === head.latestVersion : latest.status === 'in_review' || head.publishedVersion === head.latestVersion;
        if (sameContent(latest, content) && isSettled) {
          report.unchanged++;
          continue;
        }
        const next = head.latestVersion + 1;
        await tx.supersedeOpenDrafts(e.id);
        if (status === 'published' && head.publishedVersion) await tx.setVersionStatus(e.id, head.publishedVersion, 'superseded');
        await tx.insertVersion(version(next));
        await tx.updateHead(e.id, { latestVersion: next, publishedVersion: status === 'published' ? next : undefined, isArchived: status === 'published' ? false : undefined, updatedAt: now });
        report.updated++;
      }
    });
    await options.onProgress?.(Math.min(1, (start + BATCH) / bundle.entries.length));
    await nextTurn();
  }
  if (status === 'in_review') report.inReview = report.created + report.updated;
  await ctx.audit.record(author, { action: 'knowledge.imported', subjectType: options.importId ? 'import' : undefined, subjectId: options.importId, detail: { ...report, publish: Boolean(options.publish) } });
  ctx.events.emit(EVENTS.knowledgeImported, report);
  return report;
}

/**
 * The import job: reads the file (JSON or .xlsx), checks every row, then imports with progress.
 * The importer is the job's creator; every version it writes waits for another person's review.
 */
export async function runImportJob(ctx: AppContext, payload: ImportJobPayload, run: JobRun): Promise<ImportReport & { importId: string }> {
  await run.progress(1, '读取文件 / reading the file');
  let parsed: { bundle: TransferBundle; errors: RowError[] };
  if (payload.format === 'xlsx') {
    const existing = (await knowledgeRepo(ctx.db).listCategories()).map((c) => ({ id: c.id, name: c.name, parent: c.parentId, position: c.position }));
    parsed = await parseWorkbook(Buffer.from(String(payload.file), 'base64'), existing);
  } else {
    parsed = await parseJsonBundleInChunks(payload.file);
  }
  if (parsed.errors.length) rejectFile(parsed.errors);
  await run.progress(10, '写入条目 / writing entries');
  const report = await importKnowledge(ctx, run.job.createdBy, parsed.bundle, {
    importId: run.job.id,
    signal: run.signal,
    onProgress: (share) => run.progress(10 + share * 90, '写入条目 / writing entries'),
  });
  return { ...report, importId: run.job.id };
}
