import Decimal from 'decimal.js';
import { monthIndex, monthOfIndex, monthsIn, type ContributionRun } from './model';
import { INSURANCES, type Insurance } from './schema';

export interface InsuranceSummary {
  paidMonths: number;
  arrearsMonths: number;
  personalContributions: Decimal;
  firstMonth: string | null;
  lastMonth: string | null;
}

/** Paid and owed months and the person's own payments, per insurance, from the stored runs. */
export function summarizeRuns(runs: ContributionRun[]): Record<Insurance, InsuranceSummary> {
  const out = Object.fromEntries(INSURANCES.map((i) => [i, { paidMonths: 0, arrearsMonths: 0, personalContributions: new Decimal(0), firstMonth: null, lastMonth: null }])) as Record<Insurance, InsuranceSummary>;
  for (const run of runs) {
    const s = out[run.insurance];
    const n = monthsIn(run);
    if (run.status === 'paid') {
      s.paidMonths += n;
      s.personalContributions = s.personalContributions.plus(new Decimal(run.personalAmount).times(n));
    } else s.arrearsMonths += n;
    if (!s.firstMonth || run.fromMonth < s.firstMonth) s.firstMonth = run.fromMonth;
    if (!s.lastMonth || run.toMonth > s.lastMonth) s.lastMonth = run.toMonth;
  }
  return out;
}

/** One insurance's months, newest first, and the months missing between its first and last (断缴). */
export function contributionMonths(runs: ContributionRun[], insurance: Insurance) {
  const own = runs.filter((r) => r.insurance === insurance);
  const items: { month: string; employer: string; base: string; employerAmount: string; personalAmount: string; status: 'paid' | 'arrears' }[] = [];
  const covered = new Set<number>();
  for (const run of own) {
    for (let m = monthIndex(run.fromMonth); m <= monthIndex(run.toMonth); m++) {
      covered.add(m);
      items.push({ month: monthOfIndex(m), employer: run.employer, base: run.base, employerAmount: run.employerAmount, personalAmount: run.personalAmount, status: run.status });
    }
  }
  items.sort((a, b) => b.month.localeCompare(a.month));
  const gaps: string[] = [];
  if (covered.size) {
    const first = Math.min(...covered);
    const last = Math.max(...covered);
    for (let m = first; m <= last; m++) if (!covered.has(m)) gaps.push(monthOfIndex(m));
  }
  return { insurance, items, gaps };
}
