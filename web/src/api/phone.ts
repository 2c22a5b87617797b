/** The phone line's API: the IVR tree and its simulator, the line's settings, agents' extensions, callback requests. */
import type { CallAction, CallbackView, IvrTree, PhoneSettings } from '../../../server/src/channels/phone/schema';
import { api } from './client';

export type { CallAction, CallbackView, IvrAction, IvrNode, IvrOption, IvrTree, PhoneSettings } from '../../../server/src/channels/phone/schema';

const enc = encodeURIComponent;

export interface IvrVersion {
  version: number;
  tree: IvrTree;
  savedBy: string;
  savedAt: string;
}

export interface SimulatedTurn {
  input: string;
  actions: CallAction[];
  state: string;
}

export interface SimulateRequest {
  tree?: IvrTree;
  inputs: { digits?: string; text?: string }[];
  isClosed?: boolean;
  waitSeconds?: number;
}

export const phoneApi = {
  ivr: () => api.get<IvrVersion>('/api/v1/channels/phone/ivr'),
  saveIvr: (tree: IvrTree, baseVersion: number) => api.put<IvrVersion>('/api/v1/channels/phone/ivr', { tree, baseVersion }),
  versions: () => api.get<{ items: { version: number; savedBy: string; savedAt: string }[] }>('/api/v1/channels/phone/ivr/versions'),
  simulate: (body: SimulateRequest) => api.post<{ turns: SimulatedTurn[] }>('/api/v1/channels/phone/ivr/simulate', body),
  settings: () => api.get<PhoneSettings>('/api/v1/channels/phone/settings'),
  saveSettings: (body: PhoneSettings) => api.put<PhoneSettings>('/api/v1/channels/phone/settings', body),
  extensions: () => api.get<{ items: { userId: string; name: string; extension: string }[] }>('/api/v1/channels/phone/extensions'),
  setExtension: (userId: string, extension: string) => api.put<{ userId: string; extension: string }>(`/api/v1/channels/phone/extensions/${enc(userId)}`, { extension }),
  removeExtension: (userId: string) => api.delete<null>(`/api/v1/channels/phone/extensions/${enc(userId)}`),
  /** agents (to give an extension) and skills (a queue option's skill), from the conversations settings */
  agents: () => api.get<{ items: { userId: string; name: string }[] }>('/api/v1/agents'),
  skills: () => api.get<{ items: { id: string; name: string }[] }>('/api/v1/skills'),
};

export const callbacksApi = {
  list: (status: 'active' | 'closed' = 'active') => api.get<{ items: CallbackView[] }>('/api/v1/channels/phone/callbacks', { status }),
  claim: (id: string) => api.post<CallbackView>(`/api/v1/channels/phone/callbacks/${enc(id)}/claim`),
  reveal: (id: string) => api.post<{ phone: string }>(`/api/v1/channels/phone/callbacks/${enc(id)}/reveal`),
  finish: (id: string, status: 'done' | 'failed', note?: string) => api.post<CallbackView>(`/api/v1/channels/phone/callbacks/${enc(id)}/outcome`, { status, ...(note ? { note } : {}) }),
};
