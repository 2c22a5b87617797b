import type { z } from 'zod';
import type { QualityResult } from '../../../common/analytics';
import type * as s from '../../../server/src/inspection/schema';
import { api } from './client';

export type { QualityResult };
export type QualityRule = z.infer<typeof s.ruleSchema>;
export type QualityFlagDetail = z.infer<typeof s.flagDetailSchema>;
export type InspectionList = z.infer<typeof s.listResponse>;
export type InspectionListItem = InspectionList['items'][number];
export type InspectionDetails = z.infer<typeof s.detailsResponse>;
export type MyQuality = z.infer<typeof s.myResponse>;
export type Scorecards = z.infer<typeof s.agentsResponse>;
export type Scorecard = Scorecards['items'][number];
export type FlagStatus = QualityFlagDetail['status'];
export type RuleChange = z.infer<typeof s.ruleUpdateBody>;

/** Filters of the inspected-conversations list. */
export interface InspectionFilter {
  agent?: string;
  minScore?: number;
  maxScore?: number;
  rule?: string;
  status?: FlagStatus;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

const BASE = '/api/v1/quality';
const enc = encodeURIComponent;

/** The quality-inspection API (supervisors' console and agents' own view). */
export const qualityApi = {
  rules: () => api.get<{ items: QualityRule[] }>(`${BASE}/rules`),
  updateRule: (id: string, change: RuleChange) => api.put<{ rule: QualityRule; jobId: string }>(`${BASE}/rules/${enc(id)}`, change),
  job: (id: string) => api.get<{ id: string; status: string; progress: number; result?: unknown }>(`${BASE}/jobs/${enc(id)}`),
  list: (filter: InspectionFilter) => api.get<InspectionList>(`${BASE}/conversations`, { ...filter }),
  result: (conversationId: string) => api.get<QualityResult>(`${BASE}/conversations/${enc(conversationId)}`),
  details: (conversationId: string) => api.get<InspectionDetails>(`${BASE}/conversations/${enc(conversationId)}/details`),
  review: (flagId: string, decision: 'confirm' | 'overturn', note?: string) => api.post<QualityResult>(`${BASE}/flags/${enc(flagId)}/review`, { decision, note: note || undefined }),
  appeal: (flagId: string, reason: string) => api.post<QualityFlagDetail>(`${BASE}/flags/${enc(flagId)}/appeal`, { reason }),
  my: () => api.get<MyQuality>(`${BASE}/my`),
  agents: (from: string, to: string) => api.get<Scorecards>(`${BASE}/agents`, { from, to }),
};
