import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChannelLimits } from './channel-adapter';
import { renderForChannel } from './channel-delivery';
import { normalizePhone } from './channel-funnel';
import type { MessageRecord } from './model';

const message = (over: Partial<MessageRecord>): MessageRecord => ({
  id: 'm1',
  conversationId: 'c1',
  seq: 2,
  sender: 'robot',
  senderId: null,
  senderName: null,
  text: '',
  format: 'markdown',
  isPrivate: false,
  clientMessageId: null,
  inReplyTo: 1,
  entryId: null,
  payload: {},
  createdAt: new Date().toISOString(),
  ...over,
});
const plain: ChannelLimits = { maxTextLength: 60, richText: false, replyWindowMs: null, answersInline: false };

describe('messages as a plain-text channel shows them', () => {
  it('Markdown becomes plain text', () => {
    assert.equal(renderForChannel(message({ text: '**累计缴费满15年**即可按月领取。' }), plain), '累计缴费满15年即可按月领取。');
  });

  it('a long answer is cut within the limit with a link to the full entry on the portal', () => {
    const text = Array.from({ length: 12 }, (_, i) => `第${i + 1}条：办理养老保险关系转移需要准备的材料。`).join('\n');
    const out = renderForChannel(message({ text, entryId: 'yl-001' }), plain, 'https://12333.example.gov.cn');
    assert.ok([...out].length <= 60, out);
    assert.match(out, /…\n\n完整内容：https:\/\/12333\.example\.gov\.cn\/kb\/yl-001$/);
    assert.match(out, /^第1条/);
    const withoutAddress = renderForChannel(message({ text, entryId: 'yl-001' }), plain);
    assert.ok([...withoutAddress].length <= 60 && !withoutAddress.includes('/kb/'), 'no relative link when the public address is not configured');
  });

  it('a clarify prompt lists its choices by number', () => {
    const out = renderForChannel(message({ text: '您想问的是：', payload: { options: [{ entryId: 'a', question: '养老金怎么算' }, { entryId: 'b', question: '养老金何时发放' }] } }), { ...plain, maxTextLength: 600 });
    assert.match(out, /1\. 养老金怎么算\n2\. 养老金何时发放/);
  });

  it('an offered calculator is a reply to send (there are no buttons), kept when the answer is cut', () => {
    const offer = { rulesetId: 'pension-estimate', name: '基本养老金测算' };
    const short = renderForChannel(message({ text: '基本养老金由基础养老金和个人账户养老金组成。', entryId: 'yl-023', payload: { calculatorOffer: offer } }), { ...plain, maxTextLength: 600 });
    assert.match(short, /组成。\n\n回复“算一算”帮您测算“基本养老金测算”。$/);
    const text = Array.from({ length: 12 }, (_, i) => `第${i + 1}条：基本养老金的计算方法。`).join('\n');
    const cut = renderForChannel(message({ text, entryId: 'yl-023', payload: { calculatorOffer: offer } }), { ...plain, maxTextLength: 120 }, 'https://12333.example.gov.cn');
    assert.ok([...cut].length <= 120, cut);
    assert.match(cut, /回复“算一算”帮您测算“基本养老金测算”。$/);
    // with choices to pick, the calculator is the choice after them
    const listed = renderForChannel(message({ text: '您想问的是：', payload: { options: [{ entryId: 'yl-023', question: '养老金怎么算' }], calculatorOffer: offer } }), { ...plain, maxTextLength: 600 });
    assert.match(listed, /1\. 养老金怎么算\n2\. 帮我算一算：基本养老金测算\n\n（回复序号即可）/);
  });

  it('internal notes are never rendered for a citizen', () => {
    assert.equal(renderForChannel(message({ text: '内部备注', isPrivate: true, sender: 'agent' }), plain), '');
  });

  it('phone numbers compare in one form', () => {
    assert.equal(normalizePhone('+86 138-0013-8000'), '13800138000');
    assert.equal(normalizePhone('008613800138000'), '13800138000');
    assert.equal(normalizePhone('010-6512 3456'), '01065123456');
  });
});
