import type { z } from 'zod';
import { AppError } from '../platform/errors';
import { compileRuleSet, evaluate, parameterValues, renderHeadline, renderNotes, renderQuestion, toJson, type CompiledRuleSet, type EvaluationOutcome, type Question, type Suggestion, type Trace, type TraceEntry, type TraceRecord } from './engine';
import { Unknown } from './feel';
import { Num } from './num';
import type { ParameterStore } from './params';
import type { ruleSetSummarySchema } from './schema';
import type { Lang, RuleSetDef } from './types';
import { validateInputs, type ValidatedInputs } from './validate';

/**
 * The rules module's service API: list rule sets and run determinations. Routes, the portal
 * calculators and the robot call this; it throws AppError for anything the caller got wrong.
 */

export interface DetermineRequest {
  inputs?: unknown;
  goal?: unknown;
  /** YYYY-MM-DD; default today (Asia/Shanghai) */
  date?: unknown;
  lang?: Lang;
  /** jurisdiction code; default the demo city */
  jurisdiction?: unknown;
  /** input ids the user answered "不知道" (don't know): never asked, the result stays conditional */
  unknown?: unknown;
  /**
   * collect the structured trace (default true): the result then carries its explanation, notes,
   * "why are you asking" and suggestions, rendered when first read or serialised. `false` is for
   * bulk callers that read outputs only.
   */
  explain?: boolean;
}

export interface DeterminationResult {
  status: 'complete' | 'need_input' | 'conditional';
  /** one plain sentence with the key figure, which a finished result opens with */
  headline?: string;
  outputs: Record<string, unknown>;
  question?: Question;
  unknownInputs?: string[];
  explanation?: TraceEntry[];
  notes?: string[];
  /** for an ineligible result: the smallest single changes that would make it eligible */
  suggestions?: Suggestion[];
  ruleSet: { id: string; version: string };
  date: string;
  jurisdiction: string;
  parameterVersions: string[];
}

/** Everything needed to replay a determination. */
export interface DeterminationRecord {
  ruleSetId: string;
  ruleSetVersion: string;
  date: string;
  jurisdiction: string;
  parameterVersions: string[];
  parameters: Record<string, unknown>;
  inputs: Record<string, unknown>;
  unknownInputs: string[];
  goal: string | null;
  status: DeterminationResult['status'];
  outputs: Record<string, unknown>;
  questionId: string | null;
  /** the structured trace (rules fired, values read, results); older records also carry texts */
  trace: TraceRecord[];
}

export type RuleSetStatus = 'draft' | 'published' | 'retired';

export interface RuleSetVersionEntry {
  def: RuleSetDef;
  compiled: CompiledRuleSet;
  status: RuleSetStatus;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const validDates = new Set<string>();
function isValidDate(s: string): boolean {
  if (validDates.has(s)) return true;
  const ok = checkDate(s);
  if (ok && validDates.size < 10000) validDates.add(s);
  return ok;
}

function checkDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

let todayCache = { at: 0, value: '' };
/** Today's date in China (the demo's time zone), cached for a minute. */
export function today(): string {
  const now = Date.now();
  if (now - todayCache.at > 60_000) {
    todayCache = { at: now, value: new Date(now + 8 * 3600_000).toISOString().slice(0, 10) };
  }
  return todayCache.value;
}

const tr = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);

export class RulesService {
  private versions = new Map<string, RuleSetVersionEntry[]>();

  constructor(
    readonly params: ParameterStore,
    defs: RuleSetDef[] = [],
  ) {
    for (const d of defs) this.addVersion(d, 'published');
  }

  /** Adds or replaces (by id and version) a rule-set version; compiles it (throws on errors). */
  addVersion(def: RuleSetDef, status: RuleSetStatus): RuleSetVersionEntry {
    const compiled = compileRuleSet(def);
    const list = (this.versions.get(def.id) ?? []).filter((v) => v.def.version !== def.version);
    const entry = { def, compiled, status };
    list.push(entry);
    list.sort((a, b) => (a.def.effectiveFrom < b.def.effectiveFrom ? -1 : a.def.effectiveFrom > b.def.effectiveFrom ? 1 : 0));
    this.versions.set(def.id, list);
    return entry;
  }

  setStatus(id: string, version: string, status: RuleSetStatus): void {
    const e = this.versions.get(id)?.find((v) => v.def.version === version);
    if (e) e.status = status;
  }

  ids(): string[] {
    return [...this.versions.keys()];
  }

  listVersions(id: string): RuleSetVersionEntry[] {
    return this.versions.get(id) ?? [];
  }

  getVersion(id: string, version: string): RuleSetVersionEntry | undefined {
    return this.versions.get(id)?.find((v) => v.def.version === version);
  }

  /** The published version in force on a date, if any. */
  inForce(id: string, date: string): RuleSetVersionEntry | undefined {
    const list = this.versions.get(id);
    if (!list) return undefined;
    let found: RuleSetVersionEntry | undefined;
    for (const v of list) {
      if (v.status !== 'published' || v.def.effectiveFrom > date) continue;
      if (v.def.effectiveTo && v.def.effectiveTo <= date) continue;
      found = v;
    }
    return found;
  }

  /** Rule sets in force today, as documents for clients. */
  listRuleSets(lang: Lang = 'zh', date = today()): RuleSetSummary[] {
    const out: RuleSetSummary[] = [];
    for (const id of this.ids()) {
      const v = this.inForce(id, date) ?? this.versions.get(id)!.find((x) => x.status === 'published');
      if (v) out.push(presentRuleSet(v.def, lang, this.listVersions(id)));
    }
    return out;
  }

  getRuleSet(id: string, lang: Lang = 'zh', date = today()): RuleSetSummary {
    const v = this.inForce(id, date) ?? this.versions.get(id)?.find((x) => x.status === 'published');
    if (!v) throw notFoundRuleSet(id, lang);
    return presentRuleSet(v.def, lang, this.listVersions(id));
  }

  /** Runs a determination. Throws AppError(400) for invalid requests, 404 for unknown rule sets. */
  determine(id: string, req: DetermineRequest): Determination {
    return this.run(id, req).result;
  }

  /** Like determine(), plus the replayable record (for the determinations log). */
  determineWithRecord(id: string, req: DetermineRequest): { result: Determination; record: DeterminationRecord } {
    const r = this.run(id, req);
    return { result: r.result, record: buildRecord(r.run) };
  }

  private run(id: string, req: DetermineRequest): { result: Determination; run: RunState } {
    const lang: Lang = req.lang === 'en' ? 'en' : 'zh';
    if (!this.versions.has(id)) throw notFoundRuleSet(id, lang);
    const date = this.checkDate(req.date, lang);
    const jurisdiction = this.checkJurisdiction(req.jurisdiction, lang);
    const entry = this.inForce(id, date);
    if (!entry) {
      throw new AppError(400, 'invalid_value', tr(lang, `${date} 没有生效的规则集版本`, `no version of ${id} is in force on ${date}`), 'date');
    }
    const rs = entry.compiled;
    const validated = validateInputs(rs.def.inputs, rs.inputIndex, req.inputs, lang);
    const goal = this.checkGoal(rs, req.goal, lang);
    const unknownMask = this.checkUnknown(rs, req.unknown, validated, lang);
    const resolved = this.params.resolve(date, jurisdiction);
    const pvals = parameterValues(rs, resolved);
    const outcome = evaluate(rs, validated, pvals, { goal, trace: req.explain !== false, unknownMask });
    const run: RunState = { rs, validated, pvals, goal, unknownMask, outcome, resolved, date, jurisdiction, lang };
    return { result: new Determination(run), run };
  }

  private checkDate(v: unknown, lang: Lang): string {
    if (v === undefined || v === null) return today();
    if (typeof v !== 'string' || !isValidDate(v)) {
      throw new AppError(400, 'invalid_value', tr(lang, 'date 应为 "YYYY-MM-DD" 格式的有效日期', 'date must be a valid "YYYY-MM-DD" date'), 'date');
    }
    const earliest = this.params.earliestDate();
    if (earliest && v < earliest) {
      throw new AppError(400, 'invalid_value', tr(lang, `${earliest} 之前没有生效的参数`, `no parameters are in force before ${earliest}`), 'date');
    }
    return v;
  }

  private checkJurisdiction(v: unknown, lang: Lang): string {
    if (v === undefined || v === null) return this.params.defaultJurisdiction;
    if (typeof v !== 'string' || !this.params.hasJurisdiction(v)) {
      throw new AppError(400, 'invalid_value', tr(lang, '未知的地区', 'unknown jurisdiction'), 'jurisdiction');
    }
    return v;
  }

  private checkGoal(rs: CompiledRuleSet, v: unknown, lang: Lang): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || !rs.outputIndex.has(v)) {
      throw new AppError(
        400,
        'invalid_value',
        tr(lang, `goal 应为以下输出之一：${rs.def.outputs.map((o) => o.id).join('、')}`, `goal must be one of: ${rs.def.outputs.map((o) => o.id).join(', ')}`),
        'goal',
      );
    }
    return v;
  }

  private checkUnknown(rs: CompiledRuleSet, v: unknown, validated: ValidatedInputs, lang: Lang): number {
    if (v === undefined || v === null) return 0;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !rs.inputIndex.has(x))) {
      throw new AppError(400, 'invalid_value', tr(lang, 'unknown 应为输入项 id 的数组', 'unknown must be an array of input ids'), 'unknown');
    }
    let mask = 0;
    for (const x of v as string[]) mask |= 1 << rs.inputIndex.get(x)!;
    return mask & ~validated.suppliedMask;
  }
}

interface RunState {
  rs: CompiledRuleSet;
  validated: ValidatedInputs;
  pvals: ReturnType<typeof parameterValues>;
  goal: string | undefined;
  unknownMask: number;
  outcome: EvaluationOutcome;
  resolved: { versionIds: string[] };
  date: string;
  jurisdiction: string;
  lang: Lang;
}

/**
 * A determination: status, outputs and the structured trace, computed eagerly; the texts
 * (question, explanation, notes, suggestions) are rendered from them the first time they are
 * read, or when the result is serialised (toJSON), and then kept.
 */
export class Determination implements DeterminationResult {
  readonly status: DeterminationResult['status'];
  readonly outputs: Record<string, unknown>;
  readonly unknownInputs?: string[];
  readonly ruleSet: { id: string; version: string };
  readonly date: string;
  readonly jurisdiction: string;
  readonly parameterVersions: string[];
  /** the structured trace (undefined with `explain: false`) */
  readonly trace: Trace | undefined;
  private texts?: { headline?: string | null; question?: Question; explanation?: TraceEntry[]; notes?: string[]; suggestions?: Suggestion[] | null };

  constructor(private readonly run: RunState) {
    const o = run.outcome;
    this.status = o.status;
    this.outputs = o.outputs;
    if (o.unknownInputs) this.unknownInputs = o.unknownInputs;
    this.ruleSet = { id: run.rs.def.id, version: run.rs.def.version };
    this.date = run.date;
    this.jurisdiction = run.jurisdiction;
    this.parameterVersions = run.resolved.versionIds;
    this.trace = o.trace;
  }

  /** id of the input asked next (need_input), without rendering the question */
  get questionId(): string | undefined {
    const i = this.run.outcome.questionInput;
    return i === undefined ? undefined : this.run.rs.def.inputs[i].id;
  }

  /** the finished result in one plain sentence (complete or conditional, with a trace) */
  get headline(): string | undefined {
    if (!this.trace) return undefined;
    const x = (this.texts ??= {});
    if (x.headline === undefined) x.headline = renderHeadline(this.run.rs, this.run.outcome, this.run.lang) ?? null;
    return x.headline ?? undefined;
  }

  get question(): Question | undefined {
    if (this.run.outcome.questionInput === undefined) return undefined;
    const x = (this.texts ??= {});
    return (x.question ??= renderQuestion(this.run.rs, this.run.outcome, this.run.lang));
  }

  get explanation(): TraceEntry[] | undefined {
    return this.trace?.render(this.run.lang);
  }

  get notes(): string[] | undefined {
    if (!this.trace) return undefined;
    const x = (this.texts ??= {});
    return (x.notes ??= renderNotes(this.run.rs, this.run.lang));
  }

  /** for an ineligible result: the smallest single changes that would make it eligible */
  get suggestions(): Suggestion[] | undefined {
    if (!this.trace) return undefined;
    const x = (this.texts ??= {});
    if (x.suggestions === undefined) {
      const { rs, validated, pvals, outcome, lang } = this.run;
      const s = suggestChanges(rs, validated, pvals, outcome, lang);
      x.suggestions = s && s.length ? s : null;
    }
    return x.suggestions ?? undefined;
  }

  /** The response body: same fields and order as a plain result, texts rendered. */
  toJSON(): DeterminationResult {
    const h = this.headline;
    const out: DeterminationResult = {
      status: this.status,
      ...(h ? { headline: h } : {}),
      outputs: this.outputs,
      ruleSet: this.ruleSet,
      date: this.date,
      jurisdiction: this.jurisdiction,
      parameterVersions: this.parameterVersions,
    };
    const q = this.question;
    if (q) out.question = q;
    if (this.unknownInputs) out.unknownInputs = this.unknownInputs;
    const e = this.explanation;
    if (e) out.explanation = e;
    const n = this.notes;
    if (n) out.notes = n;
    const s = this.suggestions;
    if (s) out.suggestions = s;
    return out;
  }
}

/** The parameter values of a record, per parameter set (the same values for every record). */
const parameterSnapshots = new WeakMap<ReturnType<typeof parameterValues>, Readonly<Record<string, unknown>>>();

function buildRecord(r: RunState): DeterminationRecord {
  const { rs, validated, pvals, outcome } = r;
  let parameters = parameterSnapshots.get(pvals);
  if (!parameters) {
    parameters = Object.freeze(Object.fromEntries(rs.def.parameters.map((p, i) => [p.name, toJson(pvals[i])])));
    parameterSnapshots.set(pvals, parameters);
  }
  const inputs: Record<string, unknown> = {};
  for (let i = 0; i < rs.def.inputs.length; i++) {
    const v = validated.values[i];
    if (v !== undefined) inputs[rs.def.inputs[i].id] = toJson(v);
  }
  return {
    ruleSetId: rs.def.id,
    ruleSetVersion: rs.def.version,
    date: r.date,
    jurisdiction: r.jurisdiction,
    parameterVersions: r.resolved.versionIds,
    parameters: parameters as Record<string, unknown>,
    inputs,
    unknownInputs: r.unknownMask === 0 ? [] : rs.def.inputs.filter((_, i) => r.unknownMask & (1 << i)).map((d) => d.id),
    goal: r.goal ?? null,
    status: outcome.status,
    outputs: outcome.outputs,
    questionId: outcome.questionInput === undefined ? null : rs.def.inputs[outcome.questionInput].id,
    trace: outcome.trace?.records() ?? [],
  };
}

function notFoundRuleSet(id: string, lang: Lang): AppError {
  return new AppError(404, 'ruleset_not_found', tr(lang, `规则集“${id}”不存在`, `rule set "${id}" does not exist`));
}

/** A rule set as clients see it: the wire type `ruleSetSummarySchema`. */
export type RuleSetSummary = z.infer<typeof ruleSetSummarySchema>;

/** A rule set as clients see it (labels in one language). */
export function presentRuleSet(def: RuleSetDef, lang: Lang, versions: RuleSetVersionEntry[] = []): RuleSetSummary {
  const t = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);
  return {
    id: def.id,
    name: t(def.name),
    description: t(def.description),
    version: def.version,
    effectiveFrom: def.effectiveFrom,
    legalBasis: def.legalBasis,
    versions: versions.map((v) => ({ version: v.def.version, effectiveFrom: v.def.effectiveFrom, effectiveTo: v.def.effectiveTo ?? null, status: v.status })),
    inputs: def.inputs.map((d) => ({
      id: d.id,
      type: d.type === 'decimal' ? `decimal(${d.scale ?? 2})` : d.type,
      label: t(d.label),
      question: t(d.question),
      ...(d.options ? { options: d.options.map((o) => ({ id: o.id, label: t(o.label) })) } : {}),
      ...(d.min !== undefined ? { min: d.min } : {}),
      ...(d.max !== undefined ? { max: d.max } : {}),
      ...(d.type === 'decimal' ? { scale: d.scale ?? 2 } : d.type === 'money' ? { scale: 2 } : {}),
      ...(d.unit ? { unit: t(d.unit) } : {}),
      ...(d.askedWhen ? { askedWhen: t(d.askedWhen) } : {}),
    })),
    outputs: def.outputs.map((o) => ({
      id: o.id,
      type: o.type,
      label: t(o.label),
      ...(o.unit ? { unit: t(o.unit) } : {}),
      nullable: !!o.nullable,
      ...(o.codes ? { codes: Object.fromEntries(Object.entries(o.codes).map(([k, v]) => [k, t(v)])) } : {}),
    })),
  };
}

/**
 * For an ineligible result, the smallest change of one input that would make it eligible (or
 * leave it open when other answers are still missing), holding every other answer fixed.
 */
export function suggestChanges(
  rs: CompiledRuleSet,
  validated: ValidatedInputs,
  params: ReturnType<typeof parameterValues>,
  outcome: EvaluationOutcome,
  lang: Lang,
): Suggestion[] | undefined {
  const elig = rs.def.eligibilityOutput;
  if (!elig || outcome.status !== 'complete' || outcome.outputs[elig] !== false || !rs.def.changes) return undefined;
  const slot = rs.varIndex.get(elig)!;
  const test = (i: number, v: Num | string | boolean): boolean | 'open' => {
    const values = validated.values.slice();
    values[i] = v;
    const ev = evaluate(rs, { values, suppliedMask: validated.suppliedMask | (1 << i) }, params, { goal: elig, trace: false });
    const r = ev.evaluation.vals[slot];
    return r === true ? true : r instanceof Unknown ? 'open' : false;
  };
  const out: Suggestion[] = [];
  for (const c of rs.def.changes) {
    const i = rs.inputIndex.get(c.input)!;
    const d = rs.def.inputs[i];
    const cur = validated.values[i];
    if (cur === undefined) continue;
    let found: { to: Num | string | boolean; r: true | 'open' } | undefined;
    if (c.increase && cur instanceof Num) {
      const scale = d.type === 'integer' ? 0 : d.type === 'money' ? 2 : (d.scale ?? 2);
      const unit = Num.parse(scale === 0 ? '1' : `0.${'0'.repeat(scale - 1)}1`);
      const steps = (n: Num) => n.div(unit)!.floor().toNumber();
      const at = (k: number) => Num.of(k).mul(unit);
      let lo = steps(cur) + 1;
      let hi = steps(Num.of(Number(d.max)));
      if (lo > hi || test(i, at(hi)) === false) continue;
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (test(i, at(mid)) !== false) hi = mid;
        else lo = mid + 1;
      }
      const r = test(i, at(lo));
      if (r !== false) found = { to: at(lo), r };
    } else if (c.values) {
      for (const v of c.values) {
        if (v === cur) continue;
        const r = test(i, v as string | boolean);
        if (r !== false) {
          found = { to: v as string | boolean, r };
          break;
        }
      }
    }
    if (!found) continue;
    const delta = found.to instanceof Num && cur instanceof Num ? found.to.sub(cur).toNumber() : undefined;
    const toJ = toJson(found.to);
    const text = (lang === 'en' ? c.text.en : c.text.zh)
      .replace('{delta}', delta === undefined ? '' : String(delta))
      .replace('{value}', String(toJ));
    out.push({
      input: c.input,
      from: toJson(cur),
      to: toJ,
      ...(delta !== undefined ? { delta } : {}),
      conditional: found.r === 'open',
      text: found.r === 'open' ? text + tr(lang, '（其他条件也须满足）', ' (if the other conditions are met)') : text,
    });
  }
  return out;
}
