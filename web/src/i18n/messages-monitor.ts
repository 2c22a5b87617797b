/** Texts of the monitor console pages (kept apart from messages.ts for size). */
export const monitorZh = {
  'monitor.title': '实时监控',
};

export const monitorEn: Record<keyof typeof monitorZh, string> = {
  'monitor.title': 'Live monitor',
};
