import type { AnalyticsFilter, AnalyticsSummary, HotTopics, Volumes } from '../../../common/analytics';
import { CHANNEL_LABELS } from './labels';
import { categoryNames } from './categories';
import { addDays, daysBetween, isoWeekday } from './china-time';
import { SERVICE_LEVEL_SECONDS, type AnalyticsRepo } from './repo';
import { previousPeriod, resolveFilter } from './scope';

const ratio = (part: number, whole: number) => (whole > 0 ? Math.min(1, Math.max(0, part / whole)) : null);

/** Nearest-rank percentile of ascending values; null when there are none. */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** The headline indicators of a period, from the hourly rollups and (for percentiles) the facts. */
export async function readSummary(repo: AnalyticsRepo, filter: AnalyticsFilter): Promise<AnalyticsSummary> {
  const r = await resolveFilter(repo, filter);
  const [[sums], reasons, firstResponse, handling] = await Promise.all([
    repo.rollupSums(r.scope),
    repo.handoffReasons(r.scope),
    repo.secondsOf(r.scope, 'first_response_s'),
    repo.secondsOf(r.scope, 'handling_s'),
  ]);
  const s = sums ?? {};
  const n = (k: string) => Number(s[k] ?? 0);
  return {
    from: filter.from,
    to: filter.to,
    conversations: n('conversations'),
    robotResolutionRate: ratio(n('robot_resolved'), n('conversations')),
    handoffRate: ratio(n('handed_off'), n('conversations')),
    handoffReasons: reasons,
    firstContactResolutionRate: ratio(n('conversations') - n('repeated'), n('conversations')),
    satisfaction: {
      rated: n('rated'),
      positiveShare: ratio(n('rating_positive'), n('rated')),
      average: n('rated') ? Math.round((n('rating_sum') / n('rated')) * 100) / 100 : null,
    },
    firstResponseSeconds: { p50: percentile(firstResponse, 0.5), p90: percentile(firstResponse, 0.9) },
    handlingSeconds: { p50: percentile(handling, 0.5), p90: percentile(handling, 0.9) },
    abandonmentRate: ratio(n('abandoned'), n('queued')),
    serviceLevel: { thresholdSeconds: SERVICE_LEVEL_SECONDS, share: ratio(n('answered_within'), n('queued')) },
    selfService: { robotAnswers: n('robot_answers'), calculatorRuns: n('calculator_runs'), searches: n('robot_questions') },
  };
}

const WEEKDAYS = ['周一 / Mon', '周二 / Tue', '周三 / Wed', '周四 / Thu', '周五 / Fri', '周六 / Sat', '周日 / Sun'];
export const UNCATEGORIZED = '未分类 / uncategorized';

/** Conversations started in the period, counted by one dimension. */
export async function readVolumes(repo: AnalyticsRepo, filter: AnalyticsFilter, by: Volumes['by']): Promise<Volumes> {
  const r = await resolveFilter(repo, filter);
  if (by === 'channel') {
    const rows = await repo.rollupSums(r.scope, 'channel');
    const items = rows.map((x) => ({ key: x.channel as string, label: CHANNEL_LABELS[x.channel as string] ?? x.channel, count: x.conversations as number }));
    return { by, items: items.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)) };
  }
  if (by === 'category') {
    const [rows, categories] = await Promise.all([repo.categoryCounts(r.scope), repo.categories()]);
    const names = categoryNames(categories);
    const items = rows.map((x) => ({ key: x.category as string, label: x.category ? (names.get(x.category) ?? x.category) : UNCATEGORIZED, count: x.conversations as number }));
    return { by, items: items.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)) };
  }
  const rows = await repo.rollupSums(r.scope, 'hour');
  const counts = new Map<string, number>();
  const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n);
  for (const x of rows) {
    const hour = x.hour as string;
    if (by === 'hour') add(String(Number(hour.slice(11, 13))), x.conversations);
    else if (by === 'weekday') add(String(isoWeekday(hour.slice(0, 10))), x.conversations);
    else add(hour.slice(0, 10), x.conversations);
  }
  if (by === 'hour') return { by, items: Array.from({ length: 24 }, (_, h) => ({ key: String(h), label: `${String(h).padStart(2, '0')}:00`, count: counts.get(String(h)) ?? 0 })) };
  if (by === 'weekday') return { by, items: WEEKDAYS.map((label, i) => ({ key: String(i + 1), label, count: counts.get(String(i + 1)) ?? 0 })) };
  const days = daysBetween(filter.from, filter.to);
  return { by, items: Array.from({ length: days }, (_, i) => addDays(filter.from, i)).map((day) => ({ key: day, label: day, count: counts.get(day) ?? 0 })) };
}

/**
 * How surprising a rise from `previous` to `current` is under "the rate did not change": the signed
 * square root of the Poisson likelihood-ratio statistic. 1 → 3 scores about 1.0, 40 → 90 about 4.4,
 * so a big, steady rise outranks a small jump that is mostly chance.
 */
export function surpriseScore(current: number, previous: number): number {
  if (current === previous) return 0;
  const mean = (current + previous) / 2;
  const term = (x: number) => (x > 0 ? x * Math.log(x / mean) : 0);
  const g = 2 * (term(current) + term(previous));
  return Math.round(Math.sign(current - previous) * Math.sqrt(Math.max(0, g)) * 1000) / 1000;
}

/** Topics whose volume rose most significantly against the previous period of the same length. */
export async function readHotTopics(repo: AnalyticsRepo, filter: AnalyticsFilter, level: 'category' | 'entry', limit = 50): Promise<HotTopics> {
  const current = await resolveFilter(repo, filter);
  const prevFilter = previousPeriod(filter);
  const previous = await resolveFilter(repo, prevFilter);
  const base = { from: filter.from, to: filter.to, previousFrom: prevFilter.from, previousTo: prevFilter.to };
  const categories = await repo.categories();
  const names = categoryNames(categories);
  if (level === 'category') {
    const [now, before] = await Promise.all([repo.categoryCounts(current.scope), repo.categoryCounts(previous.scope)]);
    const counts = new Map<string, { current: number; previous: number }>();
    for (const x of now) if (x.category) counts.set(x.category, { current: x.conversations, previous: 0 });
    for (const x of before) if (x.category) counts.set(x.category, { current: counts.get(x.category)?.current ?? 0, previous: x.conversations });
    const items = [...counts].map(([categoryId, c]) => ({ categoryId, name: names.get(categoryId) ?? categoryId, ...c, score: surpriseScore(c.current, c.previous) }));
    return { ...base, items: rank(items).slice(0, limit) };
  }
  const [now, before] = await Promise.all([repo.answersByEntry(filter.from, filter.to, filter.channel), repo.answersByEntry(prevFilter.from, prevFilter.to, filter.channel)]);
  const counts = new Map<string, { current: number; previous: number }>();
  for (const x of now) counts.set(x.entryId, { current: x.count, previous: 0 });
  for (const x of before) counts.set(x.entryId, { current: counts.get(x.entryId)?.current ?? 0, previous: x.count });
  const info = await repo.entryInfo([...counts.keys()]);
  const allowed = current.scope.categories ? new Set(current.scope.categories) : undefined;
  const items = [...counts]
    .filter(([entryId]) => info.has(entryId) && (!allowed || allowed.has(info.get(entryId)!.categoryId)))
    .map(([entryId, c]) => ({ categoryId: info.get(entryId)!.categoryId, name: info.get(entryId)!.question, entryId, ...c, score: surpriseScore(c.current, c.previous) }));
  return { ...base, items: rank(items).slice(0, limit) };
}

function rank<T extends { score: number; current: number; name: string }>(items: T[]): T[] {
  return items.sort((a, b) => b.score - a.score || b.current - a.current || a.name.localeCompare(b.name));
}
