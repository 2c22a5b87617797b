import { AppError } from '../platform/errors';
import { evaluate, toValue } from './engine';
import type { StoredDetermination } from './repo';
import type { RulesService } from './service';
import type { Lang } from './types';
import { validateInputs } from './validate';

/**
 * Re-runs a logged determination with the rule-set version and parameter values it recorded,
 * says whether today's engine gives the same outputs and the same structured trace, and renders
 * the explanation texts of the recorded determination (the log keeps the structured trace only).
 */
export function replayDetermination(svc: RulesService, rec: StoredDetermination, lang: Lang = 'zh') {
  const entry = svc.getVersion(rec.ruleSetId, rec.ruleSetVersion);
  if (!entry) throw new AppError(409, 'version_unavailable', { zh: `规则集版本 ${rec.ruleSetId}@${rec.ruleSetVersion} 已不可用`, en: 'version not loaded' });
  const rs = entry.compiled;
  const params = rs.def.parameters.map((p) => toValue(rec.parameters[p.name]));
  const validated = validateInputs(rs.def.inputs, rs.inputIndex, rec.inputs, 'zh');
  let unknownMask = 0;
  for (const id of rec.unknownInputs) unknownMask |= 1 << rs.inputIndex.get(id)!;
  const out = evaluate(rs, validated, params, { goal: rec.goal ?? undefined, unknownMask });
  // records written before the trace was structured also carry texts: compare the structure only
  const structure = (t: { rule: string; values: unknown; result: unknown; row?: number }[]) => JSON.stringify(t.map(({ rule, values, result, row }) => ({ rule, values, result, row })));
  return {
    matches: JSON.stringify(out.outputs) === JSON.stringify(rec.outputs) && out.status === rec.status,
    traceMatches: structure(out.trace!.records()) === structure(rec.trace),
    status: out.status,
    outputs: out.outputs,
    explanation: out.trace!.render(lang),
    recorded: { status: rec.status, outputs: rec.outputs },
  };
}
