import Decimal from 'decimal.js';

/**
 * Exact decimal numbers for the rules engine.
 *
 * A value is a scaled integer `i / 10^s` held in a plain JS number while every intermediate stays
 * a safe integer (the common case: money in fen times a rate), and a decimal.js `Decimal`
 * otherwise (division, very large or very precise values). Both paths are exact; the scaled path
 * exists because decimal.js allocates heavily and the contribution rule set must run at tens of
 * thousands of determinations a second. `num.test.ts` checks the fast path against decimal.js.
 */
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
const MAX_SCALE = 15;
const POW10: number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX = Number.MAX_SAFE_INTEGER;

export class Num {
  // declared, not class fields: no field initialiser runs on each allocation (hot in bulk runs)
  /** scaled integer (when `d` is null) */
  declare readonly i: number;
  /** scale: number of decimals (when `d` is null) */
  declare readonly s: number;
  /** exact fallback representation */
  declare readonly d: Decimal | null;

  private constructor(i: number, s: number, d: Decimal | null) {
    (this as { i: number }).i = i;
    (this as { s: number }).s = s;
    (this as { d: Decimal | null }).d = d;
  }

  static readonly ZERO = new Num(0, 0, null);
  static readonly ONE = new Num(1, 0, null);

  /** Exact value of a JS number as written in its shortest round-trip form. */
  static of(x: number): Num {
    if (Number.isInteger(x) && x <= MAX && x >= -MAX) return new Num(x === 0 ? 0 : x, 0, null);
    return Num.parse(String(x));
  }

  /** The exact value i / 10^s of a safe integer i (e.g. an amount in fen with s = 2). */
  static scaled(i: number, s: number): Num {
    if (!Number.isSafeInteger(i) || !Number.isInteger(s) || s < 0 || s > MAX_SCALE) throw new RangeError(`Num.scaled(${i}, ${s})`);
    return new Num(i === 0 ? 0 : i, s, null);
  }

  /** Parses a decimal string such as "8888.88", "-3", "1e-7". */
  static parse(str: string): Num {
    const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(str);
    if (m) {
      const frac = m[3] ?? '';
      const digits = m[2] + frac;
      if (frac.length <= MAX_SCALE && digits.length <= 15) {
        const i = Number(digits);
        return new Num(m[1] ? -i : i, frac.length, null);
      }
    }
    return Num.fromDecimal(new D(str));
  }

  static fromDecimal(d: Decimal): Num {
    const dp = d.decimalPlaces();
    if (dp <= MAX_SCALE && d.precision(true) <= 15) {
      const i = d.times(POW10[dp]).toNumber();
      if (Number.isSafeInteger(i)) return new Num(i, dp, null);
    }
    return new Num(0, 0, d);
  }

  toDecimal(): Decimal {
    return this.d ?? new D(this.i).dividedBy(POW10[this.s]);
  }

  add(o: Num): Num {
    if (this.d === null && o.d === null) {
      if (this.s === o.s) {
        const r = this.i + o.i;
        if (r <= MAX && r >= -MAX) return new Num(r, this.s, null);
      } else {
        const s = this.s > o.s ? this.s : o.s;
        const a = this.i * POW10[s - this.s];
        const b = o.i * POW10[s - o.s];
        const r = a + b;
        if (a <= MAX && a >= -MAX && b <= MAX && b >= -MAX && r <= MAX && r >= -MAX) return new Num(r, s, null);
      }
    }
    return Num.fromDecimal(this.toDecimal().plus(o.toDecimal()));
  }

  neg(): Num {
    return this.d === null ? new Num(-this.i || 0, this.s, null) : new Num(0, 0, this.d.negated());
  }

  sub(o: Num): Num {
    return this.add(o.neg());
  }

  mul(o: Num): Num {
    if (this.d === null && o.d === null) {
      const r = this.i * o.i;
      const s = this.s + o.s;
      if (r <= MAX && r >= -MAX && s <= MAX_SCALE) return new Num(r || 0, s, null);
    }
    return Num.fromDecimal(this.toDecimal().times(o.toDecimal()));
  }

  /** this × o rounded to `dp` decimals half-up: the same as mul(o).roundHalfUp(dp), one allocation. */
  mulRoundHalfUp(o: Num, dp: number): Num {
    if (this.d === null && o.d === null) {
      const r = this.i * o.i;
      const s = this.s + o.s;
      if (r <= MAX && r >= -MAX && s <= MAX_SCALE) {
        if (s <= dp) return new Num(r || 0, s, null);
        return Num.roundScaled(r, s, dp);
      }
    }
    return this.mul(o).roundHalfUp(dp);
  }

  /** Division; null when dividing by zero (FEEL semantics). */
  div(o: Num): Num | null {
    if (o.isZero()) return null;
    if (this.d === null && o.d === null && o.s === 0 && o.i === 1) return this;
    return Num.fromDecimal(this.toDecimal().dividedBy(o.toDecimal()));
  }

  isZero(): boolean {
    return this.d === null ? this.i === 0 : this.d.isZero();
  }

  /** -1, 0 or 1. */
  cmp(o: Num): number {
    if (this.d === null && o.d === null) {
      if (this.s === o.s) return this.i < o.i ? -1 : this.i > o.i ? 1 : 0;
      const s = this.s > o.s ? this.s : o.s;
      const a = this.i * POW10[s - this.s];
      const b = o.i * POW10[s - o.s];
      if (a <= MAX && a >= -MAX && b <= MAX && b >= -MAX) return a < b ? -1 : a > b ? 1 : 0;
    }
    return this.toDecimal().comparedTo(o.toDecimal());
  }

  eq(o: Num): boolean {
    return this.cmp(o) === 0;
  }

  /** Rounds to `dp` decimals, half away from zero (half-up for the non-negative amounts of the rule sets). */
  roundHalfUp(dp: number): Num {
    if (this.d === null) {
      if (this.s <= dp) return this;
      return Num.roundScaled(this.i, this.s, dp);
    }
    return Num.fromDecimal(this.d.toDecimalPlaces(dp, Decimal.ROUND_HALF_UP));
  }

  /** i / 10^s (s > dp) rounded half away from zero to dp decimals. */
  private static roundScaled(i: number, s: number, dp: number): Num {
    const k = POW10[s - dp];
    const neg = i < 0;
    const a = neg ? -i : i;
    let q = Math.floor(a / k);
    let r = a - q * k;
    // guard against float division landing one off near 2^53
    while (r < 0) { q -= 1; r += k; }
    while (r >= k) { q += 1; r -= k; }
    if (2 * r >= k) q += 1;
    return new Num(neg ? -q || 0 : q, dp, null);
  }

  floor(): Num {
    if (this.d === null) {
      if (this.s === 0) return this;
      const k = POW10[this.s];
      let q = Math.floor(this.i / k);
      let r = this.i - q * k;
      while (r < 0) { q -= 1; r += k; }
      while (r >= k) { q += 1; r -= k; }
      return new Num(q || 0, 0, null);
    }
    return Num.fromDecimal(this.d.floor());
  }

  ceiling(): Num {
    return this.neg().floor().neg();
  }

  isInteger(): boolean {
    return this.d === null ? this.s === 0 || this.i % POW10[this.s] === 0 : this.d.isInteger();
  }

  /** Number of decimals as written without trailing zeros. */
  decimalPlaces(): number {
    if (this.d !== null) return this.d.decimalPlaces();
    let s = this.s;
    let i = this.i;
    while (s > 0 && i % 10 === 0) { i /= 10; s -= 1; }
    return s;
  }

  /** The JS number nearest to the exact value (exact for every output of the rule sets). */
  toNumber(): number {
    if (this.d === null) return this.s === 0 ? this.i : this.i / POW10[this.s];
    return this.d.toNumber();
  }

  toString(): string {
    if (this.d === null) return scaledToString(this.i, this.s, -1);
    return this.d.toFixed();
  }

  /** Fixed number of decimals, rounded half-up (for display). */
  toFixed(dp: number): string {
    const r = this.roundHalfUp(dp);
    if (r.d === null) return scaledToString(r.i, r.s, dp);
    return r.d.toFixed(dp);
  }

  toJSON(): number {
    return this.toNumber();
  }
}

/** Formats i / 10^s; `dp` = exact decimals to show, or -1 to drop trailing zeros. */
function scaledToString(i: number, s: number, dp: number): string {
  const neg = i < 0;
  let digits = String(neg ? -i : i);
  let frac = '';
  if (s > 0) {
    digits = digits.padStart(s + 1, '0');
    frac = digits.slice(digits.length - s);
    digits = digits.slice(0, digits.length - s);
  }
  if (dp < 0) {
    let end = frac.length;
    while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
    frac = frac.slice(0, end);
  } else frac = frac.padEnd(dp, '0');
  return (neg ? '-' : '') + digits + (frac ? '.' + frac : '');
}
