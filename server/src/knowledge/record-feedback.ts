import { maskPersonalData } from '../../../common/masking';
import type { Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { notFound } from '../platform/errors';
import { newId, nowIso } from '../platform/ids';
import { knowledgeRepo } from './repo';
import type { KnowledgeService } from './service';

/** Records a helpful/unhelpful rating of the version the caller was served. */
export async function recordFeedback(
  ctx: AppContext,
  knowledge: KnowledgeService,
  actor: Actor,
  id: string,
  input: { isHelpful: boolean; comment?: string; channel?: string },
) {
  const entry = knowledge.servable(id, actor);
  if (!entry) throw notFound('条目');
  const repo = knowledgeRepo(ctx.db);
  await repo.insertFeedback({
    id: newId(),
    entryId: id,
    version: entry.version,
    isHelpful: input.isHelpful,
    comment: maskPersonalData(input.comment?.trim() ?? '') || null,
    channel: input.channel ?? null,
    client: actor.clientKey,
    createdAt: nowIso(),
  });
  return repo.feedbackCounts(id);
}
