import type { ChannelAdapter, ChannelFunnel, ChannelLimits } from '../../conversations/channel-adapter';
import type { PhoneDeps } from './call-control';
import { phoneRoutes } from './routes';
import { speechFromConfig } from './speech';

/**
 * A phone call leaves nothing to deliver afterwards: the robot's answers are spoken in the call's
 * own responses (answersInline), and an agent talks to the caller on the line.
 */
export const PHONE_LIMITS: ChannelLimits = { maxTextLength: 300, richText: false, replyWindowMs: null, answersInline: true, sendsLater: false };

/**
 * The phone line (12333's IVR): a telephony bridge (FreeSWITCH mod_httapi, Asterisk ARI …) posts
 * each call's events to the call-control webhook and does what the answer says — speak, collect
 * keys or words, hold in a queue, bridge to an agent, hang up. Each call is a conversation on the
 * `phone` channel, joined to the caller's contact by their number.
 */
export function createPhoneChannel(funnel: ChannelFunnel): ChannelAdapter {
  const deps: PhoneDeps = {
    funnel,
    limits: PHONE_LIMITS,
    speech: speechFromConfig(funnel.ctx.config, (err, what) => funnel.ctx.log.warn({ err, what }, 'speech service failed; the call goes on with touch-tones')),
  };
  return {
    channel: 'phone',
    limits: PHONE_LIMITS,
    routes: (app) => phoneRoutes(app, deps),
    async send() {
      return { status: 'not_deliverable', reason: 'voice call' };
    },
  };
}
