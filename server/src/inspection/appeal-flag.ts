import type { Actor } from '../identity/permissions';
import { conflict, notFound } from '../platform/errors';
import { nowIso } from '../platform/ids';
import type { AppContext } from '../platform/context';
import { rescore } from './inspect-conversation';
import { inspectionRepo } from './repo';

/**
 * An agent appeals a flag on their own work, once, with a reason; a supervisor then decides it
 * (reviewFlag). Someone else's flag answers 404: its existence is not revealed.
 */
export async function appealFlag(ctx: AppContext, actor: Actor & { kind: 'user' }, flagId: string, input: { reason: string }) {
  const repo = inspectionRepo(ctx.db);
  const flag = await repo.getFlag(flagId);
  if (!flag || flag.agentId !== actor.id) throw notFound('质检标记', 'flag_not_found');
  if (flag.appealReason !== null) throw conflict('already_appealed', { zh: '该标记已申诉过', en: 'this flag was appealed already' });
  if (flag.status === 'overturned') throw conflict('flag_overturned', { zh: '该标记已被撤销，无需申诉', en: 'the flag was overturned already' });
  const changed = await repo.updateFlag(flagId, { status: 'appealed', appealReason: input.reason.trim(), appealedAt: nowIso() }, ['open', 'confirmed']);
  if (!changed) throw conflict('flag_changed', { zh: '该标记状态已变化，请刷新', en: 'the flag changed meanwhile' });
  await rescore({ ctx }, flag.conversationId);
  await ctx.audit.record(actor, { action: 'quality.flag_appealed', subjectType: 'quality_flag', subjectId: flagId, detail: { conversationId: flag.conversationId, rule: flag.ruleId } });
  return (await repo.getFlag(flagId))!;
}
