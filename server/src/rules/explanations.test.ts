import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadSeedParameters } from './params';
import { builtinRuleSets } from './rulesets';
import { RulesService } from './service';

/**
 * Explanations are rendered lazily from the structured trace. These responses were captured from
 * the engine before that change (commit 601b8ab, which built every text during evaluation) for
 * held-out vectors and hand-picked cases (interview questions, 不知道, suggestions) in both
 * languages; the lazily rendered responses must be the same, text for text. Later deliberate
 * wording fixes are applied to the file too (RA-1 names the category, 男职工 not "male"; RA-2 gives
 * the original age in years; the headline of each finished result; a clause whose value was never
 * determined is left out instead of showing （未知）, and a column a matched row does not test is
 * not listed; 不符合 instead of 否符合).
 */
const golden = JSON.parse(readFileSync(new URL('./testing/explanations-601b8ab.json', import.meta.url), 'utf8')) as {
  cases: { ruleSet: string; request: Record<string, unknown>; response: Record<string, unknown> }[];
};
const svc = new RulesService(loadSeedParameters(), builtinRuleSets);

test(`lazily rendered explanations, questions, notes and suggestions equal those rendered before (${golden.cases.length} responses, zh and en)`, () => {
  const diffs: string[] = [];
  for (const c of golden.cases) {
    const r = svc.determine(c.ruleSet, c.request);
    const actual = JSON.parse(JSON.stringify(r));
    try {
      assert.deepStrictEqual(actual, c.response);
    } catch {
      diffs.push(`${c.ruleSet} ${JSON.stringify(c.request)}`);
    }
  }
  assert.deepEqual(diffs, []);
  assert.ok(golden.cases.some((c) => Array.isArray(c.response.explanation) && (c.response.explanation as unknown[]).length > 0));
  assert.ok(golden.cases.some((c) => c.response.question && (c.response.question as { why: string }).why));
  assert.ok(golden.cases.some((c) => c.response.suggestions));
  assert.ok(golden.cases.some((c) => c.response.status === 'conditional'));
});

test('the structured trace is the explanation without its texts, and texts are rendered only when read', () => {
  for (const c of golden.cases) {
    const r = svc.determine(c.ruleSet, c.request);
    const expected = ((c.response.explanation ?? []) as Record<string, unknown>[]).map(({ rule, values, result, row }) => ({ rule, values, result, ...(row === undefined ? {} : { row }) }));
    assert.deepStrictEqual(r.trace!.records(), expected, `${c.ruleSet} ${JSON.stringify(c.request)}`);
    assert.deepEqual(r.trace!.ruleIds(), expected.map((e) => e.rule));
  }
  const r = svc.determine('contribution', { inputs: { personType: 'employee', monthlyWage: 3000, injuryRiskClass: 4 }, date: '2025-06-01' });
  // nothing rendered yet; the first read renders and keeps the entries
  assert.equal((r.trace as unknown as { rendered?: unknown }).rendered, undefined);
  const e = r.explanation!;
  assert.equal(r.explanation, e);
  assert.match(e.find((x) => x.rule === 'CO-2')!.why, /缴费基数按4500.00元计算/);
  // a determination without a trace carries no texts
  const bare = svc.determine('contribution', { inputs: { personType: 'employee', monthlyWage: 3000, injuryRiskClass: 4 }, date: '2025-06-01', explain: false });
  assert.equal(bare.trace, undefined);
  assert.equal(JSON.parse(JSON.stringify(bare)).explanation, undefined);
  assert.deepEqual(bare.outputs, r.outputs);
});
