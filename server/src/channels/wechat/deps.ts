import type { ChannelFunnel, ChannelLimits } from '../../conversations/channel-adapter';
import type { AppContext } from '../../platform/context';
import type { AccessTokens } from './access-token';
import type { WechatRepo } from './repo';

/** What the WeChat channel's use cases are given: built once in adapter.ts. */
export interface WechatDeps {
  ctx: AppContext;
  funnel: ChannelFunnel;
  repo: WechatRepo;
  tokens: AccessTokens;
  limits: ChannelLimits;
  /** how long the robot may take for its replies to go in the passive reply (WeChat waits 5 s) */
  inlineReplyMs: number;
}

/** WeChat lets an account write to a follower for 48 hours after the follower's last message. */
export const REPLY_WINDOW_MS = 48 * 3_600_000;
export const DEFAULT_API_BASE_URL = 'https://api.weixin.qq.com';
