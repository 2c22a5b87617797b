import { AppError } from '../platform/errors';
import { evaluate, parameterValues, toValue, type CompiledRuleSet } from './engine';
import type { Value } from './feel';
import { Num } from './num';
import type { ParameterStore } from './params';
import { validateInputs } from './validate';

/**
 * What-if / population simulation: run one rule set over a population under the parameters in
 * force (baseline) and under the same parameters with some keys changed (scenario), and compare
 * exact totals of chosen outputs. The population is streamed, never held in memory.
 */

export interface WhatIfOptions {
  rs: CompiledRuleSet;
  params: ParameterStore;
  date: string;
  jurisdiction?: string;
  /** parameter key → value in the scenario, e.g. {"contribution.baseFloorRatio": 0.65} */
  overrides: Record<string, unknown>;
  /** money outputs to add up */
  sum: string[];
  population: Iterable<Record<string, unknown>>;
  /** stop after this many invalid rows (their row numbers are reported) */
  maxErrors?: number;
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

/** Runs a what-if comparison. Throws AppError(400) for unknown overrides or outputs. */
export function runWhatIf(o: WhatIfOptions): WhatIfResult {
  const t0 = performance.now();
  const rs = o.rs;
  const resolved = o.params.resolve(o.date, o.jurisdiction);
  const base = parameterValues(rs, resolved);
  const scen: Value[] = base.slice();
  for (const [key, v] of Object.entries(o.overrides)) {
    const i = rs.def.parameters.findIndex((p) => p.key === key || p.name === key);
    if (i < 0) throw new AppError(400, 'invalid_value', `规则集没有使用参数“${key}” / the rule set does not use parameter ${key}`, 'overrides');
    scen[i] = toValue(v);
  }
  const slots = o.sum.map((id) => {
    const s = rs.varIndex.get(id);
    if (s === undefined || !rs.outputIndex.has(id)) throw new AppError(400, 'invalid_value', `没有输出“${id}” / no output ${id}`, 'sum');
    return s;
  });
  const mk = (): { complete: number; incomplete: number; sums: Num[] } => ({ complete: 0, incomplete: 0, sums: slots.map(() => Num.ZERO) });
  const a = mk();
  const b = mk();
  const invalid: WhatIfResult['invalid'] = [];
  let people = 0;
  for (const person of o.population) {
    people++;
    let validated;
    try {
      validated = validateInputs(rs.def.inputs, rs.inputIndex, person, 'zh');
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      invalid.push({ row: people, field: e.field, message: e.message });
      if (invalid.length > (o.maxErrors ?? 100)) break;
      continue;
    }
    for (const [acc, pv] of [[a, base], [b, scen]] as const) {
      const out = evaluate(rs, validated, pv, { trace: false, skipOutputs: true });
      if (out.status !== 'complete') {
        acc.incomplete++;
        continue;
      }
      acc.complete++;
      const vals = out.evaluation.vals;
      for (let k = 0; k < slots.length; k++) {
        const v = vals[slots[k]];
        if (v instanceof Num) acc.sums[k] = acc.sums[k].add(v);
      }
    }
  }
  o.onTotals?.(a.sums.map((x) => x.toString()), b.sums.map((x) => x.toString()));
  const totals = (acc: ReturnType<typeof mk>): WhatIfTotals => ({
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

/**
 * A deterministic synthetic population for the contribution rule set. Person i depends only on
 * (seed, i), so workers can generate disjoint slices [start, end) of the same population.
 */
export function* syntheticContributionPopulation(n: number, seed = 12333, start = 0, end = n): Generator<Record<string, unknown>> {
  const person: Record<string, unknown> = {};
  for (let i = start; i < end; i++) {
    // mulberry32 seeded by (seed, i)
    let s = (seed ^ Math.imul(i + 1, 0x9e3779b1)) | 0;
    const rand = () => {
      s = (s + 0x6d2b79f5) | 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    // one object reused: the consumer validates it before the next one is generated
    for (const k in person) delete person[k];
    if (rand() < 0.78) {
      person.personType = 'employee';
      // wages roughly log-normal around 6 500 yuan, to the fen
      const w = Math.exp(8.78 + 0.55 * (rand() + rand() + rand() - 1.5));
      person.monthlyWage = Math.round(w * 100) / 100;
      person.injuryRiskClass = 1 + Math.floor(rand() * 8);
    } else {
      person.personType = 'flexible';
      person.baseRatio = rand() < 0.7 ? 0.6 : Math.round((0.6 + rand() * 2.4) * 100) / 100;
    }
    yield person;
  }
}

/** Parses a population CSV (header row of input ids; values typed by the rule set). */
export function* parsePopulationCsv(rs: CompiledRuleSet, csv: string): Generator<Record<string, unknown>> {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return;
  const header = lines[0].split(',').map((h) => h.trim());
  for (const h of header) {
    if (!rs.inputIndex.has(h)) throw new AppError(400, 'unknown_input', `CSV 列“${h}”不是规则集的输入项 / unknown column ${h}`, h);
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
