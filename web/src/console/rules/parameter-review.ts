import { api } from '../../api/client';
import type { ParameterVersionInput } from '../../api/endpoints';
import type { ParameterVersion } from '../../api/types';

/** A parameter version with its review (server/src/rules/presenter.ts presentParameterReview). */
export interface ReviewedParameterVersion extends ParameterVersion {
  status: 'pending' | 'published' | 'rejected';
  createdBy: string;
  createdAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
}

const enc = encodeURIComponent;

/** Parameter versions under review: submitted by editors, approved or rejected by another reviewer. */
export const parameterReview = {
  submit: (body: ParameterVersionInput) => api.post<ReviewedParameterVersion>('/api/v1/policy/parameters', body),
  unpublished: () => api.get<{ items: ReviewedParameterVersion[] }>('/api/v1/policy/parameters/unpublished'),
  approve: (id: string, comment?: string) => api.post<ReviewedParameterVersion>(`/api/v1/policy/parameters/${enc(id)}/approve`, comment ? { comment } : {}),
  reject: (id: string, comment: string) => api.post<ReviewedParameterVersion>(`/api/v1/policy/parameters/${enc(id)}/reject`, { comment }),
};
