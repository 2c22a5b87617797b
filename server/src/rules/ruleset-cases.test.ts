import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSeedParameters } from './params';
import { runRuleSetTests } from './run-ruleset-tests';
import { builtinRuleSets } from './rulesets';
import { contribution } from './rulesets/contribution';

for (const def of builtinRuleSets) {
  test(`rule set ${def.id} passes its own test cases`, () => {
    const results = runRuleSetTests(def, loadSeedParameters());
    assert.ok(results.length >= 10);
    assert.deepEqual(results.filter((r) => !r.passed), []);
  });
}

test('a rule set version with a wrong expectation fails its tests', () => {
  const broken = { ...contribution, version: 'broken', tests: [{ name: 'wrong', inputs: { personType: 'flexible', baseRatio: 0.6 }, expect: { base: 4600 } }] };
  const [r] = runRuleSetTests(broken, loadSeedParameters());
  assert.equal(r.passed, false);
  assert.match(r.detail!, /base/);
});

test('a rule set version whose FEEL does not compile fails its tests', () => {
  const broken = { ...contribution, version: 'broken', rules: contribution.rules.map((r) => (r.id === 'CO-9' ? { ...r, set: { personalAccountMonthly: 'round2(base *' } } : r)) };
  const [r] = runRuleSetTests(broken, loadSeedParameters());
  assert.equal(r.passed, false);
  assert.match(r.detail!, /CO-9/);
});
