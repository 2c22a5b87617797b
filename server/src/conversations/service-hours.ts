import { z } from 'zod';
import { calendarDate } from '../platform/dates';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
const span = z.tuple([hhmm, hhmm]).refine(([from, to]) => from < to, '开始时间须早于结束时间 / start must be before end');

/**
 * When human agents are on duty, in China's time (UTC+8, no daylight saving). Public holidays close
 * a working day; make-up working days (调休) open a weekend day with the ordinary weekday hours.
 */
export const serviceHoursSchema = z.object({
  /** ISO weekday 1 (Monday) … 7 (Sunday) → spans of the day */
  weekly: z.object({ 1: z.array(span), 2: z.array(span), 3: z.array(span), 4: z.array(span), 5: z.array(span), 6: z.array(span), 7: z.array(span) }),
  holidays: z.array(calendarDate).max(400),
  makeUpWorkdays: z.array(calendarDate).max(100),
  /** hours of a make-up working day */
  makeUpHours: z.array(span),
});
export type ServiceHours = z.infer<typeof serviceHoursSchema>;

const ALL_DAY: [string, string][] = [['00:00', '24:00']];

/**
 * Out of the box agents are reachable at any time, so a first installation shows the whole funnel;
 * a centre sets its own hours, holidays and 调休 days in the console.
 */
export const DEFAULT_SERVICE_HOURS: ServiceHours = {
  weekly: { 1: ALL_DAY, 2: ALL_DAY, 3: ALL_DAY, 4: ALL_DAY, 5: ALL_DAY, 6: ALL_DAY, 7: ALL_DAY },
  holidays: [],
  makeUpWorkdays: [],
  makeUpHours: [['08:30', '17:30']],
};

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The local (China) date, ISO weekday and HH:MM of an instant. */
function localParts(at: Date) {
  const local = new Date(at.getTime() + CHINA_OFFSET_MS);
  const date = local.toISOString().slice(0, 10);
  const weekday = (((local.getUTCDay() + 6) % 7) + 1) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
  const time = local.toISOString().slice(11, 16);
  return { date, weekday, time };
}

/** The spans agents work on the local date of `at`. */
function spansOn(hours: ServiceHours, at: Date): [string, string][] {
  const { date, weekday } = localParts(at);
  if (hours.holidays.includes(date)) return [];
  if (hours.makeUpWorkdays.includes(date)) return hours.makeUpHours;
  return hours.weekly[weekday];
}

/** Whether agents are on duty at `at`. */
export function isServiceOpen(hours: ServiceHours, at: Date = new Date()): boolean {
  const { time } = localParts(at);
  return spansOn(hours, at).some(([from, to]) => time >= from && time < to);
}

/** The next instant agents come on duty (searching up to 60 days ahead), or null. */
export function nextOpening(hours: ServiceHours, at: Date = new Date()): Date | null {
  if (isServiceOpen(hours, at)) return at;
  const { date: today, time } = localParts(at);
  for (let day = 0; day < 60; day++) {
    const probe = new Date(at.getTime() + day * 86_400_000);
    const { date } = localParts(probe);
    for (const [from] of [...spansOn(hours, probe)].sort()) {
      if (date === today && from <= time) continue;
      return new Date(`${date}T${from}:00+08:00`);
    }
  }
  return null;
}

/** "12月8日 08:30" for telling a citizen when agents are back. */
export function describeOpening(at: Date): string {
  const { date, time } = localParts(at);
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日 ${time}`;
}
