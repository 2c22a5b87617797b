import { compileExpression, compileUnaryTests, Unknown, type Compiled, type FeelContext, type NameResolver, type Value } from './feel';
import { AppError } from '../platform/errors';
import { Num } from './num';
import type { ResolvedParameters } from './params';
import { PARAMETER_TYPES, parameterValueProblem } from './parameter-types';
import type { HeadlineDef, InputDef, Lang, OutputDef, RuleDef, RuleSetDef, Text } from './types';
import type { ValidatedInputs } from './validate';

/**
 * The rules engine: compiles a rule-set document once, then evaluates it goal-first.
 *
 * Every derived variable is computed lazily by the rules that set it, so only rules reached from
 * the goal run. A missing input evaluates to Unknown(bit of that input); Unknown propagates with
 * three-valued logic, so an undetermined goal carries exactly the set of missing inputs that can
 * still change it. The next question is the first of those in interview order (RULESETS.md §6.1).
 */

interface Branch {
  rule: number;
  /** slot of the rule's condition (a hidden variable) or -1 */
  when: number;
  value: Compiled;
  source: string;
  /** names the branch's value can read (its expression, or the table cells of its column) */
  reads: Set<string>;
}

interface VarInfo {
  name: string;
  branches: Branch[];
  /** hidden variables (conditions, table matches) never appear in traces */
  hidden: boolean;
}

interface CompiledRule {
  def: RuleDef;
  /** names read by the rule outside decision-table output cells */
  refs: Set<string>;
  /** names read by each decision-table row's output cells */
  rowRefs: Set<string>[];
  /** variables the rule sets, in order */
  sets: string[];
  /** slot of the decision table's matched row, or -1 */
  tableSlot: number;
  /** for trace records: the names read (in first-read order, without those the rule sets) … */
  traceReads?: NameRef[];
  /** … those read by each decision-table row's output cells in addition … */
  traceRowReads?: NameRef[][];
  /** … and the variables the rule sets */
  traceSets?: NameRef[];
  /** the texts of the rule's trace entries per language, prepared on first render */
  texts?: { zh?: RuleTexts; en?: RuleTexts };
}

/** A rule's texts in one language, with template placeholders resolved to slots. */
interface RuleTexts {
  title: string;
  /** "applies because …" or "" */
  when: string;
  /** per variable set: `name（label） = `, its FEEL (null: the matched row's cell of table column `col`) */
  sets: { ref: NameRef; head: string; label: string; src: string | null; col: number }[];
  /** the why template cut into clauses (see whyClauses), or null to list the results */
  why: Clause[] | null;
}

type Placeholder = { ref: NameRef | null; name: string; style?: string; money: boolean };

/** A clause of a why template: its text and placeholders, and the punctuation that ends it. */
interface Clause {
  parts: (string | Placeholder)[];
  /** '，' '；' '。' ', ' '; ' '. ' …, or '' at the end of the template */
  end: string;
}

/** A name resolved at compile time: input, parameter or variable and its index. */
interface NameRef {
  name: string;
  kind: 0 | 1 | 2;
  index: number;
}

export interface CompiledRuleSet {
  def: RuleSetDef;
  inputIndex: Map<string, number>;
  outputs: { def: OutputDef; slot: number }[];
  outputIndex: Map<string, number>;
  vars: VarInfo[];
  varIndex: Map<string, number>;
  rules: CompiledRule[];
  paramIndex: Map<string, number>;
  /** parameter values as engine values, per resolved parameter set */
  paramCache: Map<string, Value[]>;
  defaultGoalMask: number[];
  inputDefs: Map<string, InputDef>;
  outputDefs: Map<string, OutputDef>;
  /** evaluation reused by runs without a trace (single-threaded, so no sharing issues) */
  scratch?: Evaluation;
  /**
   * Per variable, the inputs its value depends on when they all have small domains (enumerations,
   * booleans, integers in a short range), else null. Such a value is a function of the parameters
   * and those inputs only, so runs without a trace keep it per parameter set and input combination
   * (the base floor depends on no input; a decision-table match on personType on one).
   */
  keyInputs: (Int32Array | null)[];
  /** domain size of each input for keyInputs (0 = not small); code 0 means "not supplied" */
  inputDomain: Int32Array;
  /** enum option id → 1-based code, per input */
  optionCode: (Map<string, number> | null)[];
  /** parameter set → variable → input-combination key → value */
  memoCache: WeakMap<Value[], Value[][]>;
  /** the headline candidates, conditions compiled to read determined values only */
  headlines: { def: HeadlineDef; when: Compiled | null }[];
  /** per variable: the variables it reads directly (including the conditions of its rules) */
  varDeps: Int32Array[];
  /** per variable: the parameters it reads directly */
  paramDeps: Int32Array[];
}

export class RuleSetCompileError extends Error {}

/** Compiles a rule-set document. Throws RuleSetCompileError with the rule id at fault. */
export function compileRuleSet(def: RuleSetDef): CompiledRuleSet {
  const inputIndex = new Map(def.inputs.map((d, i) => [d.id, i]));
  if (def.inputs.length > 30) throw new RuleSetCompileError('at most 30 inputs per rule set');
  const paramIndex = new Map(def.parameters.map((p, i) => [p.name, i]));
  const vars: VarInfo[] = [];
  const varIndex = new Map<string, number>();
  const slotOf = (name: string, hidden = false): number => {
    let s = varIndex.get(name);
    if (s === undefined) {
      s = vars.length;
      vars.push({ name, branches: [], hidden });
      varIndex.set(name, s);
    }
    return s;
  };
  // declare every variable first so rules may refer to variables set by later rules
  for (const o of def.outputs) slotOf(o.id);
  for (const r of def.rules) {
    for (const v of Object.keys(r.set ?? {})) slotOf(v);
    for (const v of r.table?.outputs ?? []) slotOf(v);
  }
  const resolve: NameResolver = (name) => {
    const i = inputIndex.get(name);
    if (i !== undefined) return (ctx) => (ctx as Evaluation).input(i);
    const p = paramIndex.get(name);
    if (p !== undefined) return (ctx) => (ctx as Evaluation).params[p];
    const s = varIndex.get(name);
    if (s !== undefined) {
      return (ctx) => {
        const e = ctx as Evaluation;
        return e.state[s] === 2 ? e.vals[s] : e.get(s);
      };
    }
    return undefined;
  };
  const rules: CompiledRule[] = [];
  def.rules.forEach((r, ri) => {
    const refs = new Set<string>();
    const compile = (src: string, into: Set<string> = refs, also?: Set<string>) => {
      try {
        const c = compileExpression(src, resolve);
        for (const x of c.refs) {
          into.add(x);
          also?.add(x);
        }
        return c.evaluate;
      } catch (e) {
        throw new RuleSetCompileError(`${def.id} ${r.id}: ${(e as Error).message}`);
      }
    };
    let whenSlot = -1;
    if (r.when) {
      whenSlot = slotOf(`?when:${r.id}`, true);
      const reads = new Set<string>();
      vars[whenSlot].branches.push({ rule: ri, when: -1, value: compile(r.when, refs, reads), source: r.when, reads });
    }
    let tableSlot = -1;
    const rowRefs: Set<string>[] = [];
    if (r.table) {
      const t = r.table;
      tableSlot = slotOf(`?table:${r.id}`, true);
      const matchReads = new Set<string>(t.inputs);
      const rows = t.rows.map((cells, k) => {
        if (cells.length !== t.inputs.length + t.outputs.length) {
          throw new RuleSetCompileError(`${def.id} ${r.id}: row ${k + 1} has ${cells.length} cells`);
        }
        return t.inputs.map((col, c) => {
          const subject = resolve(col);
          if (!subject) throw new RuleSetCompileError(`${def.id} ${r.id}: unknown column ${col}`);
          refs.add(col);
          try {
            const u = compileUnaryTests(cells[c], subject, resolve);
            for (const x of u.refs) matchReads.add(x);
            return u.evaluate;
          } catch (e) {
            throw new RuleSetCompileError(`${def.id} ${r.id}: row ${k + 1}: ${(e as Error).message}`);
          }
        });
      });
      // the matched row (hit policy FIRST); a row whose test is unknown makes the match unknown
      const rowIds = rows.map((_, k) => Num.of(k));
      const match: Compiled = (ctx) => {
        for (let k = 0; k < rows.length; k++) {
          let ok: Value = true;
          const tests = rows[k];
          for (let c = 0; c < tests.length; c++) {
            const v = tests[c](ctx);
            if (v === true) continue;
            ok = v instanceof Unknown ? v : false;
            break;
          }
          if (ok === true) return rowIds[k];
          if (ok instanceof Unknown) return ok;
        }
        return null;
      };
      vars[tableSlot].branches.push({ rule: ri, when: whenSlot, value: match, source: '', reads: matchReads });
      for (const _row of t.rows) rowRefs.push(new Set());
      t.outputs.forEach((out, oc) => {
        const reads = new Set<string>([vars[tableSlot].name]);
        const cells = t.rows.map((cells, k) => compile(cells[t.inputs.length + oc], rowRefs[k], reads));
        const ts = tableSlot;
        vars[slotOf(out)].branches.push({
          rule: ri,
          when: whenSlot,
          source: t.rows.map((cells) => cells[t.inputs.length + oc]).join(' | '),
          value: (ctx) => {
            const m = (ctx as Evaluation).get(ts);
            if (m instanceof Unknown || m === null) return m;
            return cells[(m as Num).toNumber()](ctx);
          },
          reads,
        });
      });
    }
    for (const [name, src] of Object.entries(r.set ?? {})) {
      const reads = new Set<string>();
      vars[slotOf(name)].branches.push({ rule: ri, when: whenSlot, value: compile(src, refs, reads), source: src, reads });
    }
    rules.push({ def: r, refs, rowRefs, sets: [...(r.table?.outputs ?? []), ...Object.keys(r.set ?? {})], tableSlot });
  });
  for (const o of def.outputs) {
    if (vars[varIndex.get(o.id)!].branches.length === 0) throw new RuleSetCompileError(`${def.id}: no rule sets output ${o.id}`);
  }
  // what a trace record of each rule lists, resolved once
  const ref = (name: string): NameRef => {
    if (inputIndex.has(name)) return { name, kind: 0, index: inputIndex.get(name)! };
    if (paramIndex.has(name)) return { name, kind: 1, index: paramIndex.get(name)! };
    return { name, kind: 2, index: varIndex.get(name)! };
  };
  for (const r of rules) {
    const sets = new Set(r.sets);
    r.traceReads = [...r.refs].filter((n) => !sets.has(n)).map(ref);
    r.traceRowReads = r.rowRefs.map((row) => [...row].filter((n) => !sets.has(n) && !r.refs.has(n)).map(ref));
    r.traceSets = r.sets.map(ref);
  }
  const outputs = def.outputs.map((o) => ({ def: o, slot: varIndex.get(o.id)! }));
  // a headline condition reads what the evaluation determined and nothing more: an undetermined
  // variable is Unknown there, so showing a headline never fires a rule the trace does not list
  const determinedOnly: NameResolver = (name) => {
    const i = inputIndex.get(name);
    if (i !== undefined) return (ctx) => (ctx as Evaluation).input(i);
    const p = paramIndex.get(name);
    if (p !== undefined) return (ctx) => (ctx as Evaluation).params[p];
    const s = varIndex.get(name);
    if (s !== undefined) return (ctx) => ((ctx as Evaluation).state[s] === 2 ? (ctx as Evaluation).vals[s] : UNDETERMINED);
    return undefined;
  };
  const headlines = (def.headlines ?? []).map((h, k) => {
    try {
      return { def: h, when: h.when ? compileExpression(h.when, determinedOnly).evaluate : null };
    } catch (e) {
      throw new RuleSetCompileError(`${def.id} headline ${k + 1}: ${(e as Error).message}`);
    }
  });
  // what each variable reads directly: variables (with the conditions of its rules) and parameters
  const varDeps: Int32Array[] = [];
  const paramDeps: Int32Array[] = [];
  vars.forEach((v) => {
    const vs = new Set<number>();
    const ps = new Set<number>();
    for (const b of v.branches) {
      if (b.when >= 0) vs.add(b.when);
      for (const n of b.reads) {
        if (paramIndex.has(n)) ps.add(paramIndex.get(n)!);
        else if (varIndex.has(n)) vs.add(varIndex.get(n)!);
      }
    }
    varDeps.push(Int32Array.from(vs));
    paramDeps.push(Int32Array.from(ps));
  });
  // the inputs each variable depends on, directly or through other variables
  const inputMask = Array.from(vars, () => 0);
  vars.forEach((v, slot) => {
    for (const b of v.branches) for (const n of b.reads) if (inputIndex.has(n)) inputMask[slot] |= 1 << inputIndex.get(n)!;
  });
  for (let grew = true; grew; ) {
    grew = false;
    for (let slot = 0; slot < vars.length; slot++) {
      let m = inputMask[slot];
      for (const d of varDeps[slot]) m |= inputMask[d];
      if (m !== inputMask[slot]) {
        inputMask[slot] = m;
        grew = true;
      }
    }
  }
  const inputDomain = Int32Array.from(def.inputs, (d) => {
    if (d.type === 'enum') return d.options!.length + 1;
    if (d.type === 'boolean') return 3;
    if (d.type === 'integer' && typeof d.min === 'number' && typeof d.max === 'number' && d.max - d.min < 64) return d.max - d.min + 2;
    return 0;
  });
  const keyInputs = inputMask.map((m) => {
    const list: number[] = [];
    let combos = 1;
    for (let i = 0; i < def.inputs.length; i++) {
      if (!(m & (1 << i))) continue;
      if (inputDomain[i] === 0) return null;
      combos *= inputDomain[i];
      list.push(i);
    }
    return combos <= 256 ? Int32Array.from(list) : null;
  });
  return {
    def,
    inputIndex,
    outputs,
    outputIndex: new Map(def.outputs.map((o, i) => [o.id, i])),
    vars,
    varIndex,
    rules,
    paramIndex,
    paramCache: new Map(),
    defaultGoalMask: outputs.filter((o) => !o.def.companion).map((o) => o.slot),
    inputDefs: new Map(def.inputs.map((d) => [d.id, d])),
    outputDefs: new Map(def.outputs.map((o) => [o.id, o])),
    keyInputs,
    inputDomain,
    optionCode: def.inputs.map((d) => (d.type === 'enum' ? new Map(d.options!.map((o, k) => [o.id, k + 1])) : null)),
    memoCache: new WeakMap(),
    varDeps,
    paramDeps,
    headlines,
  };
}

const UNDETERMINED = new Unknown(0);

/** Converts a JSON parameter value to an engine value (numbers become exact decimals). */
export function toValue(v: unknown): Value {
  if (typeof v === 'number') return Num.of(v);
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toValue);
  if (typeof v === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v)) if (!k.startsWith('_')) out[k] = toValue(x);
    return out;
  }
  return null;
}

/** Converts an engine value to JSON (exact decimals become JS numbers). */
export function toJson(v: Value): unknown {
  if (v instanceof Num) return v.toNumber();
  if (v instanceof Unknown) return undefined;
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
    return out;
  }
  return v;
}

/** The parameter values a compiled rule set reads, for a resolved parameter set. */
export function parameterValues(rs: CompiledRuleSet, resolved: ResolvedParameters): Value[] {
  let vals = rs.paramCache.get(resolved.key);
  if (!vals) {
    vals = rs.def.parameters.map((p) => {
      if (!resolved.values.has(p.key)) {
        throw new AppError(400, 'parameters_missing', { zh: `参数“${p.label.zh}”（${p.key}）在该地区、该日期没有生效值`, en: `parameter ${p.key} is not in force there on that date` }, 'jurisdiction');
      }
      const raw = resolved.values.get(p.key);
      // once per parameter set (cached below): a value stored before values were checked must not
      // turn into Unknown or null and make a "complete" answer with empty outputs
      const problem = PARAMETER_TYPES[p.key] && parameterValueProblem(p.key, raw);
      if (problem) {
        throw new AppError(
          503,
          'parameter_unusable',
          {
            zh: `参数“${p.label.zh}”（${p.key}）在该日期的取值不可用（${problem.zh}），请联系管理员`,
            en: `the value of parameter ${p.key} in force on that date is unusable (${problem.en}); staff must correct it`,
          },
        );
      }
      return toValue(raw);
    });
    if (rs.paramCache.size > 100) rs.paramCache.clear();
    rs.paramCache.set(resolved.key, vals);
  }
  return vals;
}

/** Unknown(bit of input i), one shared instance per input (Unknown is immutable). */
const UNKNOWN_INPUT = Array.from({ length: 31 }, (_, i) => new Unknown(1 << i));

/** Engine values of one person's inputs, by input index (interview order); undefined = not supplied. */
export type InputValues = (Num | string | boolean | undefined)[];

/** get() result of reuse() when the variable must be computed. */
const COMPUTE = Symbol('compute');

/** One evaluation of a compiled rule set over given inputs and parameters (memoised per variable). */
export class Evaluation implements FeelContext {
  item?: Value;
  readonly vals: Value[];
  /** per variable: 0 not computed, 1 being computed, 2 computed */
  readonly state: Uint8Array;
  /** rule indices in the order they first fired (with `track`) */
  readonly fired: number[] = [];
  private firedFlag: Uint8Array | undefined;
  inputs: InputValues;
  params: Value[];
  /** (rule, variable, unknown mask) of rules that could not decide, for "why are you asking" (with `track`) */
  readonly pending: { rule: number; name: string; mask: number }[] = [];
  /**
   * Incremental mode (what-if scenarios): the evaluation of the same inputs under the baseline
   * parameters, and per variable 0 = reads no changed parameter even indirectly (take the
   * baseline value), 1 = reads one indirectly (take the baseline value when every variable it
   * read has the baseline value again), 2 = reads one directly (compute).
   */
  private base: Evaluation | undefined;
  private affected: Uint8Array | undefined;
  /** the memo of small-domain values for the current parameters (runs without a trace) */
  private memo?: Value[][];
  /** per input: its code for memo keys (-1 = not computed yet, -2 = none) */
  private codes: Int16Array;

  constructor(
    readonly rs: CompiledRuleSet,
    inputs: InputValues,
    params: Value[],
    /** record fired rules and undecided rules (the structured trace) */
    readonly track: boolean,
  ) {
    this.inputs = inputs;
    this.params = params;
    this.vals = new Array(rs.vars.length);
    this.state = new Uint8Array(rs.vars.length);
    this.codes = new Int16Array(rs.def.inputs.length).fill(-1);
    if (track) this.firedFlag = new Uint8Array(rs.rules.length);
  }

  /** Prepares the object for another run (bulk runs reuse one evaluation). */
  reset(inputs: InputValues, params: Value[]): this {
    this.inputs = inputs;
    if (params !== this.params) this.memo = undefined;
    this.params = params;
    // plain loops: cheaper than TypedArray fill() calls for a few dozen entries
    const state = this.state;
    for (let k = 0; k < state.length; k++) state[k] = 0;
    const codes = this.codes;
    for (let k = 0; k < codes.length; k++) codes[k] = -1;
    return this;
  }

  /**
   * Makes this (untracked) evaluation incremental over `base`, which must be reset to the same
   * inputs before each run of this one; `changed` lists the indices of parameters whose values
   * differ from base's. Values are exactly those of a full evaluation.
   */
  incrementalOver(base: Evaluation, changed: number[]): this {
    if (this.track) throw new Error('incremental evaluations do not record traces');
    const rs = this.rs;
    const n = rs.vars.length;
    const affected = new Uint8Array(n);
    for (let s = 0; s < n; s++) if (rs.paramDeps[s].some((p) => changed.includes(p))) affected[s] = 2;
    for (let grew = true; grew; ) {
      grew = false;
      for (let s = 0; s < n; s++) {
        if (affected[s] === 0 && rs.varDeps[s].some((d) => affected[d] !== 0)) {
          affected[s] = 1;
          grew = true;
        }
      }
    }
    this.base = base;
    this.affected = affected;
    return this;
  }

  input(i: number): Value {
    const v = this.inputs[i];
    return v === undefined ? UNKNOWN_INPUT[i] : v;
  }

  get(slot: number): Value {
    const st = this.state[slot];
    if (st === 2) return this.vals[slot];
    if (st === 1) throw new RuleSetCompileError(`${this.rs.def.id}: circular definition of ${this.rs.vars[slot].name}`);
    if (this.base !== undefined) {
      const r = this.reuse(slot);
      if (r !== COMPUTE) return r;
    }
    // without a trace to record, values of parameters and small-domain inputs only are memoised
    if (!this.track) {
      const keyInputs = this.rs.keyInputs[slot];
      if (keyInputs !== null) {
        const v = this.memoised(slot, keyInputs);
        if (v !== undefined) return v;
      }
    }
    this.state[slot] = 1;
    const v = this.compute(slot);
    this.vals[slot] = v;
    this.state[slot] = 2;
    return v;
  }

  /** The memoised value of a small-domain variable (computed on first use), or undefined to compute it here. */
  private memoised(slot: number, keyInputs: Int32Array): Value | undefined {
    const rs = this.rs;
    let key = 0;
    for (let k = 0; k < keyInputs.length; k++) {
      const i = keyInputs[k];
      let c = this.codes[i];
      if (c === -1) c = this.codes[i] = inputCode(rs, i, this.inputs[i]);
      if (c < 0) return undefined;
      key = key * rs.inputDomain[i] + c;
    }
    let memo = this.memo;
    if (memo === undefined) {
      memo = rs.memoCache.get(this.params);
      if (memo === undefined) rs.memoCache.set(this.params, (memo = new Array(rs.vars.length)));
      this.memo = memo;
    }
    let byKey = memo[slot];
    if (byKey === undefined) byKey = memo[slot] = [];
    let v = byKey[key];
    if (v === undefined) {
      this.state[slot] = 1;
      byKey[key] = v = this.compute(slot);
    }
    this.vals[slot] = v;
    this.state[slot] = 2;
    return v;
  }

  /** Incremental mode: the baseline value when it is still valid, else COMPUTE. */
  private reuse(slot: number): Value | typeof COMPUTE {
    const base = this.base!;
    if (base.state[slot] !== 2) return COMPUTE;
    const affected = this.affected!;
    const a = affected[slot];
    if (a === 2) return COMPUTE;
    if (a === 1) {
      // the variable's baseline computation read only variables the baseline computed; when
      // those that can differ are equal again, it takes the same path to the same value
      this.state[slot] = 1;
      const deps = this.rs.varDeps[slot];
      for (let k = 0; k < deps.length; k++) {
        const d = deps[k];
        if (affected[d] === 0 || base.state[d] !== 2) continue;
        if (this.state[d] === 1 || !sameValue(this.get(d), base.vals[d])) {
          this.state[slot] = 0;
          return COMPUTE;
        }
      }
    }
    const v = base.vals[slot];
    this.vals[slot] = v;
    this.state[slot] = 2;
    return v;
  }

  private compute(slot: number): Value {
    const info = this.rs.vars[slot];
    const branches = info.branches;
    for (let k = 0; k < branches.length; k++) {
      const b = branches[k];
      if (b.when >= 0) {
        const c = this.get(b.when);
        if (c instanceof Unknown) {
          if (this.track) this.pending.push({ rule: b.rule, name: info.name, mask: c.mask });
          return c;
        }
        if (c !== true) continue;
      }
      const v = b.value(this);
      if (this.track) {
        if (v instanceof Unknown) this.pending.push({ rule: b.rule, name: info.name, mask: v.mask });
        else if (!info.hidden && this.firedFlag![b.rule] === 0) {
          this.firedFlag![b.rule] = 1;
          this.fired.push(b.rule);
        }
      }
      return v;
    }
    return null;
  }

  /** The current value of any name (input, parameter or variable) if it has been determined. */
  peek(name: string): Value | undefined {
    const i = this.rs.inputIndex.get(name);
    if (i !== undefined) return this.inputs[i];
    const p = this.rs.paramIndex.get(name);
    if (p !== undefined) return this.params[p];
    const s = this.rs.varIndex.get(name);
    if (s !== undefined && this.state[s] === 2 && !(this.vals[s] instanceof Unknown)) return this.vals[s];
    return undefined;
  }
}

/** An input value's code in memo keys: 0 not supplied, 1… the value, -2 outside the domain. */
function inputCode(rs: CompiledRuleSet, i: number, v: Num | string | boolean | undefined): number {
  if (v === undefined) return 0;
  const d = rs.def.inputs[i];
  if (d.type === 'enum') return (typeof v === 'string' && rs.optionCode[i]!.get(v)) || -2;
  if (d.type === 'boolean') return v === true ? 2 : v === false ? 1 : -2;
  if (v instanceof Num && v.isInteger()) {
    const c = v.toNumber() - (d.min as number) + 1;
    if (c >= 1 && c < rs.inputDomain[i]) return c;
  }
  return -2;
}

/** Equal values (exact numbers by value); lists and contexts count as different. */
function sameValue(a: Value, b: Value): boolean {
  return a === b || (a instanceof Num && b instanceof Num && a.eq(b));
}

/** One rule that fired, as recorded in the determinations log: what it read and what it set. */
export interface TraceRecord {
  rule: string;
  /** values the rule read */
  values: Record<string, unknown>;
  /** values the rule produced */
  result: Record<string, unknown>;
  /** matched decision-table row (1-based) */
  row?: number;
}

/** A trace entry as presented: the record with the rule's title, citation and explanation texts. */
export interface TraceEntry extends TraceRecord {
  title: string;
  citation: string;
  /** plain explanation for citizens */
  why: string;
  /** detailed derivation for agents */
  how: string;
}

/**
 * The structured trace of a determination: the rules that fired, in order, over the values the
 * evaluation computed. Collecting it costs an array push per rule; the values used and the
 * results are read from the evaluation's value table through each compiled rule's metadata
 * (names read, variables set, matched row) only when the trace is logged (records()) or shown
 * (render(), which builds the zh/en why/how sentences).
 */
export class Trace {
  private rendered?: { zh?: TraceEntry[]; en?: TraceEntry[] };

  constructor(
    readonly rs: CompiledRuleSet,
    /** the evaluation that produced it; never reused (traced evaluations are not scratch) */
    readonly evaluation: Evaluation,
  ) {}

  /** Rule indices (into rs.rules) in the order they fired. */
  get rules(): readonly number[] {
    return this.evaluation.fired;
  }

  /** Rule ids in firing order. */
  ruleIds(): string[] {
    return this.evaluation.fired.map((ri) => this.rs.rules[ri].def.id);
  }

  /** The language-independent record (rule id, values read, results, matched row) for the log. */
  records(): TraceRecord[] {
    return this.evaluation.fired.map((ri) => traceRecord(this.rs, this.evaluation, ri));
  }

  /** The trace with titles, citations and why/how sentences in one language (built once per language). */
  render(lang: Lang): TraceEntry[] {
    this.rendered ??= {};
    return (this.rendered[lang] ??= renderTrace(this.rs, this.evaluation, lang));
  }
}

export interface Question {
  id: string;
  text: string;
  label: string;
  type: InputDef['type'];
  options?: { id: string; label: string }[];
  min?: number | string;
  max?: number | string;
  unit?: string;
  /** answer to "why are you asking this?" */
  why: string;
}

export interface Suggestion {
  input: string;
  from: unknown;
  to: unknown;
  delta?: number;
  /** true when other unanswered conditions must also hold */
  conditional: boolean;
  text: string;
}

export interface EvaluationOutcome {
  status: 'complete' | 'need_input' | 'conditional';
  outputs: Record<string, unknown>;
  /** index of the input to ask next when status is need_input */
  questionInput?: number;
  /** inputs the result still depends on when status is conditional */
  unknownInputs?: string[];
  /** the goal variables (for "why are you asking") */
  goalSlots: number[];
  /** the structured trace (with `trace`, the default) */
  trace?: Trace;
  evaluation: Evaluation;
}

export interface EvaluateOptions {
  goal?: string;
  /** collect the structured trace (default true); off for bulk runs, which then reuse one evaluation */
  trace?: boolean;
  /** bits of inputs the user answered "不知道" */
  unknownMask?: number;
  /** leave `outputs` empty (bulk runs read evaluation.vals directly) */
  skipOutputs?: boolean;
}

const t = (x: Text, lang: Lang) => (lang === 'en' ? x.en : x.zh);

/**
 * Evaluates a compiled rule set for validated inputs and resolved parameters. No text is built
 * here: the trace is structured, and questions and explanations are rendered on presentation
 * (renderQuestion, Trace.render).
 */
export function evaluate(rs: CompiledRuleSet, inputs: ValidatedInputs, params: Value[], opts: EvaluateOptions = {}): EvaluationOutcome {
  const tracing = opts.trace !== false;
  // without a trace nothing refers to the evaluation after the caller has read it: reuse one
  const ev = tracing ? new Evaluation(rs, inputs.values, params, true) : (rs.scratch ??= new Evaluation(rs, inputs.values, params, false)).reset(inputs.values, params);
  const goalSlots = opts.goal ? [rs.outputs[rs.outputIndex.get(opts.goal)!].slot] : rs.defaultGoalMask;
  let mask = 0;
  for (let k = 0; k < goalSlots.length; k++) {
    const v = ev.get(goalSlots[k]);
    if (v instanceof Unknown) mask |= v.mask;
  }
  const askable = mask & ~(opts.unknownMask ?? 0);
  const status = mask === 0 ? 'complete' : askable === 0 ? 'conditional' : 'need_input';
  const outputs: Record<string, unknown> = {};
  for (let k = 0; k < (opts.skipOutputs ? 0 : rs.outputs.length); k++) {
    const o = rs.outputs[k];
    if (status === 'need_input' && o.def.companion) continue;
    const v = ev.get(o.slot);
    if (v instanceof Unknown) continue;
    outputs[o.def.id] = toJson(v);
  }
  const out: EvaluationOutcome = { status, outputs, goalSlots, evaluation: ev };
  if (status === 'need_input') {
    const bit = askable & -askable;
    out.questionInput = 31 - Math.clz32(bit);
  } else if (status === 'conditional') {
    out.unknownInputs = rs.def.inputs.filter((_, i) => mask & (1 << i)).map((d) => d.id);
  }
  if (tracing) out.trace = new Trace(rs, ev);
  return out;
}

/** The notes every explanation of the rule set carries, in one language. */
export function renderNotes(rs: CompiledRuleSet, lang: Lang): string[] {
  return (rs.def.notes ?? []).map((n) => t(n, lang));
}

/** Formats a value for a sentence. */
export function formatValue(rs: CompiledRuleSet, name: string, v: Value | undefined, lang: Lang, style?: string): string {
  if (v === undefined || v instanceof Unknown) return lang === 'en' ? '(unknown)' : '（未知）';
  if (v === null) return lang === 'en' ? 'none' : '无';
  // {x|not} reads a condition into a sentence: "（不）符合条件"
  if (typeof v === 'boolean' && style === 'not') return v ? '' : lang === 'en' ? 'not ' : '不';
  if (typeof v === 'boolean') return lang === 'en' ? (v ? 'yes' : 'no') : v ? '是' : '否';
  if (v instanceof Num) {
    if (style === 'pct') return `${v.mul(HUNDRED).toString()}%`;
    if (style === 'age') {
      // a number of months read as an age: 720 → 60周岁, 740 → 61岁8个月
      const months = Number(v.toString());
      const years = Math.floor(months / 12);
      const rest = months % 12;
      if (lang === 'en') return rest ? `${years} years ${rest} months` : `${years} years`;
      return rest ? `${years}岁${rest}个月` : `${years}周岁`;
    }
    if (style === 'money' || rs.outputDefs.get(name)?.type === 'money' || rs.inputDefs.get(name)?.type === 'money') return v.toFixed(2);
    return v.toString();
  }
  if (typeof v === 'string') {
    if (style === 'ym' && /^\d{4}-\d{2}$/.test(v)) {
      const month = Number(v.slice(5));
      return lang === 'en' ? `${MONTHS_EN[month - 1]} ${v.slice(0, 4)}` : `${v.slice(0, 4)}年${month}月`;
    }
    const opt = rs.inputDefs.get(name)?.options?.find((o) => o.id === v);
    if (opt) return t(opt.label, lang);
    const codes = rs.outputDefs.get(name)?.codes;
    if (codes?.[v]) return t(codes[v], lang);
    const label = rs.def.valueLabels?.[name]?.[v];
    if (label) return t(label, lang);
    return v;
  }
  if (Array.isArray(v)) {
    const codes = rs.outputDefs.get(name)?.codes;
    if (v.length === 0) return lang === 'en' ? 'none' : '无';
    return v.map((x) => (typeof x === 'string' && codes?.[x] ? t(codes[x], lang) : formatValue(rs, '', x, lang))).join(lang === 'en' ? '; ' : '；');
  }
  return JSON.stringify(toJson(v));
}

const HUNDRED = Num.of(100);
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
type TemplatePart = string | { name: string; style?: string };
const templateCache = new Map<string, TemplatePart[]>();

function parseTemplate(template: string): TemplatePart[] {
  let parts = templateCache.get(template);
  if (!parts) {
    parts = [];
    const re = /\{([^{}|]+)(?:\|(\w+))?\}/g;
    let last = 0;
    for (let m = re.exec(template); m; m = re.exec(template)) {
      if (m.index > last) parts.push(template.slice(last, m.index));
      parts.push({ name: m[1], style: m[2] });
      last = m.index + m[0].length;
    }
    if (last < template.length) parts.push(template.slice(last));
    templateCache.set(template, parts);
  }
  return parts;
}

function labelOf(rs: CompiledRuleSet, name: string, lang: Lang): string {
  const d = rs.inputDefs.get(name) ?? rs.outputDefs.get(name);
  if (d) return t(d.label, lang);
  const p = rs.def.parameters.find((x) => x.name === name);
  return p ? t(p.label, lang) : name;
}

/** The value of a resolved name if it has been determined (as Evaluation.peek). */
function peekRef(ev: Evaluation, r: NameRef): Value | undefined {
  if (r.kind === 0) return ev.inputs[r.index];
  if (r.kind === 1) return ev.params[r.index];
  const v = ev.state[r.index] === 2 ? ev.vals[r.index] : undefined;
  return v instanceof Unknown ? undefined : v;
}

function addValues(values: Record<string, unknown>, ev: Evaluation, refs: NameRef[]) {
  for (let k = 0; k < refs.length; k++) {
    const v = peekRef(ev, refs[k]);
    // contexts (parameter tables) are left out; the value read from them is in the result
    if (v === undefined || (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Num))) continue;
    values[refs[k].name] = toJson(v);
  }
}

/** What a fired rule read and set, from the evaluation's values (no text). */
function traceRecord(rs: CompiledRuleSet, ev: Evaluation, ri: number): TraceRecord {
  const r = rs.rules[ri];
  const values: Record<string, unknown> = {};
  addValues(values, ev, r.traceReads!);
  const m = r.tableSlot >= 0 ? ev.vals[r.tableSlot] : null;
  if (m instanceof Num) addValues(values, ev, r.traceRowReads![m.toNumber()]);
  const result: Record<string, unknown> = {};
  const sets = r.traceSets!;
  for (let k = 0; k < sets.length; k++) {
    const v = peekRef(ev, sets[k]);
    if (v !== undefined) result[sets[k].name] = toJson(v);
  }
  const rec: TraceRecord = { rule: r.def.id, values, result };
  if (m instanceof Num) rec.row = m.toNumber() + 1;
  return rec;
}

/** Renders a structured trace: titles, citations, why (citizens) and how (agents) sentences. */
function ruleTexts(rs: CompiledRuleSet, ri: number, lang: Lang): RuleTexts {
  const r = rs.rules[ri];
  const x = (r.texts ??= {});
  let rt = x[lang];
  if (rt) return rt;
  const d = r.def;
  const resolve = (name: string): NameRef | null => {
    if (rs.inputIndex.has(name)) return { name, kind: 0, index: rs.inputIndex.get(name)! };
    if (rs.paramIndex.has(name)) return { name, kind: 1, index: rs.paramIndex.get(name)! };
    if (rs.varIndex.has(name)) return { name, kind: 2, index: rs.varIndex.get(name)! };
    return null;
  };
  rt = {
    title: t(d.title, lang),
    when: d.when ? (lang === 'en' ? `applies because ${d.when}` : `适用条件：${d.when}`) : '',
    sets: r.traceSets!.map((ref) => {
      const label = labelOf(rs, ref.name, lang);
      const src = d.set?.[ref.name];
      return { ref, label, head: `${ref.name}${label === ref.name ? '' : `（${label}）`} = `, src: src ?? null, col: d.table ? d.table.outputs.indexOf(ref.name) : -1 };
    }),
    why: d.why
      ? whyClauses(
          parseTemplate(t(d.why, lang)).map((p) => {
            if (typeof p === 'string') return p;
            const money = rs.outputDefs.get(p.name)?.type === 'money' || rs.inputDefs.get(p.name)?.type === 'money';
            return { ref: resolve(p.name), name: p.name, style: p.style, money };
          }),
        )
      : null,
  };
  x[lang] = rt;
  return rt;
}

function renderTrace(rs: CompiledRuleSet, ev: Evaluation, lang: Lang): TraceEntry[] {
  const sep = lang === 'en' ? '; ' : '；';
  return ev.fired.map((ri) => {
    const r = rs.rules[ri];
    const rt = ruleTexts(rs, ri, lang);
    const { values, result, row } = traceRecord(rs, ev, ri);
    let how = rt.when;
    if (row !== undefined) {
      // a column the matched row does not test (`-`) may be unanswered: it is left out
      const cols = r.def.table!.inputs.flatMap((c) => {
        const v = ev.peek(c);
        return v === undefined ? [] : [`${c} = ${formatValue(rs, c, v, lang)}`];
      }).join(', ');
      how += (how ? sep : '') + (lang === 'en' ? `decision table row ${row} (${cols})` : `决策表第 ${row} 行（${cols}）`);
    }
    let listed = '';
    for (const st of rt.sets) {
      const v = peekRef(ev, st.ref);
      if (v === undefined) continue;
      const src = st.src ?? (row !== undefined ? r.def.table!.rows[row - 1][r.def.table!.inputs.length + st.col] : '');
      const shown = formatValue(rs, st.ref.name, v, lang);
      how += (how ? sep : '') + st.head + src + ' = ' + shown;
      if (!rt.why) listed += (listed ? sep : '') + st.label + (lang === 'en' ? ': ' : '为') + shown;
    }
    const why = rt.why ? renderClauses(rs, ev, rt.why, lang) : listed;
    return {
      rule: r.def.id,
      title: rt.title,
      citation: r.def.citation,
      values,
      result,
      ...(row !== undefined ? { row } : {}),
      why,
      how,
    };
  });
}

const CLAUSE_END_ZH = new Set(['，', '；', '。', '！', '？']);
const OPEN = new Set(['（', '(']);
const CLOSE = new Set(['）', ')']);

/**
 * Cuts a why template into clauses at commas, semicolons and full stops outside brackets
 * (，；。 or , ; . followed by a space or the end), so a clause whose values were never
 * determined can be left out instead of showing a placeholder.
 */
function whyClauses(parts: (string | Placeholder)[]): Clause[] {
  const clauses: Clause[] = [];
  let cur: (string | Placeholder)[] = [];
  let depth = 0;
  parts.forEach((p, n) => {
    if (typeof p !== 'string') {
      cur.push(p);
      return;
    }
    const isLast = n === parts.length - 1;
    let text = '';
    for (let k = 0; k < p.length; k++) {
      const ch = p[k];
      if (OPEN.has(ch)) depth++;
      else if (CLOSE.has(ch)) depth = Math.max(0, depth - 1);
      const isZh = CLAUSE_END_ZH.has(ch);
      const isEn = (ch === ',' || ch === ';' || ch === '.') && (k + 1 === p.length ? isLast : p[k + 1] === ' ');
      if (depth === 0 && (isZh || isEn)) {
        let end = ch;
        if (isEn && p[k + 1] === ' ') end += p[++k];
        if (text) cur.push(text);
        clauses.push({ parts: cur, end });
        cur = [];
        text = '';
      } else text += ch;
    }
    if (text) cur.push(text);
  });
  if (cur.length) clauses.push({ parts: cur, end: '' });
  return clauses;
}

/** How strongly a clause's punctuation ends it: comma < semicolon < full stop < end of text. */
function endRank(end: string): number {
  const c = end.trim();
  if (c === '') return 3;
  if (c === '，' || c === ',') return 0;
  if (c === '；' || c === ';') return 1;
  return 2;
}

/**
 * Fills the clauses of a why template with the evaluation's values. A clause that names a value
 * not determined (an unanswered or 不知道 input, a variable its branch never needed) is left
 * out, and the clause before it takes its closing punctuation; nothing left gives "".
 */
function renderClauses(rs: CompiledRuleSet, ev: Evaluation, clauses: Clause[], lang: Lang): string {
  const kept: { text: string; end: string }[] = [];
  for (const c of clauses) {
    let text = '';
    let isComplete = true;
    for (const p of c.parts) {
      if (typeof p === 'string') {
        text += p;
        continue;
      }
      const v = p.ref ? peekRef(ev, p.ref) : undefined;
      if (v === undefined) {
        isComplete = false;
        break;
      }
      text += v instanceof Num && p.style === undefined ? (p.money ? v.toFixed(2) : v.toString()) : formatValue(rs, p.name, v, lang, p.style);
    }
    if (isComplete) kept.push({ text, end: c.end });
    else if (kept.length && endRank(kept[kept.length - 1].end) < endRank(c.end)) kept[kept.length - 1].end = c.end;
  }
  return kept.map((k) => k.text + k.end).join('').trim();
}

/**
 * The one sentence a finished result opens with: the rule set's first headline whose status and
 * condition hold and whose values are all determined; otherwise, for a result that waits on
 * 不知道 answers, which answers those are, and for any other result its first output.
 */
export function renderHeadline(rs: CompiledRuleSet, outcome: EvaluationOutcome, lang: Lang): string | undefined {
  if (outcome.status === 'need_input') return undefined;
  const ev = outcome.evaluation;
  for (const h of rs.headlines) {
    if (h.def.status && h.def.status !== outcome.status) continue;
    if (h.when && h.when(ev) !== true) continue;
    let text = '';
    let isComplete = true;
    for (const p of parseTemplate(t(h.def.text, lang))) {
      if (typeof p === 'string') text += p;
      else {
        const v = ev.peek(p.name);
        if (v === undefined) {
          isComplete = false;
          break;
        }
        text += formatValue(rs, p.name, v, lang, p.style);
      }
    }
    if (isComplete) return text;
  }
  if (outcome.status === 'conditional') {
    const labels = (outcome.unknownInputs ?? []).map((id) => t(rs.inputDefs.get(id)!.label, lang));
    return lang === 'en'
      ? `The result depends on what you answered "don't know" (${labels.join(', ')}); please check with your social insurance agency.`
      : `测算结果还取决于您回答“不知道”的问题（${labels.join('、')}），请向参保地社保经办机构核实。`;
  }
  for (const o of rs.outputs) {
    if (o.def.companion) continue;
    const v = ev.peek(o.def.id);
    if (v === undefined || v === null) continue;
    const unit = o.def.unit ? t(o.def.unit, lang) : '';
    return lang === 'en' ? `${t(o.def.label, lang)}: ${formatValue(rs, o.def.id, v, lang)}${unit ? ` ${unit}` : ''}.` : `${t(o.def.label, lang)}：${formatValue(rs, o.def.id, v, lang)}${unit}。`;
  }
  return undefined;
}

/** The next question of a need_input outcome, in one language; `why` needs the outcome's trace. */
export function renderQuestion(rs: CompiledRuleSet, outcome: EvaluationOutcome, lang: Lang): Question | undefined {
  const i = outcome.questionInput;
  if (i === undefined) return undefined;
  const ev = outcome.evaluation;
  const d = rs.def.inputs[i];
  const q: Question = {
    id: d.id,
    text: t(d.question, lang),
    label: t(d.label, lang),
    type: d.type,
    why: '',
  };
  if (d.options) q.options = d.options.map((o) => ({ id: o.id, label: t(o.label, lang) }));
  if (d.min !== undefined) q.min = d.min;
  if (d.max !== undefined) q.max = d.max;
  if (d.unit) q.unit = t(d.unit, lang);
  if (outcome.trace) q.why = whyAsking(rs, ev, i, outcome.goalSlots, lang);
  return q;
}

/** "Why are you asking this?": the rules between the question and the goal outputs it can change. */
function whyAsking(rs: CompiledRuleSet, ev: Evaluation, i: number, goalSlots: number[], lang: Lang): string {
  const bit = 1 << i;
  const id = rs.def.inputs[i].id;
  const direct: string[] = [];
  const further: string[] = [];
  const seen = new Set<number>();
  for (const p of ev.pending) {
    if (!(p.mask & bit) || seen.has(p.rule)) continue;
    seen.add(p.rule);
    const cr = rs.rules[p.rule];
    const r = cr.def;
    if (cr.refs.has(id) || cr.rowRefs.some((x) => x.has(id))) {
      direct.push(lang === 'en' ? `${r.id} "${r.title.en}" (${r.citation})` : `${r.id}“${r.title.zh}”（${r.citation}）`);
    } else further.push(r.id);
  }
  const goals = goalSlots
    .filter((s) => {
      const v = ev.vals[s];
      return v instanceof Unknown && v.mask & bit;
    })
    .map((s) => labelOf(rs, rs.vars[s].name, lang));
  const label = t(rs.def.inputs[i].label, lang);
  if (lang === 'en') {
    return `Rule ${direct.join(', ')} needs your answer on "${label}"${further.length ? `, and through it rules ${further.join(', ')}` : ''}; it can still change: ${goals.join(', ')}.`;
  }
  return `规则 ${direct.join('、')} 需要用到“${label}”${further.length ? `，并经由规则 ${further.join('、')}` : ''}；您的回答还会影响：${goals.join('、')}。`;
}
