/** The agent workspace's calls to the conversations API (agent, supervisor and settings routes) and to citizens' records. */
import type { z } from 'zod';
import type { applicationSummarySchema, MyRecord } from '../../../common/citizen-records';
import type { AgentStatus, Conversation, Message } from '../../../common/conversations';
import { api } from '../api/client';

const enc = encodeURIComponent;

export interface AgentState {
  userId: string;
  status: AgentStatus;
  maxChats: number;
  skills: string[];
}

export interface AgentRow extends AgentState {
  name: string;
  /** open conversations assigned to the agent now */
  load: number;
}

export interface Skill {
  id: string;
  name: string;
  categories: string[];
  position: number;
}

export interface CannedReply {
  id: string;
  /** null: shared by every agent */
  ownerId: string | null;
  title: string;
  text: string;
}

export interface Calculation {
  seq: number;
  rulesetId: string;
  status: string;
  outputs: Record<string, unknown>;
  at: string;
}

export interface HistoryEvent {
  type: string;
  actor: string;
  at: string;
  payload: Record<string, unknown> | null;
}

export interface ContactHistory {
  contact: { id: string; name: string | null; phone: string | null; channels: string[]; isVerified: boolean };
  conversations: { conversation: Conversation; messages: Message[]; calculations: Calculation[]; events: HistoryEvent[] }[];
}

export interface RobotSuggestion {
  entryId: string;
  question: string;
  answer?: string;
  score?: number;
  [key: string]: unknown;
}

export type Weekday = '1' | '2' | '3' | '4' | '5' | '6' | '7';
export type Span = [string, string];
export interface ServiceHours {
  weekly: Record<Weekday, Span[]>;
  holidays: string[];
  makeUpWorkdays: string[];
  makeUpHours: Span[];
}

export interface FunnelSettings {
  idleCloseMinutes: number;
  defaultMaxChats: number;
  defaultHandleSeconds: number;
}

export type TransferTarget = { agent: string } | { skill: string };

const conv = (id: string) => `/api/v1/agent/conversations/${enc(id)}`;

export const agentApi = {
  status: () => api.get<AgentState>('/api/v1/agent/status'),
  setStatus: (status: AgentStatus, maxChats?: number) => api.put<AgentState>('/api/v1/agent/status', { status, maxChats }),
  queue: () => api.get<{ items: Conversation[]; leftMessages: Conversation[] }>('/api/v1/agent/queue'),
  /** colleagues on duty (online or busy), to transfer to */
  colleagues: () => api.get<{ items: AgentRow[] }>('/api/v1/agent/colleagues'),
  mine: () => api.get<{ items: Conversation[] }>('/api/v1/agent/conversations'),
  allOpen: () => api.get<{ items: Conversation[] }>('/api/v1/supervisor/conversations'),
  conversation: (id: string) => api.get<{ conversation: Conversation; messages: Message[] }>(conv(id)),
  messagesAfter: (id: string, after: number) => api.get<{ messages: Message[] }>(`${conv(id)}/messages`, { after }),
  history: (id: string) => api.get<ContactHistory>(`${conv(id)}/history`),
  recordContactPhone: (id: string, phone: string) => api.put<{ phone: string }>(`${conv(id)}/contact-phone`, { phone }),
  suggestions: (id: string) => api.get<{ question: string | null; items: RobotSuggestion[] }>(`${conv(id)}/suggestions`),
  accept: (id: string) => api.post<Conversation>(`${conv(id)}/accept`),
  send: (id: string, body: { text: string; entryId?: string; private?: boolean; clientMessageId?: string }) => api.post<{ message: Message }>(`${conv(id)}/messages`, body),
  read: (id: string, seq: number) => api.post<null>(`${conv(id)}/read`, { seq }),
  transfer: (id: string, to: TransferTarget, note?: string) => api.post<Conversation>(`${conv(id)}/transfer`, { to, note: note || undefined }),
  takeOver: (id: string) => api.post<Conversation>(`${conv(id)}/take-over`),
  close: (id: string, category: string, summary: string) => api.post<Conversation>(`${conv(id)}/close`, { category, summary }),
  cannedReplies: () => api.get<{ items: CannedReply[] }>('/api/v1/agent/canned-replies'),
  addCannedReply: (body: { title: string; text: string; shared: boolean }) => api.post<CannedReply>('/api/v1/agent/canned-replies', body),
  deleteCannedReply: (id: string) => api.delete<null>(`/api/v1/agent/canned-replies/${enc(id)}`),
};

export const supervisionApi = {
  agents: () => api.get<{ items: AgentRow[] }>('/api/v1/agents'),
  configureAgent: (userId: string, body: { skills: string[]; maxChats?: number }) => api.put<AgentState>(`/api/v1/agents/${enc(userId)}`, body),
  skills: () => api.get<{ items: Skill[] }>('/api/v1/skills'),
  saveSkill: (id: string, body: { name: string; categories: string[]; position: number }) => api.put<Skill>(`/api/v1/skills/${enc(id)}`, body),
  deleteSkill: (id: string) => api.delete<null>(`/api/v1/skills/${enc(id)}`),
  serviceHours: () => api.get<ServiceHours>('/api/v1/conversations/settings/service-hours'),
  saveServiceHours: (body: ServiceHours) => api.put<ServiceHours>('/api/v1/conversations/settings/service-hours', body),
  funnel: () => api.get<FunnelSettings>('/api/v1/conversations/settings/funnel'),
  saveFunnel: (body: FunnelSettings) => api.put<FunnelSettings>('/api/v1/conversations/settings/funnel', body),
};

/** A citizen's record as an agent sees it: names and numbers masked, with their applications. */
export type ServiceRecord = MyRecord & { applications: z.infer<typeof applicationSummarySchema>[] };

/** How an agent reaches a record: the conversation with the verified citizen, or an ID number with a reason. */
export type RecordAccess = { conversationId: string } | { idNumber: string; reason: string };

/** The fields an agent may show unmasked, one at a time, with a reason. */
export type UnmaskableField = 'idNumber' | 'phone' | 'name';

/** Every call here is audited and shown to the citizen, so callers make them on a deliberate action only. */
export const recordsApi = {
  lookup: (access: RecordAccess) => api.post<ServiceRecord>('/api/v1/records/lookup', access),
  unmask: (access: RecordAccess, field: UnmaskableField, reason: string) =>
    api.post<{ field: UnmaskableField; value: string }>('/api/v1/records/unmask', { ...access, field, reason }),
};
