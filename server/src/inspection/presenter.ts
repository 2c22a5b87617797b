import { maskPersonalData } from '../../../common/masking';
import type { QualityResult } from '../../../common/analytics';
import type { Inspection, QualityFlag, QualityRule } from './model';

type RuleNames = Map<string, QualityRule>;
const nameOf = (rules: RuleNames, id: string) => rules.get(id)?.name ?? id;

/** An inspection as the wire type `qualityResultSchema`. */
export function presentResult(inspection: Inspection, flags: QualityFlag[], rules: RuleNames): QualityResult {
  return {
    conversationId: inspection.conversationId,
    agentId: inspection.agentId,
    score: inspection.score,
    inspectedAt: inspection.inspectedAt,
    flags: flags.map((f) => ({
      id: f.id,
      rule: f.ruleId,
      ruleName: nameOf(rules, f.ruleId),
      messageSeq: f.messageSeq,
      excerpt: maskPersonalData(f.excerpt),
      weight: f.weight,
      status: f.status,
    })),
  };
}

/** A flag with its review and appeal history. */
export function presentFlag(f: QualityFlag, rules: RuleNames) {
  return {
    id: f.id,
    conversationId: f.conversationId,
    rule: f.ruleId,
    ruleName: nameOf(rules, f.ruleId),
    messageSeq: f.messageSeq,
    excerpt: maskPersonalData(f.excerpt),
    weight: f.weight,
    status: f.status,
    agentId: f.agentId,
    reviewNote: f.reviewNote,
    reviewedBy: f.reviewedBy,
    reviewedAt: f.reviewedAt,
    appealReason: f.appealReason,
    appealedAt: f.appealedAt,
    appealDecision: f.appealDecision,
    createdAt: f.createdAt,
  };
}

/** A rule with how its flags fared: a rule whose flags are often overturned needs another look. */
export function presentRule(rule: QualityRule, counts: { flagCount: number; overturnedCount: number }) {
  return {
    id: rule.id,
    type: rule.type,
    name: rule.name,
    description: rule.description,
    params: rule.params,
    weight: rule.weight,
    enabled: rule.isEnabled,
    updatedAt: rule.updatedAt,
    updatedBy: rule.updatedBy,
    flagCount: counts.flagCount,
    overturnedCount: counts.overturnedCount,
    overturnRate: counts.flagCount ? counts.overturnedCount / counts.flagCount : null,
  };
}

/** A transcript message for reviewers: agents' messages are stored as typed, so they are masked here. */
export function presentMessage(m: { seq: number; sender: string; senderName: string | null; text: string; entryId: string | null; createdAt: string }) {
  return { seq: m.seq, sender: m.sender, senderName: m.senderName, text: maskPersonalData(m.text), entryId: m.entryId, createdAt: m.createdAt };
}
