/** Texts of the phone channel's console pages (kept apart from messages.ts for size). */
export const phoneZh = {
  'ivr.title': '电话语音导航',
};

export const phoneEn: Record<keyof typeof phoneZh, string> = {
  'ivr.title': 'Phone IVR',
};
