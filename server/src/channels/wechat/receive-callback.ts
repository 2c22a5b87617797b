import { randomInt } from 'node:crypto';
import type { InboundMessage, InboundResult } from '../../conversations/channel-adapter';
import type { WechatDeps } from './deps';
import type { WechatAccount } from './repo';
import { aesKeyOf, decryptMessage, encryptMessage, isSameSignature, signatureOf } from './wechat-crypto';
import { encryptedReplyXml, parseWechatXml, textReplyXml } from './wechat-xml';

/** A callback's timestamp may be this far from our clock; its nonce is remembered twice as long. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** WeChat waits 5 s for the passive reply; robot answers not ready by then go out as customer-service messages. */
export const INLINE_REPLY_MS = 4_500;

export const DEFAULT_WELCOME = '感谢关注！我是12333智能客服，直接发送文字或语音即可提问，例如“养老保险交满多少年才能领养老金”。需要人工服务请回复“转人工”。';
export const UNSUPPORTED_REPLY = '抱歉，目前只能识别文字、语音和图片消息。请用文字或语音描述您的问题；需要人工服务请回复“转人工”。';
export const UNMAPPED_MENU_REPLY = '抱歉，这个菜单暂时没有内容。请直接发送文字或语音提问；需要人工服务请回复“转人工”。';

/** What the endpoint answers WeChat: a refusal has an empty body. */
export interface CallbackAnswer {
  status: number;
  contentType: 'text/plain; charset=utf-8' | 'application/xml; charset=utf-8';
  body: string;
}

const refuse = (status: number): CallbackAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body: '' });
const plain = (body: string): CallbackAnswer => ({ status: 200, contentType: 'text/plain; charset=utf-8', body });

export type CallbackQuery = Partial<Record<'signature' | 'timestamp' | 'nonce' | 'echostr' | 'encrypt_type' | 'msg_signature' | 'openid', string>>;

const isFresh = (timestamp: string) => /^\d{1,12}$/.test(timestamp) && Math.abs(Date.now() - Number(timestamp) * 1000) <= MAX_CLOCK_SKEW_MS;

/** URL verification (GET) when the server address is saved in WeChat's admin: echo `echostr` if signed by our Token. */
export async function verifyCallbackUrl(deps: WechatDeps, accountId: string, query: CallbackQuery): Promise<CallbackAnswer> {
  const account = await deps.repo.getAccount(accountId);
  if (!account) return refuse(404);
  const { timestamp, nonce, echostr } = query;
  if (!timestamp || !nonce || echostr === undefined) return refuse(401);
  const token = deps.ctx.secrets.open(account.tokenSealed);
  if (!isSameSignature(signatureOf(token, timestamp, nonce), query.signature)) return refuse(401);
  if (!isFresh(timestamp)) return refuse(403);
  return plain(echostr);
}

/**
 * A message or event WeChat pushes (POST), in plain or safe mode. Verified before anything is
 * stored: the signature (msg_signature over the ciphertext in safe mode), a timestamp within 5
 * minutes, the AppID inside the ciphertext, and a nonce not seen before. Then the citizen's message
 * goes to the funnel, and the answer is the robot's passive reply, or `success` (nothing to say now).
 */
export async function receiveCallback(deps: WechatDeps, accountId: string, query: CallbackQuery, body: string | null | undefined): Promise<CallbackAnswer> {
  const account = await deps.repo.getAccount(accountId);
  if (!account) return refuse(404);
  const { timestamp, nonce } = query;
  if (!timestamp || !nonce || typeof body !== 'string') return refuse(401);
  const { secrets } = deps.ctx;
  const token = secrets.open(account.tokenSealed);
  const isSafeMode = query.encrypt_type === 'aes';
  let fields: Record<string, string> | undefined;
  let aesKey: Buffer | undefined;
  if (isSafeMode) {
    if (!account.encodingAESKeySealed) return refuse(403);
    const encrypt = parseWechatXml(body)?.Encrypt;
    if (!encrypt || !isSameSignature(signatureOf(token, timestamp, nonce, encrypt), query.msg_signature)) return refuse(401);
    if (!isFresh(timestamp)) return refuse(403);
    aesKey = aesKeyOf(secrets.open(account.encodingAESKeySealed));
    let opened: { xml: string; appId: string };
    try {
      opened = decryptMessage(encrypt, aesKey);
    } catch {
      return refuse(400);
    }
    if (opened.appId !== account.appId) return refuse(403);
    fields = parseWechatXml(opened.xml);
  } else {
    if (!isSameSignature(signatureOf(token, timestamp, nonce), query.signature)) return refuse(401);
    if (!isFresh(timestamp)) return refuse(403);
    fields = parseWechatXml(body);
  }
  if (!fields?.FromUserName) return refuse(400);
  if (!(await deps.repo.recordNonce(account.id, nonce))) return refuse(403);

  const content = await answer(deps, account, fields);
  if (content === undefined) return plain('success');
  const xml = textReplyXml({ toUser: fields.FromUserName, fromUser: fields.ToUserName ?? '', content });
  if (!aesKey) return { status: 200, contentType: 'application/xml; charset=utf-8', body: xml };
  const encrypt = encryptMessage(xml, aesKey, account.appId);
  const replyTimestamp = String(Math.floor(Date.now() / 1000));
  const replyNonce = String(randomInt(1_000_000_000, 9_999_999_999));
  const msgSignature = signatureOf(token, replyTimestamp, replyNonce, encrypt);
  return { status: 200, contentType: 'application/xml; charset=utf-8', body: encryptedReplyXml({ encrypt, msgSignature, timestamp: replyTimestamp, nonce: replyNonce }) };
}

/** The passive reply's text for one message or event; undefined: nothing to say now. */
async function answer(deps: WechatDeps, account: WechatAccount, m: Record<string, string>): Promise<string | undefined> {
  const citizen = { channel: 'wechat' as const, namespace: account.id, externalId: m.FromUserName };
  // WeChat's retries carry the same MsgId; events have none, so the sender, time and event stand for it
  const messageId = m.MsgId || [m.FromUserName, m.CreateTime, m.Event, m.EventKey].filter(Boolean).join(':');
  switch ((m.MsgType ?? '').toLowerCase()) {
    case 'text':
      return robotReply(deps, { ...citizen, messageId, text: m.Content ?? '' });
    case 'image':
      return robotReply(deps, { ...citizen, messageId, text: '', attachment: { kind: 'image', ...(m.PicUrl ? { url: m.PicUrl } : {}), ...(m.MediaId ? { mediaId: m.MediaId } : {}) } });
    case 'voice':
      // with speech recognition turned on, WeChat gives the words: they are the message
      return robotReply(deps, {
        ...citizen,
        messageId,
        text: m.Recognition ?? '',
        attachment: { kind: 'voice', ...(m.MediaId ? { mediaId: m.MediaId } : {}), ...(m.Recognition ? { recognition: m.Recognition } : {}) },
      });
    case 'event':
      return answerEvent(deps, account, m, { ...citizen, messageId });
    default:
      return UNSUPPORTED_REPLY; // video, shortvideo, location, link, file …
  }
}

async function answerEvent(deps: WechatDeps, account: WechatAccount, m: Record<string, string>, citizen: Omit<InboundMessage, 'text'>): Promise<string | undefined> {
  switch ((m.Event ?? '').toLowerCase()) {
    case 'subscribe':
      return welcomeOf(deps, account);
    case 'click': {
      const item = account.menu.find((i) => i.key === m.EventKey);
      if (!item) return UNMAPPED_MENU_REPLY;
      if ('entryId' in item) return deps.funnel.knowledgeEntry(item.entryId) ? robotReply(deps, { ...citizen, text: '', pick: { entryId: item.entryId } }) : UNMAPPED_MENU_REPLY;
      return deps.funnel.calculator(item.rulesetId) ? robotReply(deps, { ...citizen, text: '', pick: { rulesetId: item.rulesetId } }) : UNMAPPED_MENU_REPLY;
    }
    default:
      return undefined; // unsubscribe, VIEW (a link opened), SCAN, LOCATION …
  }
}

/** The welcome a new follower gets: the account's text and links, or the default with the portal's. */
export function welcomeOf(deps: Pick<WechatDeps, 'ctx'>, account: Pick<WechatAccount, 'welcomeText' | 'welcomeLinks'>): string {
  const publicUrl = deps.ctx.config.PUBLIC_URL;
  const links =
    account.welcomeText !== null
      ? account.welcomeLinks
      : publicUrl
        ? [
            { title: '政策问答', url: `${publicUrl}/` },
            { title: '待遇测算', url: `${publicUrl}/calculators` },
          ]
        : [];
  const text = account.welcomeText ?? DEFAULT_WELCOME;
  return links.length ? `${text}\n\n${links.map((l) => `${l.title}：${l.url}`).join('\n')}` : text;
}

/**
 * Hands the message to the funnel and returns the robot's replies if they are ready in time for the
 * passive reply; later ones go to the delivery queue (customer-service messages) when they arrive.
 */
async function robotReply(deps: WechatDeps, input: InboundMessage): Promise<string | undefined> {
  const receiving = deps.funnel.receive(input);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tooLate = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deps.inlineReplyMs);
  });
  const result = await Promise.race([receiving, tooLate]).finally(() => clearTimeout(timer));
  if (!result) {
    receiving
      .then((late) => (late.replies.length ? deps.funnel.deliverLater(late.conversation.id, late.replies.map((r) => r.seq)) : undefined))
      .catch((err) => deps.ctx.log.error({ err }, 'wechat: a late robot reply could not be queued'));
    return undefined;
  }
  return inlineText(deps, result);
}

/** The replies joined into one passive reply within the length limit; any that do not fit are sent after it. */
async function inlineText(deps: WechatDeps, result: InboundResult): Promise<string | undefined> {
  let content = '';
  const later: number[] = [];
  for (const reply of result.replies) {
    const text = deps.funnel.render(reply, deps.limits);
    if (!text) continue;
    const joined = content ? `${content}\n\n${text}` : text;
    if (!later.length && [...joined].length <= deps.limits.maxTextLength) content = joined;
    else later.push(reply.seq);
  }
  if (later.length) await deps.funnel.deliverLater(result.conversation.id, later);
  return content || undefined;
}
