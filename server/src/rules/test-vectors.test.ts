import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { AppError } from '../platform/errors';
import { RulesService } from './service';
import { loadSeedParameters } from './params';
import { builtinRuleSets } from './rulesets';

interface Vector {
  id: string;
  ruleSet: string;
  request: { inputs: unknown; goal?: string };
  expect: { status: 'complete'; outputs: Record<string, unknown> } | { status: 'need_input'; question: string } | { status: 400; field: string };
}

const file = JSON.parse(readFileSync(new URL('./test-vectors.json', import.meta.url), 'utf8')) as { date: string; vectors: Vector[] };

/** RULESETS.md §1.8: money to the fen, everything else equal. */
export function matches(actual: Record<string, unknown>, expected: Record<string, unknown>): string | null {
  for (const [k, e] of Object.entries(expected)) {
    if (!(k in actual)) return `${k} missing`;
    const a = actual[k];
    if (typeof e === 'number' && typeof a === 'number') {
      if (Math.abs(a - e) >= 0.005) return `${k}: ${a} ≠ ${e}`;
    } else if (JSON.stringify(a) !== JSON.stringify(e)) return `${k}: ${JSON.stringify(a)} ≠ ${JSON.stringify(e)}`;
  }
  return null;
}

test(`the engine agrees with the independent reference on all ${file.vectors.length} held-out vectors`, () => {
  const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
  const failures: string[] = [];
  for (const v of file.vectors) {
    try {
      const r = svc.determine(v.ruleSet, { inputs: v.request.inputs, goal: v.request.goal, date: file.date });
      if (v.expect.status === 400) failures.push(`${v.id}: expected 400 ${v.expect.field}, got ${r.status}`);
      else if (v.expect.status === 'need_input') {
        if (r.status !== 'need_input' || r.question?.id !== v.expect.question) failures.push(`${v.id}: expected question ${v.expect.question}, got ${r.status} ${r.question?.id}`);
      } else {
        if (r.status !== 'complete') failures.push(`${v.id}: expected complete, got ${r.status} ${r.question?.id}`);
        else {
          const m = matches(r.outputs, v.expect.outputs);
          if (m) failures.push(`${v.id}: ${m}`);
          if (!v.request.goal) {
            const ids = svc.getRuleSet(v.ruleSet).outputs.map((o) => o.id);
            for (const id of ids) if (!(id in r.outputs)) failures.push(`${v.id}: output ${id} absent`);
          }
        }
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (v.expect.status !== 400) failures.push(`${v.id}: unexpected ${e.status} ${e.field} ${e.message}`);
      else if (e.status !== 400 || e.field !== v.expect.field) failures.push(`${v.id}: expected 400 ${v.expect.field}, got ${e.status} ${e.field}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('the held-out vectors cover all four rule sets, every status and at least 500 cases', () => {
  assert.ok(file.vectors.length >= 500);
  for (const id of ['retirement-age', 'contribution', 'pension-estimate', 'unemployment-benefit']) {
    const mine = file.vectors.filter((v) => v.ruleSet === id);
    for (const s of ['complete', 'need_input', 400]) assert.ok(mine.some((v) => v.expect.status === s), `${id} has ${s}`);
  }
});
