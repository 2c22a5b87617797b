import type { AppContext } from '../platform/context';
import type { EntryVersion } from './model';
import { knowledgeRepo } from './repo';
import type { TransferBundle } from './transfer-format';

/** The knowledge base in the transfer format: published versions, or the newest of each entry. */
export async function exportKnowledge(ctx: AppContext, options: { which: 'published' | 'latest' }): Promise<TransferBundle> {
  const repo = knowledgeRepo(ctx.db);
  const [categories, versions] = await Promise.all([
    repo.listCategories(),
    options.which === 'published' ? repo.listPublishedVersions() : repo.listLatestVersions(),
  ]);
  return {
    categories: categories.map((c) => ({ id: c.id, name: c.name, parent: c.parentId, position: c.position })),
    entries: versions.map((v: EntryVersion) => ({
      id: v.entryId,
      category: v.categoryId,
      question: v.question,
      similar: v.similar,
      keywords: v.keywords,
      answer: v.answer,
      audience: v.audience,
      references: v.references,
      roles: v.roles,
      effectiveFrom: v.effectiveFrom,
      expiresAt: v.expiresAt,
    })),
  };
}
