import { AppError } from '../platform/errors';
import { compileRuleSet } from './engine';
import type { ParameterStore } from './params';
import { RulesService } from './service';
import type { RuleSetDef } from './types';

export interface RuleSetTestResult {
  name: string;
  passed: boolean;
  detail?: string;
}

function sameValue(a: unknown, e: unknown): boolean {
  if (typeof a === 'number' && typeof e === 'number') return Math.abs(a - e) < 0.005;
  return JSON.stringify(a) === JSON.stringify(e);
}

/**
 * Runs a rule-set version's own test cases (inputs → expected outputs, question or error field)
 * against the given parameters. Publishing a version whose tests fail is refused.
 */
export function runRuleSetTests(def: RuleSetDef, params: ParameterStore): RuleSetTestResult[] {
  let svc: RulesService;
  try {
    compileRuleSet(def);
    svc = new RulesService(params, [{ ...def, effectiveTo: null }]);
  } catch (e) {
    return [{ name: 'compile', passed: false, detail: (e as Error).message }];
  }
  return def.tests.map((tc) => {
    const date = tc.date ?? (def.effectiveFrom > (params.earliestDate() ?? '') ? def.effectiveFrom : params.earliestDate()!);
    try {
      const r = svc.determine(def.id, { inputs: tc.inputs, goal: tc.goal, date, explain: false });
      if (tc.expectErrorField) return { name: tc.name, passed: false, detail: `expected 400 on ${tc.expectErrorField}, got ${r.status}` };
      if (tc.expectQuestion) {
        const ok = r.status === 'need_input' && r.question?.id === tc.expectQuestion;
        return { name: tc.name, passed: ok, ...(ok ? {} : { detail: `expected question ${tc.expectQuestion}, got ${r.status} ${r.question?.id ?? ''}` }) };
      }
      if (r.status !== 'complete') return { name: tc.name, passed: false, detail: `expected complete, got ${r.status} ${r.question?.id ?? ''}` };
      for (const [k, e] of Object.entries(tc.expect ?? {})) {
        if (!sameValue(r.outputs[k], e)) return { name: tc.name, passed: false, detail: `${k}: got ${JSON.stringify(r.outputs[k])}, expected ${JSON.stringify(e)}` };
      }
      return { name: tc.name, passed: true };
    } catch (e) {
      if (e instanceof AppError && tc.expectErrorField) {
        const ok = e.status === 400 && e.field === tc.expectErrorField;
        return { name: tc.name, passed: ok, ...(ok ? {} : { detail: `expected 400 on ${tc.expectErrorField}, got ${e.status} ${e.field}` }) };
      }
      return { name: tc.name, passed: false, detail: (e as Error).message };
    }
  });
}
