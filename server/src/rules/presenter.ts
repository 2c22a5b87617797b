import type { ParameterVersion } from './params';
import type { StoredDetermination, StoredParameterVersion, StoredRuleSetVersion } from './repo';
import type { RuleSetSummary, RuleSetVersionEntry } from './service';
import type { Lang, RuleSetDef } from './types';

/** A rule set with its rules as readable text: FEEL, decision tables and the clause each rule cites. */
export function presentRuleSetDocument(summary: RuleSetSummary, def: RuleSetDef, lang: Lang) {
  const t = (x: { zh: string; en: string } | undefined) => (x ? (lang === 'en' ? x.en : x.zh) : undefined);
  return {
    ...summary,
    parameters: def.parameters.map((p) => ({ name: p.name, key: p.key, label: t(p.label) })),
    rules: def.rules.map((r) => ({
      id: r.id,
      title: t(r.title),
      citation: r.citation,
      ...(r.when ? { when: r.when } : {}),
      ...(r.table ? { decisionTable: r.table } : {}),
      ...(r.set ? { set: r.set } : {}),
      ...(r.why ? { why: t(r.why) } : {}),
    })),
    notes: (def.notes ?? []).map((n) => t(n)),
    tests: def.tests,
  };
}

export function presentVersion(v: RuleSetVersionEntry, stored?: StoredRuleSetVersion) {
  return {
    version: v.def.version,
    effectiveFrom: v.def.effectiveFrom,
    effectiveTo: v.def.effectiveTo ?? null,
    status: v.status,
    builtIn: !stored,
    tests: stored?.testResults ?? null,
    createdBy: stored?.createdBy ?? 'built-in',
    createdAt: stored?.createdAt ?? null,
    publishedBy: stored?.publishedBy ?? null,
    publishedAt: stored?.publishedAt ?? null,
  };
}

/** A parameter version in force (seed or approved), as the public list shows it. */
export function presentParameterVersion(v: ParameterVersion) {
  return { id: v.id, jurisdiction: v.jurisdiction, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo ?? null, values: v.values, note: v.note ?? null, status: 'published' as const };
}

/** A stored parameter version with its review: who submitted it, who approved or rejected it and why (console). */
export function presentParameterReview(v: StoredParameterVersion) {
  return {
    ...presentParameterVersion(v),
    status: v.status,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    reviewedBy: v.reviewedBy,
    reviewedAt: v.reviewedAt,
    reviewComment: v.reviewComment,
  };
}

export function presentDetermination(d: StoredDetermination) {
  return {
    id: d.id,
    ruleSet: { id: d.ruleSetId, version: d.ruleSetVersion },
    date: d.date,
    jurisdiction: d.jurisdiction,
    parameterVersions: d.parameterVersions,
    parameters: d.parameters,
    inputs: d.inputs,
    unknownInputs: d.unknownInputs,
    goal: d.goal,
    status: d.status,
    outputs: d.outputs,
    questionId: d.questionId,
    trace: d.trace,
    actor: d.actor,
    createdAt: d.createdAt,
  };
}
