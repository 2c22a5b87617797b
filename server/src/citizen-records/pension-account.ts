import Decimal from 'decimal.js';
import { monthIndex, type ContributionRun } from './model';

/**
 * The interest credited to personal pension accounts each year (记账利率). 2016–2024 are the rates
 * the ministry announced; earlier years and later ones are demo values (示例) standing in for a
 * deployment's own table, which it would feed with its records.
 */
export const ACCOUNT_RATES: Record<number, string> = {
  2016: '0.0831',
  2017: '0.0712',
  2018: '0.0829',
  2019: '0.0761',
  2020: '0.0604',
  2021: '0.0669',
  2022: '0.0612',
  2023: '0.0397',
  2024: '0.0262',
};
/** 示例: before 2016 and after the last announced year */
export const DEMO_DEFAULT_RATE = '0.0300';

export const accountRate = (year: number) => ACCOUNT_RATES[year] ?? DEMO_DEFAULT_RATE;

export interface AccountYear {
  year: number;
  opening: Decimal;
  contributions: Decimal;
  rate: string;
  interest: Decimal;
  closing: Decimal;
}

/**
 * The personal pension account year by year: what the person paid into it (paid pension months
 * only; arrears are not credited until paid), with each completed year's interest credited at its
 * rate — on the opening balance in full, and on the year's own contributions as if paid mid-year
 * (the ×1.083÷2 convention of the account rules). The current year earns its interest at year end.
 */
export function pensionAccount(runs: ContributionRun[], now = new Date()): { balance: Decimal; years: AccountYear[] } {
  const byYear = new Map<number, Decimal>();
  for (const run of runs) {
    if (run.insurance !== 'pension' || run.status !== 'paid') continue;
    for (let m = monthIndex(run.fromMonth); m <= monthIndex(run.toMonth); m++) {
      const year = Math.floor(m / 12);
      byYear.set(year, (byYear.get(year) ?? new Decimal(0)).plus(run.personalAmount));
    }
  }
  if (byYear.size === 0) return { balance: new Decimal(0), years: [] };
  const currentYear = now.getUTCFullYear();
  const years: AccountYear[] = [];
  let balance = new Decimal(0);
  for (let year = Math.min(...byYear.keys()); year <= currentYear; year++) {
    const contributions = byYear.get(year) ?? new Decimal(0);
    const isComplete = year < currentYear;
    const rate = isComplete ? accountRate(year) : '0';
    const interest = balance.times(rate).plus(contributions.times(rate).times('1.083').div(2)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const closing = balance.plus(contributions).plus(interest);
    years.push({ year, opening: balance, contributions, rate, interest, closing });
    balance = closing;
  }
  return { balance, years };
}
