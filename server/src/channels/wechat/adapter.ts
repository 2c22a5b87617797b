import type { ChannelAdapter, ChannelFunnel } from '../../conversations/channel-adapter';

/** The wechat channel (being built). */
export function createWechatChannel(_funnel: ChannelFunnel): ChannelAdapter {
  return {
    channel: 'wechat',
    limits: { maxTextLength: 600, richText: false, replyWindowMs: null, answersInline: false },
    async routes() {},
    async send() {
      return { status: 'not_deliverable', reason: 'not built yet' };
    },
  };
}
