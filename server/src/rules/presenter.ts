import type { z } from 'zod';
import type { ParameterVersion } from './params';
import type { StoredDetermination, StoredParameterVersion, StoredRuleSetVersion } from './repo';
import type { RuleSetSummary, RuleSetVersionEntry } from './service';
import type { determinationSchema, parameterReviewSchema, parameterVersionSchema, ruleSetDocumentResponse, versionListResponse } from './schema';
import type { Lang, RuleSetDef } from './types';

/** A rule set with its rules as readable text: FEEL, decision tables and the clause each rule cites. */
export function presentRuleSetDocument(summary: RuleSetSummary, def: RuleSetDef, lang: Lang): z.infer<typeof ruleSetDocumentResponse> {
  const t = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);
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

/** A rule-set version for the console: built in or stored, with its tests and who published it. */
export function presentVersion(v: RuleSetVersionEntry, stored?: StoredRuleSetVersion): z.infer<typeof versionListResponse>['items'][number] {
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
export function presentParameterVersion(v: ParameterVersion): z.infer<typeof parameterVersionSchema> {
  return { id: v.id, jurisdiction: v.jurisdiction, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo ?? null, values: v.values, note: v.note ?? null, status: 'published' as const };
}

/** A stored parameter version with its review: who submitted it, who approved or rejected it and why (console). */
export function presentParameterReview(v: StoredParameterVersion): z.infer<typeof parameterReviewSchema> {
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

/** A logged determination, with the parameter values and trace needed to replay it. */
export function presentDetermination(d: StoredDetermination): z.infer<typeof determinationSchema> {
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
