import { z } from 'zod';
import { AppError } from '../platform/errors';
import type { Text } from './types';

/**
 * The declared type and range of every parameter key (the keys of server/seed/rules and of the
 * built-in rule sets). A parameter version is checked against these before it is stored, and the
 * engine checks the values it reads, so "abc" never becomes a rate. A key declared only by a
 * console-authored rule set has no entry: its values must keep the JSON shape of the value in
 * force (or be a number ≥ 0 when there is none).
 */

/** Decimals of a number as written in JSON (1e-7 has 7). */
function decimalsOf(n: number): number {
  const [mantissa, exponent] = String(Math.abs(n)).split('e');
  const written = mantissa.split('.')[1]?.length ?? 0;
  return exponent ? Math.max(0, written - Number(exponent)) : written;
}

/** A number in [min, max] with at most `scale` decimals as written (7500.123 is not money). */
const decimal = (min: number, max: number, scale: number) =>
  z
    .number()
    .min(min)
    .max(max)
    .refine((n) => decimalsOf(n) <= scale, `至多 ${scale} 位小数 / at most ${scale} decimals`);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const months = int(0, 1200);
const yearMonth = z.string().regex(/^(19|20|21)\d{2}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

/** A parameter's type: its schema and what it expects, in words, for error messages. */
export interface ParameterType {
  schema: z.ZodType;
  expect: Text;
}
const kind = (schema: z.ZodType, zh: string, en: string): ParameterType => ({ schema, expect: { zh, en } });
/** a share of a wage or base: 0.08 */
const rate = kind(decimal(0, 1, 6), '0 到 1 之间的比率（至多 6 位小数）', 'a rate from 0 to 1 (at most 6 decimals)');
/** a multiple of the average wage: 0.6, 3 */
const ratio = kind(decimal(0, 10, 4), '0 到 10 之间的比例（至多 4 位小数）', 'a ratio from 0 to 10 (at most 4 decimals)');
/** yuan per month */
const money = kind(decimal(0, 1_000_000, 2), '0 到 1000000 元之间的金额（至多 2 位小数）', 'an amount from 0 to 1,000,000 yuan (at most 2 decimals)');
const monthCount = (max: number) => kind(int(0, max), `0 到 ${max} 之间的整数月数`, `a whole number of months from 0 to ${max}`);
const years = kind(decimal(0, 50, 2), '0 到 50 之间的年数（至多 2 位小数）', 'a number of years from 0 to 50 (at most 2 decimals)');

const category = z.object({ originalAgeYears: int(40, 80), startBirthMonth: yearMonth, stepMonths: int(1, 24), maxDelayMonths: int(0, 120) });
const ages = Array.from({ length: 31 }, (_, i) => String(40 + i));

const durationBands = z
  .array(z.object({ fromMonths: months, toMonths: months.nullable(), maxMonths: int(1, 120) }))
  .min(1)
  .max(20)
  .refine((bands) => bands.every((b, i) => (b.toMonths === null || b.fromMonths <= b.toMonths) && (i === 0 || (bands[i - 1].toMonths !== null && bands[i - 1].toMonths! < b.fromMonths))), '区间须递增且不重叠 / bands must ascend without overlapping');

export const PARAMETER_TYPES: Readonly<Record<string, ParameterType>> = {
  'retirementAge.reformStartMonth': kind(yearMonth, '年月 YYYY-MM', 'a month YYYY-MM'),
  'retirementAge.categories': kind(
    z.object({ male: category, femaleCadre: category, femaleWorker: category }),
    'male、femaleCadre、femaleWorker 三类人员各自的 originalAgeYears、startBirthMonth、stepMonths、maxDelayMonths',
    'originalAgeYears, startBirthMonth, stepMonths and maxDelayMonths for each of male, femaleCadre and femaleWorker',
  ),
  'retirementAge.flexibleEarlyMaxMonths': monthCount(120),
  'retirementAge.flexibleLateMaxMonths': monthCount(120),
  'minContributionYears.baseYears': years,
  'minContributionYears.increaseFromYear': kind(int(1900, 2199), '年份（整数）', 'a year'),
  'minContributionYears.increasePerYear': kind(decimal(0, 5, 2), '0 到 5 之间的年数（至多 2 位小数）', 'a number of years from 0 to 5 (at most 2 decimals)'),
  'minContributionYears.maxYears': years,
  'contribution.averageMonthlyWage': money,
  'contribution.baseFloorRatio': ratio,
  'contribution.baseCeilingRatio': ratio,
  'contribution.employee.pension.personal': rate,
  'contribution.employee.pension.employer': rate,
  'contribution.employee.medical.personal': rate,
  'contribution.employee.medical.employer': rate,
  'contribution.employee.unemployment.personal': rate,
  'contribution.employee.unemployment.employer': rate,
  'contribution.injuryRiskClassEmployerRates': kind(
    z.object(Object.fromEntries(['1', '2', '3', '4', '5', '6', '7', '8'].map((c) => [c, rate.schema]))),
    '风险类别 "1" 到 "8" 各自的费率（0 到 1）',
    'a rate from 0 to 1 for each risk class "1" to "8"',
  ),
  'contribution.flexible.pension': rate,
  'contribution.flexible.pensionPersonalAccount': rate,
  'contribution.flexible.medical': rate,
  'contribution.flexible.baseRatioMin': ratio,
  'contribution.flexible.baseRatioMax': ratio,
  'contribution.personalAccountRate': rate,
  'pensionEstimate.pensionBaseWage': money,
  'pensionEstimate.accountDivisorByAge': kind(z.object(Object.fromEntries(ages.map((a) => [a, int(1, 600)]))), '年龄 "40" 到 "70" 各自的计发月数（1 到 600 的整数）', 'a whole number of months from 1 to 600 for each age "40" to "70"'),
  'unemploymentBenefit.minContributionMonths': monthCount(1200),
  'unemploymentBenefit.durationBands': kind(
    durationBands,
    '递增且不重叠的区间列表 [{fromMonths, toMonths（末段为 null）, maxMonths}]',
    'ascending, non-overlapping bands [{fromMonths, toMonths (null for the last), maxMonths}]',
  ),
  'unemploymentBenefit.minimumMonthlyWage': money,
  'unemploymentBenefit.benefitRatio': rate,
};

/** Whether `next` has the JSON shape of `current` (same types; objects with the same keys; array items like the first). */
function sameShape(current: unknown, next: unknown): boolean {
  if (typeof current === 'number') return typeof next === 'number' && Number.isFinite(next) && next >= 0;
  if (current === null || typeof current !== 'object') return typeof next === typeof current && (next === null) === (current === null);
  if (Array.isArray(current)) return Array.isArray(next) && next.length > 0 && (current.length === 0 || next.every((x) => sameShape(current[0], x)));
  if (next === null || typeof next !== 'object' || Array.isArray(next)) return false;
  const keys = (o: object) => Object.keys(o).filter((k) => !k.startsWith('_')).sort().join('\n');
  return keys(current) === keys(next) && Object.entries(current).every(([k, v]) => k.startsWith('_') || sameShape(v, (next as Record<string, unknown>)[k]));
}

/** Why `value` is not a usable value of parameter `key`, or undefined when it is. `current`: the value in force, for undeclared keys. */
export function parameterValueProblem(key: string, value: unknown, current?: unknown): { zh: string; en: string; detail?: string } | undefined {
  const type = PARAMETER_TYPES[key];
  if (type) {
    const r = type.schema.safeParse(value);
    if (r.success) return undefined;
    const issue = r.error.issues[0];
    return { zh: `应为${type.expect.zh}`, en: `expected ${type.expect.en}`, detail: `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` };
  }
  if (current === undefined) return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? undefined : { zh: '应为非负数', en: 'expected a number ≥ 0' };
  return sameShape(current, value) ? undefined : { zh: '应与现行取值的结构一致', en: 'expected the shape of the value in force' };
}

/** Throws 400 invalid_parameter_value (field `fieldPrefix` + key) when a value does not fit its parameter. */
export function checkParameterValue(key: string, value: unknown, label: Text | undefined, current: unknown, fieldPrefix = 'values.'): void {
  const problem = parameterValueProblem(key, value, current);
  if (problem === undefined) return;
  throw new AppError(
    400,
    'invalid_parameter_value',
    {
      zh: `参数“${label ? label.zh : key}”（${key}）的取值无效，${problem.zh}${problem.detail ? `（${problem.detail}）` : ''}`,
      en: `invalid value of parameter ${label ? `${label.en} (${key})` : key}: ${problem.en}${problem.detail ? ` (${problem.detail})` : ''}`,
    },
    `${fieldPrefix}${key}`,
  );
}
