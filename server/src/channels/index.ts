import type { ChannelAdapter, ChannelFunnel } from '../conversations/channel-adapter';
import { createPhoneChannel } from './phone/adapter';
import { createQqChannel } from './qq/adapter';
import { createWechatChannel } from './wechat/adapter';

/**
 * The external channels, each in its own folder behind the conversations domain's ChannelAdapter.
 * The web widget and the open channel API are part of the conversations domain itself.
 */
export function channelAdapters(funnel: ChannelFunnel): ChannelAdapter[] {
  return [createWechatChannel(funnel), createQqChannel(funnel), createPhoneChannel(funnel)];
}
