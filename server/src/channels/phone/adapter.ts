import type { ChannelAdapter, ChannelFunnel } from '../../conversations/channel-adapter';

/** The phone channel (being built). */
export function createPhoneChannel(_funnel: ChannelFunnel): ChannelAdapter {
  return {
    channel: 'phone',
    limits: { maxTextLength: 600, richText: false, replyWindowMs: null, answersInline: false },
    async routes() {},
    async send() {
      return { status: 'not_deliverable', reason: 'not built yet' };
    },
  };
}
