import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { ChannelFunnel, InboundMessage, InboundResult } from '../../conversations/channel-adapter';
import type { MessageRecord } from '../../conversations/model';
import type { AppContext } from '../../platform/context';
import { secretBoxWithKey } from '../../platform/secrets';
import type { WechatDeps } from './deps';
import { receiveCallback } from './receive-callback';
import type { WechatAccount, WechatRepo } from './repo';

const TOKEN = 'unitToken';
const sha1 = (...parts: string[]) => createHash('sha1').update([...parts].sort().join('')).digest('hex');
const message = (seq: number, text: string): MessageRecord =>
  ({ id: `m${seq}`, conversationId: 'c1', seq, sender: 'robot', senderId: null, senderName: null, text, format: 'text', isPrivate: false, clientMessageId: null, inReplyTo: 1, entryId: null, payload: {}, createdAt: new Date().toISOString() });

/** The callback use case over a funnel that answers after `delayMs` with these replies. */
function harness(replies: MessageRecord[], delayMs: number) {
  const secrets = secretBoxWithKey(randomBytes(32));
  const account = { id: 'acc-1', appId: 'wx0123456789abcdef', tokenSealed: secrets.seal(TOKEN), encodingAESKeySealed: null, menu: [], welcomeText: null, welcomeLinks: [] } as unknown as WechatAccount;
  const later: { conversationId: string; seqs: number[] }[] = [];
  const received: InboundMessage[] = [];
  const funnel = {
    receive: (input: InboundMessage) => {
      received.push(input);
      const result = { conversation: { id: 'c1' }, message: message(1, input.text), replies, isDuplicate: false } as unknown as InboundResult;
      return new Promise<InboundResult>((resolve) => setTimeout(() => resolve(result), delayMs));
    },
    deliverLater: async (conversationId: string, seqs: number[]) => void later.push({ conversationId, seqs }),
    render: (m: MessageRecord) => m.text,
  } as unknown as ChannelFunnel;
  const repo = { getAccount: async (id: string) => (id === account.id ? account : undefined), recordNonce: async () => true } as unknown as WechatRepo;
  const ctx = { secrets, config: {}, log: { error: () => undefined } } as unknown as AppContext;
  const deps: WechatDeps = { ctx, funnel, repo, tokens: undefined as never, limits: { maxTextLength: 600, richText: false, replyWindowMs: null, answersInline: true }, inlineReplyMs: 100 };
  const post = (content: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.random()).slice(2);
    const xml = `<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o_1]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>6054768590064713728</MsgId></xml>`;
    return receiveCallback(deps, account.id, { signature: sha1(TOKEN, timestamp, nonce), timestamp, nonce }, xml);
  };
  return { post, later, received };
}

describe('the passive reply and its time limit', () => {
  it('a robot too slow for WeChat’s 5 seconds: success at once, its replies handed to the delivery queue when they come', async () => {
    const h = harness([message(2, '迟到的回答')], 400);
    const started = Date.now();
    const answer = await h.post('你好');
    assert.equal(answer.body, 'success');
    assert.ok(Date.now() - started < 350, 'answered before the robot finished');
    assert.equal(h.later.length, 0);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(h.later, [{ conversationId: 'c1', seqs: [2] }]);
    assert.equal(h.received[0].messageId, '6054768590064713728', 'the 64-bit MsgId kept exactly, as a string');
  });

  it('replies that do not fit in one passive reply of 600 characters go after it', async () => {
    const h = harness([message(2, '甲'.repeat(400)), message(3, '乙'.repeat(300)), message(4, '丙')], 0);
    const answer = await h.post('你好');
    const content = /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(answer.body)?.[1] ?? '';
    assert.equal(content, '甲'.repeat(400));
    assert.deepEqual(h.later, [{ conversationId: 'c1', seqs: [3, 4] }], 'in order, none skipped');
  });

  it('a message text containing "]]>" cannot break out of the reply’s CDATA', async () => {
    const h = harness([message(2, 'a]]><MsgType>x</MsgType>b')], 0);
    const answer = await h.post('你好');
    const parsed = new XMLParser({ parseTagValue: false }).parse(answer.body).xml;
    assert.equal(parsed.MsgType, 'text');
    assert.equal(parsed.Content, 'a]]><MsgType>x</MsgType>b');
  });
});
