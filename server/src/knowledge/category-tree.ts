import { MAX_CATEGORY_DEPTH } from '../../../common/categories';
import { badRequest } from '../platform/errors';
import type { Bilingual } from '../platform/language';

export { ancestorIds, MAX_CATEGORY_DEPTH } from '../../../common/categories';

/** The part of a category that shapes the tree. */
export interface CategoryLink {
  id: string;
  parentId: string | null;
}

/** Why a category write would break the tree. */
export interface TreeProblem {
  id: string;
  code: 'unknown_parent' | 'cycle' | 'too_deep';
  message: Bilingual;
}

/**
 * The one check of every tree write (create, move, import): applies `written` over `current` and
 * reports each written category whose parent is missing, whose ancestry loops back on itself, or
 * that sits deeper than MAX_CATEGORY_DEPTH. A cycle already stored elsewhere does not block writes
 * that do not lead into it, so a damaged tree can still be mended through the console.
 */
export function checkCategoryWrite(current: CategoryLink[], written: CategoryLink[]): TreeProblem[] {
  const parents = new Map(current.map((c) => [c.id, c.parentId]));
  for (const c of written) parents.set(c.id, c.parentId);
  const problems: TreeProblem[] = [];
  for (const c of written) {
    const seen: string[] = [];
    for (let at: string | null | undefined = c.id; at; at = parents.get(at)) {
      if (!parents.has(at)) {
        problems.push({ id: c.id, code: 'unknown_parent', message: { zh: `上级分类不存在：${at}`, en: `unknown parent: ${at}` } });
        break;
      }
      if (seen.includes(at)) {
        const loop = seen.slice(seen.indexOf(at));
        problems.push({ id: c.id, code: 'cycle', message: { zh: `分类形成循环：${[...loop, at].join(' → ')}`, en: `categories form a cycle: ${[...loop, at].join(' → ')}` } });
        break;
      }
      if (seen.length >= MAX_CATEGORY_DEPTH) {
        problems.push({ id: c.id, code: 'too_deep', message: { zh: `分类层级超过 ${MAX_CATEGORY_DEPTH} 层`, en: `the tree is deeper than ${MAX_CATEGORY_DEPTH} levels` } });
        break;
      }
      seen.push(at);
    }
  }
  return problems;
}

/** Throws the first problem of a single category write as a 400 on the `parent` field. */
export function assertCategoryWrite(current: CategoryLink[], written: CategoryLink): void {
  const [problem] = checkCategoryWrite(current, [written]);
  if (problem) throw badRequest(problem.code, problem.message, 'parent');
}

/**
 * The cycles in stored data (each a list of category ids), for the start-up warning. Categories
 * merely hanging below a cycle are not listed.
 */
export function findCategoryCycles(categories: CategoryLink[]): string[][] {
  const parents = new Map(categories.map((c) => [c.id, c.parentId]));
  const done = new Set<string>();
  const cycles: string[][] = [];
  for (const c of categories) {
    const path: string[] = [];
    let at: string | null | undefined = c.id;
    while (at && parents.has(at) && !done.has(at) && !path.includes(at)) {
      path.push(at);
      at = parents.get(at);
    }
    if (at && path.includes(at)) cycles.push(path.slice(path.indexOf(at)));
    for (const id of path) done.add(id);
  }
  return cycles;
}

/**
 * The tree as it is served: a category caught in a cycle is shown at the top level (its stored
 * parent kept in the database), so the rest of the platform only ever sees a proper tree and an
 * editor can still find the category and move it.
 */
export function withCyclesCut<T extends CategoryLink>(categories: T[]): { categories: T[]; cycles: string[][] } {
  const cycles = findCategoryCycles(categories);
  if (!cycles.length) return { categories, cycles };
  const cut = new Set(cycles.flat());
  return { categories: categories.map((c) => (cut.has(c.id) ? { ...c, parentId: null } : c)), cycles };
}
