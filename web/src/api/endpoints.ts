import { api, withQuery } from './client';
import type {
  ApiKey, AuditRecord, CategoryNode, Determination, DetermineResult, Diff, EntrySummary, ImportJob, Jurisdiction, ManagedEntry, ManagedSummary, Me, Page,
  ParametersInForce, ParameterVersion, ReplayResult, ReviewItem, RobotAspects, RobotExplanation, RobotInsights, RobotReply, RobotSettings, RuleSetDocument,
  RuleSetInfo, RuleSetVersionInfo, SavedRuleSetVersion, SearchHit, ServedEntry, Suggestion, SynonymGroup, User, WhatIfResult,
} from './types';

const enc = encodeURIComponent;

/** Fields an editor saves for an entry. */
export interface EntryContentInput {
  category: string;
  question: string;
  similar: string[];
  answer: string;
  keywords: string[];
  references: string[];
  audience: 'public' | 'staff';
  roles: string[];
  effectiveFrom: string | null;
  expiresAt: string | null;
  changeNote?: string;
}

export interface SuggestionInput {
  kind: 'correction' | 'new_entry' | 'edit' | 'similar_question';
  entryId?: string;
  payload: { text?: string; question?: string; answer?: string; similar?: string[]; keywords?: string[]; categoryId?: string; contact?: string };
}

export const auth = {
  me: () => api.get<Me>('/api/v1/auth/me'),
  login: (username: string, password: string) => api.post<{ token: string; csrfToken: string; user: User }>('/api/v1/auth/login', { username, password }),
  logout: () => api.post<{ ok: true }>('/api/v1/auth/logout'),
};

export const kb = {
  categories: () => api.get<{ items: CategoryNode[] }>('/api/v1/kb/categories'),
  entries: (category?: string, page = 1, pageSize = 20) =>
    api.get<Page<EntrySummary> & { page: number; pageSize: number }>('/api/v1/kb/entries', { category, page, pageSize }),
  entry: (id: string) => api.get<ServedEntry>(`/api/v1/kb/entries/${enc(id)}`),
  related: (id: string) => api.get<{ items: EntrySummary[] }>(`/api/v1/kb/entries/${enc(id)}/related`),
  search: (q: string, category?: string, limit = 20) =>
    api.get<{ items: SearchHit[]; synonymsApplied?: { from: string; to: string }[] }>('/api/v1/kb/search', { q, category, limit }),
  feedback: (id: string, helpful: boolean) => api.post<{ helpful: number; unhelpful: number }>(`/api/v1/kb/entries/${enc(id)}/feedback`, { helpful, channel: 'web' }),
  suggest: (input: SuggestionInput) => api.post<{ id: string; status: string }>('/api/v1/kb/suggestions', input),
};

export const manage = {
  list: (query: { state?: string; category?: string; q?: string; page?: number; pageSize?: number }) =>
    api.get<Page<ManagedSummary>>('/api/v1/kb/manage/entries', query),
  get: (id: string) => api.get<ManagedEntry>(`/api/v1/kb/manage/entries/${enc(id)}`),
  create: (body: EntryContentInput & { id?: string }) => api.post<{ id: string; version: number; status: string }>('/api/v1/kb/manage/entries', body),
  save: (id: string, body: EntryContentInput & { baseVersion?: number }) =>
    api.put<{ id: string; version: number; status: string }>(`/api/v1/kb/manage/entries/${enc(id)}`, body),
  submit: (id: string) => api.post<{ id: string; version: number; status: string }>(`/api/v1/kb/manage/entries/${enc(id)}/submit`),
  approve: (id: string, version?: number, comment?: string) => api.post(`/api/v1/kb/manage/entries/${enc(id)}/approve`, { version, comment: comment || undefined }),
  reject: (id: string, comment: string) => api.post(`/api/v1/kb/manage/entries/${enc(id)}/reject`, { comment }),
  archive: (id: string, archived: boolean) => api.post(`/api/v1/kb/manage/entries/${enc(id)}/archive`, { archived }),
  diff: (id: string, from?: number, to?: number) => api.get<Diff>(`/api/v1/kb/manage/entries/${enc(id)}/diff`, { from, to }),
  rollback: (id: string, version: number) => api.post<{ id: string; version: number; status: string }>(`/api/v1/kb/manage/entries/${enc(id)}/rollback`, { version }),
  reviewQueue: () => api.get<{ items: ReviewItem[] }>('/api/v1/kb/manage/review-queue'),
};

export const categories = {
  create: (body: { id: string; name: string; parent: string | null; position?: number }) => api.post('/api/v1/kb/categories', body),
  update: (id: string, body: { name?: string; parent?: string | null; position?: number }) => api.patch(`/api/v1/kb/categories/${enc(id)}`, body),
  remove: (id: string) => api.delete(`/api/v1/kb/categories/${enc(id)}`),
};

export const synonyms = {
  list: () => api.get<{ items: SynonymGroup[] }>('/api/v1/kb/synonyms'),
  create: (body: { term: string; synonyms: string[] }) => api.post<SynonymGroup>('/api/v1/kb/synonyms', body),
  update: (id: string, body: { term: string; synonyms: string[] }) => api.put<SynonymGroup>(`/api/v1/kb/synonyms/${enc(id)}`, body),
  remove: (id: string) => api.delete(`/api/v1/kb/synonyms/${enc(id)}`),
};

export const suggestions = {
  list: (status?: string, page = 1) => api.get<Page<Suggestion>>('/api/v1/kb/suggestions', { status, page }),
  review: (id: string, body: { decision: 'accept' | 'reject'; note?: string; categoryId?: string }) =>
    api.post<Suggestion>(`/api/v1/kb/suggestions/${enc(id)}/review`, body),
};

export const transfer = {
  exportUrl: (format: 'xlsx' | 'json', which: 'published' | 'latest') => `/api/v1/kb/export?format=${format}&which=${which}`,
  /** Queues an import; its progress and result are read with job(). */
  importFile: (file: ArrayBuffer | string, format: 'xlsx' | 'json') =>
    api.upload<{ jobId: string }>(
      '/api/v1/kb/import',
      file,
      format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/json',
      { format },
    ),
  job: (id: string) => api.get<ImportJob>(`/api/v1/kb/import/jobs/${enc(id)}`),
  /** Publishes every version of one import still awaiting review (refused to the importer). */
  approveImport: (importId: string, comment?: string) => api.post<{ importId: string; approved: number }>(`/api/v1/kb/import/jobs/${enc(importId)}/approve`, { comment }),
};

export const users = {
  list: () => api.get<{ items: User[] }>('/api/v1/users'),
  create: (body: { username: string; password: string; roles: string[]; displayName?: string }) => api.post<User>('/api/v1/users', body),
  update: (id: string, body: { roles?: string[]; password?: string; displayName?: string; isDisabled?: boolean }) => api.patch<User>(`/api/v1/users/${enc(id)}`, body),
};

export const apiKeys = {
  list: () => api.get<{ items: ApiKey[] }>('/api/v1/api-keys'),
  create: (body: { name: string; scopes: string[]; rateLimitPerMinute?: number }) => api.post<ApiKey & { key: string }>('/api/v1/api-keys', body),
  revoke: (id: string) => api.delete(`/api/v1/api-keys/${enc(id)}`),
};

export const audit = {
  list: (page = 1, pageSize = 20, action?: string) => api.get<Page<AuditRecord>>('/api/v1/audit', { page, pageSize, action }),
};

export const robot = {
  ask: (question: string, sessionId?: string) => api.post<RobotReply>('/api/v1/robot/ask', { question, sessionId, channel: 'web' }),
  explain: (question: string, previous: string[] = []) => api.post<RobotExplanation>('/api/v1/robot/explain', previous.length ? { question, previous } : { question }),
  aspects: () => api.get<RobotAspects>('/api/v1/robot/aspects'),
  settings: () => api.get<RobotSettings>('/api/v1/robot/settings'),
  saveSettings: (settings: RobotSettings) => api.put<RobotSettings>('/api/v1/robot/settings', settings),
  retrain: () => api.post<{ entries: number }>('/api/v1/robot/retrain'),
  insights: (days: number) => api.get<RobotInsights>('/api/v1/robot/insights', { days }),
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Input of a parameter version (server/src/rules/schema.ts parameterVersionBody). */
export interface ParameterVersionInput {
  id?: string;
  jurisdiction: string;
  effectiveFrom: string;
  effectiveTo?: string | null;
  values: Record<string, unknown>;
  note?: string;
}

/** Input of a what-if run (schema.ts whatIfBody): baseline = parameters in force, scenario = with overrides. */
export interface WhatIfInput {
  date?: string;
  jurisdiction?: string;
  overrides: Record<string, unknown>;
  sum: string[];
  population: { generate: number } | { csv: string };
}

export const rules = {
  list: (lang?: string, date?: string) => api.get<{ items: RuleSetInfo[] } | RuleSetInfo[]>('/api/v1/policy/rulesets', { lang, date }),
  /** `unknown`: inputs the citizen answered 不知道; the result then stays conditional. `date`: the policy date. */
  determine: (id: string, inputs: Record<string, unknown>, lang?: string, unknown?: string[], date?: string) =>
    api.post<DetermineResult>(`/api/v1/policy/rulesets/${enc(id)}/determine`, { inputs, lang, unknown: unknown?.length ? unknown : undefined, date: date || undefined }),
  document: (id: string, lang?: string) => api.get<RuleSetDocument>(`/api/v1/policy/rulesets/${enc(id)}`, { lang }),
  versions: (id: string) => api.get<{ items: RuleSetVersionInfo[] }>(`/api/v1/policy/rulesets/${enc(id)}/versions`),
  publish: (id: string, version: string) => api.post<SavedRuleSetVersion>(`/api/v1/policy/rulesets/${enc(id)}/versions/${enc(version)}/publish`),
  exportUrl: (id: string, version?: string) => withQuery(`/api/v1/policy/rulesets/${enc(id)}/export.xlsx`, { version }),
  importWorkbook: (id: string, file: ArrayBuffer) => api.upload<SavedRuleSetVersion>(`/api/v1/policy/rulesets/${enc(id)}/import`, file, XLSX),
  parameters: (jurisdiction?: string) => api.get<{ jurisdictions: Jurisdiction[]; items: ParameterVersion[] }>('/api/v1/policy/parameters', { jurisdiction }),
  inForce: (date?: string, jurisdiction?: string) => api.get<ParametersInForce>('/api/v1/policy/parameters/in-force', { date, jurisdiction }),
  addParameterVersion: (body: ParameterVersionInput) => api.post<ParameterVersion>('/api/v1/policy/parameters', body),
  parametersExportUrl: () => '/api/v1/policy/parameters/export.xlsx',
  importParameters: (file: ArrayBuffer) => api.upload<{ created: ParameterVersion[] }>('/api/v1/policy/parameters/import', file, XLSX),
  whatIf: (id: string, body: WhatIfInput) => api.post<WhatIfResult>(`/api/v1/policy/rulesets/${enc(id)}/what-if`, body),
  determinations: (query: { ruleset?: string; page?: number; pageSize?: number }) => api.get<Page<Determination>>('/api/v1/policy/determinations', query),
  replay: (id: string) => api.post<ReplayResult>(`/api/v1/policy/determinations/${enc(id)}/replay`),
};
