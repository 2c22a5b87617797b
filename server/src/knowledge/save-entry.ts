import { actorLabel, type Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { badRequest, conflict, notFound } from '../platform/errors';
import { nowIso } from '../platform/ids';
import type { EntryContent, EntryVersion } from './model';
import { knowledgeRepo, type KnowledgeRepo } from './repo';

export const ENTRY_ID_PATTERN = /^[a-z][a-z0-9]{0,15}-[0-9a-z]{1,12}$/;

/** Checks what the schema cannot: the category exists and the dates are in order. */
export async function checkContent(repo: KnowledgeRepo, content: EntryContent) {
  if (!(await repo.findCategory(content.categoryId))) throw badRequest('unknown_category', { zh: `分类不存在：${content.categoryId}`, en: `unknown category: ${content.categoryId}` }, 'categoryId');
  if (content.effectiveFrom && content.expiresAt && content.expiresAt < content.effectiveFrom) {
    throw badRequest('invalid_dates', { zh: '失效日期早于生效日期', en: 'expiresAt is before effectiveFrom' }, 'expiresAt');
  }
}

async function nextFreeId(repo: KnowledgeRepo) {
  const heads = await repo.listHeads();
  const used = new Set(heads.map((h) => h.id));
  let n = heads.length + 1;
  while (used.has(`kb-${String(n).padStart(4, '0')}`)) n++;
  return `kb-${String(n).padStart(4, '0')}`;
}

/** Creates an entry as a first draft; it is served only after review. */
export async function createEntry(ctx: AppContext, actor: Actor, input: { id?: string; content: EntryContent; changeNote?: string }) {
  const repo = knowledgeRepo(ctx.db);
  await checkContent(repo, input.content);
  const id = input.id ?? (await nextFreeId(repo));
  if (!ENTRY_ID_PATTERN.test(id)) throw badRequest('invalid_id', { zh: `条目编号格式不正确：${id}`, en: `invalid entry id: ${id}` }, 'id');
  if (await repo.findHead(id)) throw conflict('entry_exists', { zh: `条目已存在：${id}`, en: `entry exists: ${id}` });
  const now = nowIso();
  const author = actorLabel(actor);
  const version: EntryVersion = { ...input.content, entryId: id, version: 1, status: 'draft', changeNote: input.changeNote ?? null, author, createdAt: now, reviewer: null, reviewedAt: null, reviewComment: null };
  await ctx.db.transaction().execute(async (trx) => {
    const tx = knowledgeRepo(trx);
    await tx.insertHead({ id, publishedVersion: null, latestVersion: 1, isArchived: false, createdBy: author, createdAt: now, updatedAt: now });
    await tx.insertVersion(version);
  });
  await ctx.audit.record(actor, { action: 'entry.created', subjectType: 'entry', subjectId: id, detail: { version: 1, changeNote: version.changeNote } });
  return version;
}

/**
 * Saves an edit as a new draft version. The published version keeps serving until the draft is
 * approved; an older unapproved draft is superseded by the new one.
 */
export async function saveDraft(ctx: AppContext, actor: Actor, id: string, input: { content: EntryContent; changeNote?: string; baseVersion?: number }) {
  const repo = knowledgeRepo(ctx.db);
  const head = await repo.findHead(id);
  if (!head) throw notFound('条目');
  if (input.baseVersion !== undefined && input.baseVersion !== head.latestVersion) {
    throw conflict('version_conflict', { zh: `条目已被他人修改（当前版本 ${head.latestVersion}），请刷新后再改`, en: `edited by someone else meanwhile (now version ${head.latestVersion}); reload first` });
  }
  await checkContent(repo, input.content);
  const now = nowIso();
  const version: EntryVersion = {
    ...input.content,
    entryId: id,
    version: head.latestVersion + 1,
    status: 'draft',
    changeNote: input.changeNote ?? null,
    author: actorLabel(actor),
    createdAt: now,
    reviewer: null,
    reviewedAt: null,
    reviewComment: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    const tx = knowledgeRepo(trx);
    await tx.supersedeOpenDrafts(id);
    await tx.insertVersion(version);
    await tx.updateHead(id, { latestVersion: version.version, updatedAt: now });
  });
  // like submitting and publishing: who changed what citizens may be told, and when
  await ctx.audit.record(actor, { action: 'entry.draft_saved', subjectType: 'entry', subjectId: id, detail: { version: version.version, changeNote: version.changeNote } });
  return version;
}
