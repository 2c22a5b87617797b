/** Texts of the analytics console pages (kept apart from messages.ts for size). */
export const analyticsZh = {
  'analytics.title': '数据分析',
};

export const analyticsEn: Record<keyof typeof analyticsZh, string> = {
  'analytics.title': 'Analytics',
};
