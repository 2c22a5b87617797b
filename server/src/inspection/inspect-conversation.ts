import { newId, nowIso } from '../platform/ids';
import { detectFindings } from './detect';
import type { Finding, FlagStatus, PublishedEntry, QualityFlag, Transcript } from './model';
import type { InspectionDeps } from './ports';
import { inspectionRepo } from './repo';

/** Flags that deduct points: open ones and those a supervisor confirmed. */
const DEDUCTING: FlagStatus[] = ['open', 'confirmed'];

/** 100 minus the weights of the flags that deduct, never below 0. */
export function scoreOf(flags: Pick<QualityFlag, 'status' | 'weight'>[]): number {
  const deducted = flags.filter((f) => DEDUCTING.includes(f.status)).reduce((sum, f) => sum + f.weight, 0);
  return Math.max(0, Math.min(100, 100 - deducted));
}

const keyOf = (f: Pick<Finding, 'ruleId' | 'messageSeq'>) => `${f.ruleId}#${f.messageSeq ?? '-'}`;

/**
 * Inspects a closed conversation an agent served: runs the enabled rules over what the citizen saw and
 * the close data, stores the flags and the score. Run again (a rule changed, a job retried), it keeps
 * the flags found again with their review and appeal, drops the ones no longer found and adds new ones.
 * Returns false when there is nothing to inspect (not closed, or no agent served).
 */
export async function inspectConversation(deps: InspectionDeps, conversationId: string): Promise<boolean> {
  const conversation = await deps.conversations.getConversation(conversationId);
  if (!conversation || conversation.status !== 'resolved') return false;
  const messages = await deps.conversations.messagesAfter(conversationId, 0, { includePrivate: false, limit: 2000 });
  const served = conversation.assigneeId !== null || messages.some((m) => m.sender === 'agent');
  if (!served) return false;
  const events = await deps.conversations.eventsOf([conversationId]);
  const transcript: Transcript = {
    id: conversation.id,
    assigneeId: conversation.assigneeId ?? messages.filter((m) => m.sender === 'agent').at(-1)?.senderId ?? null,
    category: conversation.category,
    summary: conversation.summary,
    closedAt: conversation.closedAt,
    messages: messages.filter((m) => !m.isPrivate),
    events,
  };
  const entries = new Map<string, PublishedEntry>();
  for (const m of transcript.messages) {
    const entry = m.entryId ? deps.knowledge.publishedEntry(m.entryId) : undefined;
    if (entry) entries.set(entry.entryId, entry);
  }
  const repo = inspectionRepo(deps.ctx.db);
  const rules = await repo.rules();
  const weights = new Map(rules.map((r) => [r.id, r.weight]));
  const findings = detectFindings(transcript, rules, entries);
  const now = nowIso();

  await deps.ctx.db.transaction().execute(async (trx) => {
    const r = inspectionRepo(trx);
    const existing = new Map<string, QualityFlag>();
    const duplicates: string[] = [];
    for (const f of await r.flagsOf([conversationId])) {
      // two inspections at the same moment may both have added a flag: the one with a decision stays
      const other = existing.get(keyOf(f));
      if (other && (other.status !== 'open' || f.status === 'open')) duplicates.push(f.id);
      else {
        if (other) duplicates.push(other.id);
        existing.set(keyOf(f), f);
      }
    }
    const flags: QualityFlag[] = [];
    for (const finding of findings) {
      const weight = weights.get(finding.ruleId) ?? 0;
      const kept = existing.get(keyOf(finding));
      if (kept) {
        existing.delete(keyOf(finding));
        await r.updateFlag(kept.id, { weight, excerpt: finding.excerpt, agentId: finding.agentId });
        flags.push({ ...kept, weight });
        continue;
      }
      const flag: QualityFlag = {
        ...finding,
        id: newId(),
        conversationId,
        weight,
        status: 'open',
        reviewNote: null,
        reviewedBy: null,
        reviewedAt: null,
        appealReason: null,
        appealedAt: null,
        appealDecision: null,
        createdAt: now,
      };
      await r.insertFlag(flag);
      flags.push(flag);
    }
    await r.deleteFlags([...duplicates, ...[...existing.values()].map((f) => f.id)]);
    await r.putInspection({
      conversationId,
      agentId: transcript.assigneeId,
      score: scoreOf(flags),
      closedAt: conversation.closedAt ?? messages.at(-1)?.createdAt ?? conversation.createdAt,
      inspectedAt: now,
    });
  });
  return true;
}

/** Recomputes a conversation's score from its flags (after a review or an appeal). */
export async function rescore(deps: Pick<InspectionDeps, 'ctx'>, conversationId: string) {
  const repo = inspectionRepo(deps.ctx.db);
  await repo.setScore(conversationId, scoreOf(await repo.flagsOf([conversationId])));
}

/** Re-inspects every conversation inspected since `since` (the job after a rule change). */
export async function reinspectSince(deps: InspectionDeps, since: string, progress?: (percent: number) => Promise<void>) {
  const ids = await inspectionRepo(deps.ctx.db).inspectedSince(since);
  let done = 0;
  for (const id of ids) {
    await inspectConversation(deps, id);
    done++;
    if (progress && done % 50 === 0) await progress(Math.floor((done / ids.length) * 100));
  }
  return { reinspected: done };
}
