/** Texts of the wechat channel's console pages (kept apart from messages.ts for size). */
export const wechatZh = {
  'wechat.title': '微信公众号',
};

export const wechatEn: Record<keyof typeof wechatZh, string> = {
  'wechat.title': 'WeChat accounts',
};
