import { AppError } from '../platform/errors';
import { Evaluation, parameterValues, toValue, type CompiledRuleSet, type InputValues } from './engine';
import { Unknown, type Value } from './feel';
import { Num } from './num';
import type { ParameterStore } from './params';
import { checkParameterValue } from './parameter-types';
import type { InputDef } from './types';
import { validateInputs, validateValue } from './validate';

/**
 * What-if / population simulation: run one rule set over a population under the parameters in
 * force (baseline) and under the same parameters with some keys changed (scenario), and compare
 * exact totals of chosen outputs. The population is streamed, never held in memory.
 *
 * Each person is evaluated under both parameter sets without a trace, reusing two evaluations.
 * The scenario evaluation is incremental: it takes the baseline value of every variable that no
 * changed parameter can reach, and of every variable whose inputs came out equal again (for a
 * higher base floor, everyone earning above it), and computes the rest. The values, and so the
 * totals, are exactly those of two full evaluations (`incremental: false` runs those).
 */

/** A population whose inputs are valid by construction: engine values, no validation per person. */
export interface ValidPopulation {
  readonly kind: 'valid';
  /** calls `visit` with each person's inputs by input index, in order (the array is reused) */
  forEach(visit: (values: InputValues) => void): void;
}

export interface WhatIfOptions {
  rs: CompiledRuleSet;
  params: ParameterStore;
  date: string;
  jurisdiction?: string;
  /** parameter key → value in the scenario, e.g. {"contribution.baseFloorRatio": 0.65} */
  overrides: Record<string, unknown>;
  /** money outputs to add up */
  sum: string[];
  /** records as in a determination's `inputs` (validated one by one), or a valid population */
  population: Iterable<Record<string, unknown>> | ValidPopulation;
  /** stop after this many invalid rows (their row numbers are reported) */
  maxErrors?: number;
  /** evaluate the scenario incrementally over the baseline (default true; same results) */
  incremental?: boolean;
  /** receives the exact totals as decimal strings (for adding up parallel runs) */
  onTotals?: (baseline: string[], scenario: string[]) => void;
}

export interface WhatIfTotals {
  complete: number;
  incomplete: number;
  totals: Record<string, number>;
}

export interface WhatIfResult {
  people: number;
  invalid: { row: number; field?: string; message: string }[];
  baseline: WhatIfTotals;
  scenario: WhatIfTotals;
  /** scenario − baseline per output */
  difference: Record<string, number>;
  parameterVersions: string[];
  overrides: Record<string, unknown>;
  ms: number;
}

interface Tally {
  complete: number;
  incomplete: number;
  sums: Num[];
}

/** Runs a what-if comparison. Throws AppError(400) for unknown overrides or outputs. */
export function runWhatIf(o: WhatIfOptions): WhatIfResult {
  const t0 = performance.now();
  const rs = o.rs;
  const resolved = o.params.resolve(o.date, o.jurisdiction);
  const base = parameterValues(rs, resolved);
  const scen: Value[] = base.slice();
  const changed: number[] = [];
  for (const [key, v] of Object.entries(o.overrides)) {
    const i = rs.def.parameters.findIndex((p) => p.key === key || p.name === key);
    if (i < 0) throw new AppError(400, 'invalid_value', { zh: `规则集没有使用参数“${key}”`, en: `the rule set does not use parameter ${key}` }, 'overrides');
    const p = rs.def.parameters[i];
    checkParameterValue(p.key, v, p.label, resolved.values.get(p.key), 'overrides.');
    scen[i] = toValue(v);
    changed.push(i);
  }
  const slots = o.sum.map((id) => {
    const s = rs.varIndex.get(id);
    if (s === undefined || !rs.outputIndex.has(id)) throw new AppError(400, 'invalid_value', { zh: `没有输出“${id}”`, en: `no output ${id}` }, 'sum');
    return s;
  });
  const goals = rs.defaultGoalMask;
  const mk = (): Tally => ({ complete: 0, incomplete: 0, sums: slots.map(() => Num.ZERO) });
  const a = mk();
  const b = mk();
  // one evaluation per parameter set, reset for every person (no trace, so nothing keeps them)
  const evA = new Evaluation(rs, [], base, false);
  const evB = new Evaluation(rs, [], scen, false);
  if (o.incremental !== false) evB.incrementalOver(evA, changed);
  const tally = (acc: Tally, ev: Evaluation) => {
    let mask = 0;
    for (let k = 0; k < goals.length; k++) {
      const v = ev.get(goals[k]);
      if (v instanceof Unknown) mask |= v.mask;
    }
    if (mask !== 0) {
      acc.incomplete++;
      return;
    }
    acc.complete++;
    const vals = ev.vals;
    for (let k = 0; k < slots.length; k++) {
      const v = vals[slots[k]];
      if (v instanceof Num) acc.sums[k] = acc.sums[k].add(v);
    }
  };
  const person = (values: InputValues) => {
    tally(a, evA.reset(values, base));
    tally(b, evB.reset(values, scen));
  };
  const invalid: WhatIfResult['invalid'] = [];
  let people = 0;
  const pop = o.population;
  if ('kind' in pop && pop.kind === 'valid') {
    pop.forEach((values) => {
      people++;
      person(values);
    });
  } else {
    for (const record of pop as Iterable<Record<string, unknown>>) {
      people++;
      let validated: ReturnType<typeof validateInputs>;
      try {
        validated = validateInputs(rs.def.inputs, rs.inputIndex, record, 'zh');
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        invalid.push({ row: people, field: e.field, message: e.message });
        if (invalid.length > (o.maxErrors ?? 100)) break;
        continue;
      }
      person(validated.values);
    }
  }
  o.onTotals?.(a.sums.map((x) => x.toString()), b.sums.map((x) => x.toString()));
  const totals = (acc: Tally): WhatIfTotals => ({
    complete: acc.complete,
    incomplete: acc.incomplete,
    totals: Object.fromEntries(o.sum.map((id, k) => [id, acc.sums[k].toNumber()])),
  });
  return {
    people,
    invalid,
    baseline: totals(a),
    scenario: totals(b),
    difference: Object.fromEntries(o.sum.map((id, k) => [id, b.sums[k].sub(a.sums[k]).toNumber()])),
    parameterVersions: resolved.versionIds,
    overrides: o.overrides,
    ms: Math.round(performance.now() - t0),
  };
}

/** Columns of a slice of the synthetic contribution population (one chunk). */
export interface SyntheticColumns {
  /** 1 = employee, 0 = flexible worker */
  employee: Uint8Array;
  /** employees: monthly wage in fen */
  wageFen: Int32Array;
  /** employees: work-injury risk class 1…8 */
  riskClass: Uint8Array;
  /** flexible workers: contribution level in hundredths (60…300) */
  ratioHundredths: Uint16Array;
}

/** Bounds of the generated values (checked against a rule-set version's input definitions). */
const WAGE_FEN_MIN = 280_000; // exp(7.955) yuan = 2849.79
const WAGE_FEN_MAX = 1_490_000; // exp(9.605) yuan = 14838.79
const CHUNK = 8192;

export function syntheticColumns(size = CHUNK): SyntheticColumns {
  return { employee: new Uint8Array(size), wageFen: new Int32Array(size), riskClass: new Uint8Array(size), ratioHundredths: new Uint16Array(size) };
}

/**
 * Generates people [start, end) of the deterministic synthetic contribution population into
 * columns (end − start ≤ their length). Person i depends only on (seed, i), so workers can
 * generate disjoint slices of the same population.
 */
export function generateSyntheticContribution(seed: number, start: number, end: number, c: SyntheticColumns): void {
  for (let i = start, k = 0; i < end; i++, k++) {
    // mulberry32 seeded by (seed, i)
    let s = (seed ^ Math.imul(i + 1, 0x9e3779b1)) | 0;
    let t: number;
    s = (s + 0x6d2b79f5) | 0;
    t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r0 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    s = (s + 0x6d2b79f5) | 0;
    t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r1 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    s = (s + 0x6d2b79f5) | 0;
    t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r2 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    if (r0 < 0.78) {
      s = (s + 0x6d2b79f5) | 0;
      t = Math.imul(s ^ (s >>> 15), s | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const r3 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      s = (s + 0x6d2b79f5) | 0;
      t = Math.imul(s ^ (s >>> 15), s | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const r4 = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      c.employee[k] = 1;
      // wages roughly log-normal around 6 500 yuan, to the fen
      c.wageFen[k] = Math.round(Math.exp(8.78 + 0.55 * (r1 + r2 + r3 - 1.5)) * 100);
      c.riskClass[k] = 1 + Math.floor(r4 * 8);
    } else {
      c.employee[k] = 0;
      let h = 60;
      if (!(r1 < 0.7)) h = Math.round((0.6 + r2 * 2.4) * 100);
      c.ratioHundredths[k] = h;
    }
  }
}

/** Slices [start, end) of a population, e.g. [[0, n]], or chunks claimed from a shared counter. */
export type Slices = Iterable<readonly [number, number]>;

/**
 * Chunks of [0, n) claimed one at a time from a counter shared between threads (Atomics), so a
 * thread that runs faster (or starts earlier) takes more of the population.
 */
export function* claimedChunks(counter: Int32Array, n: number, chunk: number): Generator<readonly [number, number]> {
  for (;;) {
    const k = Atomics.add(counter, 0, 1);
    const start = k * chunk;
    if (start >= n) return;
    yield [start, Math.min(n, start + chunk)];
  }
}

/**
 * The synthetic contribution population as records, e.g. {personType: "employee",
 * monthlyWage: 6512.37, injuryRiskClass: 3} (what a CSV upload of the same people would give).
 */
export function* syntheticContributionRecords(n: number, seed = 12333, slices: Slices = [[0, n]]): Generator<Record<string, unknown>> {
  const c = syntheticColumns();
  for (const [start, end] of slices) {
    for (let from = start; from < end; from += CHUNK) {
      const to = Math.min(end, from + CHUNK);
      generateSyntheticContribution(seed, from, to, c);
      for (let k = 0; k < to - from; k++) {
        yield c.employee[k]
          ? { personType: 'employee', monthlyWage: c.wageFen[k] / 100, injuryRiskClass: c.riskClass[k] }
          : { personType: 'flexible', baseRatio: c.ratioHundredths[k] / 100 };
      }
    }
  }
}

/**
 * The synthetic contribution population of n people (or the given slices of it) for a
 * contribution rule-set version, generated chunk by chunk into typed arrays and handed to the
 * engine as exact values (wages as fen / 100) without validating each person: every generated
 * value lies within bounds checked here once against the version's input definitions. A version
 * whose inputs do not admit them gets the records instead, validated one by one.
 */
export function syntheticContributionPopulation(rs: CompiledRuleSet, n: number, seed = 12333, slices: Slices = [[0, n]]): ValidPopulation | Iterable<Record<string, unknown>> {
  const idx = (id: string) => rs.inputIndex.get(id) ?? -1;
  const iType = idx('personType');
  const iWage = idx('monthlyWage');
  const iClass = idx('injuryRiskClass');
  const iRatio = idx('baseRatio');
  const admits = (i: number, type: InputDef['type'], ...vs: unknown[]) => {
    if (i < 0) return false;
    const d: InputDef = rs.def.inputs[i];
    if (d.type !== type || (d.type === 'decimal' && (d.scale ?? 2) < 2)) return false;
    try {
      for (const v of vs) validateValue(d, v, 'zh');
      return true;
    } catch {
      return false;
    }
  };
  const valid =
    admits(iType, 'enum', 'employee', 'flexible') &&
    admits(iWage, 'money', WAGE_FEN_MIN / 100, WAGE_FEN_MAX / 100) &&
    admits(iClass, 'integer', 1, 8) &&
    admits(iRatio, 'decimal', 0.6, 3);
  if (!valid) return syntheticContributionRecords(n, seed, slices);
  const classes = Array.from({ length: 9 }, (_, k) => Num.of(k));
  const ratios = Array.from({ length: 301 }, (_, h) => Num.scaled(h, 2));
  return {
    kind: 'valid',
    forEach(visit) {
      const c = syntheticColumns();
      const values: InputValues = new Array(rs.def.inputs.length).fill(undefined);
      for (const [start, end] of slices) {
        for (let from = start; from < end; from += CHUNK) {
          const to = Math.min(end, from + CHUNK);
          generateSyntheticContribution(seed, from, to, c);
          for (let k = 0; k < to - from; k++) {
            if (c.employee[k]) {
              const fen = c.wageFen[k];
              if (fen < WAGE_FEN_MIN || fen > WAGE_FEN_MAX) throw new Error(`generated wage ${fen} fen out of bounds`);
              values[iType] = 'employee';
              values[iWage] = Num.scaled(fen, 2);
              values[iClass] = classes[c.riskClass[k]];
              values[iRatio] = undefined;
            } else {
              values[iType] = 'flexible';
              values[iWage] = undefined;
              values[iClass] = undefined;
              values[iRatio] = ratios[c.ratioHundredths[k]];
            }
            visit(values);
          }
        }
      }
    },
  };
}

/** Parses a population CSV (header row of input ids; values typed by the rule set). */
export function* parsePopulationCsv(rs: CompiledRuleSet, csv: string): Generator<Record<string, unknown>> {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return;
  const header = lines[0].split(',').map((h) => h.trim());
  for (const h of header) {
    if (!rs.inputIndex.has(h)) throw new AppError(400, 'unknown_input', { zh: `CSV 列“${h}”不是规则集的输入项`, en: `unknown column ${h}` }, h);
  }
  const types = header.map((h) => rs.def.inputs[rs.inputIndex.get(h)!].type);
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    const person: Record<string, unknown> = {};
    header.forEach((h, c) => {
      const raw = (cells[c] ?? '').trim();
      if (raw === '') return;
      const t = types[c];
      if (t === 'boolean') person[h] = raw === 'true' ? true : raw === 'false' ? false : raw;
      else if (t === 'integer' || t === 'decimal' || t === 'money') person[h] = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
      else person[h] = raw;
    });
    yield person;
  }
}
