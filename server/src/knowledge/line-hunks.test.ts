import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineHunks, presentDiff } from './presenter';
import type { EntryVersion } from './model';

/** The lines a reader sees marked as removed and as added. */
const marked = (before: string, after: string) => {
  const hunks = lineHunks(before, after);
  const lines = (kind: string) => hunks.filter((h) => h.kind === kind).flatMap((h) => h.text.split('\n').filter(Boolean));
  return { removed: lines('removed'), added: lines('added'), same: lines('same') };
};

describe('line diff of an answer', () => {
  it('a line appended after a last line without a newline leaves that line unchanged', () => {
    assert.deepEqual(marked('第一行\n第二行', '第一行\n第二行\n第三行'), { removed: [], added: ['第三行'], same: ['第一行', '第二行'] });
  });

  it('a changed middle line is the only line removed and added', () => {
    assert.deepEqual(marked('甲\n乙\n丙', '甲\n乙改\n丙'), { removed: ['乙'], added: ['乙改'], same: ['甲', '丙'] });
  });

  it('Windows line ends compare equal to Unix ones', () => {
    assert.deepEqual(marked('甲\r\n乙\r\n', '甲\n乙\n丁'), { removed: [], added: ['丁'], same: ['甲', '乙'] });
  });

  it('a new entry is all added lines', () => {
    assert.deepEqual(marked('', '甲\n乙'), { removed: [], added: ['甲', '乙'], same: [] });
  });

  it('the console’s diff of two versions keeps an unchanged last line as unchanged', () => {
    const version = (n: number, answer: string) => ({ entryId: 'yl-001', version: n, answer, question: '问', similar: [], keywords: [], references: [], audience: 'public', roles: [], categoryId: 'c', effectiveFrom: null, expiresAt: null, status: 'draft', changeNote: null, author: 'user:a', createdAt: '', reviewer: null, reviewedAt: null, reviewComment: null }) as unknown as EntryVersion;
    const diff = presentDiff(version(1, '一\n二'), version(2, '一\n二\n三'));
    const answer = diff.changes.find((c) => c.field === 'answer') as { hunks: { kind: string; text: string }[] };
    assert.deepEqual(answer.hunks.filter((h) => h.kind !== 'same'), [{ kind: 'added', text: '三\n' }]);
  });
});
