/** Texts of the qq channel's console pages (kept apart from messages.ts for size). */
export const qqZh = {
  'qq.title': 'QQ 机器人',
};

export const qqEn: Record<keyof typeof qqZh, string> = {
  'qq.title': 'QQ bots',
};
