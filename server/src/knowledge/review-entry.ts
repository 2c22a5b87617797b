import { setImmediate as nextTurn } from 'node:timers/promises';
import { EVENTS } from '../../../common/events';
import { actorLabel, authorizeApproval, type Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { AppError, conflict, notFound } from '../platform/errors';
import { nowIso } from '../platform/ids';
import { knowledgeRepo } from './repo';

async function latestOpenVersion(ctx: AppContext, id: string) {
  const repo = knowledgeRepo(ctx.db);
  const head = await repo.findHead(id);
  if (!head) throw notFound('条目');
  const latest = await repo.findVersion(id, head.latestVersion);
  return { repo, head, latest: latest! };
}

/** Sends the newest draft to the review queue. */
export async function submitForReview(ctx: AppContext, actor: Actor, id: string) {
  const { repo, latest } = await latestOpenVersion(ctx, id);
  if (latest.status !== 'draft') throw conflict('not_a_draft', { zh: `最新版本不是草稿（${latest.status}）`, en: 'latest version is not a draft' });
  await repo.setVersionStatus(id, latest.version, 'in_review');
  await ctx.audit.record(actor, { action: 'entry.submitted', subjectType: 'entry', subjectId: id, detail: { version: latest.version } });
  return { ...latest, status: 'in_review' as const };
}

/**
 * Publishes the version under review. Nobody approves their own change. The previous published
 * version is kept in the history as superseded.
 */
export async function approveEntry(ctx: AppContext, actor: Actor, id: string, input: { version?: number; comment?: string }) {
  const { head, latest } = await latestOpenVersion(ctx, id);
  if (input.version !== undefined && input.version !== latest.version) throw conflict('version_conflict', { zh: `待审版本已变为 ${latest.version}`, en: 'the version under review changed' });
  if (latest.status !== 'in_review') throw conflict('not_in_review', { zh: '该条目没有待审核的版本', en: 'nothing to review' });
  authorizeApproval(actor, 'kb.review', latest.author);
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const tx = knowledgeRepo(trx);
    if (head.publishedVersion) await tx.setVersionStatus(id, head.publishedVersion, 'superseded');
    await tx.setVersionStatus(id, latest.version, 'published', { reviewer: actorLabel(actor), reviewedAt: now, comment: input.comment ?? null });
    await tx.updateHead(id, { publishedVersion: latest.version, isArchived: false, updatedAt: now });
  });
  await ctx.audit.record(actor, { action: 'entry.published', subjectType: 'entry', subjectId: id, detail: { version: latest.version, previous: head.publishedVersion } });
  ctx.events.emit(EVENTS.entryPublished, { id, version: latest.version });
  return { ...latest, status: 'published' as const };
}

/**
 * Publishes every version one import wrote that still awaits review: one reviewer's decision for
 * the whole file. The importer may not approve their own import (nor may anyone approve a version
 * they wrote). Written in batches, yielding to other requests in between.
 */
export async function approveImport(ctx: AppContext, actor: Actor, importId: string, input: { comment?: string }) {
  const pending = await knowledgeRepo(ctx.db).listVersionsOfImportInReview(importId);
  if (!pending.length) throw conflict('not_in_review', { zh: '该导入没有待审核的版本', en: 'nothing of this import awaits review' });
  const reviewer = actorLabel(actor);
  authorizeApproval(actor, 'kb.review', pending.map((v) => v.author));
  const now = nowIso();
  let approved = 0;
  for (let start = 0; start < pending.length; start += 200) {
    await ctx.db.transaction().execute(async (trx) => {
      const tx = knowledgeRepo(trx);
      for (const v of pending.slice(start, start + 200)) {
        const head = await tx.findHead(v.entryId);
        // edited since the import: the newer version is reviewed on its own
        if (!head || head.latestVersion !== v.version) continue;
        if (head.publishedVersion) await tx.setVersionStatus(v.entryId, head.publishedVersion, 'superseded');
        await tx.setVersionStatus(v.entryId, v.version, 'published', { reviewer, reviewedAt: now, comment: input.comment ?? null });
        await tx.updateHead(v.entryId, { publishedVersion: v.version, isArchived: false, updatedAt: now });
        approved++;
      }
    });
    await nextTurn();
  }
  await ctx.audit.record(actor, { action: 'import.published', subjectType: 'import', subjectId: importId, detail: { approved } });
  ctx.events.emit(EVENTS.knowledgeImported, { importId, approved });
  return { importId, approved };
}

/** Sends the version under review back to its author with a comment. */
export async function rejectEntry(ctx: AppContext, actor: Actor, id: string, input: { comment: string }) {
  const { repo, latest } = await latestOpenVersion(ctx, id);
  if (latest.status !== 'in_review') throw conflict('not_in_review', { zh: '该条目没有待审核的版本', en: 'nothing to review' });
  if (!input.comment.trim()) throw new AppError(400, 'comment_required', { zh: '退回时请填写意见', en: 'a comment is required' }, 'comment');
  await repo.setVersionStatus(id, latest.version, 'rejected', { reviewer: actorLabel(actor), reviewedAt: nowIso(), comment: input.comment });
  await ctx.audit.record(actor, { action: 'entry.rejected', subjectType: 'entry', subjectId: id, detail: { version: latest.version } });
  return { ...latest, status: 'rejected' as const };
}

/** Takes an entry out of service (or back in, when it has a published version). */
export async function setArchived(ctx: AppContext, actor: Actor, id: string, isArchived: boolean) {
  const repo = knowledgeRepo(ctx.db);
  const head = await repo.findHead(id);
  if (!head) throw notFound('条目');
  await repo.updateHead(id, { isArchived, updatedAt: nowIso() });
  await ctx.audit.record(actor, { action: isArchived ? 'entry.archived' : 'entry.restored', subjectType: 'entry', subjectId: id });
  ctx.events.emit(EVENTS.entryArchived, { id, isArchived });
}
