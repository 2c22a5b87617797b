import { z } from 'zod';
import type { AppContext } from '../platform/context';
import type { SupervisionPorts } from './ports';
import { supervisionRepo } from './repo';

/** What the supervision domain needs: the platform context and its ports (ports.ts). */
export interface SupervisionDeps extends SupervisionPorts {
  ctx: AppContext;
}

/** The monitor's thresholds, set by supervisors. */
export const monitorSettingsSchema = z.object({
  /** a citizen waiting in a live queue longer than this raises `long_wait` */
  longWaitSeconds: z.number().int().min(1).max(86_400),
  /** an agent not answering a waiting citizen for longer than this raises `agent_silent` */
  agentSilentSeconds: z.number().int().min(1).max(86_400),
});
export type MonitorSettings = z.infer<typeof monitorSettingsSchema>;
export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = { longWaitSeconds: 120, agentSilentSeconds: 180 };
const SETTINGS_KEY = 'monitor';

export async function loadMonitorSettings(deps: SupervisionDeps): Promise<MonitorSettings> {
  const stored = await supervisionRepo(deps.ctx.db).getSetting<Partial<MonitorSettings>>(SETTINGS_KEY);
  const parsed = monitorSettingsSchema.safeParse({ ...DEFAULT_MONITOR_SETTINGS, ...stored });
  return parsed.success ? parsed.data : DEFAULT_MONITOR_SETTINGS;
}

export async function saveMonitorSettings(deps: SupervisionDeps, settings: MonitorSettings, by: string) {
  await supervisionRepo(deps.ctx.db).putSetting(SETTINGS_KEY, settings, by);
}

/** Whole seconds from an ISO time to now (never negative). */
export const secondsSince = (iso: string, nowMs = Date.now()) => Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 1000));
