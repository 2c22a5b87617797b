import { parseExpression, parseUnaryTests } from 'feelin';
import type { SyntaxNode } from '@lezer/common';
import { Num } from './num';

/**
 * A compiler from FEEL (the DMN expression language) to JS closures.
 *
 * Parsing uses feelin's grammar, so rules are written in standard FEEL. Evaluation is our own
 * because the rules engine needs two things feelin's interpreter does not give: exact decimals
 * (feelin computes with binary floating point) and an explicit UNKNOWN value that propagates
 * through expressions with three-valued logic, so the engine knows which missing inputs an
 * undetermined result still depends on. Each expression is parsed once and compiled to a closure.
 */

/** A value not known yet: `mask` has one bit per input (interview order) that it depends on. */
export class Unknown {
  constructor(readonly mask: number) {}
}

export type Value = Num | string | boolean | null | Value[] | { [key: string]: Value } | Unknown;

/** Evaluation context handed to compiled closures; the engine supplies the variable accessors. */
export interface FeelContext {
  item?: Value;
}

export type Compiled = (ctx: FeelContext) => Value;

/** Resolves a name at compile time to an accessor, or undefined when the name is not known. */
export type NameResolver = (name: string) => Compiled | undefined;

export class FeelCompileError extends Error {}

export interface CompiledExpression {
  source: string;
  evaluate: Compiled;
  /** names of inputs, parameters and variables the expression reads */
  refs: Set<string>;
}

const isUnknown = (v: Value): v is Unknown => v instanceof Unknown;

function unknownOf(a: Value, b: Value): Unknown {
  return new Unknown((a instanceof Unknown ? a.mask : 0) | (b instanceof Unknown ? b.mask : 0));
}

/** FEEL equality, exact on numbers and deep on lists and contexts. */
export function feelEquals(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return a === b;
  if (a instanceof Num) return b instanceof Num ? a.eq(b) : null;
  if (typeof a === 'string' || typeof a === 'boolean') return typeof b === typeof a ? a === b : null;
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return null;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (feelEquals(a[k], b[k]) !== true) return false;
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(b) && !(b instanceof Num) && !(b instanceof Unknown)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) if (feelEquals((a as Record<string, Value>)[k], (b as Record<string, Value>)[k] ?? null) !== true) return false;
    return true;
  }
  return null;
}

function compare(op: string, a: Value, b: Value): Value {
  if (a instanceof Unknown || b instanceof Unknown) return unknownOf(a, b);
  if (op === '=') return feelEquals(a, b);
  if (op === '!=') {
    const e = feelEquals(a, b);
    return e === null ? null : !e;
  }
  let c: number;
  if (a instanceof Num && b instanceof Num) c = a.cmp(b);
  else if (typeof a === 'string' && typeof b === 'string') c = a < b ? -1 : a > b ? 1 : 0;
  else return null;
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
  throw new FeelCompileError(`unsupported comparison ${op}`);
}

function arith(op: string, a: Value, b: Value): Value {
  if (a instanceof Unknown || b instanceof Unknown) return unknownOf(a, b);
  if (!(a instanceof Num) || !(b instanceof Num)) {
    if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
    return null;
  }
  switch (op) {
    case '+': return a.add(b);
    case '-': return a.sub(b);
    case '*': return a.mul(b);
    case '/': return a.div(b);
  }
  throw new FeelCompileError(`unsupported operator ${op}`);
}

type Builtin = {
  fn: (args: Value[]) => Value;
  seesUnknown?: boolean;
  /** allocation-free versions for one and two known arguments */
  f1?: (a: Value) => Value;
  f2?: (a: Value, b: Value) => Value;
};

const num = (v: Value): Num | null => (v instanceof Num ? v : null);

/** Built-in functions: a subset of FEEL's, plus helpers named in RULESETS.md. */
export const builtins: Record<string, Builtin> = {
  not: { fn: ([a]) => (typeof a === 'boolean' ? !a : null) },
  min: { fn: (args) => extreme(args, -1), f2: (a, b) => (a instanceof Num && b instanceof Num ? (b.cmp(a) < 0 ? b : a) : extreme([a, b], -1)) },
  max: { fn: (args) => extreme(args, 1), f2: (a, b) => (a instanceof Num && b instanceof Num ? (b.cmp(a) > 0 ? b : a) : extreme([a, b], 1)) },
  floor: { fn: ([a]) => num(a)?.floor() ?? null },
  ceiling: { fn: ([a]) => num(a)?.ceiling() ?? null },
  abs: { fn: ([a]) => { const n = num(a); return n ? (n.cmp(Num.ZERO) < 0 ? n.neg() : n) : null; } },
  modulo: {
    fn: ([a, b]) => {
      const x = num(a), y = num(b);
      if (!x || !y || y.isZero()) return null;
      const q = x.div(y)!.floor();
      return x.sub(y.mul(q));
    },
  },
  'round half up': { fn: ([a, s]) => { const n = num(a), k = num(s); return n && k ? n.roundHalfUp(k.toNumber()) : null; } },
  /** round2 of RULESETS.md §1.5: 2 decimals, half-up */
  round2: { fn: ([a]) => num(a)?.roundHalfUp(2) ?? null, f1: (a) => (a instanceof Num ? a.roundHalfUp(2) : null) },
  string: { fn: ([a]) => (a instanceof Num ? a.toString() : typeof a === 'string' ? a : null) },
  'get value': {
    fn: ([m, k]) => {
      if (m === null || typeof m !== 'object' || Array.isArray(m) || m instanceof Num) return null;
      const key = k instanceof Num ? k.toString() : typeof k === 'string' ? k : null;
      return key === null ? null : ((m as Record<string, Value>)[key] ?? null);
    },
  },
  concatenate: { fn: (args) => (args.every(Array.isArray) ? ([] as Value[]).concat(...(args as Value[][])) : null) },
  count: { fn: ([l]) => (Array.isArray(l) ? Num.of(l.length) : null) },
  sum: {
    fn: ([l]) => {
      if (!Array.isArray(l)) return null;
      let s = Num.ZERO;
      for (const x of l) { if (!(x instanceof Num)) return null; s = s.add(x); }
      return s;
    },
  },
  'list contains': { fn: ([l, x]) => (Array.isArray(l) ? l.some((e) => feelEquals(e, x) === true) : null) },
  /** true when the argument is known to be true; unknown counts as not established */
  established: { fn: ([a]) => a === true, seesUnknown: true },
  /** months between two "YYYY-MM" (RULESETS.md §1.6) */
  monthsBetween: { fn: ([a, b]) => (typeof a === 'string' && typeof b === 'string' ? Num.of(monthIndex(b) - monthIndex(a)) : null) },
  /** year-month `ym` plus `n` months */
  addMonths: { fn: ([a, n]) => (typeof a === 'string' && n instanceof Num ? yearMonthOf(monthIndex(a) + n.toNumber()) : null) },
  /** the year of a "YYYY-MM" */
  yearOf: { fn: ([a]) => (typeof a === 'string' ? Num.of(Number(a.slice(0, 4))) : null) },
};

function extreme(args: Value[], sign: number): Value {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as Value[]) : args;
  let best: Num | null = null;
  for (const v of list) {
    if (!(v instanceof Num)) return null;
    if (best === null || v.cmp(best) * sign > 0) best = v;
  }
  return best;
}

/** idx("YYYY-MM") = YYYY × 12 + (MM − 1) (RULESETS.md §1.6). */
export function monthIndex(ym: string): number {
  return Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
}

export function yearMonthOf(idx: number): string {
  const y = Math.floor(idx / 12);
  const m = idx - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}`;
}

/** Compiles one FEEL expression. Throws FeelCompileError on syntax errors and unknown names. */
export function compileExpression(source: string, resolve: NameResolver): CompiledExpression {
  const tree = parseExpression(source, {}, undefined);
  const refs = new Set<string>();
  checkSyntax(tree.topNode, source);
  const c = new Compiler(source, resolve, refs);
  return { source, evaluate: c.expr(tree.topNode), refs };
}

/**
 * Compiles a decision-table cell (FEEL unary tests such as `-`, `"male"`, `>= 120`, `[12..59]`,
 * `"a", "b"`) into a test of the value produced by `subject`.
 */
export function compileUnaryTests(source: string, subject: Compiled, resolve: NameResolver): CompiledExpression {
  const refs = new Set<string>();
  const tree = parseUnaryTests(source, {}, undefined);
  checkSyntax(tree.topNode, source);
  const c = new Compiler(source, resolve, refs);
  const top = tree.topNode.firstChild;
  if (!top) throw new FeelCompileError(`empty unary test: ${source}`);
  if (top.name === 'Wildcard') return { source, evaluate: () => true, refs };
  let negate = false;
  let tests = top;
  if (top.name === 'NegatedUnaryTests' || top.name === 'not') {
    throw new FeelCompileError(`negated unary tests are not supported: ${source}`);
  }
  if (tests.name !== 'PositiveUnaryTests') throw new FeelCompileError(`unsupported unary test ${tests.name}: ${source}`);
  const parts = children(tests).map((t) => c.unaryTest(t));
  if (parts.length === 1 && !negate) {
    const p = parts[0];
    const one: Compiled = (ctx) => {
      const x = subject(ctx);
      if (x instanceof Unknown) return x;
      const r = p(ctx, x);
      if (r instanceof Unknown || r === true || r === null) return r;
      return false;
    };
    return { source, evaluate: one, refs };
  }
  const evaluate: Compiled = (ctx) => {
    const x = subject(ctx);
    if (x instanceof Unknown) return x;
    let sawNull = false;
    for (const p of parts) {
      const r = p(ctx, x);
      if (r instanceof Unknown) return r;
      if (r === true) return !negate;
      if (r === null) sawNull = true;
    }
    return sawNull ? null : negate;
  };
  return { source, evaluate, refs };
}

function checkSyntax(node: SyntaxNode, source: string) {
  let bad: SyntaxNode | null = null;
  node.cursor().iterate((n) => {
    if (n.type.isError && !bad) bad = n.node;
  });
  if (bad) {
    const at = (bad as SyntaxNode).from;
    throw new FeelCompileError(`FEEL syntax error at ${at} in: ${source}`);
  }
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

type UnaryTest = (ctx: FeelContext, x: Value) => Value;

class Compiler {
  constructor(
    private src: string,
    private resolve: NameResolver,
    private refs: Set<string>,
    private itemDepth = 0,
  ) {}

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  fail(n: SyntaxNode, what: string): never {
    throw new FeelCompileError(`${what}: "${this.text(n)}" in: ${this.src}`);
  }

  expr(n: SyntaxNode): Compiled {
    const kids = children(n);
    switch (n.name) {
      case 'Expression':
      case 'ParenthesizedExpression': {
        const inner = kids.filter((k) => k.name !== '(' && k.name !== ')');
        if (inner.length !== 1) this.fail(n, 'unsupported expression');
        return this.expr(inner[0]);
      }
      case 'NumericLiteral': {
        const v = Num.parse(this.text(n));
        return () => v;
      }
      case 'StringLiteral': {
        const v = JSON.parse(this.text(n)) as string;
        return () => v;
      }
      case 'BooleanLiteral': {
        const v = this.text(n) === 'true';
        return () => v;
      }
      case 'null':
        return () => null;
      case 'VariableName':
        return this.variable(n);
      case 'List': {
        const items = kids.filter((k) => k.name !== '[' && k.name !== ']').map((k) => this.expr(k));
        return (ctx) => {
          const out: Value[] = new Array(items.length);
          let mask = 0;
          for (let k = 0; k < items.length; k++) {
            const v = items[k](ctx);
            if (v instanceof Unknown) mask |= v.mask;
            out[k] = v;
          }
          return mask ? new Unknown(mask) : out;
        };
      }
      case 'ArithmeticExpression': {
        if (kids.length === 2 && kids[0].name === 'ArithOp') {
          const a = this.expr(kids[1]);
          if (this.text(kids[0]) !== '-') this.fail(n, 'unsupported unary operator');
          return (ctx) => {
            const v = a(ctx);
            return v instanceof Num ? v.neg() : v instanceof Unknown ? v : null;
          };
        }
        if (kids.length !== 3) this.fail(n, 'unsupported arithmetic');
        const op = this.text(kids[1]);
        if (!['+', '-', '*', '/'].includes(op)) this.fail(n, `unsupported operator ${op}`);
        const a = this.expr(kids[0]);
        const b = this.expr(kids[2]);
        // the common case (two known numbers) without the generic dispatch
        if (op === '*') return (ctx) => { const x = a(ctx), y = b(ctx); return x instanceof Num && y instanceof Num ? x.mul(y) : arith(op, x, y); };
        if (op === '+') return (ctx) => { const x = a(ctx), y = b(ctx); return x instanceof Num && y instanceof Num ? x.add(y) : arith(op, x, y); };
        return (ctx) => arith(op, a(ctx), b(ctx));
      }
      case 'Comparison': {
        if (kids.length === 3 && kids[1].name === 'CompareOp') {
          const op = this.text(kids[1]);
          const a = this.expr(kids[0]);
          const b = this.expr(kids[2]);
          return compareClosure(op, a, b);
        }
        if (kids.length === 3 && kids[1].name === 'in') {
          const a = this.expr(kids[0]);
          const testNode = kids[2];
          const tests = testNode.name === 'PositiveUnaryTests' ? children(testNode).filter((k) => k.name === 'PositiveUnaryTest') : [testNode];
          const parts = tests.map((t) => this.unaryTest(t));
          return (ctx) => {
            const x = a(ctx);
            if (x instanceof Unknown) return x;
            let sawNull = false;
            for (const p of parts) {
              const r = p(ctx, x);
              if (r instanceof Unknown) return r;
              if (r === true) return true;
              if (r === null) sawNull = true;
            }
            return sawNull ? null : false;
          };
        }
        if (kids.length === 5 && kids[1].name === 'between') {
          const x = this.expr(kids[0]);
          const lo = this.expr(kids[2]);
          const hi = this.expr(kids[4]);
          return (ctx) => {
            const l = compare('>=', x(ctx), lo(ctx));
            return l === false ? false : and2(l, compare('<=', x(ctx), hi(ctx)));
          };
        }
        return this.fail(n, 'unsupported comparison');
      }
      case 'Conjunction':
      case 'Disjunction': {
        const a = this.expr(kids[0]);
        const b = this.expr(kids[2]);
        // the right operand is evaluated only when the left one does not decide (no closure per call)
        return n.name === 'Conjunction'
          ? (ctx) => {
              const l = a(ctx);
              return l === false ? false : and2(l, b(ctx));
            }
          : (ctx) => {
              const l = a(ctx);
              return l === true ? true : or2(l, b(ctx));
            };
      }
      case 'IfExpression': {
        const [, c, , t, , e] = kids;
        const cond = this.expr(c);
        const then = this.expr(t);
        const els = this.expr(e);
        return (ctx) => {
          const v = cond(ctx);
          if (v instanceof Unknown) return v;
          return v === true ? then(ctx) : els(ctx);
        };
      }
      case 'PathExpression': {
        const base = this.expr(kids[0]);
        const key = this.text(kids[2]);
        return (ctx) => {
          const v = base(ctx);
          if (v instanceof Unknown) return v;
          if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Num) return null;
          return (v as Record<string, Value>)[key] ?? null;
        };
      }
      case 'FilterExpression': {
        const base = this.expr(kids[0]);
        const filterNode = kids[2];
        if (filterNode.name === 'NumericLiteral') {
          const idx = Number(this.text(filterNode));
          return (ctx) => {
            const v = base(ctx);
            if (v instanceof Unknown) return v;
            if (!Array.isArray(v)) return null;
            const k = idx > 0 ? idx - 1 : v.length + idx;
            return v[k] ?? null;
          };
        }
        const inner = new Compiler(this.src, this.resolve, this.refs, this.itemDepth + 1);
        const pred = inner.expr(filterNode);
        return (ctx) => {
          const v = base(ctx);
          if (v instanceof Unknown) return v;
          if (!Array.isArray(v)) return null;
          const saved = ctx.item;
          const out: Value[] = [];
          try {
            for (const el of v) {
              ctx.item = el;
              const r = pred(ctx);
              if (r instanceof Unknown) return r;
              if (r === true) out.push(el);
            }
          } finally {
            ctx.item = saved;
          }
          return out;
        };
      }
      case 'FunctionInvocation': {
        const name = this.text(kids[0]);
        const b = builtins[name];
        if (!b) this.fail(n, 'unknown function');
        const paramsNode = kids.find((k) => k.name === 'PositionalParameters');
        if (kids.some((k) => k.name === 'NamedParameters')) this.fail(n, 'named parameters are not supported');
        const args = paramsNode ? children(paramsNode).map((k) => this.expr(k)) : [];
        const fn = b.fn;
        if (b.seesUnknown) return (ctx) => fn(args.map((a) => a(ctx)));
        // round2(x * y): one exact multiply-and-round, the same value as rounding the product
        const arg0 = paramsNode ? children(paramsNode) : [];
        if (name === 'round2' && arg0.length === 1 && arg0[0].name === 'ArithmeticExpression') {
          const ak = children(arg0[0]);
          if (ak.length === 3 && this.text(ak[1]) === '*') {
            const x = this.expr(ak[0]);
            const y = this.expr(ak[2]);
            const f1 = b.f1!;
            return (ctx) => {
              const v = x(ctx), w = y(ctx);
              if (v instanceof Num && w instanceof Num) return v.mulRoundHalfUp(w, 2);
              const p = arith('*', v, w);
              return p instanceof Unknown ? p : f1(p);
            };
          }
        }
        if (b.f1 && args.length === 1) {
          const [a0] = args;
          const f1 = b.f1;
          return (ctx) => { const v = a0(ctx); return v instanceof Unknown ? v : f1(v); };
        }
        if (b.f2 && args.length === 2) {
          const [a0, a1] = args;
          const f2 = b.f2;
          return (ctx) => {
            const v = a0(ctx), w = a1(ctx);
            return v instanceof Unknown || w instanceof Unknown ? unknownOf(v, w) : f2(v, w);
          };
        }
        return (ctx) => {
          const vals: Value[] = new Array(args.length);
          let mask = 0;
          for (let k = 0; k < args.length; k++) {
            const v = args[k](ctx);
            if (v instanceof Unknown) mask |= v.mask;
            vals[k] = v;
          }
          return mask ? new Unknown(mask) : fn(vals);
        };
      }
    }
    return this.fail(n, `unsupported FEEL construct ${n.name}`);
  }

  variable(n: SyntaxNode): Compiled {
    const name = this.text(n).trim();
    if (name === 'item' && this.itemDepth > 0) return (ctx) => ctx.item ?? null;
    const acc = this.resolve(name);
    if (!acc) this.fail(n, 'unknown name');
    this.refs.add(name);
    return acc;
  }

  /** A positive unary test against a value x. */
  unaryTest(n: SyntaxNode): UnaryTest {
    let node = n;
    if (node.name === 'PositiveUnaryTest') node = node.firstChild!;
    if (node.name === 'SimplePositiveUnaryTest') {
      const kids = children(node);
      if (kids.length === 1 && kids[0].name === 'Interval') return this.interval(kids[0]);
      if (kids.length === 2 && kids[0].name === 'CompareOp') {
        const op = this.text(kids[0]);
        const end = this.expr(kids[1]);
        return (ctx, x) => compare(op, x, end(ctx));
      }
      if (kids.length === 1) node = kids[0];
      else this.fail(node, 'unsupported unary test');
    }
    if (node.name === 'Interval') return this.interval(node);
    if (node.name === 'StringLiteral') {
      const lit = JSON.parse(this.text(node)) as string;
      return (_ctx, x) => (typeof x === 'string' ? x === lit : feelEquals(x, lit));
    }
    const e = this.expr(node);
    return (ctx, x) => {
      const v = e(ctx);
      if (v instanceof Unknown) return v;
      if (Array.isArray(v)) return v.some((el) => feelEquals(el, x) === true);
      if (typeof v === 'boolean' && typeof x !== 'boolean') return v;
      return feelEquals(x, v);
    };
  }

  interval(n: SyntaxNode): UnaryTest {
    const kids = children(n);
    const open = this.text(kids[0]);
    const close = this.text(kids[kids.length - 1]);
    const lo = this.expr(kids[1]);
    const hi = this.expr(kids[3]);
    const loOp = open === '[' ? '>=' : '>';
    const hiOp = close === ']' ? '<=' : '<';
    return (ctx, x) => {
      const l = compare(loOp, x, lo(ctx));
      return l === false ? false : and2(l, compare(hiOp, x, hi(ctx)));
    };
  }
}

/** Three-valued AND of a left value that is not false and the right value. */
function and2(a: Value, bv: Value): Value {
  if (bv === false) return false;
  if (a instanceof Unknown || bv instanceof Unknown) return unknownOf(a, bv);
  return a === true && bv === true ? true : null;
}

/** Three-valued OR of a left value that is not true and the right value. */
function or2(a: Value, bv: Value): Value {
  if (bv === true) return true;
  if (a instanceof Unknown || bv instanceof Unknown) return unknownOf(a, bv);
  return a === false && bv === false ? false : null;
}

/** A comparison closure with the common cases (strings for =, exact numbers) first. */
function compareClosure(op: string, a: Compiled, b: Compiled): Compiled {
  switch (op) {
    case '=':
      return (ctx) => {
        const x = a(ctx), y = b(ctx);
        if (typeof x === 'string' && typeof y === 'string') return x === y;
        return x instanceof Num && y instanceof Num ? x.cmp(y) === 0 : compare(op, x, y);
      };
    case '<':
      return (ctx) => { const x = a(ctx), y = b(ctx); return x instanceof Num && y instanceof Num ? x.cmp(y) < 0 : compare(op, x, y); };
    case '<=':
      return (ctx) => { const x = a(ctx), y = b(ctx); return x instanceof Num && y instanceof Num ? x.cmp(y) <= 0 : compare(op, x, y); };
    case '>':
      return (ctx) => { const x = a(ctx), y = b(ctx); return x instanceof Num && y instanceof Num ? x.cmp(y) > 0 : compare(op, x, y); };
    case '>=':
      return (ctx) => { const x = a(ctx), y = b(ctx); return x instanceof Num && y instanceof Num ? x.cmp(y) >= 0 : compare(op, x, y); };
  }
  return (ctx) => compare(op, a(ctx), b(ctx));
}

/** Three-valued AND: false wins over unknown, unknown wins over true. */
export function and3(a: Value, b: () => Value): Value {
  if (a === false) return false;
  const bv = b();
  if (bv === false) return false;
  if (a instanceof Unknown || bv instanceof Unknown) return unknownOf(a, bv);
  return a === true && bv === true ? true : null;
}

/** Three-valued OR: true wins over unknown. */
export function or3(a: Value, b: () => Value): Value {
  if (a === true) return true;
  const bv = b();
  if (bv === true) return true;
  if (a instanceof Unknown || bv instanceof Unknown) return unknownOf(a, bv);
  return a === false && bv === false ? false : null;
}

export { isUnknown };
