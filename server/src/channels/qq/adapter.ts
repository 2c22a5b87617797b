import type { ChannelAdapter, ChannelFunnel } from '../../conversations/channel-adapter';

/** The qq channel (being built). */
export function createQqChannel(_funnel: ChannelFunnel): ChannelAdapter {
  return {
    channel: 'qq',
    limits: { maxTextLength: 600, richText: false, replyWindowMs: null, answersInline: false },
    async routes() {},
    async send() {
      return { status: 'not_deliverable', reason: 'not built yet' };
    },
  };
}
