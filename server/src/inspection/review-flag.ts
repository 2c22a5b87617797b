import { actorLabel, type Actor } from '../identity/permissions';
import { conflict, notFound } from '../platform/errors';
import { nowIso } from '../platform/ids';
import type { AppContext } from '../platform/context';
import { rescore } from './inspect-conversation';
import type { QualityFlag } from './model';
import { inspectionRepo } from './repo';

/**
 * A supervisor confirms or overturns a flag; on an appealed flag this decides the appeal. The note
 * is kept on the flag and in the audit log, and the conversation's score is recomputed.
 */
export async function reviewFlag(ctx: AppContext, actor: Actor, flagId: string, input: { decision: 'confirm' | 'overturn'; note?: string }): Promise<QualityFlag> {
  const repo = inspectionRepo(ctx.db);
  const flag = await repo.getFlag(flagId);
  if (!flag) throw notFound('质检标记', 'flag_not_found');
  const isAppeal = flag.status === 'appealed';
  const status = input.decision === 'confirm' ? 'confirmed' : 'overturned';
  const changed = await repo.updateFlag(
    flagId,
    {
      status,
      reviewNote: input.note?.trim() || null,
      reviewedBy: actorLabel(actor),
      reviewedAt: nowIso(),
      ...(isAppeal ? { appealDecision: input.decision } : {}),
    },
    [flag.status],
  );
  if (!changed) throw conflict('flag_changed', { zh: '该标记已被他人处理，请刷新', en: 'the flag changed meanwhile' });
  await rescore({ ctx }, flag.conversationId);
  await ctx.audit.record(actor, {
    action: isAppeal ? 'quality.appeal_decided' : 'quality.flag_reviewed',
    subjectType: 'quality_flag',
    subjectId: flagId,
    detail: { conversationId: flag.conversationId, rule: flag.ruleId, decision: input.decision, note: input.note ?? null, from: flag.status },
  });
  return (await repo.getFlag(flagId))!;
}
