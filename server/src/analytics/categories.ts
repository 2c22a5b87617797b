import { MAX_CATEGORY_DEPTH } from '../../../common/categories';

type Category = { id: string; name: string; parentId: string | null };

/** A category and every category below it (bounded depth, so a damaged tree cannot loop). */
export function descendantIds(categories: Category[], id: string): string[] {
  const children = new Map<string, string[]>();
  for (const c of categories) if (c.parentId) children.set(c.parentId, [...(children.get(c.parentId) ?? []), c.id]);
  const out = new Set([id]);
  let level = [id];
  for (let depth = 0; depth < MAX_CATEGORY_DEPTH && level.length; depth++) {
    level = level.flatMap((p) => children.get(p) ?? []).filter((c) => !out.has(c));
    for (const c of level) out.add(c);
  }
  return [...out];
}

/** Category id → name. */
export const categoryNames = (categories: Category[]) => new Map(categories.map((c) => [c.id, c.name]));
