import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STARTER_SYNONYMS } from './starter-synonyms';
import { Analyzer } from './tokenize';

const analyzer = (synonyms: ConstructorParameters<typeof Analyzer>[0]['synonyms']) => new Analyzer({ vocabulary: new Map(), synonyms });
const terms = (a: Analyzer, q: string) => a.analyze(q).synonymHits.map((h) => `${h.phrase}→${h.term}`);

describe('Analyzer: synonym groups with context', () => {
  const a = analyzer([{ term: '仲裁时效', synonyms: ['过期了', '来得及'], context: ['仲裁', '公司', '离职'] }]);

  it('a contextual group applies when one of its context words is in the question', () => {
    assert.deepEqual(terms(a, '离职都快一年了 过期了还能申请仲裁吗'), ['过期了→仲裁时效']);
    assert.deepEqual(terms(a, '被公司开了，现在还来得及吗'), ['来得及→仲裁时效']);
  });

  it('and not without one', () => {
    assert.deepEqual(terms(a, '护照过期了怎么办'), []);
    assert.deepEqual(a.analyze('现在去还来得及吗').concepts, []);
  });

  it('the official term itself applies everywhere', () => {
    assert.deepEqual(terms(a, '仲裁时效是多久'), ['仲裁时效→仲裁时效']);
    assert.deepEqual(a.analyze('时效是多久，仲裁时效呢').concepts, ['仲裁时效']);
  });

  it('a group without context applies everywhere, as before', () => {
    const plain = analyzer([{ term: '仲裁时效', synonyms: ['过期了'] }]);
    assert.deepEqual(terms(plain, '护照过期了怎么办'), ['过期了→仲裁时效']);
    assert.deepEqual(terms(analyzer([{ term: '仲裁时效', synonyms: ['过期了'], context: [] }]), '护照过期了怎么办'), ['过期了→仲裁时效']);
  });

  it('context words are read as questions are: width, case and Traditional script folded', () => {
    const folded = analyzer([{ term: '缴费基数', synonyms: ['基数'], context: ['社保', 'ＡＰＰ'] }]);
    assert.deepEqual(terms(folded, '社保基数怎么定'), ['基数→缴费基数']);
    assert.deepEqual(terms(folded, '在app上看基数'), ['基数→缴费基数']);
    assert.deepEqual(terms(folded, '經濟補償的基數怎麼算'), []);
  });

  it('the starter library keeps 过期了 → 仲裁时效 to labour disputes', () => {
    const starter = analyzer(STARTER_SYNONYMS);
    assert.ok(!starter.analyze('护照过期了怎么办').concepts.includes('仲裁时效'));
    assert.ok(starter.analyze('离职都快一年了 过期了还能申请仲裁吗').concepts.includes('仲裁时效'));
    assert.ok(starter.analyze('我前年被公司辞退，现在申请仲裁还来得及吗').concepts.includes('仲裁时效'));
  });
});
