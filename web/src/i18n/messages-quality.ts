/** Texts of the quality console pages (kept apart from messages.ts for size). */
export const qualityZh = {
  'quality.title': '质量检查',
};

export const qualityEn: Record<keyof typeof qualityZh, string> = {
  'quality.title': 'Quality inspection',
};
