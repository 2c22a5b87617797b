import type { EntryVersion, SynonymGroupRecord } from './model';
import { compactText, contentTerms, contentWords, queryTerms } from './search-text';

export interface SearchHit {
  id: string;
  score: number;
}

// BM25 parameters and how much each field counts. Questions a citizen would ask weigh most.
const K1 = 1.2;
const COMMON_TERM_SHARE = 0.12;
const B = 0.75;
const FIELD_BOOST = { question: 3, similar: 2, keywords: 2, answer: 0.4 } as const;

/**
 * Full-text index of the served entries, in memory. A BM25 inverted index over Chinese words and
 * character bigrams with weights precomputed per posting, so a query only adds numbers and keeps
 * the top k. (MiniSearch was tried first: 6 ms a query at 223 entries, far from the 20 ms p99 at
 * 20,000 entries under load that the hotline needs; see docs/decisions.md.)
 */
export class SearchIndex {
  private ids: string[] = [];
  private postings = new Map<string, { docs: Int32Array; weights: Float32Array }>();
  private synonyms: { term: string; termCompact: string; variants: string[] }[] = [];
  private scores: Float32Array;
  private stamp: Uint32Array;
  private generation = 0;

  constructor(entries: EntryVersion[], synonymGroups: SynonymGroupRecord[]) {
    this.ids = entries.map((e) => e.entryId);
    const n = entries.length;
    this.scores = new Float32Array(n);
    this.stamp = new Uint32Array(n);
    // Per document: weighted term frequencies (field boosts applied) and a weighted length.
    const docTerms: Map<string, number>[] = [];
    const lengths = new Float64Array(n);
    entries.forEach((e, i) => {
      const tf = new Map<string, number>();
      const add = (terms: string[], boost: number) => {
        for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + boost);
        lengths[i] += terms.length * boost;
      };
      add(contentTerms(e.question), FIELD_BOOST.question);
      add(contentTerms(e.similar.join(' ')), FIELD_BOOST.similar);
      add(contentTerms(e.keywords.join(' ')), FIELD_BOOST.keywords);
      add(contentWords(e.answer), FIELD_BOOST.answer);
      docTerms.push(tf);
    });
    const avgLength = n ? lengths.reduce((a, b) => a + b, 0) / n : 1;
    const lists = new Map<string, { docs: number[]; weights: number[] }>();
    docTerms.forEach((tf, doc) => {
      const norm = K1 * (1 - B + (B * lengths[doc]) / avgLength);
      for (const [term, f] of tf) {
        let list = lists.get(term);
        if (!list) lists.set(term, (list = { docs: [], weights: [] }));
        list.docs.push(doc);
        list.weights.push((f * (K1 + 1)) / (f + norm));
      }
    });
    for (const [term, list] of lists) {
      const idf = Math.log(1 + (n - list.docs.length + 0.5) / (list.docs.length + 0.5));
      this.postings.set(term, { docs: Int32Array.from(list.docs), weights: Float32Array.from(list.weights, (w) => w * idf) });
    }
    this.synonyms = synonymGroups.map((g) => ({ term: g.term, termCompact: compactText(g.term), variants: g.synonyms.map(compactText).filter(Boolean) }));
  }

  get size() {
    return this.ids.length;
  }

  /** The query with the official term of every colloquial word it contains appended. */
  expand(query: string): { text: string; applied: { from: string; to: string }[] } {
    const compact = compactText(query);
    const applied: { from: string; to: string }[] = [];
    for (const group of this.synonyms) {
      if (compact.includes(group.termCompact)) continue;
      const hit = group.variants.find((v) => compact.includes(v));
      if (hit) applied.push({ from: hit, to: group.term });
    }
    return { text: applied.length ? [query, ...applied.map((a) => a.to)].join(' ') : query, applied };
  }

  /** The best `limit` entries the caller may see, best first. */
  search(query: string, isAllowed: (id: string) => boolean, limit: number): { hits: SearchHit[]; applied: { from: string; to: string }[] } {
    const generation = ++this.generation;
    const touched: number[] = [];
    const expanded = this.expand(query);
    const lists = queryTerms(expanded.text)
      .map((term) => this.postings.get(term))
      .filter((list): list is { docs: Int32Array; weights: Float32Array } => Boolean(list));
    // Terms found in a large share of entries carry almost no weight (low idf) but cost the most
    // to add up: leave them out whenever the query has more telling terms.
    const common = Math.max(50, this.ids.length * COMMON_TERM_SHARE);
    const telling = lists.filter((list) => list.docs.length <= common);
    for (const { docs, weights } of telling.length ? telling : lists) {
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i];
        if (this.stamp[doc] !== generation) {
          this.stamp[doc] = generation;
          this.scores[doc] = 0;
          touched.push(doc);
        }
        this.scores[doc] += weights[i];
      }
    }
    // Keep the top `limit` allowed documents; the visibility check runs only on contenders.
    const top: number[] = [];
    let floor = -Infinity;
    for (const doc of touched) {
      const score = this.scores[doc];
      if (top.length >= limit && score <= floor) continue;
      if (!isAllowed(this.ids[doc])) continue;
      let at = top.length;
      while (at > 0 && this.scores[top[at - 1]] < score) at--;
      top.splice(at, 0, doc);
      if (top.length > limit) top.pop();
      if (top.length >= limit) floor = this.scores[top[top.length - 1]];
    }
    return { hits: top.map((doc) => ({ id: this.ids[doc], score: Math.round(this.scores[doc] * 1000) / 1000 })), applied: expanded.applied };
  }
}
