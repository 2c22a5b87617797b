/**
 * npm run bench:policy — rules-engine throughput.
 *
 * 1. determinations/second per rule set through the service API (validation, parameters in force
 *    on the date, goal-directed evaluation), with the full explanation and without it;
 * 2. the same contribution rules in json-rules-engine, in the same run, for comparison;
 * 3. a what-if over a generated population of 1,000,000 people: contribution income under
 *    baseFloorRatio 0.60 (in force) and 0.65 (scenario), streamed, exact totals.
 */
import Decimal from 'decimal.js';
import { Engine } from 'json-rules-engine';
import { loadSeedParameters } from '../server/src/rules/params';
import { builtinRuleSets } from '../server/src/rules/rulesets';
import { runWhatIf, syntheticContributionPopulation } from '../server/src/rules/run-what-if';
import { RulesService, type DetermineRequest } from '../server/src/rules/service';
import { runSyntheticWhatIfParallel } from '../server/src/rules/what-if-parallel';

const DATE = '2025-06-01';
const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
const people = Number(process.env.BENCH_POLICY_PEOPLE ?? 1_000_000);

const samples: Record<string, Record<string, unknown>[]> = {
  'retirement-age': Array.from({ length: 512 }, (_, i) => ({
    gender: i % 2 ? 'male' : 'female',
    femaleCategory: i % 3 ? 'worker' : 'cadre',
    birthYearMonth: `${1950 + (i % 50)}-${String(1 + (i % 12)).padStart(2, '0')}`,
  })),
  contribution: Array.from({ length: 512 }, (_, i) =>
    i % 5 === 4
      ? { personType: 'flexible', baseRatio: Math.round((0.6 + (i % 240) / 100) * 100) / 100 }
      : { personType: 'employee', monthlyWage: 2000 + ((i * 137.37) % 28000) - (((i * 137.37) % 28000) % 0.01), injuryRiskClass: 1 + (i % 8) },
  ).map((p) => ('monthlyWage' in p ? { ...p, monthlyWage: Math.round((p.monthlyWage as number) * 100) / 100 } : p)),
  'pension-estimate': Array.from({ length: 512 }, (_, i) => ({
    retirementYear: 2025 + (i % 20),
    contributionYears: 10 + (i % 30) + 0.25,
    retirementAgeYears: 50 + (i % 21),
    averageContributionIndex: Math.round((0.6 + (i % 240) / 100) * 100) / 100,
    personalAccountBalance: Math.round((10000 + i * 313.13) * 100) / 100,
  })),
  'unemployment-benefit': Array.from({ length: 512 }, (_, i) => ({
    separationReason: ['employerTerminated', 'contractExpiredNotRenewed', 'forcedResignation', 'voluntaryResignation', 'retired'][i % 5],
    contributionMonths: i % 200,
    registeredUnemployed: i % 7 !== 0,
    receivingPension: i % 11 === 0,
  })),
};

function rate(fn: (i: number) => unknown, minMs = 1500): number {
  for (let i = 0; i < 20000; i++) fn(i);
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (let k = 0; k < 5000; k++) fn(n++);
    t = performance.now();
  }
  return n / ((t - t0) / 1000);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`rules engine benchmark (node ${process.version}, one thread)\n`);
console.log('determinations/second through RulesService.determine:');
console.log('rule set               with explanation   without explanation');
const perSet: Record<string, { explained: number; bare: number }> = {};
for (const id of Object.keys(samples)) {
  const s = samples[id];
  const req = (i: number, explain: boolean): DetermineRequest => ({ inputs: s[i & 511], date: DATE, explain });
  const explained = rate((i) => svc.determine(id, req(i, true)));
  const bare = rate((i) => svc.determine(id, req(i, false)));
  perSet[id] = { explained, bare };
  console.log(`${id.padEnd(22)} ${fmt(explained).padStart(16)}   ${fmt(bare).padStart(19)}`);
}

// ---- json-rules-engine: the same contribution rules (CO-1 … CO-9) ----
// Conditions select the branch, the base limit and the rates; amounts are computed from the
// events with decimal.js so both engines produce the same exact results.
const P = { avg: new Decimal(7500), floorRatio: new Decimal('0.6'), ceilRatio: new Decimal(3) };
const floor = P.avg.times(P.floorRatio).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const ceiling = P.avg.times(P.ceilRatio).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const injuryRates: Record<number, string> = { 1: '0.002', 2: '0.004', 3: '0.007', 4: '0.009', 5: '0.011', 6: '0.013', 7: '0.016', 8: '0.019' };
const jre = new Engine([], { allowUndefinedFacts: true });
const emp = { fact: 'personType', operator: 'equal', value: 'employee' };
jre.addRule({ name: 'CO-2 floor', conditions: { all: [emp, { fact: 'monthlyWage', operator: 'lessThan', value: floor.toNumber() }] }, event: { type: 'base', params: { source: 'floor' } } });
jre.addRule({ name: 'CO-2 ceiling', conditions: { all: [emp, { fact: 'monthlyWage', operator: 'greaterThan', value: ceiling.toNumber() }] }, event: { type: 'base', params: { source: 'ceiling' } } });
jre.addRule({
  name: 'CO-2 wage',
  conditions: { all: [emp, { fact: 'monthlyWage', operator: 'greaterThanInclusive', value: floor.toNumber() }, { fact: 'monthlyWage', operator: 'lessThanInclusive', value: ceiling.toNumber() }] },
  event: { type: 'base', params: { source: 'wage' } },
});
jre.addRule({ name: 'CO-3', conditions: { all: [{ fact: 'personType', operator: 'equal', value: 'flexible' }] }, event: { type: 'base', params: { source: 'ratio' } } });
jre.addRule({ name: 'CO-4..6 employee', conditions: { all: [emp] }, event: { type: 'rates', params: { pp: '0.08', pe: '0.16', mp: '0.02', me: '0.075', up: '0.005', ue: '0.005' } } });
jre.addRule({ name: 'CO-4..6 flexible', conditions: { all: [{ fact: 'personType', operator: 'equal', value: 'flexible' }] }, event: { type: 'rates', params: { pp: '0.2', pe: '0', mp: '0.08', me: '0', up: '0', ue: '0' } } });
for (const [cls, r] of Object.entries(injuryRates)) {
  jre.addRule({ name: `CO-7 class ${cls}`, conditions: { all: [emp, { fact: 'injuryRiskClass', operator: 'equal', value: Number(cls) }] }, event: { type: 'injury', params: { rate: r } } });
}
const r2 = (x: Decimal) => x.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
async function jreDetermine(facts: Record<string, unknown>) {
  const { events } = await jre.run(facts);
  let base = floor;
  let rates: Record<string, string> = {};
  let injury = '0';
  for (const e of events) {
    if (e.type === 'base') {
      const src = e.params!.source;
      base = src === 'floor' ? floor : src === 'ceiling' ? ceiling : src === 'wage' ? new Decimal(facts.monthlyWage as number) : r2(P.avg.times(facts.baseRatio as number));
    } else if (e.type === 'rates') rates = e.params as Record<string, string>;
    else if (e.type === 'injury') injury = e.params!.rate;
  }
  const item = (r: string) => r2(base.times(r));
  const pp = item(rates.pp), pe = item(rates.pe), mp = item(rates.mp), me = item(rates.me), up = item(rates.up), ue = item(rates.ue), ie = item(injury);
  return { base: base.toNumber(), personalTotal: pp.plus(mp).plus(up).toNumber(), employerTotal: pe.plus(me).plus(ue).plus(ie).toNumber(), personalAccountMonthly: item('0.08').toNumber() };
}
// same answers first
for (const p of samples.contribution) {
  const a = svc.determine('contribution', { inputs: p, date: DATE, explain: false }).outputs;
  const b = await jreDetermine(p);
  for (const k of Object.keys(b) as (keyof typeof b)[]) if (a[k] !== b[k]) throw new Error(`json-rules-engine disagrees on ${k} for ${JSON.stringify(p)}`);
}
let jn = 0;
for (let i = 0; i < 2000; i++) await jreDetermine(samples.contribution[i & 511]);
const jt0 = performance.now();
while (performance.now() - jt0 < 1500) {
  for (let k = 0; k < 500; k++) await jreDetermine(samples.contribution[jn++ & 511]);
}
const jreRate = jn / ((performance.now() - jt0) / 1000);
console.log(`\ncontribution in json-rules-engine (same rules, same answers): ${fmt(jreRate)}/s`);
console.log(`zhixun engine vs json-rules-engine: ${(perSet.contribution.explained / jreRate).toFixed(1)}× with explanation, ${(perSet.contribution.bare / jreRate).toFixed(1)}× without`);

// ---- what-if over a synthetic population ----
const overrides = { 'contribution.baseFloorRatio': 0.65 };
const sum = ['personalTotal', 'employerTotal'];
// one thread, a slice, for the per-core rate
const rs = svc.inForce('contribution', DATE)!.compiled;
const slice = Math.min(people, 100_000);
const single = runWhatIf({ rs, params: svc.params, date: DATE, overrides, sum, population: syntheticContributionPopulation(people, 12333, 0, slice) });
const perThread = slice / (single.ms / 1000);
console.log(`\nwhat-if on one thread: ${fmt(perThread)} people/s (${fmt(perThread * 2)} determinations/s, no explanation)`);
const memBefore = process.memoryUsage().rss;
const w = await runSyntheticWhatIfParallel({ ruleSetId: 'contribution', people, date: DATE, overrides, sum, workers: Number(process.env.BENCH_POLICY_WORKERS ?? 0) || undefined });
const yuan = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
console.log(`what-if, ${fmt(w.people)} synthetic people, baseFloorRatio 0.60 → 0.65 (${fmt(w.people * 2)} determinations, ${w.workers} worker threads, population streamed):`);
console.log(`  time ${(w.ms / 1000).toFixed(2)} s (target < 10 s) including worker start-up; one thread would take ≈ ${(people / perThread).toFixed(1)} s; main-thread RSS growth ${Math.round((process.memoryUsage().rss - memBefore) / 1e6)} MB`);
for (const k of sum) {
  console.log(`  ${k.padEnd(14)} baseline ${yuan(w.baseline.totals[k]).padStart(18)}  scenario ${yuan(w.scenario.totals[k]).padStart(18)}  difference ${yuan(w.difference[k]).padStart(16)} yuan/month`);
}
console.log(`\ntargets: contribution ≥ 50,000/s on one core: ${perSet.contribution.bare >= 50_000 ? 'met' : 'NOT met'} without explanation (${fmt(perSet.contribution.bare)}/s; ${fmt(perSet.contribution.explained)}/s with the full explanation texts); 1,000,000-person what-if < 10 s: ${w.ms < 10_000 ? 'met' : 'NOT met'} (${(w.ms / 1000).toFixed(1)} s on ${w.workers} threads)`);
