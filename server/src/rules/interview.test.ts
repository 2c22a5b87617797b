import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSeedParameters } from './params';
import { builtinRuleSets } from './rulesets';
import { RulesService } from './service';

const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
const DATE = '2025-06-01';

/** Plays an interview: answers questions from `answers` until complete; returns the questions asked. */
function interview(id: string, answers: Record<string, unknown>): { asked: string[]; outputs: Record<string, unknown> } {
  const given: Record<string, unknown> = {};
  const asked: string[] = [];
  for (let k = 0; k < 10; k++) {
    const r = svc.determine(id, { inputs: given, date: DATE });
    if (r.status === 'complete') return { asked, outputs: r.outputs };
    assert.equal(r.status, 'need_input');
    const q = r.question!.id;
    asked.push(q);
    assert.ok(q in answers, `asked ${q} which the script does not answer`);
    given[q] = answers[q];
  }
  throw new Error('interview did not end');
}

const scripts: [string, string, Record<string, unknown>, string[]][] = [
  ['retirement-age, man', 'retirement-age', { gender: 'male', femaleCategory: 'worker', birthYearMonth: '1971-06' }, ['gender', 'birthYearMonth']],
  ['retirement-age, woman', 'retirement-age', { gender: 'female', femaleCategory: 'worker', birthYearMonth: '1982-01' }, ['gender', 'femaleCategory', 'birthYearMonth']],
  ['contribution, employee', 'contribution', { personType: 'employee', monthlyWage: 8888.88, injuryRiskClass: 2, baseRatio: 1 }, ['personType', 'monthlyWage', 'injuryRiskClass']],
  ['contribution, flexible worker', 'contribution', { personType: 'flexible', monthlyWage: 1, injuryRiskClass: 1, baseRatio: 0.6 }, ['personType', 'baseRatio']],
  ['pension-estimate, eligible', 'pension-estimate', { retirementYear: 2030, contributionYears: 30, retirementAgeYears: 60, averageContributionIndex: 1.2, personalAccountBalance: 150000 }, ['retirementYear', 'contributionYears', 'retirementAgeYears', 'averageContributionIndex', 'personalAccountBalance']],
  ['pension-estimate, ineligible', 'pension-estimate', { retirementYear: 2032, contributionYears: 16.25, retirementAgeYears: 60, averageContributionIndex: 1, personalAccountBalance: 1 }, ['retirementYear', 'contributionYears']],
  ['unemployment-benefit, voluntary resignation', 'unemployment-benefit', { separationReason: 'voluntaryResignation', contributionMonths: 30, registeredUnemployed: true, receivingPension: false }, ['separationReason']],
  ['unemployment-benefit, retired', 'unemployment-benefit', { separationReason: 'retired', contributionMonths: 30, registeredUnemployed: true, receivingPension: true }, ['separationReason']],
  ['unemployment-benefit, involuntary, 8 months', 'unemployment-benefit', { separationReason: 'contractExpiredNotRenewed', contributionMonths: 8, registeredUnemployed: false, receivingPension: false }, ['separationReason', 'contributionMonths']],
  ['unemployment-benefit, not registered', 'unemployment-benefit', { separationReason: 'employerTerminated', contributionMonths: 30, registeredUnemployed: false, receivingPension: false }, ['separationReason', 'contributionMonths', 'registeredUnemployed']],
  ['unemployment-benefit, eligible', 'unemployment-benefit', { separationReason: 'employerTerminated', contributionMonths: 75, registeredUnemployed: true, receivingPension: false }, ['separationReason', 'contributionMonths', 'registeredUnemployed', 'receivingPension']],
  ['unemployment-benefit, receiving a pension', 'unemployment-benefit', { separationReason: 'employerTerminated', contributionMonths: 75, registeredUnemployed: true, receivingPension: true }, ['separationReason', 'contributionMonths', 'registeredUnemployed', 'receivingPension']],
];

for (const [name, id, answers, expected] of scripts) {
  test(`interview script §6.2: ${name} asks ${expected.join(' → ')}`, () => {
    assert.deepEqual(interview(id, answers).asked, expected);
  });
}

test('an unemployment interview starting with voluntary resignation ends after one answer with that reason', () => {
  const r = svc.determine('unemployment-benefit', { inputs: { separationReason: 'voluntaryResignation' }, date: DATE });
  assert.equal(r.status, 'complete');
  assert.deepEqual(r.outputs, { eligible: false, ineligibleReasons: ['voluntarySeparation'], maxMonths: null, monthlyAmount: null });
});

test('any subset of inputs asks the first needed unsupplied input in interview order', () => {
  assert.equal(svc.determine('contribution', { inputs: { monthlyWage: 8000 }, date: DATE }).question?.id, 'personType');
  assert.equal(
    svc.determine('pension-estimate', { inputs: { retirementYear: 2030, contributionYears: 30, averageContributionIndex: 1, personalAccountBalance: 100000 }, date: DATE }).question?.id,
    'retirementAgeYears',
  );
  assert.equal(svc.determine('retirement-age', { inputs: { birthYearMonth: '1970-01', femaleCategory: 'cadre' }, date: DATE }).question?.id, 'gender');
  assert.equal(svc.determine('unemployment-benefit', { inputs: { contributionMonths: 30, receivingPension: false }, date: DATE }).question?.id, 'separationReason');
});

test('a later disqualifying answer completes the unemployment determination even when earlier ones are missing', () => {
  const r = svc.determine('unemployment-benefit', { inputs: { receivingPension: true }, date: DATE });
  assert.equal(r.status, 'complete');
  assert.deepEqual(r.outputs.ineligibleReasons, ['receivingPension']);
});

test('need_input answers carry only outputs already known, and never the companion reasons', () => {
  const r = svc.determine('pension-estimate', { inputs: { retirementYear: 2030, contributionYears: 30 }, date: DATE });
  assert.equal(r.status, 'need_input');
  assert.equal(r.outputs.eligibleMonthly, true);
  assert.equal(r.outputs.minContributionYears, 15.5);
  assert.ok(!('basicPension' in r.outputs));
  const u = svc.determine('unemployment-benefit', { inputs: { separationReason: 'employerTerminated' }, date: DATE });
  assert.ok(!('ineligibleReasons' in u.outputs));
});

test('changing answers re-evaluates: switching to male ignores femaleCategory; raising years makes the pension questions needed', () => {
  const f = svc.determine('retirement-age', { inputs: { gender: 'female', femaleCategory: 'worker', birthYearMonth: '1971-06' }, date: DATE });
  const m = svc.determine('retirement-age', { inputs: { gender: 'male', femaleCategory: 'worker', birthYearMonth: '1971-06' }, date: DATE });
  assert.equal(f.outputs.originalAgeMonths, 600);
  assert.equal(m.outputs.originalAgeMonths, 720);
  const low = svc.determine('pension-estimate', { inputs: { retirementYear: 2030, contributionYears: 10 }, date: DATE });
  assert.equal(low.status, 'complete');
  const high = svc.determine('pension-estimate', { inputs: { retirementYear: 2030, contributionYears: 20 }, date: DATE });
  assert.equal(high.question?.id, 'retirementAgeYears');
});

test('a named goal needs only the inputs it depends on', () => {
  const a = svc.determine('retirement-age', { inputs: { gender: 'female', femaleCategory: 'cadre' }, goal: 'originalAgeMonths', date: DATE });
  assert.equal(a.status, 'complete');
  assert.equal(a.outputs.originalAgeMonths, 660);
  const b = svc.determine('contribution', { inputs: { personType: 'employee', monthlyWage: 3000 }, goal: 'base', date: DATE });
  assert.equal(b.status, 'complete');
  assert.equal(b.outputs.base, 4500);
  const c = svc.determine('pension-estimate', { inputs: { retirementYear: 2031 }, goal: 'minContributionYears', date: DATE });
  assert.equal(c.outputs.minContributionYears, 16);
});

test('"why are you asking" names the rule that needs the answer and the outputs it can change', () => {
  const r = svc.determine('contribution', { inputs: { personType: 'employee', monthlyWage: 8000 }, date: DATE });
  assert.equal(r.question?.id, 'injuryRiskClass');
  assert.match(r.question!.why, /CO-7/);
  assert.match(r.question!.why, /工伤保险（单位）/);
  assert.doesNotMatch(r.question!.why, /养老保险/);
  const en = svc.determine('contribution', { inputs: { personType: 'employee', monthlyWage: 8000 }, date: DATE, lang: 'en' });
  assert.match(en.question!.why, /CO-7/);
  assert.equal(en.question!.text, 'Which work-injury industry risk class (1 lowest … 8 highest) is your employer in?');
});

test('"不知道" keeps the result conditional instead of asking again', () => {
  const r = svc.determine('pension-estimate', {
    inputs: { retirementYear: 2030, contributionYears: 30, retirementAgeYears: 60, averageContributionIndex: 1 },
    unknown: ['personalAccountBalance'],
    date: DATE,
  });
  assert.equal(r.status, 'conditional');
  assert.deepEqual(r.unknownInputs, ['personalAccountBalance']);
  assert.equal(r.outputs.basicPension, 2250);
  assert.ok(!('monthlyPension' in r.outputs));
  // unknown is not zero: a zero balance completes
  const z = svc.determine('pension-estimate', { inputs: { retirementYear: 2030, contributionYears: 30, retirementAgeYears: 60, averageContributionIndex: 1, personalAccountBalance: 0 }, date: DATE });
  assert.equal(z.status, 'complete');
  assert.equal(z.outputs.monthlyPension, 2250);
});

test('an ineligible result names the smallest change that would make it eligible', () => {
  const p = svc.determine('pension-estimate', { inputs: { retirementYear: 2032, contributionYears: 16.25 }, date: DATE });
  assert.deepEqual(p.suggestions?.map((s) => [s.input, s.to, s.delta]), [['contributionYears', 16.5, 0.25]]);
  const u = svc.determine('unemployment-benefit', { inputs: { separationReason: 'employerTerminated', contributionMonths: 9, registeredUnemployed: true, receivingPension: false }, date: DATE });
  assert.equal(u.suggestions?.[0].delta, 3);
  assert.equal(u.suggestions?.[0].conditional, false);
  assert.match(u.suggestions![0].text, /再累计缴纳3个月/);
  const v = svc.determine('unemployment-benefit', { inputs: { separationReason: 'voluntaryResignation' }, date: DATE });
  assert.equal(v.suggestions, undefined);
});

test('each result carries a decision trace with rule ids, citations, values used and a plain why', () => {
  const r = svc.determine('contribution', { inputs: { personType: 'employee', monthlyWage: 3000, injuryRiskClass: 4 }, date: DATE });
  const ids = r.explanation!.map((e) => e.rule);
  assert.deepEqual(ids, ['CO-1', 'CO-2', 'CO-4', 'CO-5', 'CO-6', 'CO-7', 'CO-8', 'CO-9']);
  const co2 = r.explanation!.find((e) => e.rule === 'CO-2')!;
  assert.equal(co2.citation, '国办发〔2019〕13号');
  assert.equal(co2.values.monthlyWage, 3000);
  assert.equal(co2.result.base, 4500);
  assert.match(co2.why, /缴费基数按4500.00元计算/);
  const co7 = r.explanation!.find((e) => e.rule === 'CO-7')!;
  assert.equal(co7.values.injuryRiskClass, 4);
  assert.ok(!('flexiblePensionRate' in r.explanation!.find((e) => e.rule === 'CO-4')!.values));
  const ra = svc.determine('retirement-age', { inputs: { gender: 'male', birthYearMonth: '1964-12' }, date: DATE });
  assert.ok(ra.explanation!.some((e) => e.rule === 'RA-3' && /早于改革施行月份/.test(e.why)));
  const pe = svc.determine('pension-estimate', { inputs: { retirementYear: 2030, contributionYears: 30, retirementAgeYears: 60, averageContributionIndex: 1.2, personalAccountBalance: 150000 }, date: DATE });
  assert.ok(pe.notes!.some((n) => n.includes('本测算未包含过渡性养老金及地方补贴')));
});

test('every determination can be replayed from its record', () => {
  const { result, record } = svc.determineWithRecord('contribution', { inputs: { personType: 'flexible', baseRatio: 1.5 }, date: DATE });
  const rec = record;
  assert.equal(rec.ruleSetVersion, '2025.1');
  assert.deepEqual(rec.parameterVersions, ['CN-2025-01-01', 'demo-city-2025-01-01']);
  assert.equal(rec.parameters.averageMonthlyWage, 7500);
  const again = svc.determine(rec.ruleSetId, { inputs: rec.inputs, date: rec.date, jurisdiction: rec.jurisdiction });
  assert.deepEqual(again.outputs, result.outputs);
});
