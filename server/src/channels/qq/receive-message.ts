import type { ChannelFunnel, InboundMessage } from '../../conversations/channel-adapter';
import type { MessageAttachment } from '../../conversations/model';
import type { QqEventJob } from './receive-callback';
import { c2cMessage, groupAtMessage, type QqAttachment } from './schema';

/** Where a reply goes: a user's private chat, or a group (the member is who the conversation is with). */
export type QqTarget = { kind: 'user'; openid: string } | { kind: 'group'; groupOpenid: string; memberOpenid: string };

/** The contact identity's external id: it carries the reply target, so `send` finds its way back. */
export function externalIdOf(target: QqTarget): string {
  return target.kind === 'user' ? `user:${target.openid}` : `group:${target.groupOpenid}:${target.memberOpenid}`;
}

export function targetOf(externalId: string): QqTarget | undefined {
  const [kind, a, b, ...rest] = externalId.split(':');
  if (kind === 'user' && a && b === undefined) return { kind: 'user', openid: a };
  if (kind === 'group' && a && b && !rest.length) return { kind: 'group', groupOpenid: a, memberOpenid: b };
  return undefined;
}

/** The @-mention of the bot the platform may leave in a group message (`<@!123>`, `<@openid>`). */
const MENTION = /<@!?[^<>\s]{1,128}>/g;

/**
 * A citizen's QQ message (queued by the callback) into the conversation flow: one contact per user
 * (private chat) or per group member, the platform's message id as the idempotency key, so a
 * redelivered event stores nothing new. Events that carry nothing to answer are dropped.
 */
export async function receiveQqMessage(funnel: ChannelFunnel, job: QqEventJob): Promise<{ stored: boolean; isDuplicate?: boolean }> {
  let target: QqTarget;
  let text: string;
  let messageId: string;
  let attachments: QqAttachment[] | undefined;
  if (job.type === 'C2C_MESSAGE_CREATE') {
    const d = c2cMessage.safeParse(job.d);
    if (!d.success) return { stored: false };
    target = { kind: 'user', openid: d.data.author.user_openid };
    text = d.data.content.trim();
    messageId = d.data.id;
    attachments = d.data.attachments;
  } else {
    const d = groupAtMessage.safeParse(job.d);
    if (!d.success) return { stored: false };
    target = { kind: 'group', groupOpenid: d.data.group_openid, memberOpenid: d.data.author.member_openid };
    text = d.data.content.replace(MENTION, ' ').trim();
    messageId = d.data.id;
    attachments = d.data.attachments;
  }
  const attachment = attachmentOf(attachments?.[0]);
  if (!text && !attachment) return { stored: false };
  const input: InboundMessage = { channel: 'qq', namespace: job.botId, externalId: externalIdOf(target), messageId, text, ...(attachment ? { attachment } : {}) };
  const result = await funnel.receive(input);
  return { stored: !result.isDuplicate, isDuplicate: result.isDuplicate };
}

/** A picture, voice message, video or file the citizen sent: we keep the platform's link to it. */
function attachmentOf(a: QqAttachment | undefined): MessageAttachment | undefined {
  if (!a) return undefined;
  const type = (a.content_type ?? '').toLowerCase();
  const kind: MessageAttachment['kind'] = type.startsWith('image') ? 'image' : type.startsWith('voice') || type.startsWith('audio') ? 'voice' : type.startsWith('video') ? 'video' : 'file';
  const raw = a.url?.trim();
  // the platform gives some links without a scheme ("multimedia.nt.qq.com.cn/…")
  const url = raw ? (/^https?:\/\//i.test(raw) ? raw : `https://${raw.replace(/^\/\//, '')}`) : undefined;
  return { kind, ...(url ? { url } : {}) };
}
