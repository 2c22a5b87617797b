/** The live monitor's calls: its snapshot, alerts, thresholds, and the supervisor's actions on a conversation. */
import type { MonitorSnapshot } from '../../../common/analytics';
import type { Conversation, Message } from '../../../common/conversations';
import { api } from './client';

const enc = encodeURIComponent;

export interface MonitorSettings {
  longWaitSeconds: number;
  agentSilentSeconds: number;
}

export const monitorApi = {
  snapshot: () => api.get<MonitorSnapshot>('/api/v1/supervisor/monitor'),
  acknowledge: (alertId: string) => api.post<null>(`/api/v1/supervisor/monitor/alerts/${enc(alertId)}/acknowledge`),
  settings: () => api.get<MonitorSettings>('/api/v1/supervisor/monitor/settings'),
  saveSettings: (body: MonitorSettings) => api.put<MonitorSettings>('/api/v1/supervisor/monitor/settings', body),
  /** a conversation with every message, notes included (supervisors may read any) */
  conversation: (id: string) => api.get<{ conversation: Conversation; messages: Message[] }>(`/api/v1/agent/conversations/${enc(id)}`),
  takeOver: (id: string) => api.post<Conversation>(`/api/v1/agent/conversations/${enc(id)}/take-over`),
  /** a private note to the agent: the citizen never sees it */
  whisper: (id: string, text: string) => api.post<{ message: Message }>(`/api/v1/agent/conversations/${enc(id)}/messages`, { text, private: true }),
};
