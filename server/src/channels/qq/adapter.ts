import type { ChannelAdapter, ChannelFunnel } from '../../conversations/channel-adapter';
import { accessTokens } from './access-token';
import { callbackReceiver, QQ_EVENT_JOB, type QqEventJob } from './receive-callback';
import { receiveQqMessage } from './receive-message';
import { qqRoutes } from './routes';
import { sendQqMessage } from './send-message';

/**
 * The QQ channel: bots of the QQ bot platform (QQ机器人开放平台) in webhook mode. Private chats and
 * group @-messages reach the funnel; every reply (the robot's too) goes out through the delivery
 * queue as a passive reply while the platform allows one, else as an active message within the
 * monthly allowance.
 */
export function createQqChannel(funnel: ChannelFunnel): ChannelAdapter {
  const { ctx } = funnel;
  const tokens = accessTokens(ctx);
  return {
    channel: 'qq',
    limits: { maxTextLength: 1500, richText: false, replyWindowMs: null, answersInline: false },
    async routes(app) {
      // a citizen's message is stored by a job, after the platform has had its acknowledgement
      ctx.jobs.register(QQ_EVENT_JOB, (job: QqEventJob) => receiveQqMessage(funnel, job));
      await qqRoutes(app, ctx, callbackReceiver(ctx));
    },
    send: (out) => sendQqMessage(ctx, tokens, out),
  };
}
