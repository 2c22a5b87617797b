import type { Insurance } from './schema';

/** A run of consecutive contribution months with the same employer, base, amounts and status. */
export interface ContributionRun {
  insurance: Insurance;
  fromMonth: string;
  toMonth: string;
  employer: string;
  /** decimal strings with two places */
  base: string;
  employerAmount: string;
  personalAmount: string;
  status: 'paid' | 'arrears';
}

export interface PersonRecord {
  id: string;
  idNumber: string;
  name: string;
  phone: string;
  updatedAt: string;
}

export interface ApplicationRecord {
  id: string;
  personId: string;
  ref: string;
  type: string;
  status: string;
  submittedAt: string;
  updatedAt: string;
}

export interface ApplicationEvent {
  at: string;
  status: string;
  note: string | null;
}

export interface PaymentRecord {
  month: string;
  type: string;
  amount: string;
}

/** "2024-03" → months since year 0, so runs can be measured and joined by subtraction. */
export const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
export const monthOfIndex = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
export const monthsIn = (run: { fromMonth: string; toMonth: string }) => monthIndex(run.toMonth) - monthIndex(run.fromMonth) + 1;
