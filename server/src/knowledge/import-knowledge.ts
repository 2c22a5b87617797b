import { EVENTS } from '../../../common/events';
import { actorLabel, can, type Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { AppError, forbidden } from '../platform/errors';
import { nowIso } from '../platform/ids';
import type { EntryContent, EntryVersion } from './model';
import { knowledgeRepo } from './repo';
import type { RowError, TransferBundle, TransferEntry } from './transfer-format';

export interface ImportOptions {
  /** 'publish' makes imported entries live at once (needs the review right too); 'draft' queues them for review. */
  mode: 'draft' | 'publish';
}

export interface ImportReport {
  categories: number;
  created: number;
  updated: number;
  unchanged: number;
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
  const first = errors.slice(0, 5).map((e) => `${e.sheet ? `${e.sheet} ` : ''}第${e.row}行${e.field ? `（${e.field}）` : ''}: ${e.message}`);
  const error = new AppError(400, 'import_invalid', `文件有 ${errors.length} 处错误，未导入任何内容 / nothing imported: ${first.join('; ')}`);
  (error as AppError & { details?: RowError[] }).details = errors;
  throw error;
}

/**
 * Imports categories and entries. Every row is checked first (ids unique, categories known);
 * with any error nothing is written. Existing entries get a new version only when they changed.
 */
export async function importKnowledge(ctx: AppContext, actor: Actor | 'system', bundle: TransferBundle, options: ImportOptions): Promise<ImportReport> {
  if (actor !== 'system' && options.mode === 'publish' && !can(actor, 'kb.review')) {
    throw forbidden('publish_not_allowed', '直接发布导入内容需要审核权限 / publishing on import needs the review right');
  }
  const repo = knowledgeRepo(ctx.db);
  const existingCategories = await repo.listCategories();
  const categoryIds = new Set([...existingCategories.map((c) => c.id), ...bundle.categories.map((c) => c.id)]);
  const errors: RowError[] = [];
  const seen = new Set<string>();
  bundle.categories.forEach((c, i) => {
    if (c.parent && !categoryIds.has(c.parent)) errors.push({ sheet: 'categories', row: i + 1, field: 'parent', message: `上级分类不存在 / unknown parent ${c.parent}` });
  });
  bundle.entries.forEach((e, i) => {
    if (seen.has(e.id)) errors.push({ row: i + 1, field: 'id', message: `编号重复 / duplicate id ${e.id}` });
    seen.add(e.id);
    if (!categoryIds.has(e.category)) errors.push({ row: i + 1, field: 'category', message: `分类不存在 / unknown category ${e.category}` });
    if (e.effectiveFrom && e.expiresAt && e.expiresAt < e.effectiveFrom) errors.push({ row: i + 1, field: 'expiresAt', message: '失效日期早于生效日期' });
  });
  if (errors.length) rejectFile(errors);

  const author = actor === 'system' ? 'system' : actorLabel(actor);
  const now = nowIso();
  const report: ImportReport = { categories: bundle.categories.length, created: 0, updated: 0, unchanged: 0 };
  await ctx.db.transaction().execute(async (trx) => {
    const tx = knowledgeRepo(trx);
    for (const [i, c] of bundle.categories.entries()) await tx.upsertCategory({ id: c.id, name: c.name, parentId: c.parent, position: c.position ?? i }, now);
    const heads = new Map((await tx.listHeads()).map((h) => [h.id, h]));
    for (const e of bundle.entries) {
      const content = contentOf(e);
      const head = heads.get(e.id);
      const status = options.mode === 'publish' ? 'published' : 'in_review';
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
      });
      if (!head) {
        await tx.insertHead({ id: e.id, publishedVersion: status === 'published' ? 1 : null, latestVersion: 1, isArchived: false, createdBy: author, createdAt: now, updatedAt: now });
        await tx.insertVersion(version(1));
        report.created++;
        continue;
      }
      const latest = (await tx.findVersion(e.id, head.latestVersion))!;
      if (sameContent(latest, content) && (options.mode === 'draft' || head.publishedVersion === head.latestVersion)) {
        report.unchanged++;
        continue;
      }
      const next = head.latestVersion + 1;
      await tx.supersedeOpenDrafts(e.id);
      if (status === 'published' && head.publishedVersion) await tx.setVersionStatus(e.id, head.publishedVersion, 'superseded');
      await tx.insertVersion(version(next));
      await tx.updateHead(e.id, { latestVersion: next, publishedVersion: status === 'published' ? next : undefined, isArchived: false, updatedAt: now });
      report.updated++;
    }
  });
  await ctx.audit.record(actor, { action: 'knowledge.imported', detail: { ...report, mode: options.mode } });
  ctx.events.emit(EVENTS.knowledgeImported, report);
  return report;
}
