/** China time (UTC+8, no daylight saving): the days and hours every indicator groups by. */
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** The China-time hour of an ISO instant, `YYYY-MM-DDTHH`. */
export const chinaHour = (iso: string) => new Date(Date.parse(iso) + OFFSET_MS).toISOString().slice(0, 13);

/** The China calendar day of an ISO instant. */
export const chinaDay = (iso: string) => chinaHour(iso).slice(0, 10);

/** Days from `day` (YYYY-MM-DD), negative for earlier. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Number of days in from..to, both included. */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** 1 = Monday … 7 = Sunday, of a calendar day. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Seconds between two ISO instants, whole, never negative; null when either is missing. */
export function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
}

/** The ISO instant at which a China day begins. */
export const chinaDayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS).toISOString();
