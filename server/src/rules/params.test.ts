import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSeedParameters } from './params';
import { builtinRuleSets } from './rulesets';
import { RulesService } from './service';

const employee = { personType: 'employee', monthlyWage: 3000, injuryRiskClass: 1 };

test('the demo city overlays the national layer', () => {
  const store = loadSeedParameters();
  assert.deepEqual(store.chain('demo-city'), ['CN', 'demo-city']);
  const r = store.resolve('2025-06-01');
  assert.equal(r.values.get('contribution.averageMonthlyWage'), 7500);
  assert.equal(r.values.get('contribution.employee.pension.personal'), 0.08);
  assert.deepEqual(r.versionIds, ['CN-2025-01-01', 'demo-city-2025-01-01']);
});

test('a parameter change with a new effective date applies to later dates only', () => {
  const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
  svc.params.addVersion({ id: 'demo-city-2026-01-01', jurisdiction: 'demo-city', effectiveFrom: '2026-01-01', values: { 'contribution.averageMonthlyWage': 8000 } });
  const before = svc.determine('contribution', { inputs: employee, date: '2025-12-31' });
  const after = svc.determine('contribution', { inputs: employee, date: '2026-01-01' });
  assert.equal(before.outputs.base, 4500);
  assert.equal(after.outputs.base, 4800);
  assert.deepEqual(after.parameterVersions, ['CN-2025-01-01', 'demo-city-2025-01-01', 'demo-city-2026-01-01']);
  // keys the new version does not set keep their earlier values
  assert.equal(after.outputs.pensionPersonal, 384);
});

test('a national change reaches the city unless the city overrides it', () => {
  const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
  svc.params.addVersion({ id: 'CN-2027-01-01', jurisdiction: 'CN', effectiveFrom: '2027-01-01', values: { 'contribution.baseFloorRatio': 0.65, 'contribution.averageMonthlyWage': 9999 } });
  const r = svc.determine('contribution', { inputs: employee, date: '2027-03-01' });
  // floor = 7500 (city value wins over the national one) × 0.65 (national)
  assert.equal(r.outputs.base, 4875);
  // the national layer alone lacks the city's figures: a clear 400, not a guess
  assert.throws(() => svc.determine('contribution', { inputs: employee, date: '2027-03-01', jurisdiction: 'CN' }), { code: 'parameters_missing' });
});

test('rule-set versions are chosen by effective date', () => {
  const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
  const [ub] = builtinRuleSets.filter((d) => d.id === 'unemployment-benefit');
  svc.addVersion({ ...ub, version: '2026.1', effectiveFrom: '2026-01-01', rules: ub.rules.map((r) => (r.id === 'UB-3' ? { ...r, set: { monthlyAmount: 'round2(minimumMonthlyWage * 0.8)' } } : r)) }, 'published');
  const inputs = { separationReason: 'employerTerminated', contributionMonths: 75, registeredUnemployed: true, receivingPension: false };
  assert.equal(svc.determine('unemployment-benefit', { inputs, date: '2025-12-31' }).outputs.monthlyAmount, 2241);
  const later = svc.determine('unemployment-benefit', { inputs, date: '2026-01-01' });
  assert.equal(later.outputs.monthlyAmount, 1992);
  assert.equal(later.ruleSet.version, '2026.1');
});
