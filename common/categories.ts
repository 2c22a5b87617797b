/** How deep the category tree may grow; every walk up the tree stops here even on damaged data. */
export const MAX_CATEGORY_DEPTH = 16;

/**
 * The ids from `id` up to its root: `id` first. Stops at a missing parent, at a category seen
 * before (a cycle in stored data) and after MAX_CATEGORY_DEPTH steps, so it always ends. The one
 * walk up the knowledge category tree, for the knowledge base, the robot and conversation routing.
 */
export function ancestorIds(id: string, parentOf: (id: string) => string | null | undefined): string[] {
  const path: string[] = [];
  for (let at: string | null | undefined = id; at && path.length <= MAX_CATEGORY_DEPTH && !path.includes(at); at = parentOf(at)) path.push(at);
  return path;
}
