import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../platform/errors';
import { loadSeedParameters } from './params';
import { builtinRuleSets } from './rulesets';
import { RulesService } from './service';

const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
const DATE = '2025-06-01';

function fails(id: string, body: Parameters<RulesService['determine']>[1]): AppError {
  try {
    svc.determine(id, { date: DATE, ...body });
  } catch (e) {
    assert.ok(e instanceof AppError);
    return e;
  }
  assert.fail('expected a 400');
}

const cases: [string, Record<string, unknown>, string, string][] = [
  ['retirement-age', { gender: '男' }, 'gender', 'invalid_value'],
  ['retirement-age', { gender: 1 }, 'gender', 'invalid_type'],
  ['retirement-age', { gender: 'male', birthYearMonth: '1965-13' }, 'birthYearMonth', 'invalid_value'],
  ['retirement-age', { birthYearMonth: '1965-00' }, 'birthYearMonth', 'invalid_value'],
  ['retirement-age', { birthYearMonth: '1965-1' }, 'birthYearMonth', 'invalid_value'],
  ['retirement-age', { birthYearMonth: '1965/01' }, 'birthYearMonth', 'invalid_value'],
  ['retirement-age', { birthYearMonth: '1965-01-15' }, 'birthYearMonth', 'invalid_value'],
  ['retirement-age', { gender: 'male', femaleCategory: 'teacher' }, 'femaleCategory', 'invalid_value'],
  ['contribution', { personType: 'flexible', baseRatio: 3.5 }, 'baseRatio', 'invalid_value'],
  ['contribution', { personType: 'flexible', baseRatio: 0.5 }, 'baseRatio', 'invalid_value'],
  ['contribution', { personType: 'employee', monthlyWage: 8888.888 }, 'monthlyWage', 'invalid_value'],
  ['contribution', { personType: 'employee', monthlyWage: '8888' }, 'monthlyWage', 'invalid_type'],
  ['contribution', { personType: 'employee', monthlyWage: -0.01 }, 'monthlyWage', 'invalid_value'],
  ['contribution', { personType: 'employee', injuryRiskClass: 2.5 }, 'injuryRiskClass', 'invalid_value'],
  ['contribution', { personType: 'flexible', baseRatio: 1, monthlyWage: -1 }, 'monthlyWage', 'invalid_value'],
  ['pension-estimate', { contributionYears: 15.555 }, 'contributionYears', 'invalid_value'],
  ['pension-estimate', { averageContributionIndex: 1.23456 }, 'averageContributionIndex', 'invalid_value'],
  ['pension-estimate', { retirementYear: 2030, contributionYears: 1, personalAccountBalance: 1e-7 }, 'personalAccountBalance', 'invalid_value'],
  ['unemployment-benefit', { registeredUnemployed: 'true' }, 'registeredUnemployed', 'invalid_type'],
  ['unemployment-benefit', { receivingPension: 1 }, 'receivingPension', 'invalid_type'],
  ['unemployment-benefit', { contributionMonths: 601 }, 'contributionMonths', 'invalid_value'],
  ['unemployment-benefit', { separationReason: 'voluntaryResignation', foo: 1 }, 'foo', 'unknown_input'],
];

for (const [id, inputs, field, code] of cases) {
  test(`${id}: ${JSON.stringify(inputs)} is a 400 on ${field} (${code})`, () => {
    const e = fails(id, { inputs });
    assert.equal(e.status, 400);
    assert.equal(e.field, field);
    assert.equal(e.code, code);
    assert.match(e.message, /[\u4e00-\u9fff]/);
  });
}

test('inputs must be an object', () => {
  for (const inputs of [[], 'x', 3, true]) assert.equal(fails('contribution', { inputs }).field, 'inputs');
});

test('null means not supplied, and accepted number forms follow decimal(n)', () => {
  const r = svc.determine('contribution', { inputs: { personType: 'employee', monthlyWage: null }, date: DATE });
  assert.equal(r.question?.id, 'monthlyWage');
  for (const w of [8888.88, 4500, 4500.5]) {
    assert.equal(svc.determine('contribution', { inputs: { personType: 'employee', monthlyWage: w, injuryRiskClass: 1 }, date: DATE }).status, 'complete');
  }
});

test('validation comes first: an invalid input is a 400 even when other inputs are missing', () => {
  assert.equal(fails('unemployment-benefit', { inputs: { receivingPension: 'no' } }).field, 'receivingPension');
});

test('messages are in English when asked', () => {
  const e = fails('contribution', { inputs: { personType: 'flexible', baseRatio: 3.5 }, lang: 'en' });
  assert.match(e.message, /baseRatio .* not valid: expected a number from 0.6 to 3/);
});

test('goal, date and jurisdiction are validated', () => {
  assert.equal(fails('contribution', { inputs: {}, goal: 'nope' }).field, 'goal');
  assert.equal(fails('contribution', { inputs: {}, date: '2024-12-31' }).field, 'date');
  assert.equal(fails('contribution', { inputs: {}, date: '2025-02-30' }).field, 'date');
  assert.equal(fails('contribution', { inputs: {}, jurisdiction: 'mars' }).field, 'jurisdiction');
  const e = fails('nope', { inputs: {} });
  assert.equal(e.status, 404);
});
