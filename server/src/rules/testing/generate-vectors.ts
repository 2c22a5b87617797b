/**
 * TEST ONLY. Generates ../test-vectors.json from the independent reference implementation with a
 * fixed seed: `node --import tsx server/src/rules/testing/generate-vectors.ts`.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { referenceDetermine } from './reference';

const SEED = 12333;
let state = SEED;
/** mulberry32 */
function rand(): number {
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const chance = (p: number) => rand() < p;
const ymOf = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
/** a number with exactly `dp` decimals at most, as JSON would carry it */
const dec = (lo: number, hi: number, dp: number) => Number((lo + rand() * (hi - lo)).toFixed(dp));

type Vector = { id: string; ruleSet: string; request: { inputs: unknown; goal?: string }; expect: unknown };
const vectors: Vector[] = [];
function add(ruleSet: string, inputs: unknown, goal?: string) {
  const expect = referenceDetermine(ruleSet, inputs, goal);
  vectors.push({ id: `${ruleSet}-${vectors.filter((v) => v.ruleSet === ruleSet).length + 1}`, ruleSet, request: goal ? { inputs, goal } : { inputs }, expect });
}

/** drop each key with probability p (to make need_input cases) */
function thin(o: Record<string, unknown>, p: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!chance(p)) out[k] = v;
  return out;
}

// ---------- retirement-age ----------
const BOUNDARY_BIRTHS = ['1964-12', '1965-01', '1965-04', '1965-05', '1969-12', '1970-01', '1974-12', '1975-01', '1975-02', '1976-08', '1976-09', '1980-12', '1981-01', '1981-08', '1981-09', '1984-10', '1984-11', '1900-01', '2099-12'];
for (let k = 0; k < 170; k++) {
  const gender = pick(['male', 'female']);
  const birth = chance(0.3) ? pick(BOUNDARY_BIRTHS) : ymOf(int(1940, 2005), int(1, 12));
  const inputs: Record<string, unknown> = { gender, birthYearMonth: birth };
  if (gender === 'female' || chance(0.2)) inputs.femaleCategory = pick(['worker', 'cadre']);
  add('retirement-age', k % 5 === 4 ? thin(inputs, 0.5) : inputs);
}
for (const bad of [
  { gender: '男', birthYearMonth: '1970-01' },
  { gender: 'male', birthYearMonth: '1965-13' },
  { gender: 'male', birthYearMonth: '1965-00' },
  { gender: 'male', birthYearMonth: '1965-1' },
  { gender: 'male', birthYearMonth: '1965/01' },
  { gender: 'male', birthYearMonth: '1965-01-15' },
  { gender: 'male', birthYearMonth: '1899-12' },
  { gender: 'male', birthYearMonth: 196501 },
  { gender: 'male', femaleCategory: 'teacher', birthYearMonth: '1970-01' },
  { gender: 'female', femaleCategory: 'worker', birthYearMonth: '1970-01', age: 50 },
  { gender: true },
  { femaleCategory: 55 },
]) add('retirement-age', bad);
add('retirement-age', { gender: 'male' }, 'originalAgeMonths');
add('retirement-age', { gender: 'female', femaleCategory: 'cadre' }, 'originalAgeMonths');
add('retirement-age', { gender: 'female' }, 'originalAgeMonths');
add('retirement-age', { gender: null, birthYearMonth: '1970-05' });

// ---------- contribution ----------
const WAGES = [0, 3000, 4499.99, 4500, 4500.01, 4501.4, 4502.5, 4505, 6666.67, 8888.88, 8889, 22499.99, 22500, 22500.01, 10000000];
for (let k = 0; k < 200; k++) {
  const personType = chance(0.7) ? 'employee' : 'flexible';
  const inputs: Record<string, unknown> = { personType };
  if (personType === 'employee' || chance(0.15)) {
    inputs.monthlyWage = chance(0.3) ? pick(WAGES) : chance(0.5) ? dec(0, 30000, 2) : int(0, 30000) + pick([0, 0.5, 0.05, 0.15, 0.25, 0.35]);
    inputs.monthlyWage = Number((inputs.monthlyWage as number).toFixed(2));
    inputs.injuryRiskClass = int(1, 8);
  }
  if (personType === 'flexible' || chance(0.15)) inputs.baseRatio = chance(0.3) ? pick([0.6, 0.61, 1, 2.99, 3]) : dec(0.6, 3, 2);
  add('contribution', k % 5 === 4 ? thin(inputs, 0.4) : inputs);
}
for (const bad of [
  { personType: 'flexible', baseRatio: 3.5 },
  { personType: 'flexible', baseRatio: 0.5 },
  { personType: 'flexible', baseRatio: 0.605 },
  { personType: 'flexible', baseRatio: '0.6' },
  { personType: 'employee', monthlyWage: -1 },
  { personType: 'employee', monthlyWage: 8888.888 },
  { personType: 'employee', monthlyWage: '8000' },
  { personType: 'employee', monthlyWage: 10000000.01 },
  { personType: 'employee', monthlyWage: 8000, injuryRiskClass: 9 },
  { personType: 'employee', monthlyWage: 8000, injuryRiskClass: 0 },
  { personType: 'employee', monthlyWage: 8000, injuryRiskClass: 2.5 },
  { personType: 'employee', monthlyWage: 8000, injuryRiskClass: '2' },
  { personType: 'freelancer' },
  { personType: 'flexible', baseRatio: 1, monthlyWage: -5 },
  { personType: 'employee', monthlyWage: 8000, injuryRiskClass: 1, baseRatio: 4 },
  { personType: 'employee', wage: 8000 },
]) add('contribution', bad);
add('contribution', { personType: 'employee', monthlyWage: 8000 }, 'base');
add('contribution', { personType: 'flexible', baseRatio: 1.25 }, 'base');
add('contribution', { monthlyWage: 8000 });

// ---------- pension-estimate ----------
for (let k = 0; k < 200; k++) {
  const retirementYear = chance(0.3) ? pick([2000, 2025, 2029, 2030, 2031, 2035, 2038, 2039, 2040, 2100]) : int(2000, 2100);
  const minY = retirementYear < 2030 ? 15 : Math.min(20, 15 + 0.5 * (retirementYear - 2029));
  const contributionYears = chance(0.35)
    ? Number(Math.max(0, minY + pick([-0.01, 0, 0.01, -0.25, 0.5, -5])).toFixed(2))
    : dec(0, 60, 2);
  const inputs: Record<string, unknown> = {
    retirementYear,
    contributionYears,
    retirementAgeYears: int(50, 70),
    averageContributionIndex: chance(0.3) ? pick([0.6, 0.64, 0.85, 1, 1.2, 3]) : dec(0.6, 3, 4),
    personalAccountBalance: chance(0.2) ? pick([0, 150000, 170000.85, 203456.78, 100000000]) : dec(0, 800000, 2),
  };
  add('pension-estimate', k % 4 === 3 ? thin(inputs, 0.45) : inputs);
}
for (const bad of [
  { retirementYear: 1999 },
  { retirementYear: 2101 },
  { retirementYear: 2030.5 },
  { retirementYear: '2030' },
  { retirementYear: 2030, contributionYears: 15.555 },
  { retirementYear: 2030, contributionYears: 60.01 },
  { retirementYear: 2030, contributionYears: -1 },
  { retirementYear: 2030, contributionYears: 10, retirementAgeYears: 49 },
  { retirementYear: 2030, contributionYears: 10, averageContributionIndex: 0.12345 },
  { retirementYear: 2030, contributionYears: 10, averageContributionIndex: 3.1 },
  { retirementYear: 2030, contributionYears: 30, personalAccountBalance: 100.001 },
  { retirementYear: 2030, contributionYears: 30, personalAccountBalance: 100000000.01 },
  { retirementYear: 2030, contributionYears: 30, retirementAgeYears: 60.5 },
  { retirementYear: 2030, contributionYears: true },
  { retirementYear: 2030, years: 30 },
]) add('pension-estimate', bad);
add('pension-estimate', { retirementYear: 2031 }, 'minContributionYears');
add('pension-estimate', { retirementYear: 2045, contributionYears: 3 }, 'minContributionYears');
add('pension-estimate', { retirementYear: 2030, contributionYears: 30, averageContributionIndex: 1, personalAccountBalance: 100000 });

// ---------- unemployment-benefit ----------
const REASONS = ['employerTerminated', 'contractExpiredNotRenewed', 'forcedResignation', 'voluntaryResignation', 'retired'];
for (let k = 0; k < 200; k++) {
  const inputs: Record<string, unknown> = {
    separationReason: chance(0.75) ? pick(REASONS.slice(0, 3)) : pick(REASONS),
    contributionMonths: chance(0.4) ? pick([0, 11, 12, 59, 60, 119, 120, 600]) : int(0, 300),
    registeredUnemployed: chance(0.8),
    receivingPension: chance(0.15),
  };
  add('unemployment-benefit', k % 3 === 2 ? thin(inputs, 0.5) : inputs);
}
for (const bad of [
  { separationReason: '主动辞职' },
  { separationReason: 'fired' },
  { contributionMonths: 601 },
  { contributionMonths: -1 },
  { contributionMonths: 12.5 },
  { contributionMonths: '12' },
  { registeredUnemployed: 'true' },
  { registeredUnemployed: 1 },
  { receivingPension: 'false' },
  { receivingPension: 0 },
  { separationReason: 'voluntaryResignation', registeredUnemployed: 'yes' },
  { separationReason: 'voluntaryResignation', reason: 'x' },
]) add('unemployment-benefit', bad);
add('unemployment-benefit', []);
add('unemployment-benefit', 'inputs');

const out = join(dirname(fileURLToPath(import.meta.url)), '../test-vectors.json');
writeFileSync(
  out,
  JSON.stringify(
    {
      about: 'Held-out vectors generated by server/src/rules/testing/reference.ts (an independent implementation of RULESETS.md) with a fixed seed. Do not edit by hand; regenerate.',
      seed: SEED,
      date: '2025-06-01',
      count: vectors.length,
      vectors,
    },
    null,
    1,
  ) + '\n',
);
const byStatus = vectors.reduce<Record<string, number>>((a, v) => {
  const s = String((v.expect as { status: unknown }).status);
  a[s] = (a[s] ?? 0) + 1;
  return a;
}, {});
console.log(`wrote ${vectors.length} vectors to ${out}`, byStatus);
