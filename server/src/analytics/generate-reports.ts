import { isUniqueViolation } from '../platform/database';
import { newId, nowIso } from '../platform/ids';
import type { Segmenter } from '../text/segmenter';
import type { AnalyticsFilter, ReportData } from '../../../common/analytics';
import { addDays, chinaDay, isoWeekday } from './china-time';
import { readHardTopics } from './hard-topics';
import { readHotTopics, readSummary, readVolumes } from './read-indicators';
import type { AnalyticsRepo } from './repo';

export const REPORTS_SCHEDULE = 'analytics.reports';

/** What a stored report holds: the summary, the top volumes and the hot and hard topics of its period. */
export async function buildReportData(repo: AnalyticsRepo, segmenter: Segmenter, filter: AnalyticsFilter): Promise<ReportData> {
  const [summary, byChannel, byCategory, byDay, hotTopics, hardTopics] = await Promise.all([
    readSummary(repo, filter),
    readVolumes(repo, filter, 'channel'),
    readVolumes(repo, filter, 'category'),
    readVolumes(repo, filter, 'day'),
    readHotTopics(repo, filter, 'category', 10),
    readHardTopics(repo, segmenter, filter, 10),
  ]);
  return { summary, volumes: { channel: byChannel, category: { ...byCategory, items: byCategory.items.slice(0, 10) }, day: byDay }, hotTopics, hardTopics };
}
export type { ReportData };

/** The periods due at `now`: yesterday, and last week Monday–Sunday (China days). */
export function duePeriods(now: string): { kind: 'daily' | 'weekly'; from: string; to: string }[] {
  const today = chinaDay(now);
  const lastSunday = addDays(today, -isoWeekday(today));
  return [
    { kind: 'daily', from: addDays(today, -1), to: addDays(today, -1) },
    { kind: 'weekly', from: addDays(lastSunday, -6), to: lastSunday },
  ];
}

/**
 * Generates the daily and weekly reports not generated yet. One row per kind and period (a unique
 * key), so instances racing each other or a run repeated after a crash store it once.
 */
export async function generateDueReports(repo: AnalyticsRepo, segmenter: Segmenter, now = nowIso()) {
  const made: string[] = [];
  for (const period of duePeriods(now)) {
    if (await repo.hasReport(period.kind, period.from)) continue;
    const data = await buildReportData(repo, segmenter, { from: period.from, to: period.to });
    const id = newId();
    try {
      await repo.insertReport({ id, kind: period.kind, from: period.from, to: period.to, data, createdAt: nowIso() });
      made.push(id);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  return made;
}
