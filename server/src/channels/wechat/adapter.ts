import type { ChannelAdapter, ChannelFunnel, ChannelLimits } from '../../conversations/channel-adapter';
import { AccessTokens } from './access-token';
import { REPLY_WINDOW_MS, type WechatDeps } from './deps';
import { INLINE_REPLY_MS, MAX_CLOCK_SKEW_MS } from './receive-callback';
import { wechatRepo } from './repo';
import { wechatRoutes } from './routes';
import { sendMessage } from './send-message';

const LIMITS: ChannelLimits = { maxTextLength: 600, richText: false, replyWindowMs: REPLY_WINDOW_MS, answersInline: true };

/**
 * The WeChat official account channel (微信公众号): WeChat pushes followers' messages and events to
 * the account's callback endpoint (plain or safe mode), the robot answers in the passive reply, and
 * everything else (agents' replies, late robot replies) goes out as customer-service messages.
 */
export function createWechatChannel(funnel: ChannelFunnel): ChannelAdapter {
  const { ctx } = funnel;
  const repo = wechatRepo(ctx.db);
  const deps: WechatDeps = { ctx, funnel, repo, tokens: new AccessTokens(repo, ctx.secrets), limits: LIMITS, inlineReplyMs: INLINE_REPLY_MS };
  return {
    channel: 'wechat',
    limits: LIMITS,
    async routes(app) {
      await wechatRoutes(app, deps);
      // a nonce only matters while its timestamp could be accepted (± 5 minutes)
      ctx.jobs.every(10 * 60_000, 'channels.wechat.prune-nonces', async () => {
        await repo.pruneNonces(new Date(Date.now() - 2 * MAX_CLOCK_SKEW_MS).toISOString());
      });
    },
    send: (out) => sendMessage(deps, out),
  };
}
