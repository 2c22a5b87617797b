import { EVENTS } from '../../../common/events';
import type { Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { badRequest, conflict, notFound } from '../platform/errors';
import { nowIso } from '../platform/ids';
import { assertCategoryWrite } from './category-tree';
import type { Category } from './model';
import { knowledgeRepo } from './repo';

export const CATEGORY_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Creates or changes a category (rename, move, reorder); refuses a missing parent and a move under its own subtree. */
export async function saveCategory(ctx: AppContext, actor: Actor, input: Category, { isNew }: { isNew: boolean }) {
  const repo = knowledgeRepo(ctx.db);
  if (!CATEGORY_ID_PATTERN.test(input.id)) throw badRequest('invalid_id', { zh: '分类编号格式不正确', en: 'invalid category id' }, 'id');
  const existing = await repo.findCategory(input.id);
  if (isNew && existing) throw conflict('category_exists', { zh: `分类已存在：${input.id}`, en: `category exists: ${input.id}` });
  if (!isNew && !existing) throw notFound('分类');
  assertCategoryWrite(await repo.listCategories(), input);
  await repo.upsertCategory(input, nowIso());
  await ctx.audit.record(actor, { action: isNew ? 'category.created' : 'category.updated', subjectType: 'category', subjectId: input.id, detail: { ...input } });
  ctx.events.emit(EVENTS.categoriesChanged, { id: input.id });
  return input;
}

/** Deletes an empty category with no children. */
export async function deleteCategory(ctx: AppContext, actor: Actor, id: string) {
  const repo = knowledgeRepo(ctx.db);
  const all = await repo.listCategories();
  if (!all.some((c) => c.id === id)) throw notFound('分类');
  if (all.some((c) => c.parentId === id)) throw conflict('category_has_children', { zh: '请先移走下级分类', en: 'move the sub-categories first' });
  if ((await repo.countEntriesInCategory(id)) > 0) throw conflict('category_not_empty', { zh: '请先移走该分类下的条目', en: 'move the entries first' });
  await repo.deleteCategory(id);
  await ctx.audit.record(actor, { action: 'category.deleted', subjectType: 'category', subjectId: id });
  ctx.events.emit(EVENTS.categoriesChanged, { id });
}
