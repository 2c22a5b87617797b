import { actorLabel, canSeeStaff, type Actor } from '../identity/permissions';
import type { EntryContent } from './model';

const chinaDate = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' });
let cachedDay = { until: 0, day: '' };

/** Today's date in China (YYYY-MM-DD): entries come into force and expire by the local calendar. */
export function todayInChina() {
  const now = Date.now();
  // Formatting with a time zone is slow; the date cannot change within a minute of the last check.
  if (now >= cachedDay.until) cachedDay = { until: now + 60_000 - (now % 60_000), day: chinaDate.format(now) };
  return cachedDay.day;
}

/** Whether a version's dates put it in force on the given day. */
export function isInForce(content: Pick<EntryContent, 'effectiveFrom' | 'expiresAt'>, today = todayInChina()) {
  if (content.effectiveFrom && content.effectiveFrom > today) return false;
  if (content.expiresAt && content.expiresAt < today) return false;
  return true;
}

/**
 * Whether the actor may be served this (published) content: public entries to anyone, staff
 * entries to staff, narrowed to the listed roles when any are listed. Anonymous callers and API
 * keys see public entries only.
 */
export function mayServe(actor: Actor, content: Pick<EntryContent, 'audience' | 'roles'>) {
  if (content.audience === 'public') return true;
  if (!canSeeStaff(actor)) return false;
  if (content.roles.length === 0) return true;
  return actor.roles.some((role) => role === 'admin' || content.roles.includes(role));
}

/** An import job is seen by the person who started it, and by admins (who see every job). */
export function maySeeImportJob(actor: Actor, job: { createdBy: string }) {
  return actor.roles.some((role) => role === 'admin') || job.createdBy === actorLabel(actor);
}
