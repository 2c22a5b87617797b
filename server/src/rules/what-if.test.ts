import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { InputValues } from './engine';
import { Num } from './num';
import { loadSeedParameters } from './params';
import { builtinRuleSets } from './rulesets';
import { runWhatIf, syntheticContributionPopulation, syntheticContributionRecords, type ValidPopulation, type WhatIfOptions } from './run-what-if';
import { RulesService } from './service';
import { validateInputs } from './validate';
import { runSyntheticWhatIfParallel } from './what-if-parallel';

/** Totals captured from the engine before the what-if was made faster (commit 601b8ab). */
const golden = JSON.parse(readFileSync(new URL('./testing/explanations-601b8ab.json', import.meta.url), 'utf8')).whatIf as {
  people: number;
  seed: number;
  date: string;
  overrides: Record<string, unknown>;
  sum: string[];
  result: { baseline: unknown; scenario: unknown; difference: unknown };
  exact: { baseline: string[]; scenario: string[] };
};
const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
const rs = svc.inForce('contribution', golden.date)!.compiled;

function exactRun(o: Partial<WhatIfOptions> & Pick<WhatIfOptions, 'population'>) {
  let exact: { baseline: string[]; scenario: string[] } | undefined;
  const r = runWhatIf({
    rs,
    params: svc.params,
    date: golden.date,
    overrides: golden.overrides,
    sum: golden.sum,
    ...o,
    onTotals: (baseline, scenario) => (exact = { baseline, scenario }),
  });
  return { r, exact: exact! };
}

test(`what-if totals for the fixed-seed population (${golden.people} people) are unchanged: incremental, full, records and two threads`, async () => {
  const runs = {
    incremental: exactRun({ population: syntheticContributionPopulation(rs, golden.people, golden.seed) }),
    full: exactRun({ population: syntheticContributionPopulation(rs, golden.people, golden.seed), incremental: false }),
    records: exactRun({ population: syntheticContributionRecords(golden.people, golden.seed) }),
  };
  const expected = { baseline: golden.result.baseline, scenario: golden.result.scenario, difference: golden.result.difference };
  for (const [name, { r, exact }] of Object.entries(runs)) {
    assert.deepEqual(exact, golden.exact, name);
    assert.deepEqual({ baseline: r.baseline, scenario: r.scenario, difference: r.difference }, expected, name);
  }
  const p = await runSyntheticWhatIfParallel({ ruleSetId: 'contribution', people: golden.people, date: golden.date, overrides: golden.overrides, sum: golden.sum, threads: 2, seed: golden.seed, chunk: 4096 });
  assert.equal(p.people, golden.people);
  assert.deepEqual({ baseline: p.baseline, scenario: p.scenario, difference: p.difference }, expected);
});

test('generated people are valid by construction: their engine values equal the validated records', () => {
  const pop = syntheticContributionPopulation(rs, 20000, 7) as ValidPopulation;
  assert.equal(pop.kind, 'valid');
  const fast: InputValues[] = [];
  pop.forEach((v) => {
    fast.push(v.slice());
  });
  let k = 0;
  for (const record of syntheticContributionRecords(20000, 7)) {
    const slow = validateInputs(rs.def.inputs, rs.inputIndex, record, 'zh').values;
    const same = slow.every((x, i) => (x instanceof Num ? fast[k][i] instanceof Num && x.eq(fast[k][i] as Num) : x === fast[k][i]));
    assert.ok(same, `person ${k}: ${JSON.stringify(record)}`);
    k++;
  }
  assert.equal(k, 20000);
});

test('the incremental scenario equals a full evaluation for other overrides and for incomplete or invalid rows', () => {
  const csvRows = ['personType,monthlyWage,injuryRiskClass,baseRatio', 'employee,4000,3,', 'employee,,2,', ',5000,,', 'flexible,,,0.61', 'employee,30000,8,', 'employee,4600.5,1,', 'flexible,,,9', 'employee,abc,1,'];
  const records = [...syntheticContributionRecords(3000, 99)];
  for (const overrides of [
    { 'contribution.baseFloorRatio': 0.65 },
    { 'contribution.averageMonthlyWage': 8123.45 },
    { 'contribution.employee.pension.employer': 0.14, 'contribution.baseCeilingRatio': 2.5 },
    { 'contribution.injuryRiskClassEmployerRates': { '1': 0.003, '2': 0.004, '3': 0.007, '4': 0.009, '5': 0.011, '6': 0.013, '7': 0.016, '8': 0.019 } },
  ]) {
    const csvPeople = csvRows.slice(1).map((line) => {
      const cells = line.split(',');
      const o: Record<string, unknown> = {};
      csvRows[0].split(',').forEach((h, i) => {
        if (cells[i] === '') return;
        o[h] = h === 'personType' || Number.isNaN(Number(cells[i])) ? cells[i] : Number(cells[i]);
      });
      return o;
    });
    const population = [...csvPeople, ...records];
    const inc = exactRun({ population, overrides });
    const full = exactRun({ population, overrides, incremental: false });
    assert.deepEqual(inc.exact, full.exact, JSON.stringify(overrides));
    assert.deepEqual({ ...inc.r, ms: 0 }, { ...full.r, ms: 0 });
    assert.equal(inc.r.invalid.length, 2);
    assert.ok(inc.r.baseline.incomplete >= 2);
  }
});
