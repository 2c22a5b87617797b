import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { PARAMETER_TYPES, parameterValueProblem } from './parameter-types';
import { loadSeedParameters } from './params';
import { builtinRuleSets } from './rulesets';
import { RulesService } from './service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('parameter values and dates are checked before they are stored', () => {
  let t: TestApp;
  let editor: string;
  let reviewer: string;
  before(async () => {
    t = await startTestApp({ seed: false });
    editor = await t.tokenFor(['editor']);
    reviewer = await t.tokenFor(['reviewer']);
  });
  after(async () => t?.close());

  const submit = (values: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/policy/parameters', headers: bearer(editor), payload: { jurisdiction: 'demo-city', effectiveFrom: '2030-01-01', values, ...extra } });

  it('a value of the wrong type or out of range is a 400 naming the parameter', async () => {
    const bad: [string, unknown][] = [
      ['contribution.averageMonthlyWage', 'abc'],
      ['contribution.averageMonthlyWage', { a: [1] }],
      ['contribution.averageMonthlyWage', -1],
      ['contribution.averageMonthlyWage', 7500.123],
      ['contribution.averageMonthlyWage', true],
      ['unemploymentBenefit.benefitRatio', 1.5],
      ['contribution.employee.pension.personal', '0.08'],
      ['unemploymentBenefit.minContributionMonths', 12.5],
      ['retirementAge.reformStartMonth', '2025-13'],
      ['retirementAge.reformStartMonth', 202501],
      ['retirementAge.categories', { male: { originalAgeYears: 60 } }],
      ['contribution.injuryRiskClassEmployerRates', { 1: 0.002 }],
      ['pensionEstimate.accountDivisorByAge', [139]],
      ['unemploymentBenefit.durationBands', [{ fromMonths: 'x', toMonths: null, maxMonths: 12 }]],
      ['unemploymentBenefit.durationBands', []],
    ];
    for (const [key, value] of bad) {
      const res = await submit({ [key]: value });
      assert.equal(res.statusCode, 400, `${key} = ${JSON.stringify(value)}: ${res.body}`);
      const error = res.json().error;
      assert.equal(error.code, 'invalid_parameter_value', `${key} = ${JSON.stringify(value)}`);
      assert.equal(error.field, `values.${key}`);
      assert.ok(error.message.includes(key), error.message);
    }
    const labelled = (await submit({ 'contribution.averageMonthlyWage': 'abc' })).json().error.message;
    assert.match(labelled, /全口径城镇单位就业人员月平均工资/);
  });

  it('well-formed values of every kind are accepted', async () => {
    const res = await submit({
      'contribution.averageMonthlyWage': 8123.45,
      'unemploymentBenefit.benefitRatio': 0.85,
      'retirementAge.reformStartMonth': '2025-01',
      'unemploymentBenefit.durationBands': [
        { fromMonths: 12, toMonths: 59, maxMonths: 12 },
        { fromMonths: 60, toMonths: null, maxMonths: 24 },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
  });

  it('a workbook import with a bad value is refused the same way', async () => {
    const { writeParametersWorkbook } = await import('./transfer-xlsx');
    const buf = await writeParametersWorkbook([{ id: 'bad-import', jurisdiction: 'demo-city', effectiveFrom: '2030-01-01', effectiveTo: null, values: { 'contribution.averageMonthlyWage': 'abc' } }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/policy/parameters/import', payload: buf, headers: { ...bearer(editor), 'content-type': XLSX } });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'invalid_parameter_value');
  });

  it('what-if overrides are checked like parameter versions', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/rulesets/contribution/what-if',
      headers: bearer(reviewer),
      payload: { date: '2025-06-01', overrides: { baseFloorRatio: 'abc' }, sum: ['personalTotal'], population: { generate: 10 } },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'invalid_parameter_value');
  });

  it('impossible dates are refused wherever the rules API takes one', async () => {
    for (const extra of [{ effectiveFrom: '2099-02-30' }, { effectiveFrom: '2030-01-01', effectiveTo: '2099-13-01' }]) {
      const res = await submit({ 'contribution.averageMonthlyWage': 8000 }, extra);
      assert.equal(res.statusCode, 400, JSON.stringify(extra));
      assert.equal(res.json().error.field, Object.keys(extra).at(-1));
    }
    for (const url of ['/api/v1/policy/parameters/in-force?date=2025-99-99', '/api/v1/policy/parameters/in-force?date=2025-02-30', '/api/v1/policy/rulesets?date=2025-02-30', '/api/v1/policy/rulesets/contribution?date=2025-04-31']) {
      const res = await t.app.inject({ url });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().error.field, 'date', url);
    }
    const whatIf = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/contribution/what-if', headers: bearer(reviewer), payload: { date: '2025-02-30', overrides: {}, sum: ['base'], population: { generate: 10 } } });
    assert.equal(whatIf.statusCode, 400);
    const determine = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/contribution/determine', payload: { inputs: {}, date: '2025-02-29' } });
    assert.equal(determine.statusCode, 400);
    assert.equal(determine.json().error.field, 'date');
    const doc = { ...builtinRuleSets.find((d) => d.id === 'contribution')!, version: '2099.1', effectiveFrom: '2099-02-30' };
    const saved = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/contribution/versions', headers: bearer(editor), payload: doc });
    assert.equal(saved.statusCode, 400);
    assert.equal(saved.json().error.field, 'effectiveFrom');
    const { writeParametersWorkbook } = await import('./transfer-xlsx');
    const buf = await writeParametersWorkbook([{ id: 'bad-date', jurisdiction: 'demo-city', effectiveFrom: '2099-02-30', effectiveTo: null, values: { 'contribution.averageMonthlyWage': 8000 } }]);
    const imported = await t.app.inject({ method: 'POST', url: '/api/v1/policy/parameters/import', payload: buf, headers: { ...bearer(editor), 'content-type': XLSX } });
    assert.equal(imported.statusCode, 400, imported.body);
    assert.equal(imported.json().error.field, 'effectiveFrom');
  });
});

test('a determination over an unusable parameter value is a clear error, not "complete" with null outputs', () => {
  const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
  // as a version stored before values were checked could hold
  svc.params.addVersion({ id: 'legacy-bad', jurisdiction: 'demo-city', effectiveFrom: '2026-01-01', values: { 'contribution.averageMonthlyWage': 'abc' } });
  const inputs = { personType: 'employee', monthlyWage: 3000, injuryRiskClass: 1 };
  assert.equal(svc.determine('contribution', { inputs, date: '2025-12-31' }).outputs.base, 4500);
  assert.throws(() => svc.determine('contribution', { inputs, date: '2026-01-01' }), (e: any) => {
    assert.equal(e.code, 'parameter_unusable');
    assert.equal(e.status, 503);
    assert.match(e.message, /contribution\.averageMonthlyWage/);
    return true;
  });
  // rule sets that do not read it are unaffected
  const ub = svc.determine('unemployment-benefit', { inputs: { separationReason: 'voluntaryResignation' }, date: '2026-01-01' });
  assert.equal(ub.status, 'complete');
});

test('every seed parameter and every parameter a built-in rule set reads has a declared type that its seed value meets', () => {
  const store = loadSeedParameters();
  const keys = new Set([...store.listVersions().flatMap((v) => Object.keys(v.values)), ...builtinRuleSets.flatMap((d) => d.parameters.map((p) => p.key))]);
  for (const key of keys) assert.ok(PARAMETER_TYPES[key], `${key} has no declared type`);
  for (const v of store.listVersions()) {
    for (const [key, value] of Object.entries(v.values)) assert.equal(parameterValueProblem(key, value), undefined, `${v.id} ${key}`);
  }
});
