import { z } from 'zod';

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar date written YYYY-MM-DD (2025-02-30 and 2025-99-99 are not). */
export function isCalendarDate(text: string): boolean {
  const m = YMD.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return false;
  // Date.UTC rolls 02-30 over into March; a real date survives the round trip unchanged
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The one zod schema for a calendar date field (YYYY-MM-DD, a day that exists, years 1900–2199). */
export const calendarDate = z
  .string()
  .refine(isCalendarDate, { message: '应为有效日期 YYYY-MM-DD / must be a real date YYYY-MM-DD' });
