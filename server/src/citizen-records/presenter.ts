import type { z } from 'zod';
import type * as wire from '../../../common/citizen-records';
import { maskIdNumber, maskPhone } from '../../../common/masking';
import type { ApplicationEvent, ApplicationRecord, ContributionRun, PersonRecord } from './model';
import { pensionAccount } from './pension-account';
import { summarizeRuns } from './summarize-record';

/** 张*华, 李*: a name as staff see it until they unmask it with a reason. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/** Who the record belongs to: ID number and phone always masked; the name in full for the citizen themselves. */
export function presentPerson(person: PersonRecord, viewer: 'citizen' | 'staff'): z.infer<typeof wire.citizenPersonSchema> {
  return { name: viewer === 'citizen' ? person.name : maskName(person.name), idNumberMasked: maskIdNumber(person.idNumber), phoneMasked: maskPhone(person.phone) };
}

/** The record's summary (GET /api/v1/me/record and the agent's view). */
export function presentRecord(person: PersonRecord, runs: ContributionRun[], viewer: 'citizen' | 'staff', now = new Date()): wire.MyRecord {
  const summary = summarizeRuns(runs);
  const part = (s: (typeof summary)['pension']) => ({ paidMonths: s.paidMonths, arrearsMonths: s.arrearsMonths, personalContributions: s.personalContributions.toFixed(2), firstMonth: s.firstMonth, lastMonth: s.lastMonth });
  return {
    person: presentPerson(person, viewer),
    pension: { ...part(summary.pension), accountBalance: pensionAccount(runs, now).balance.toFixed(2) },
    medical: part(summary.medical),
    unemployment: part(summary.unemployment),
    injury: part(summary.injury),
    maternity: part(summary.maternity),
    updatedAt: person.updatedAt,
  };
}

/** The personal pension account, year by year (GET /api/v1/me/pension-account). */
export function presentAccount(runs: ContributionRun[], now = new Date()): z.infer<typeof wire.pensionAccountSchema> {
  const { balance, years } = pensionAccount(runs, now);
  return {
    balance: balance.toFixed(2),
    years: years.map((y) => ({ year: y.year, opening: y.opening.toFixed(2), contributions: y.contributions.toFixed(2), rate: y.rate, interest: y.interest.toFixed(2), closing: y.closing.toFixed(2) })),
  };
}

/** An application as the citizen follows it: its reference (受理编号) is its id here; the store's own id never leaves. */
export function presentApplication(a: ApplicationRecord): z.infer<typeof wire.applicationSummarySchema> {
  return { id: a.ref, type: a.type, status: a.status, submittedAt: a.submittedAt, updatedAt: a.updatedAt };
}

/** An application with its timeline (GET /api/v1/me/applications/:id). */
export function presentApplicationWithHistory(a: ApplicationRecord & { history: ApplicationEvent[] }): z.infer<typeof wire.applicationSchema> {
  return { ...presentApplication(a), history: a.history };
}
