import type { AnalyticsFilter, AnalyticsSummary, HardTopics, HotTopics, reportSummarySchema, Volumes } from '../../../common/analytics';
import { VOLUME_DIMENSIONS } from '../../../common/analytics';
import type { z } from 'zod';
import { api, withQuery } from './client';

export type VolumeDimension = (typeof VOLUME_DIMENSIONS)[number];
export type ReportSummary = z.infer<typeof reportSummarySchema>;
export type HotTopicLevel = 'category' | 'entry';
/** The indicators that have an Excel export route. */
export type ExportName = 'summary' | 'volumes' | 'hot-topics' | 'hard-topics';

/**
 * A stored daily or weekly report as the console shows it: the same parts as the live dashboards,
 * each optional (a report of a quiet day may lack hot topics).
 */
export interface AnalyticsReport extends ReportSummary {
  summary: AnalyticsSummary | null;
  volumes: Volumes[];
  hotTopics: HotTopics | null;
  hardTopics: HardTopics | null;
}

const enc = encodeURIComponent;
const BASE = '/api/v1/analytics';

/** The filter as query parameters (empty values are left out by the client). */
const query = (filter: AnalyticsFilter) => ({ from: filter.from, to: filter.to, channel: filter.channel, category: filter.category, skill: filter.skill, agent: filter.agent });

/**
 * The stored report's JSON, read tolerantly: its parts may sit at the top or under `data`/`content`,
 * and volumes may be a list of `{by, items}` or an object keyed by dimension.
 */
export function normalizeReport(raw: any): AnalyticsReport {
  const body = raw?.data ?? raw?.content ?? raw ?? {};
  const rawVolumes = body.volumes ?? [];
  const volumes: Volumes[] = Array.isArray(rawVolumes)
    ? rawVolumes.filter((v: any) => v && Array.isArray(v.items))
    : Object.entries(rawVolumes as Record<string, any>)
        .filter(([by]) => (VOLUME_DIMENSIONS as readonly string[]).includes(by))
        .map(([by, v]) => ({ by: by as VolumeDimension, items: Array.isArray(v) ? v : (v?.items ?? []) }));
  return {
    id: raw?.id ?? body.id,
    kind: raw?.kind ?? body.kind,
    from: raw?.from ?? body.from,
    to: raw?.to ?? body.to,
    createdAt: raw?.createdAt ?? body.createdAt,
    summary: body.summary ?? null,
    volumes,
    hotTopics: body.hotTopics ?? body['hot-topics'] ?? null,
    hardTopics: body.hardTopics ?? body['hard-topics'] ?? null,
  };
}

/** The data analysis centre's API (`analytics.read`). */
export const analyticsApi = {
  summary: (filter: AnalyticsFilter) => api.get<AnalyticsSummary>(`${BASE}/summary`, query(filter)),
  volumes: (filter: AnalyticsFilter, by: VolumeDimension) => api.get<Volumes>(`${BASE}/volumes`, { ...query(filter), by }),
  hotTopics: (filter: AnalyticsFilter, level: HotTopicLevel) => api.get<HotTopics>(`${BASE}/hot-topics`, { ...query(filter), level }),
  hardTopics: (filter: AnalyticsFilter) => api.get<HardTopics>(`${BASE}/hard-topics`, query(filter)),
  /** Creates a knowledge entry draft from a hard-topic cluster; answers the new entry's id. */
  draftFromHardTopic: (clusterId: string, categoryId: string) => api.post<{ entryId: string }>(`${BASE}/hard-topics/draft`, { clusterId, categoryId }),
  /** The Excel file of one indicator under the same filter (a GET the session cookie authenticates). */
  exportUrl: (name: ExportName, filter: AnalyticsFilter, extra: Record<string, string> = {}) => withQuery(`${BASE}/export/${name}.xlsx`, { ...query(filter), ...extra }),
  reports: () => api.get<{ items: ReportSummary[] } | ReportSummary[]>(`${BASE}/reports`).then((r) => (Array.isArray(r) ? r : r.items)),
  report: (id: string) => api.get<unknown>(`${BASE}/reports/${enc(id)}`).then(normalizeReport),
  reportExportUrl: (id: string) => `${BASE}/reports/${enc(id)}.xlsx`,
};

/** Filter options: skills and agents (supervisors read both). */
export const filterOptionsApi = {
  skills: () => api.get<{ items: { id: string; name: string }[] }>('/api/v1/skills'),
  agents: () => api.get<{ items: { userId: string; name: string }[] }>('/api/v1/agents'),
};
