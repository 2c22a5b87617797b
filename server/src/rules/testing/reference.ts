/**
 * TEST ONLY. An independent, deliberately plain implementation of RULESETS.md, used to generate
 * the held-out vectors in ../test-vectors.json. It shares no code with the engine: parameters are
 * typed in from the spec, money is integer fen in BigInt, interview order follows the table of
 * §6.1 literally.
 */

export type RefResult =
  | { status: 'complete'; outputs: Record<string, unknown> }
  | { status: 'need_input'; question: string }
  | { status: 400; field: string };

type Inputs = Record<string, unknown>;

class Invalid extends Error {
  constructor(readonly field: string) {
    super(field);
  }
}

// ---------- validation (§1.3) ----------

function decimalsAsWritten(x: number): number {
  const s = String(x);
  const m = /^-?(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) return 99;
  const frac = (m[2] ?? '').length;
  const exp = m[3] ? Number(m[3]) : 0;
  return Math.max(0, frac - exp);
}

type Spec =
  | { kind: 'enum'; values: string[] }
  | { kind: 'boolean' }
  | { kind: 'number'; min: number; max: number; decimals: number }
  | { kind: 'yearMonth' };

function check(field: string, spec: Spec, v: unknown): void {
  if (v === null || v === undefined) return;
  switch (spec.kind) {
    case 'enum':
      if (typeof v !== 'string' || !spec.values.includes(v)) throw new Invalid(field);
      return;
    case 'boolean':
      if (v !== true && v !== false) throw new Invalid(field);
      return;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid(field);
      if (v < spec.min || v > spec.max) throw new Invalid(field);
      if (decimalsAsWritten(v) > spec.decimals) throw new Invalid(field);
      return;
    case 'yearMonth': {
      if (typeof v !== 'string' || !/^\d{4}-\d{2}$/.test(v)) throw new Invalid(field);
      const y = Number(v.slice(0, 4));
      const mo = Number(v.slice(5));
      if (y < 1900 || y > 2099 || mo < 1 || mo > 12) throw new Invalid(field);
      return;
    }
  }
}

const SPECS: Record<string, [string, Spec][]> = {
  'retirement-age': [
    ['gender', { kind: 'enum', values: ['male', 'female'] }],
    ['femaleCategory', { kind: 'enum', values: ['worker', 'cadre'] }],
    ['birthYearMonth', { kind: 'yearMonth' }],
  ],
  contribution: [
    ['personType', { kind: 'enum', values: ['employee', 'flexible'] }],
    ['monthlyWage', { kind: 'number', min: 0, max: 10000000, decimals: 2 }],
    ['injuryRiskClass', { kind: 'number', min: 1, max: 8, decimals: 0 }],
    ['baseRatio', { kind: 'number', min: 0.6, max: 3, decimals: 2 }],
  ],
  'pension-estimate': [
    ['retirementYear', { kind: 'number', min: 2000, max: 2100, decimals: 0 }],
    ['contributionYears', { kind: 'number', min: 0, max: 60, decimals: 2 }],
    ['retirementAgeYears', { kind: 'number', min: 50, max: 70, decimals: 0 }],
    ['averageContributionIndex', { kind: 'number', min: 0.6, max: 3, decimals: 4 }],
    ['personalAccountBalance', { kind: 'number', min: 0, max: 100000000, decimals: 2 }],
  ],
  'unemployment-benefit': [
    ['separationReason', { kind: 'enum', values: ['employerTerminated', 'contractExpiredNotRenewed', 'forcedResignation', 'voluntaryResignation', 'retired'] }],
    ['contributionMonths', { kind: 'number', min: 0, max: 600, decimals: 0 }],
    ['registeredUnemployed', { kind: 'boolean' }],
    ['receivingPension', { kind: 'boolean' }],
  ],
};

// ---------- arithmetic helpers ----------

/** exact scaled integer of a decimal number written with at most `dp` decimals */
function scaled(x: number, dp: number): bigint {
  const s = String(x);
  const [i, f = ''] = s.split('.');
  return BigInt(i + f.padEnd(dp, '0'));
}

/** round half-up of num/den for num, den > 0 */
function divRound(num: bigint, den: bigint): bigint {
  return (2n * num + den) / (2n * den);
}

/** fen → yuan as a JS number */
function yuan(fen: bigint): number {
  return Number(fen) / 100;
}

function idx(ym: string): number {
  return Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
}

function ym(i: number): string {
  const y = Math.floor(i / 12);
  const m = i % 12 + 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** minimum contribution years ×100 */
function minYears100(year: number): number {
  if (year < 2030) return 1500;
  return Math.min(2000, 1500 + 50 * (year - 2029));
}

// ---------- the four rule sets ----------

function retirementAge(inp: Inputs, goal?: string): RefResult {
  const g = inp.gender as string | undefined;
  const cat = inp.femaleCategory as string | undefined;
  const b = inp.birthYearMonth as string | undefined;
  if (g === undefined) return { status: 'need_input', question: 'gender' };
  if (g === 'female' && cat === undefined) return { status: 'need_input', question: 'femaleCategory' };
  let orig: number, start: string, step: number, max: number;
  if (g === 'male') [orig, start, step, max] = [720, '1965-01', 4, 36];
  else if (cat === 'cadre') [orig, start, step, max] = [660, '1970-01', 4, 36];
  else [orig, start, step, max] = [600, '1975-01', 2, 60];
  if (goal === 'originalAgeMonths') return { status: 'complete', outputs: { originalAgeMonths: orig } };
  if (b === undefined) return { status: 'need_input', question: 'birthYearMonth' };
  const birth = idx(b);
  const delay = birth + orig < idx('2025-01') ? 0 : Math.min(max, Math.floor((birth - idx(start)) / step) + 1);
  const stat = orig + delay;
  const ret = birth + stat;
  const year = Math.floor(ret / 12);
  return {
    status: 'complete',
    outputs: {
      originalAgeMonths: orig,
      delayMonths: delay,
      statutoryAgeYears: Math.floor(stat / 12),
      statutoryAgeMonths: stat % 12,
      retirementYearMonth: ym(ret),
      minContributionYears: minYears100(year) / 100,
      earliestFlexibleRetirementYearMonth: ym(birth + Math.max(orig, stat - 36)),
      latestFlexibleRetirementYearMonth: ym(birth + stat + 36),
    },
  };
}

const INJURY_RATE_10000: Record<number, bigint> = { 1: 20n, 2: 40n, 3: 70n, 4: 90n, 5: 110n, 6: 130n, 7: 160n, 8: 190n };

function contribution(inp: Inputs, goal?: string): RefResult {
  const pt = inp.personType as string | undefined;
  if (pt === undefined) return { status: 'need_input', question: 'personType' };
  const AVG = 750000n; // fen
  const floor = divRound(AVG * 60n, 100n);
  const ceiling = divRound(AVG * 300n, 100n);
  const item = (base: bigint, rate10000: bigint) => divRound(base * rate10000, 10000n);
  if (pt === 'employee') {
    if (inp.monthlyWage === undefined) return { status: 'need_input', question: 'monthlyWage' };
    const w = scaled(inp.monthlyWage as number, 2);
    const base = w < floor ? floor : w > ceiling ? ceiling : w;
    if (goal === 'base') return { status: 'complete', outputs: { base: yuan(base) } };
    if (inp.injuryRiskClass === undefined) return { status: 'need_input', question: 'injuryRiskClass' };
    const pp = item(base, 800n), pe = item(base, 1600n);
    const mp = item(base, 200n), me = item(base, 750n);
    const up = item(base, 50n), ue = item(base, 50n);
    const ie = item(base, INJURY_RATE_10000[inp.injuryRiskClass as number]);
    return {
      status: 'complete',
      outputs: {
        base: yuan(base), pensionPersonal: yuan(pp), pensionEmployer: yuan(pe), medicalPersonal: yuan(mp), medicalEmployer: yuan(me),
        unemploymentPersonal: yuan(up), unemploymentEmployer: yuan(ue), injuryPersonal: 0, injuryEmployer: yuan(ie),
        personalTotal: yuan(pp + mp + up), employerTotal: yuan(pe + me + ue + ie), personalAccountMonthly: yuan(item(base, 800n)),
      },
    };
  }
  if (inp.baseRatio === undefined) return { status: 'need_input', question: 'baseRatio' };
  const base = divRound(AVG * scaled(inp.baseRatio as number, 2), 100n);
  if (goal === 'base') return { status: 'complete', outputs: { base: yuan(base) } };
  const pp = item(base, 2000n), mp = item(base, 800n);
  return {
    status: 'complete',
    outputs: {
      base: yuan(base), pensionPersonal: yuan(pp), pensionEmployer: 0, medicalPersonal: yuan(mp), medicalEmployer: 0,
      unemploymentPersonal: 0, unemploymentEmployer: 0, injuryPersonal: 0, injuryEmployer: 0,
      personalTotal: yuan(pp + mp), employerTotal: 0, personalAccountMonthly: yuan(item(base, 800n)),
    },
  };
}

const DIVISOR: Record<number, number> = {
  40: 233, 41: 230, 42: 226, 43: 223, 44: 220, 45: 216, 46: 212, 47: 207, 48: 204, 49: 199, 50: 195, 51: 190, 52: 185, 53: 180, 54: 175, 55: 170,
  56: 164, 57: 158, 58: 152, 59: 145, 60: 139, 61: 132, 62: 125, 63: 117, 64: 109, 65: 101, 66: 93, 67: 84, 68: 75, 69: 65, 70: 56,
};

function pensionEstimate(inp: Inputs, goal?: string): RefResult {
  if (inp.retirementYear === undefined) return { status: 'need_input', question: 'retirementYear' };
  const min100 = minYears100(inp.retirementYear as number);
  if (goal === 'minContributionYears') return { status: 'complete', outputs: { minContributionYears: min100 / 100 } };
  if (inp.contributionYears === undefined) return { status: 'need_input', question: 'contributionYears' };
  const cy100 = Number(scaled(inp.contributionYears as number, 2));
  if (cy100 < min100) {
    return {
      status: 'complete',
      outputs: {
        eligibleMonthly: false, minContributionYears: min100 / 100, shortfallYears: (min100 - cy100) / 100,
        options: ['continueContributing', 'transferToResidentScheme'], accountDivisor: null, basicPension: null, accountPension: null, monthlyPension: null,
      },
    };
  }
  for (const k of ['retirementAgeYears', 'averageContributionIndex', 'personalAccountBalance']) {
    if (inp[k] === undefined) return { status: 'need_input', question: k };
  }
  const I = scaled(inp.averageContributionIndex as number, 4);
  // fen = 7500 × (1 + I/10000) / 2 × cy100/100 × 1/100 × 100
  const basic = divRound(7500n * (10000n + I) * BigInt(cy100), 2n * 10000n * 100n);
  const d = DIVISOR[inp.retirementAgeYears as number];
  const acct = divRound(scaled(inp.personalAccountBalance as number, 2), BigInt(d));
  return {
    status: 'complete',
    outputs: {
      eligibleMonthly: true, minContributionYears: min100 / 100, shortfallYears: 0, options: [], accountDivisor: d,
      basicPension: yuan(basic), accountPension: yuan(acct), monthlyPension: yuan(basic + acct),
    },
  };
}

function unemploymentBenefit(inp: Inputs): RefResult {
  const sr = inp.separationReason as string | undefined;
  const cm = inp.contributionMonths as number | undefined;
  const reg = inp.registeredUnemployed as boolean | undefined;
  const pen = inp.receivingPension as boolean | undefined;
  const reasons: string[] = [];
  if (cm !== undefined && cm < 12) reasons.push('insufficientContribution');
  if (sr === 'voluntaryResignation' || sr === 'retired') reasons.push('voluntarySeparation');
  if (reg === false) reasons.push('notRegistered');
  if (pen === true) reasons.push('receivingPension');
  if (reasons.length) return { status: 'complete', outputs: { eligible: false, ineligibleReasons: reasons, maxMonths: null, monthlyAmount: null } };
  if (sr === undefined) return { status: 'need_input', question: 'separationReason' };
  if (cm === undefined) return { status: 'need_input', question: 'contributionMonths' };
  if (reg === undefined) return { status: 'need_input', question: 'registeredUnemployed' };
  if (pen === undefined) return { status: 'need_input', question: 'receivingPension' };
  const maxMonths = cm >= 120 ? 24 : cm >= 60 ? 18 : 12;
  return { status: 'complete', outputs: { eligible: true, ineligibleReasons: [], maxMonths, monthlyAmount: yuan(divRound(249000n * 9n, 10n)) } };
}

/** The reference determination: validation, then the rule set. */
export function referenceDetermine(ruleSet: string, inputs: unknown, goal?: string): RefResult {
  const specs = SPECS[ruleSet];
  if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) return { status: 400, field: 'inputs' };
  const obj = inputs as Inputs;
  for (const k of Object.keys(obj)) if (!specs.some(([f]) => f === k)) return { status: 400, field: k };
  try {
    for (const [f, s] of specs) check(f, s, obj[f]);
  } catch (e) {
    return { status: 400, field: (e as Invalid).field };
  }
  const clean: Inputs = {};
  for (const [k, v] of Object.entries(obj)) if (v !== null) clean[k] = v;
  switch (ruleSet) {
    case 'retirement-age': return retirementAge(clean, goal);
    case 'contribution': return contribution(clean, goal);
    case 'pension-estimate': return pensionEstimate(clean, goal);
    case 'unemployment-benefit': return unemploymentBenefit(clean);
  }
  throw new Error(ruleSet);
}
