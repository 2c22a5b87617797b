/** Channel names as the console shows them. */
export const CHANNEL_LABELS: Record<string, string> = {
  web: '网页 / web',
  open: '开放接口 / open API',
  wechat: '微信 / WeChat',
  qq: 'QQ',
  phone: '电话 / phone',
};
