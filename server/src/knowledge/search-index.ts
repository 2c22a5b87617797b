import type { EntryVersion, SynonymGroupRecord } from './model';
import type { Segmenter } from '../text/segmenter';
import { compileContext, isInContext } from '../text/synonym-context';
import { compactText, contentTerms, contentWords, queryTerms, searchSegmenter } from './search-text';

export interface SearchHit {
  id: string;
  score: number;
}

// BM25 parameters and how much each field counts. Questions a citizen would ask weigh most.
const K1 = 1.2;
const B = 0.75;
const FIELD_BOOST = { question: 3, similar: 2, keywords: 2, answer: 0.4 } as const;
/** Terms found in more than this share of entries are skipped when the query has better ones. */
const COMMON_TERM_SHARE = 0.12;
/** Past this many changed entries the delta is folded into a new main segment. */
export const MAX_DELTA = 500;

type Postings = { docs: Int32Array; weights: Float32Array };
type Searchable = Pick<EntryVersion, 'entryId' | 'question' | 'similar' | 'keywords' | 'answer'>;

/** Weighted term frequencies of one entry (field boosts applied) and its weighted length. */
function analyse(segmenter: Segmenter, e: Searchable) {
  const tf = new Map<string, number>();
  let length = 0;
  const add = (terms: string[], boost: number) => {
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + boost);
    length += terms.length * boost;
  };
  add(contentTerms(segmenter, e.question), FIELD_BOOST.question);
  add(contentTerms(segmenter, e.similar.join(' ')), FIELD_BOOST.similar);
  add(contentTerms(segmenter, e.keywords.join(' ')), FIELD_BOOST.keywords);
  add(contentWords(segmenter, e.answer), FIELD_BOOST.answer); // words only: answers are long, bigrams would swamp them
  return { tf, length };
}

/** Corpus statistics a segment's BM25 weights are computed with. */
interface Stats {
  n: number;
  avgLength: number;
  df: (term: string) => number;
}

/** An immutable inverted index over some entries, each posting carrying its final BM25 weight. */
class Segment {
  readonly ids: string[];
  readonly postings = new Map<string, Postings>();
  readonly stats: Stats;

  constructor(segmenter: Segmenter, entries: Searchable[], borrowed?: Stats) {
    this.ids = entries.map((e) => e.entryId);
    const analysed = entries.map((e) => analyse(segmenter, e));
    const lists = new Map<string, { docs: number[]; tf: number[] }>();
    analysed.forEach(({ tf }, doc) => {
      for (const [term, f] of tf) {
        let list = lists.get(term);
        if (!list) lists.set(term, (list = { docs: [], tf: [] }));
        list.docs.push(doc);
        list.tf.push(f);
      }
    });
    const n = entries.length;
    // A delta segment scores with the main segment's statistics, so scores stay comparable.
    this.stats = borrowed ?? {
      n,
      avgLength: n ? analysed.reduce((a, d) => a + d.length, 0) / n : 1,
      df: (term) => this.postings.get(term)?.docs.length ?? 0,
    };
    const { avgLength } = this.stats;
    const total = Math.max(this.stats.n, 1);
    for (const [term, list] of lists) {
      const df = borrowed ? Math.max(1, borrowed.df(term)) : list.docs.length;
      const idf = Math.log(1 + (total - df + 0.5) / (df + 0.5));
      const weights = Float32Array.from(list.tf, (f, i) => {
        const norm = K1 * (1 - B + (B * analysed[list.docs[i]].length) / avgLength);
        return ((f * (K1 + 1)) / (f + norm)) * idf;
      });
      this.postings.set(term, { docs: Int32Array.from(list.docs), weights });
    }
  }
}

/**
 * Full-text index of the served entries, in memory: a BM25 inverted index over Chinese words and
 * character bigrams with weights precomputed per posting, so a query only adds numbers and keeps
 * the top k. (MiniSearch was tried first: 6 ms a query at 223 entries; see docs/decisions.md.)
 *
 * Publishing one entry must not rebuild 20,000: changes go to a small delta segment and mask the
 * entry's old postings in the main segment; past MAX_DELTA changes the owner rebuilds the whole.
 */
export class SearchIndex {
  private main: Segment;
  private dead: Uint8Array;
  private mainPosition = new Map<string, number>();
  private changed = new Map<string, Searchable | null>();
  private delta: Segment | undefined;
  private synonyms: { term: string; termCompact: string; variants: string[]; context: string[] }[] = [];
  private scores: Float32Array;
  private stamp: Uint32Array;
  private generation = 0;

  private segmenter: Segmenter;

  constructor(entries: Searchable[], synonymGroups: (Pick<SynonymGroupRecord, 'term' | 'synonyms'> & { context?: string[] })[]) {
    // the domain's words stay whole: keywords and synonym terms (gapped patterns are not words)
    this.segmenter = searchSegmenter([...entries.flatMap((e) => e.keywords), ...synonymGroups.flatMap((g) => [g.term, ...g.synonyms].filter((w) => !w.includes('*')))]);
    this.main = new Segment(this.segmenter, entries);
    for (const [i, id] of this.main.ids.entries()) this.mainPosition.set(id, i);
    this.dead = new Uint8Array(entries.length);
    this.scores = new Float32Array(entries.length);
    this.stamp = new Uint32Array(entries.length);
    this.synonyms = synonymGroups.map((g) => ({ term: g.term, termCompact: compactText(g.term), variants: g.synonyms.map(compactText).filter(Boolean), context: compileContext(g.context) }));
  }

  /** Entries changed since the main segment was built: when large, rebuild. */
  get pendingChanges() {
    return this.changed.size;
  }

  /** Adds or replaces one entry (a publish). */
  upsert(entry: Searchable) {
    this.segmenter.addWords(entry.keywords);
    this.change(entry.entryId, entry);
  }

  /** Takes one entry out (archived, or no longer published). */
  remove(id: string) {
    this.change(id, null);
  }

  private change(id: string, entry: Searchable | null) {
    const position = this.mainPosition.get(id);
    if (position !== undefined) this.dead[position] = 1;
    this.changed.set(id, entry);
    this.delta = new Segment(this.segmenter, [...this.changed.values()].filter((e): e is Searchable => e !== null), this.main.stats);
  }

  /**
   * The query with the official term of every colloquial word it contains appended; a group with
   * context words only when one of them is in the query (as the robot's Analyzer reads groups).
   */
  expand(query: string): { text: string; applied: { from: string; to: string }[] } {
    const compact = compactText(query);
    const applied: { from: string; to: string }[] = [];
    for (const group of this.synonyms) {
      if (compact.includes(group.termCompact) || !isInContext(compact, group.context)) continue;
      const hit = group.variants.find((v) => compact.includes(v));
      if (hit) applied.push({ from: hit, to: group.term });
    }
    return { text: applied.length ? [query, ...applied.map((a) => a.to)].join(' ') : query, applied };
  }

  /** The best `limit` entries the caller may see, best first, and the synonyms applied. */
  search(query: string, isAllowed: (id: string) => boolean, limit: number): { hits: SearchHit[]; applied: { from: string; to: string }[] } {
    const expanded = this.expand(query);
    const terms = this.tellingTerms(queryTerms(this.segmenter, expanded.text));
    const top: SearchHit[] = [];
    const offer = (id: string, score: number) => {
      if (top.length >= limit && score <= top[top.length - 1].score) return;
      if (!isAllowed(id)) return;
      let at = top.length;
      while (at > 0 && top[at - 1].score < score) at--;
      top.splice(at, 0, { id, score });
      if (top.length > limit) top.pop();
    };

    // main segment: accumulate into reused arrays, skipping entries superseded by the delta
    const generation = ++this.generation;
    const touched: number[] = [];
    for (const { docs, weights } of postingsOf(terms, this.main)) {
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
    for (const doc of touched) if (!this.dead[doc]) offer(this.main.ids[doc], this.scores[doc]);

    // delta segment: few entries, a plain map is enough
    if (this.delta) {
      const scores = new Map<number, number>();
      for (const { docs, weights } of postingsOf(terms, this.delta)) {
        for (let i = 0; i < docs.length; i++) scores.set(docs[i], (scores.get(docs[i]) ?? 0) + weights[i]);
      }
      for (const [doc, score] of scores) offer(this.delta.ids[doc], score);
    }
    return { hits: top.map((h) => ({ id: h.id, score: Math.round(h.score * 1000) / 1000 })), applied: expanded.applied };
  }

  /**
   * Terms found in a large share of entries carry almost no weight (low idf) but cost the most to
   * add up: they are left out whenever the query has more telling terms.
   */
  private tellingTerms(terms: string[]): string[] {
    const common = Math.max(50, this.main.stats.n * COMMON_TERM_SHARE);
    const known = terms.filter((t) => this.main.postings.has(t) || this.delta?.postings.has(t));
    const telling = known.filter((t) => this.main.stats.df(t) <= common);
    return telling.length ? telling : known;
  }
}

function postingsOf(terms: string[], segment: Segment): Postings[] {
  const lists: Postings[] = [];
  for (const t of terms) {
    const p = segment.postings.get(t);
    if (p) lists.push(p);
  }
  return lists;
}
