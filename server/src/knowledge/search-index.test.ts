import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SearchIndex } from './search-index';
import { readSeedBundle } from './seed-knowledge';

const seed = readSeedBundle().entries.map((e) => ({ entryId: e.id, question: e.question, similar: e.similar, keywords: e.keywords, answer: e.answer }));
const everyone = () => true;

it('finds an entry by a paraphrase of its question, best first', () => {
  const index = new SearchIndex(seed, [{ term: '基本养老金', synonyms: ['退休金'] }]);
  const { hits, applied } = index.search('退休金是怎么算出来的', everyone, 5);
  assert.deepEqual(applied, [{ from: '退休金', to: '基本养老金' }]);
  assert.equal(hits[0].id, 'yl-023');
  assert.ok(hits.every((h, i) => i === 0 || h.score <= hits[i - 1].score));
});

it('a published change is searchable at once and the old wording is gone, without a rebuild', () => {
  const index = new SearchIndex(seed, []);
  const before = index.search('宠物医保报销', everyone, 3).hits.map((h) => h.id);
  assert.ok(!before.includes('yl-001'));
  const yl001 = seed.find((e) => e.entryId === 'yl-001')!;
  index.upsert({ ...yl001, question: '宠物医保报销比例是多少', similar: [], keywords: ['宠物医保'] });
  assert.equal(index.search('宠物医保报销', everyone, 3).hits[0].id, 'yl-001');
  assert.ok(!index.search(yl001.question, everyone, 10).hits.some((h) => h.id === 'yl-001' && h.score > 30), 'old question no longer scores as before');
  index.remove('yl-001');
  assert.ok(!index.search('宠物医保报销', everyone, 10).hits.some((h) => h.id === 'yl-001'));
  assert.equal(index.pendingChanges, 1);
});

it('only offers entries the caller may see, still filling the page', () => {
  const index = new SearchIndex(seed, []);
  const hidden = new Set(index.search('养老保险', everyone, 5).hits.map((h) => h.id));
  const filtered = index.search('养老保险', (id) => !hidden.has(id), 5).hits;
  assert.equal(filtered.length, 5);
  assert.ok(filtered.every((h) => !hidden.has(h.id)));
});
