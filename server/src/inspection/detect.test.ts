import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFindings } from './detect';
import type { PublishedEntry, QualityRule, Transcript } from './model';
import { DEFAULT_RULES } from './rules';
import { findPhrase } from './text-match';

const rules: QualityRule[] = DEFAULT_RULES.map((r, position) => ({ ...r, id: r.type, isEnabled: true, position, updatedAt: '', updatedBy: 'test' }));
const only = (type: string, params?: Record<string, unknown>) => rules.filter((r) => r.type === type).map((r) => (params ? { ...r, params: { ...r.params, ...params } } : r));

/** A closed conversation built from lines: [sender, text, second offset, entryId?]. */
function buildTranscript(lines: [string, string, number, string?][], extra: Partial<Transcript> = {}): Transcript {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 2, 2, 0, s)).toISOString();
  return {
    id: 'c1',
    assigneeId: 'a1',
    category: 'yl',
    summary: '已解答',
    closedAt: at(3600),
    messages: lines.map(([sender, text, s, entryId], i) => ({ seq: i + 1, sender, senderId: sender === 'agent' ? 'a1' : null, senderName: null, text, entryId: entryId ?? null, createdAt: at(s) })),
    events: [{ type: 'accept', actor: 'user:a1', payload: { agentId: 'a1' }, createdAt: at(0) }],
    ...extra,
  };
}

const entry: PublishedEntry = { entryId: 'yl-001', version: 2, question: '养老保险缴费比例', answer: '单位缴**16%**，个人缴8%。2025年起执行。' };
const entries = new Map([[entry.entryId, entry]]);

describe('inspection checks', () => {
  it('finds forbidden words written with spaces, symbols, full-width letters and pinyin, and not inside other words', () => {
    const words = ['不知道', 'sb', 'shabi'];
    assert.ok(findPhrase('这个我 不·知 道', words));
    assert.ok(findPhrase('你是ＳＢ吗', words));
    assert.ok(findPhrase('SHA BI', words));
    assert.equal(findPhrase('请插入USB设备', words), undefined);
    const found = detectFindings(buildTranscript([['customer', '问', 1], ['agent', '您好', 2], ['agent', '您 是 s-b 吧', 3]]), only('forbidden_words'), entries);
    assert.deepEqual(found.map((f) => f.messageSeq), [3]);
  });

  it('times each reply from the citizen’s first unanswered message, or from when the agent joined', () => {
    const t = buildTranscript([
      ['customer', '在吗', 0],
      ['agent', '您好', 30], // 30 s
      ['customer', '养老金怎么算', 40],
      ['customer', '急', 50],
      ['agent', '稍等', 140], // 100 s after the first unanswered message
      ['agent', '好了', 400], // nobody waiting: not timed
    ]);
    assert.deepEqual(detectFindings(t, only('slow_reply'), entries).map((f) => f.messageSeq), [5]);
    // the queue time before the agent accepted is not theirs
    const queued = buildTranscript([['customer', '转人工', 0], ['agent', '您好', 200]]);
    queued.events = [{ type: 'accept', actor: 'user:a1', payload: { agentId: 'a1' }, createdAt: queued.messages[1].createdAt.replace(/:20.000Z$/, ':10.000Z') }];
    assert.deepEqual(detectFindings(queued, only('slow_reply'), entries), []);
  });

  it('checks numbers of a reply against the cited entry’s published answer, and flags an entry no longer published', () => {
    const t = buildTranscript([
      ['customer', '比例', 0],
      ['agent', '单位16%，个人8%，2025年起', 5, 'yl-001'],
      ['agent', '个人交10%', 6, 'yl-001'],
      ['agent', '请拨打12333', 7, 'yl-001'],
      ['agent', '按旧规定执行', 8, 'yl-999'],
    ]);
    assert.deepEqual(detectFindings(t, only('knowledge_mismatch'), entries).map((f) => f.messageSeq), [3, 5]);
  });

  it('flags promises and sums of money the cited entry does not support', () => {
    const t = buildTranscript([
      ['customer', '能批吗', 0],
      ['agent', '您好，我保证下个月一定能批下来', 5],
      ['agent', '每月能领2000元', 6],
      ['agent', '个人缴8%', 7, 'yl-001'],
    ]);
    assert.deepEqual(detectFindings(t, only('promise'), entries).map((f) => f.messageSeq), [2, 3]);
  });

  it('flags personal data in clear, hand-off loops and a close without category or summary', () => {
    const t = buildTranscript([['customer', '我的电话138****5678', 0], ['agent', '身份证110101199003074512已核对', 5], ['agent', '号码 138****5678 已记录', 6]], { category: null, summary: ' ' });
    assert.deepEqual(detectFindings(t, only('personal_data'), entries).map((f) => f.messageSeq), [2]);
    assert.ok(!detectFindings(t, only('personal_data'), entries)[0].excerpt.includes('19900307'));
    const [close] = detectFindings(t, only('close_data'), entries);
    assert.equal(close.messageSeq, null);
    assert.match(close.excerpt, /分类.*小结/);
    const transfer = { type: 'transfer', actor: 'user:a1', payload: {}, createdAt: t.closedAt! };
    assert.deepEqual(detectFindings({ ...t, events: [transfer, transfer] }, only('handoff_loop'), entries), []);
    assert.equal(detectFindings({ ...t, events: [transfer, transfer, transfer] }, only('handoff_loop'), entries).length, 1);
  });

  it('greets in the first reply and closes in the last; a disabled rule finds nothing', () => {
    const t = buildTranscript([['customer', '问', 0], ['agent', '单位16%', 5], ['agent', '感谢您的来电，再见', 6]]);
    assert.deepEqual(detectFindings(t, [...only('greeting'), ...only('closing')], entries).map((f) => [f.ruleId, f.messageSeq]), [['greeting', 2]]);
    assert.deepEqual(detectFindings(t, only('greeting').map((r) => ({ ...r, isEnabled: false })), entries), []);
  });
});
