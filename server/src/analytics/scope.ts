import type { AnalyticsFilter } from '../../../common/analytics';
import { descendantIds } from './categories';
import { badRequest } from '../platform/errors';
import { isCalendarDate } from '../platform/dates';
import { addDays, chinaDayStart, daysBetween } from './china-time';
import type { AnalyticsRepo, Scope } from './repo';

/** The longest period an indicator covers. */
export const MAX_PERIOD_DAYS = 366;

/** A checked filter: the period as hours and instants, the category expanded to its sub-categories. */
export interface ResolvedFilter {
  filter: AnalyticsFilter;
  scope: Scope;
  /** the period's first instant and the instant after it (for tables keyed by time, such as robot turns) */
  fromIso: string;
  toIso: string;
  days: number;
}

/** Checks a filter (400 `invalid_date`, `invalid_period`) and turns it into a query scope. */
export async function resolveFilter(repo: AnalyticsRepo, filter: AnalyticsFilter): Promise<ResolvedFilter> {
  for (const field of ['from', 'to'] as const) {
    if (!isCalendarDate(filter[field])) throw badRequest('invalid_date', { zh: `日期无效：${filter[field]}`, en: `not a real date: ${filter[field]}` }, field);
  }
  if (filter.from > filter.to) throw badRequest('invalid_period', { zh: '开始日期晚于结束日期', en: 'from is after to' }, 'from');
  const days = daysBetween(filter.from, filter.to);
  if (days > MAX_PERIOD_DAYS) throw badRequest('invalid_period', { zh: `统计周期最长 ${MAX_PERIOD_DAYS} 天`, en: `the period is longer than ${MAX_PERIOD_DAYS} days` }, 'to');
  const scope: Scope = { fromHour: `${filter.from}T00`, toHour: `${filter.to}T23` };
  if (filter.channel) scope.channel = filter.channel;
  if (filter.skill) scope.skill = filter.skill;
  if (filter.agent) scope.agent = filter.agent;
  if (filter.category) scope.categories = descendantIds(await repo.categories(), filter.category);
  return { filter, scope, fromIso: chinaDayStart(filter.from), toIso: chinaDayStart(addDays(filter.to, 1)), days };
}

/** The same filter over the period of the same length just before. */
export function previousPeriod(filter: AnalyticsFilter): AnalyticsFilter {
  const days = daysBetween(filter.from, filter.to);
  const to = addDays(filter.from, -1);
  return { ...filter, from: addDays(to, -(days - 1)), to };
}
