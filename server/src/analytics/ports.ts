import type { Actor } from '../identity/permissions';

/** What analytics needs from the knowledge domain: turn a hard topic into an entry draft (awaiting an answer and review). */
export interface KnowledgeDrafts {
  createDraft(actor: Actor, draft: { categoryId: string; question: string; similar: string[] }): Promise<{ entryId: string }>;
}
