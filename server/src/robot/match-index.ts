// Candidate retrieval + feature extraction over standard questions, similar questions, keywords and
// answers. One MatchIndex holds exactly the entries a viewer may see: the robot builds a public index
// (staff entries never enter it, not even its IDF statistics) and a full index for agents.
import { ancestorIds } from '../../../common/categories';
import type { Analysis, Analyzer } from './tokenize';
import type { KbCategory, KbEntry } from './types';
import { normalizeText } from '../text/normalize-text';

const T_WORD = 0; // segmented word or synonym concept
const T_BIGRAM = 1;

/** Coarse question intent: what kind of answer is wanted. Bit flags. */
const INTENTS: RegExp[] = [
  /多少|几个|几天|几年|几倍|几月|几级|标准|额度|比例|金额|多高|最高|最多|最低|上限|下限|怎么算|如何计算|计算|算法|百分之|能拿|能领|能贷|能补/, // amount
  /怎么办理|如何办理|怎么申请|如何申请|怎么办|流程|步骤|手续|怎么弄|怎么操作|怎样办|去哪|哪里|在哪|哪个部门|找谁|网上|手机上|渠道|怎么领|如何领|怎么报名|咋办|咋弄/, // procedure / where
  /条件|能不能|可不可以|可以吗|能吗|是否|算不算|算吗|合法吗|有没有|行不行|资格|符合|要求|门槛|哪些人|什么人|谁能|还能|能否/, // eligibility / yes-no
  /材料|证件|证明|带什么|带哪些|准备什么|需要什么|资料|东西/, // documents
  /什么时候|多久|多长时间|期限|时限|时间|几号|哪天|何时|截止|时效|来得及|多少天/, // time
  /不服|异议|争议|投诉|举报|维权|仲裁|起诉|复议|不给|拖欠|违法/, // dispute
  /查询|查看|查到|查一下|怎么查|打印|进度|记录|真伪|真假/, // lookup
];
export function intentBits(text: string): number {
  let b = 0;
  for (let i = 0; i < INTENTS.length; i++) if (INTENTS[i].test(text)) b |= 1 << i;
  return b;
}
function popcount(x: number): number {
  let c = 0;
  while (x) {
    x &= x - 1;
    c++;
  }
  return c;
}

export const FEATURE_NAMES = [
  'bestCosW', // best cosine (words+concepts) with any question/similar/keyword doc
  'bestCosB', // best cosine (char bigrams)
  'stdCos', // combined cosine with the standard question
  'covW', // share of query word IDF mass present anywhere in the entry (questions+keywords)
  'covB', // same, char bigrams
  'kwScore', // entry keywords literally present in the query (chars / query length)
  'ansCov', // share of query word IDF mass present in the answer text
  'conceptCov', // share of query synonym concepts present in the entry
  'catCov', // share of query word IDF mass present in the category names
  'docCov', // share of the best doc's IDF mass covered by the query
  'support', // mean of the two best doc scores (several phrasings agree)
  'intent', // overlap of question intent (amount / procedure / eligibility / documents / time / dispute / lookup) with the best-matching doc
  'ansB', // share of query bigram IDF mass present in the answer text
  'centW', // query word mass weighted by how many of the entry's phrasings contain the word (centrality)
  'centB', // same for char bigrams
  'bm25Q', // BM25F of the query against the entry's fields (standard question, similar questions, keywords), scaled by the query's mass
  'bm25A', // BM25 of the query against the answer text (length-normalised), scaled by the query's mass
  'intentCov', // share of the query's intents found among all the entry's phrasings
  'focusCov', // share of the question clause's word mass covered by the entry (long stories)
  'predCov', // share of the words next to the question form (…怎么补办, 能继承吗, 门槛有哪些) found in the entry's questions
  'predCent', // same, weighted by centrality in the entry's phrasings
  'coreCov', // share of the entry's core (words in most of its phrasings, weighted by idf × centrality) found in the query
  'anyCov', // share of the query's content-word mass (question forms excluded, unknown words included) found anywhere in the entry, answer included
  'missMax', // the most specific query word found neither in the entry's questions/keywords nor in its answer (idf / max idf)
] as const;
export const NUM_FEATURES = FEATURE_NAMES.length;
/** feature name → position */
const F = Object.fromEntries(FEATURE_NAMES.map((n, i) => [n, i])) as Record<(typeof FEATURE_NAMES)[number], number>;

export interface QueryVec {
  ids: Int32Array;
  weights: Float64Array; // idf × focus
  types: Uint8Array;
  /** 1 when the token occurs in the question clause of a long story (else 0); all 1 for short queries */
  focus: Uint8Array;
  /** 1 for question-form tokens (多少, 怎么, 能不能 …): not matched against answers */
  ask: Uint8Array;
  /** 1 for content tokens right next to a question form: what is asked about (补办 in 怎么补办) */
  pred: Uint8Array;
  predSum: number;
  normW: number;
  normB: number;
  sumW: number;
  sumB: number;
  focusSumW: number;
  conceptIds: number[];
  /** share of the query's word tokens unknown to this index (0..1) */
  unknownFrac: number;
  /** number of known query word tokens */
  knownWords: number;
  /** highest weight of a query word unknown to the index (0 if none), relative to the maximum idf */
  unknownMax: number;
  /** content-word mass (question forms excluded) incl. unknown words */
  contentSumW: number;
  /** maximum possible idf in this index (a word seen nowhere) */
  maxIdf: number;
  compact: string;
  hanLength: number;
  intent: number;
}

export interface RawCandidate {
  entry: number;
  prelim: number;
  features: Float64Array;
  bestDoc: number;
}

export interface SearchOptions {
  limit?: number;
  /** leave-one-out: ignore this doc */
  excludeDoc?: number;
  /** leave-entry-out: ignore this entry entirely */
  excludeEntry?: number;
}

/** Characters of question forms (多少, 最多能, 哪里, 可不可以 …): such tokens ask, they are no answer evidence. */
const ASK_CHARS = new Set('多少几哪怎么样如何什谁吗呢能否可以要不有没是还最啥咋呀吧些个会该应需得'.split(''));
export function isAskToken(t: string): boolean {
  for (const ch of t) if (!ASK_CHARS.has(ch)) return false;
  return t.length > 0;
}

/** centrality from which a word belongs to an entry's core */
const CORE = 0.5;
/** at most this many query tokens (most specific first) are looked up to choose candidates */
const MAX_SCANNED_TOKENS = 40;
/** share of the candidates chosen by phrasing cosine (the rest by entry-level BM25F) */
const COS_SHARE = 0.67;
/**
 * Candidates ranked per question. 64, not 24: at 20 000 entries, 13 % of the tuning split's right entries
 * were not among 24 candidates (2 % among 64), while feature extraction stays well under 10 ms at p99.
 * Training keeps 24 per question (its hard negatives are among the first few anyway).
 */
export const QUERY_CANDIDATES = 64;
const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** weight of tokens outside the question clause of a long story */
export const NARRATIVE_WEIGHT = 0.6;

/** One entry's own (KB-independent) index data, cached across builds. */
interface StoredEntry {
  docs: { text: string; kind: number; ids: Int32Array; intent: number }[];
  union: Int32Array;
  cent: Float32Array;
  tf: Uint8Array;
  intent: number;
  answer: StoredDoc;
  keywords: string[];
  /** its cached texts (questions, keyword list, answer) */
  stored: StoredDoc[];
  build: number;
}

/** Token ids of one text, cached across builds. */
interface StoredDoc {
  /** distinct token ids (words, concepts, bigrams) */
  ids: Int32Array;
  /** answers only: term frequency per id (bigrams count half) and total length */
  tf?: Float32Array;
  len?: number;
  intent: number;
  build: number;
}

/**
 * The token dictionary and the token ids of every KB text, shared by the public and the full index and
 * kept across rebuilds: a rebuild after a KB change analyses only new or changed texts. A cached text is
 * analysed again when a word it contains was added to the segmenter since, or when the synonym groups
 * change. Token ids carry no statistics: an index only knows a token through its own entries.
 */
export class DocStore {
  private tokenIds = new Map<string, number>();
  private types: number[] = [];
  private docs = new Map<string, StoredDoc>();
  private synKey = '';
  private build = 0;
  private words: ReadonlySet<string> | null = null;
  /** segmenter words added or removed since the previous build */
  private changed: string[] = [];
  hits = 0;
  misses = 0;

  /**
   * Starts a build with the given synonym groups and segmenter words. A change of synonym groups starts
   * from scratch; texts containing a segmenter word that was added or removed since the last build are
   * analysed again.
   */
  begin(synonyms: unknown, segmenterWords: ReadonlySet<string>): void {
    const key = JSON.stringify(synonyms);
    if (key !== this.synKey) {
      this.docs.clear();
      this.entryCache.clear();
      this.tokenIds.clear();
      this.types = [];
      this.changed = [];
    } else {
      const prev = this.words ?? new Set<string>();
      this.changed = [...segmenterWords].filter((w) => !prev.has(w)).concat([...prev].filter((w) => !segmenterWords.has(w)));
    }
    this.words = segmenterWords;
    this.synKey = key;
    this.build++;
    this.hits = 0;
    this.misses = 0;
  }

  /** Drops texts (and entries) the last build did not use. */
  end(): void {
    for (const [k, v] of this.docs) if (v.build !== this.build) this.docs.delete(k);
    for (const [k, v] of this.entryCache) if (v.build !== this.build) this.entryCache.delete(k);
  }

  get size(): number {
    return this.docs.size;
  }
  get tokenCount(): number {
    return this.types.length;
  }
  typeOf(id: number): number {
    return this.types[id];
  }
  idOf(key: string): number | undefined {
    return this.tokenIds.get(key);
  }

  private tokenOf(key: string, type: number): number {
    let id = this.tokenIds.get(key);
    if (id === undefined) {
      id = this.types.length;
      this.tokenIds.set(key, id);
      this.types.push(type);
    }
    return id;
  }

  /** Still valid if no segmenter word that changed since its last use occurs in the text. */
  private valid(v: { build: number }, text: string): boolean {
    if (v.build === this.build) return true;
    for (const w of this.changed) if (text.includes(w)) return false;
    v.build = this.build;
    return true;
  }

  private cached(key: string, text: string): StoredDoc | undefined {
    const v = this.docs.get(key);
    if (!v || !this.valid(v, text)) return undefined;
    this.hits++;
    return v;
  }

  private entryCache = new Map<string, StoredEntry>();

  /**
   * Everything about one entry that does not depend on the other entries: its phrasings' token ids,
   * its question bag (union, centrality, per-field counts), intents, answer and normalised keywords.
   * Kept while the segmenter dictionary is unchanged and the entry's texts are the same.
   */
  entry(analyzer: Analyzer, e: KbEntry): StoredEntry {
    const key = [e.question, ...e.similar, '\u0002', ...e.keywords, '\u0002', e.answer].join('\u0001');
    const hit = this.entryCache.get(key);
    if (hit && this.valid(hit, key)) {
      // keep the texts alive too: they are needed again if the dictionary changes later
      for (const sd of hit.stored) sd.build = this.build;
      this.hits += hit.stored.length;
      return hit;
    }
    const texts: [string, number][] = [[e.question, 0], ...e.similar.map((q) => [q, 1] as [string, number])];
    if (e.keywords.length) texts.push([e.keywords.join(' '), 2]);
    const docs = texts.map(([t, kind]) => ({ text: t, kind, sd: this.question(analyzer, t) }));
    const bag = entryBag(docs.map((d) => ({ ids: d.sd.ids, kind: d.kind })));
    let intent = 0;
    for (const d of docs) if (d.kind !== 2) intent |= d.sd.intent;
    const v: StoredEntry = {
      docs: docs.map((d) => ({ text: d.text, kind: d.kind, ids: d.sd.ids, intent: d.kind === 2 ? 0 : d.sd.intent })),
      union: bag.union,
      cent: bag.cent,
      tf: bag.tf,
      intent,
      answer: this.answer(analyzer, e.answer),
      keywords: e.keywords.map((k) => normalizeText(k).compact).filter((k) => k.length >= 2),
      stored: [...docs.map((d) => d.sd), this.answer(analyzer, e.answer)],
      build: this.build,
    };
    this.entryCache.set(key, v);
    return v;
  }

  /** Token ids of a text's words and synonym concepts. */
  private wordIds(a: Analysis): Set<number> {
    const ids = new Set<number>();
    for (const w of a.words) ids.add(this.tokenOf('w:' + w, T_WORD));
    for (const c of a.concepts) ids.add(this.tokenOf('c:' + c, T_WORD));
    return ids;
  }

  /** A question, similar question or keyword list: words, concepts and bigrams. */
  question(analyzer: Analyzer, text: string): StoredDoc {
    let v = this.cached('q' + text, text);
    if (!v) {
      this.misses++;
      const a = analyzer.analyze(text, { correct: false });
      const ids = this.wordIds(a);
      for (const b of a.bigrams) ids.add(this.tokenOf('b:' + b, T_BIGRAM));
      v = { ids: Int32Array.from(ids), intent: intentBits(a.corrected.replace(/ /g, '')), build: this.build };
      this.docs.set('q' + text, v);
    }
    return v;
  }

  /** Category names: words and concepts only (sorted ids). */
  plain(analyzer: Analyzer, text: string): StoredDoc {
    let v = this.cached('p' + text, text);
    if (!v) {
      this.misses++;
      v = { ids: Int32Array.from(this.wordIds(analyzer.analyze(text, { correct: false }))).sort(), intent: 0, build: this.build };
      this.docs.set('p' + text, v);
    }
    return v;
  }

  /** An answer: words, concepts and bigrams with term frequencies (sorted ids). */
  answer(analyzer: Analyzer, text: string): StoredDoc {
    let v = this.cached('a' + text, text);
    if (!v) {
      this.misses++;
      const a = analyzer.analyze(stripMarkdown(text), { correct: false });
      const compact = a.corrected.replace(/ /g, '');
      const tf = new Map<number, number>();
      let len = 0;
      const add = (id: number, n: number) => {
        tf.set(id, (tf.get(id) ?? 0) + n);
        len += n;
      };
      for (const w of a.words) add(this.tokenOf('w:' + w, T_WORD), Math.max(1, countOf(compact, w)));
      for (const c of a.concepts) add(this.tokenOf('c:' + c, T_WORD), 1);
      for (const run of compact.match(HAN_RUN) ?? []) for (let i = 0; i + 2 <= run.length; i++) add(this.tokenOf('b:' + run.slice(i, i + 2), T_BIGRAM), 0.5);
      const ids = Int32Array.from(tf.keys()).sort();
      const f = new Float32Array(ids.length);
      for (let i = 0; i < ids.length; i++) f[i] = tf.get(ids[i])!;
      v = { ids, tf: f, len, intent: 0, build: this.build };
      this.docs.set('a' + text, v);
    }
    return v;
  }
}
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;

export class MatchIndex {
  readonly entries: KbEntry[];
  readonly byId = new Map<string, number>();
  /** token ids are shared with the other index and later builds; statistics are this index's own */
  private store: DocStore;
  /** number of token ids this index was built with (later ids are unknown to it) */
  private T = 0;
  private idf!: Float64Array;
  private idfA!: Float64Array;
  private ttype!: Uint8Array;
  /** 1 for tokens occurring in this index's questions, keywords, answers or category names */
  private known!: Uint8Array;
  private postings: Int32Array[] = [];
  // docs
  readonly docEntry: number[] = [];
  readonly docKind: number[] = []; // 0 standard, 1 similar, 2 keywords
  readonly docText: string[] = [];
  private docTok: Int32Array[] = [];
  private docNormW!: Float64Array;
  private docNormB!: Float64Array;
  private docSumW!: Float64Array;
  private docSumB!: Float64Array;
  private docIntent: number[] = [];
  readonly entryDocs: number[][] = [];
  // entries (sorted token arrays, merge-joined with the sorted query)
  private entryUnion: Int32Array[] = [];
  private entryCent: Float32Array[] = [];
  /** Σ idf × centrality over the entry's word tokens with centrality ≥ CORE (its core) */
  private entryCore!: Float64Array;
  private entryAns: Int32Array[] = [];
  private entryAnsImpact: Float32Array[] = [];
  private entryCat: Int32Array[] = [];
  private entryIntent: number[] = [];
  private entryKw: string[][] = [];
  // scratch buffers
  private accW!: Float64Array;
  private accB!: Float64Array;
  private mark!: Uint8Array;
  private eBest!: Float64Array;
  private eSecond!: Float64Array;
  private eDoc!: Int32Array;
  /** entry-level BM25F postings (CSR): token → entries with the token's impact there (idf excluded) */
  private fStart!: Int32Array;
  private fEntry!: Int32Array;
  private fImpact!: Float32Array;
  private eF!: Float64Array;
  private fLen!: Float64Array[];
  private fAvg!: number[];

  private hitBuf = new Uint8Array(64);
  private tfScratch = new Float64Array(192);
  /** query position + 1 of each token id (0 = not in the query); set during search/features */
  private qpos!: Int32Array;
  /** postings longer than this are only scanned for the query's most specific tokens */
  maxScan = 3000;

  constructor(
    entries: KbEntry[],
    categories: KbCategory[],
    readonly analyzer: Analyzer,
    /** shared between the public and the full index and across builds */
    store: DocStore = new DocStore(),
  ) {
    this.store = store;
    this.entries = entries;
    const catById = new Map(categories.map((c) => [c.id, c]));
    const ansRaw: StoredDoc[] = [];
    const fieldTf: Uint8Array[] = [];
    let ansLenSum = 0;
    const catCache = new Map<string, Int32Array>();
    for (let ei = 0; ei < entries.length; ei++) {
      const e = entries[ei];
      this.byId.set(e.id, ei);
      const se = store.entry(analyzer, e);
      const docs: number[] = [];
      for (const sd of se.docs) {
        const d = this.docEntry.length;
        this.docEntry.push(ei);
        this.docKind.push(sd.kind);
        this.docText.push(sd.text);
        this.docIntent.push(sd.intent);
        this.docTok.push(sd.ids);
        docs.push(d);
      }
      this.entryDocs.push(docs);
      this.entryIntent.push(se.intent);
      this.entryUnion.push(se.union);
      this.entryCent.push(se.cent);
      fieldTf.push(se.tf);
      // answer: words, concepts and bigrams with term frequency (BM25)
      ansRaw.push(se.answer);
      ansLenSum += se.answer.len!;
      let cat = catCache.get(e.category);
      if (!cat) {
        const catNames = ancestorIds(e.category, (id) => catById.get(id)?.parent).flatMap((id) => catById.get(id)?.name ?? []);
        cat = store.plain(analyzer, catNames.join(' ')).ids;
        catCache.set(e.category, cat);
      }
      this.entryCat.push(cat);
      this.entryKw.push(se.keywords);
    }
    const N = entries.length;
    const T = (this.T = store.tokenCount);
    const dfCount = new Int32Array(T);
    const dfAns = new Int32Array(T);
    for (const u of this.entryUnion) for (let k = 0; k < u.length; k++) dfCount[u[k]]++;
    for (const a of ansRaw) for (let k = 0; k < a.ids.length; k++) dfAns[a.ids[k]]++;
    this.ttype = new Uint8Array(T);
    this.known = new Uint8Array(T);
    for (let id = 0; id < T; id++) {
      this.ttype[id] = store.typeOf(id);
      if (dfCount[id] || dfAns[id]) this.known[id] = 1;
    }
    for (const c of catCache.values()) for (const id of c) this.known[id] = 1;
    this.idf = new Float64Array(T);
    this.idfA = new Float64Array(T);
    for (let id = 0; id < T; id++) {
      this.idf[id] = Math.log(1 + (N + 1) / (dfCount[id] + 0.5));
      const da = dfAns[id];
      this.idfA[id] = Math.log(1 + (N - da + 0.5) / (da + 0.5));
    }
    // answers: precomputed BM25 impact per (entry, token) without idf
    const avgLen = N ? ansLenSum / N : 1;
    for (const a of ansRaw) {
      const tf = a.tf!;
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * a.len!) / (avgLen || 1));
      const imp = new Float32Array(tf.length);
      for (let i = 0; i < tf.length; i++) imp[i] = (tf[i] * (BM25_K1 + 1)) / (tf[i] + norm);
      this.entryAns.push(a.ids);
      this.entryAnsImpact.push(imp);
    }
    this.entryCore = new Float64Array(N);
    this.entryUnion.forEach((u, e) => {
      let core = 0;
      const c = this.entryCent[e];
      for (let k = 0; k < u.length; k++) {
        const id = u[k];
        if (c[k] >= CORE && this.ttype[id] === T_WORD) core += this.idf[id] * c[k];
      }
      this.entryCore[e] = core;
    });
    const D = this.docEntry.length;
    this.docNormW = new Float64Array(D);
    this.docNormB = new Float64Array(D);
    this.docSumW = new Float64Array(D);
    this.docSumB = new Float64Array(D);
    this.docTok.forEach((toks, d) => {
      let nw = 0;
      let nb = 0;
      let sw = 0;
      let sb = 0;
      for (const id of toks) {
        const w = this.idf[id];
        if (this.ttype[id] === T_BIGRAM) {
          nb += w * w;
          sb += w;
        } else {
          nw += w * w;
          sw += w;
        }
      }
      this.docNormW[d] = Math.sqrt(nw);
      this.docNormB[d] = Math.sqrt(nb);
      this.docSumW[d] = sw;
      this.docSumB[d] = sb;
    });
    // doc postings (token → docs), built as one array and viewed per token
    const pStart = new Int32Array(T + 1);
    for (const toks of this.docTok) for (let k = 0; k < toks.length; k++) pStart[toks[k] + 1]++;
    for (let id = 0; id < T; id++) pStart[id + 1] += pStart[id];
    const pDocs = new Int32Array(pStart[T]);
    const pFill = pStart.slice(0, T);
    this.docTok.forEach((toks, d) => {
      for (let k = 0; k < toks.length; k++) pDocs[pFill[toks[k]]++] = d;
    });
    this.postings = new Array(T);
    for (let id = 0; id < T; id++) this.postings[id] = pStart[id + 1] > pStart[id] ? pDocs.subarray(pStart[id], pStart[id + 1]) : EMPTY;

    this.buildFieldPostings(T, fieldTf);
    this.eF = new Float64Array(N);
    this.eBest = new Float64Array(N);
    this.eSecond = new Float64Array(N);
    this.eDoc = new Int32Array(N).fill(-1);
    this.accW = new Float64Array(D);
    this.accB = new Float64Array(D);
    this.mark = new Uint8Array(D);
    this.qpos = new Int32Array(T);
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * BM25F over three fields per entry: the standard question, the similar questions (term frequency =
   * number of similar questions containing the token) and the keywords; per-field length normalisation.
   */
  private buildFieldPostings(T: number, fieldTf: Uint8Array[]): void {
    const N = this.entries.length;
    const lenQ = new Float64Array(N);
    const lenS = new Float64Array(N);
    const lenK = new Float64Array(N);
    for (let e = 0; e < N; e++) {
      for (const d of this.entryDocs[e]) {
        const k = this.docKind[d];
        const n = this.docTok[d].length;
        if (k === 0) lenQ[e] += n;
        else if (k === 1) lenS[e] += n;
        else lenK[e] += n;
      }
    }
    const avg = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / (N || 1) || 1;
    const aQ = avg(lenQ);
    const aS = avg(lenS);
    const aK = avg(lenK);
    this.fLen = [lenQ, lenS, lenK];
    this.fAvg = [aQ, aS, aK];
    const start = new Int32Array(T + 1);
    for (const u of this.entryUnion) for (let k = 0; k < u.length; k++) start[u[k] + 1]++;
    for (let id = 0; id < T; id++) start[id + 1] += start[id];
    const fill = start.slice(0, T);
    this.fEntry = new Int32Array(start[T]);
    this.fImpact = new Float32Array(start[T]);
    const part = (tf: number, len: number, avgLen: number) => (tf ? (tf * (BM25_K1 + 1)) / (tf + BM25_K1 * (1 - BM25_B + (BM25_B * len) / avgLen)) : 0);
    for (let e = 0; e < N; e++) {
      const u = this.entryUnion[e];
      const tf = fieldTf[e];
      for (let k = 0; k < u.length; k++) {
        const id = u[k];
        const at = fill[id]++;
        this.fEntry[at] = e;
        this.fImpact[at] = part(tf[k * 3], lenQ[e], aQ) + part(tf[k * 3 + 1], lenS[e], aS) + 0.7 * part(tf[k * 3 + 2], lenK[e], aK);
      }
    }
    this.fStart = start;
  }

  /** Turns an analysed query into a weighted vector over this index's vocabulary. */
  queryVector(a: Analysis, exclude: { doc?: number; entry?: number } = {}): QueryVec {
    const ids: number[] = [];
    const wts: number[] = [];
    const foc: number[] = [];
    const ask: number[] = [];
    const pred: number[] = [];
    let predSum = 0;
    const compactQ = a.corrected.replace(/ /g, '');
    const near = predicateWindow(a.focus ?? compactQ);
    let normW = 0;
    let normB = 0;
    let sumW = 0;
    let sumB = 0;
    let focusSumW = 0;
    let unknown = 0;
    let known = 0;
    let unknownMax = 0;
    let contentSumW = 0;
    const conceptIds: number[] = [];
    const seen = new Set<number>();
    const N = this.entries.length;
    const unknownIdf = Math.log(1 + (N + 1) / 0.5);
    const focusText = a.focus;
    const inFocus = (s: string) => !focusText || focusText.includes(s);
    const handle = (key: string, surface: string, type: number) => {
      let id = this.store.idOf(key);
      if (id !== undefined && (id >= this.T || !this.known[id])) id = undefined; // not in this index (or added later)
      if (id !== undefined && (exclude.doc !== undefined || exclude.entry !== undefined)) {
        const post = this.postings[id];
        if (post.length && post.length <= 64 && Array.prototype.every.call(post, (d: number) => d === exclude.doc || this.docEntry[d] === exclude.entry)) id = undefined;
      }
      const f = inFocus(surface) ? 1 : 0;
      const m = f ? 1 : NARRATIVE_WEIGHT;
      if (id === undefined || this.postings[id].length === 0) {
        if (type === T_WORD) {
          unknown++;
          if (!isAskToken(surface)) {
            if (m > unknownMax) unknownMax = m;
            contentSumW += unknownIdf * m;
          }
          // unknown words still dilute coverage
          sumW += unknownIdf * m;
          normW += unknownIdf * unknownIdf * m * m;
          if (f) focusSumW += unknownIdf;
        } else {
          sumB += unknownIdf * 0.5 * m;
          normB += unknownIdf * unknownIdf * 0.25 * m * m;
        }
        if (id === undefined) return;
      }
      if (seen.has(id)) return;
      seen.add(id);
      const w = this.idf[id] * m;
      ids.push(id);
      wts.push(w);
      foc.push(f);
      const isAsk = isAskToken(surface);
      ask.push(isAsk ? 1 : 0);
      const pr = !isAsk && near(surface) ? 1 : 0;
      pred.push(pr);
      if (pr && this.postings[id].length) predSum += w;
      if (this.postings[id].length === 0) return; // answer-only token: already counted as unknown
      if (type === T_WORD) {
        if (!isAsk) contentSumW += w;
        known++;
        normW += w * w;
        sumW += w;
        if (f) focusSumW += this.idf[id];
        if (key.startsWith('c:')) conceptIds.push(id);
      } else {
        normB += w * w;
        sumB += w;
      }
    };
    for (const w of a.words) handle('w:' + w, w, T_WORD);
    for (const c of a.concepts) handle('c:' + c, c, T_WORD);
    for (const b of a.bigrams) handle('b:' + b, b, T_BIGRAM);
    const types = new Uint8Array(ids.length);
    for (const [i, id] of ids.entries()) types[i] = this.ttype[id];
    const totalWords = a.words.length + a.concepts.length;
    const compact = a.corrected.replace(/ /g, '');
    return {
      ids: Int32Array.from(ids),
      weights: Float64Array.from(wts),
      types,
      focus: Uint8Array.from(foc),
      ask: Uint8Array.from(ask),
      pred: Uint8Array.from(pred),
      predSum,
      normW: Math.sqrt(normW),
      normB: Math.sqrt(normB),
      sumW,
      sumB,
      focusSumW,
      conceptIds,
      unknownFrac: totalWords ? unknown / totalWords : 1,
      knownWords: known,
      unknownMax,
      contentSumW,
      maxIdf: unknownIdf,
      compact,
      hanLength: a.hanLength,
      intent: intentBits(a.focus ?? compact),
    };
  }

  /** Retrieval + features for the best `limit` entries. */
  search(q: QueryVec, opts: SearchOptions = {}): RawCandidate[] {
    const limit = opts.limit ?? QUERY_CANDIDATES;
    const { accW, accB, mark, eBest, eSecond, eDoc } = this;
    const touched: number[] = [];
    const exD = opts.excludeDoc ?? -1;
    const exE = opts.excludeEntry ?? -1;
    // most specific tokens first; very common tokens (long postings) are skipped once two more specific
    // ones were scanned: they add little to the choice of candidates, whose features are then exact
    const order = Array.from(q.ids.keys()).sort((a, b) => q.weights[b] - q.weights[a]);
    let scanned = 0;
    for (const i of order) {
      const id = q.ids[i];
      const post = this.postings[id];
      if (!post.length) continue;
      if (post.length > this.maxScan && scanned >= 2) continue;
      if (scanned >= MAX_SCANNED_TOKENS) break; // long stories: the least specific tokens only refine features
      scanned++;
      const w2 = q.weights[i] * this.idf[id];
      const acc = q.types[i] === T_BIGRAM ? accB : accW;
      for (let j = 0; j < post.length; j++) {
        const d = post[j];
        if (!mark[d]) {
          mark[d] = 1;
          touched.push(d);
        }
        acc[d] += w2;
      }
    }
    // doc scores → best per entry
    const touchedE: number[] = [];
    const docNormW = this.docNormW;
    const docNormB = this.docNormB;
    for (const d of touched) {
      const e = this.docEntry[d];
      const cw = q.normW && docNormW[d] ? accW[d] / (q.normW * docNormW[d]) : 0;
      const cb = q.normB && docNormB[d] ? accB[d] / (q.normB * docNormB[d]) : 0;
      accW[d] = 0;
      accB[d] = 0;
      mark[d] = 0;
      if (d === exD || e === exE) continue;
      const s = 0.55 * cw + 0.45 * cb;
      if (eDoc[e] < 0) {
        touchedE.push(e);
        eBest[e] = s;
        eSecond[e] = 0;
        eDoc[e] = d;
      } else if (s > eBest[e]) {
        eSecond[e] = eBest[e];
        eBest[e] = s;
        eDoc[e] = d;
      } else if (s > eSecond[e]) eSecond[e] = s;
    }
    // candidates: the best entries by phrasing cosine, completed with the best by entry-level BM25F
    const byCos = Math.ceil(limit * COS_SHARE);
    const prelimOf = (e: number) => eBest[e] + 0.15 * eSecond[e];
    const top = topK(touchedE, prelimOf, byCos).map((e) => ({ e, prelim: prelimOf(e), d: eDoc[e] }));
    if (touchedE.length > byCos) {
      const eF = this.eF;
      const used: number[] = [];
      let scannedF = 0;
      for (const i of order) {
        const id = q.ids[i];
        const from = this.fStart[id];
        const to = this.fStart[id + 1];
        if (to === from) continue;
        if (to - from > this.maxScan && scannedF >= 2) continue;
        if (scannedF >= MAX_SCANNED_TOKENS) break;
        scannedF++;
        used.push(id);
        const w = q.weights[i] * this.idf[id] * (q.types[i] === T_BIGRAM ? 0.5 : 1);
        for (let k = from; k < to; k++) eF[this.fEntry[k]] += w * this.fImpact[k];
      }
      const inTop = new Set(top.map((p) => p.e));
      for (const e of topK(touchedE, (x) => (inTop.has(x) || x === exE ? -1 : eF[x]), limit - byCos)) if (eF[e] > 0 && !inTop.has(e)) top.push({ e, prelim: prelimOf(e), d: eDoc[e] });
      for (const id of used) for (let k = this.fStart[id]; k < this.fStart[id + 1]; k++) eF[this.fEntry[k]] = 0;
    }
    for (const e of touchedE) eDoc[e] = -1;
    const sorted = this.setQuery(q);
    try {
      return top.map((p) => ({ entry: p.e, prelim: p.prelim, bestDoc: p.d, features: this.featuresWith(q, p.e, exD, sorted) }));
    } finally {
      this.clearQuery(q);
    }
  }

  /** Feature vector for one (query, entry) pair. */
  features(q: QueryVec, e: number, excludeDoc = -1): Float64Array {
    const sorted = this.setQuery(q);
    try {
      return this.featuresWith(q, e, excludeDoc, sorted);
    } finally {
      this.clearQuery(q);
    }
  }

  /** Marks the query tokens in `qpos`; returns query positions ordered by token id (for merge joins). */
  private setQuery(q: QueryVec): Int32Array {
    for (let i = 0; i < q.ids.length; i++) this.qpos[q.ids[i]] = i + 1;
    return Int32Array.from(q.ids.keys()).sort((a, b) => q.ids[a] - q.ids[b]);
  }
  private clearQuery(q: QueryVec): void {
    for (let i = 0; i < q.ids.length; i++) this.qpos[q.ids[i]] = 0;
  }

  /** The entry's question bag without one of its docs (leave-one-out training). */
  private bagWithout(e: number, excludeDoc: number): { union: Int32Array; cent: Float32Array; intent: number } {
    const docs = this.entryDocs[e].filter((d) => d !== excludeDoc);
    const b = entryBag(docs.map((d) => ({ ids: this.docTok[d], kind: this.docKind[d] })));
    let intent = 0;
    for (const d of docs) intent |= this.docIntent[d];
    return { ...b, intent };
  }

  private featuresWith(q: QueryVec, e: number, excludeDoc: number, sorted: Int32Array): Float64Array {
    const f = new Float64Array(NUM_FEATURES);
    const qpos = this.qpos;
    let best = -1;
    let bestW = 0;
    let bestB = 0;
    let second = 0;
    let bestDocCov = 0;
    let std = 0;
    let bestIntent = 0;
    for (const d of this.entryDocs[e]) {
      if (d === excludeDoc) continue;
      let dw = 0;
      let db = 0;
      let mW = 0;
      let mB = 0;
      const toks = this.docTok[d];
      for (let k = 0; k < toks.length; k++) {
        const id = toks[k];
        const p = qpos[id];
        if (!p) continue;
        const w = q.weights[p - 1];
        const wd = this.idf[id];
        if (q.types[p - 1] === T_BIGRAM) {
          db += w * wd;
          mB += wd;
        } else {
          dw += w * wd;
          mW += wd;
        }
      }
      const cw = q.normW && this.docNormW[d] ? dw / (q.normW * this.docNormW[d]) : 0;
      const cb = q.normB && this.docNormB[d] ? db / (q.normB * this.docNormB[d]) : 0;
      const s = 0.55 * cw + 0.45 * cb;
      if (this.docKind[d] === 0) std = s;
      if (s > best) {
        second = Math.max(second, best);
        best = s;
        const dsum = this.docSumW[d] + this.docSumB[d];
        bestDocCov = dsum ? (mW + mB) / dsum : 0;
      } else if (s > second) second = s;
      if (this.docKind[d] !== 2 && q.intent) {
        const di = this.docIntent[d];
        const inter = popcount(di & q.intent);
        const uni = popcount(di | q.intent);
        const v = uni ? inter / uni : 0;
        if (v * s > bestIntent) bestIntent = v * s;
      }
      if (cw > bestW) bestW = cw;
      if (cb > bestB) bestB = cb;
    }
    // merge joins of the id-sorted query with the entry's sorted token arrays
    const bag = excludeDoc >= 0 && this.docEntry[excludeDoc] === e ? this.bagWithout(e, excludeDoc) : null;
    let covW = 0;
    let covB = 0;
    let centW = 0;
    let centB = 0;
    let conc = 0;
    let focusCov = 0;
    let predCov = 0;
    let predCent = 0;
    let coreHit = 0;
    const hit = this.hitBuf.length >= q.ids.length ? this.hitBuf : (this.hitBuf = new Uint8Array(q.ids.length * 2));
    hit.fill(0, 0, q.ids.length);
    {
      const u = bag ? bag.union : this.entryUnion[e];
      const c = bag ? bag.cent : this.entryCent[e];
      let j = 0;
      for (let k = 0; k < sorted.length; k++) {
        const i = sorted[k];
        const id = q.ids[i];
        while (j < u.length && u[j] < id) j++;
        if (j >= u.length) break;
        if (u[j] !== id) continue;
        const w = q.weights[i];
        hit[i] = 1;
        if (q.types[i] === T_BIGRAM) {
          covB += w;
          centB += w * c[j];
        } else {
          covW += w;
          centW += w * c[j];
          if (q.focus[i]) focusCov += this.idf[id];
          if (c[j] >= CORE) coreHit += this.idf[id] * c[j];
        }
        if (q.pred[i]) {
          predCov += w;
          predCent += w * c[j];
        }
      }
      for (const cid of q.conceptIds) if (bsearch(u, cid) >= 0) conc++;
    }
    let ans = 0;
    let ansB = 0;
    let bm25 = 0;
    let bm25Max = 0;
    {
      const a = this.entryAns[e];
      const imp = this.entryAnsImpact[e];
      let j = 0;
      for (let k = 0; k < sorted.length; k++) {
        const i = sorted[k];
        if (q.ask[i]) continue;
        const id = q.ids[i];
        const w = q.weights[i] / (this.idf[id] || 1); // focus multiplier
        const isB = q.types[i] === T_BIGRAM;
        bm25Max += w * this.idfA[id] * (BM25_K1 + 1) * (isB ? 0.5 : 1);
        while (j < a.length && a[j] < id) j++;
        if (j >= a.length || a[j] !== id) continue;
        hit[i] = 1;
        bm25 += w * this.idfA[id] * imp[j] * (isB ? 0.5 : 1);
        if (isB) ansB += q.weights[i];
        else ans += q.weights[i];
      }
    }
    let cat = 0;
    {
      const cs = this.entryCat[e];
      for (let i = 0; i < q.ids.length; i++) if (q.types[i] !== T_BIGRAM && bsearch(cs, q.ids[i]) >= 0) cat += q.weights[i];
    }
    // BM25F over the entry's fields (exact, with a left-out doc removed)
    let bm25Q = 0;
    let bm25QMax = 0;
    {
      const tf = this.tfScratch.length >= q.ids.length * 3 ? this.tfScratch : (this.tfScratch = new Float64Array(q.ids.length * 6));
      tf.fill(0, 0, q.ids.length * 3);
      const len = [this.fLen[0][e], this.fLen[1][e], this.fLen[2][e]];
      for (const d of this.entryDocs[e]) {
        const kind = this.docKind[d];
        const toks = this.docTok[d];
        if (d === excludeDoc) {
          len[kind] -= toks.length;
          continue;
        }
        for (let k = 0; k < toks.length; k++) {
          const p = qpos[toks[k]];
          if (p) tf[(p - 1) * 3 + kind]++;
        }
      }
      for (let i = 0; i < q.ids.length; i++) {
        const w = q.weights[i] * this.idf[q.ids[i]] * (q.types[i] === T_BIGRAM ? 0.5 : 1);
        bm25QMax += w * (BM25_K1 + 1) * 2.7;
        let imp = 0;
        for (let f = 0; f < 3; f++) {
          const t = tf[i * 3 + f];
          if (t) imp += ((f === 2 ? 0.7 : 1) * (t * (BM25_K1 + 1))) / (t + BM25_K1 * (1 - BM25_B + (BM25_B * Math.max(len[f], 0)) / this.fAvg[f]));
        }
        bm25Q += w * imp;
      }
    }
    let kwChars = 0;
    for (const k of this.entryKw[e]) if (q.compact.includes(k)) kwChars += k.length;
    let missMax = q.unknownMax;
    let anyHit = 0;
    for (let i = 0; i < q.ids.length; i++) {
      if (q.ask[i] || q.types[i] === T_BIGRAM) continue;
      if (hit[i]) {
        anyHit += q.weights[i];
        continue;
      }
      const v = q.weights[i] / q.maxIdf;
      if (v > missMax) missMax = v;
    }
    const ei = bag ? bag.intent : this.entryIntent[e];
    f[F.bestCosW] = bestW;
    f[F.bestCosB] = bestB;
    f[F.stdCos] = std;
    f[F.covW] = q.sumW ? covW / q.sumW : 0;
    f[F.covB] = q.sumB ? covB / q.sumB : 0;
    f[F.kwScore] = Math.min(1, kwChars / Math.max(4, q.hanLength));
    f[F.ansCov] = q.sumW ? ans / q.sumW : 0;
    f[F.conceptCov] = q.conceptIds.length ? conc / q.conceptIds.length : 0;
    f[F.catCov] = q.sumW ? cat / q.sumW : 0;
    f[F.docCov] = bestDocCov;
    f[F.support] = (Math.max(best, 0) + second) / 2;
    f[F.intent] = bestIntent;
    f[F.ansB] = q.sumB ? ansB / q.sumB : 0;
    f[F.centW] = q.sumW ? centW / q.sumW : 0;
    f[F.centB] = q.sumB ? centB / q.sumB : 0;
    f[F.bm25Q] = bm25QMax ? bm25Q / bm25QMax : 0;
    f[F.bm25A] = bm25Max ? bm25 / bm25Max : 0;
    f[F.intentCov] = q.intent ? popcount(q.intent & ei) / popcount(q.intent) : 0;
    f[F.focusCov] = q.focusSumW ? focusCov / q.focusSumW : f[F.covW];
    f[F.predCov] = q.predSum ? predCov / q.predSum : 0;
    f[F.predCent] = q.predSum ? predCent / q.predSum : 0;
    const coreSum = bag ? bagCore(bag, this.idf, this.ttype) : this.entryCore[e];
    f[F.coreCov] = coreSum ? Math.min(1, coreHit / coreSum) : 0;
    f[F.anyCov] = q.contentSumW ? Math.min(1, anyHit / q.contentSumW) : 0;
    f[F.missMax] = missMax;
    return f;
  }
}

const EMPTY = new Int32Array(0);

/** The k items with the highest score, best first (bounded min-heap: O(n log k)). */
function topK(items: number[], score: (x: number) => number, k: number): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  const hs: number[] = [];
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j], heap[i]];
    [hs[i], hs[j]] = [hs[j], hs[i]];
  };
  for (const x of items) {
    const v = score(x);
    if (heap.length < k) {
      heap.push(x);
      hs.push(v);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (hs[p] <= hs[i]) break;
        swap(i, p);
        i = p;
      }
    } else if (v > hs[0]) {
      heap[0] = x;
      hs[0] = v;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && hs[l] < hs[m]) m = l;
        if (r < heap.length && hs[r] < hs[m]) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.map((x, i) => [x, hs[i]] as [number, number]).sort((a, b) => b[1] - a[1]).map(([x]) => x);
}

/** Question forms whose neighbouring words say what is asked. */
const ASK_FORMS = /怎么|怎样|如何|咋|能不能|可不可以|可以|能否|能吗|吗|呢|多少|几|哪|什么|啥|是否|有没有|要不要|算不算|还能|需要/g;
/** Returns a test: does a token's surface overlap the 4 characters on either side of a question form? */
function predicateWindow(text: string): (surface: string) => boolean {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(ASK_FORMS)) {
    const at = m.index ?? 0;
    spans.push([Math.max(0, at - 4), at], [at + m[0].length, at + m[0].length + 4]);
  }
  if (!spans.length) return () => false;
  return (surface: string) => {
    for (let at = text.indexOf(surface); at >= 0; at = text.indexOf(surface, at + 1)) {
      const end = at + surface.length;
      for (const [a, b] of spans) if (at < b && end > a) return true;
    }
    return false;
  };
}

/**
 * Union of an entry's question-side tokens with a centrality per token: the share of its phrasings
 * (standard question counts 1.5, keywords 1) that contain the token.
 */
function bagCore(bag: { union: Int32Array; cent: Float32Array }, idf: Float64Array, ttype: Uint8Array): number {
  let core = 0;
  for (let k = 0; k < bag.union.length; k++) if (bag.cent[k] >= CORE && ttype[bag.union[k]] === T_WORD) core += idf[bag.union[k]] * bag.cent[k];
  return core;
}

let bagBuf = new Float64Array(1024);
let bagTf = new Uint8Array(1024 * 3);
function entryBag(docs: { ids: Int32Array; kind: number }[]): { union: Int32Array; cent: Float32Array; tf: Uint8Array } {
  // counts in scratch arrays indexed by token id (grown on demand), touched ids listed once
  let maxId = 0;
  for (const d of docs) for (let k = 0; k < d.ids.length; k++) if (d.ids[k] > maxId) maxId = d.ids[k];
  if (bagBuf.length <= maxId) {
    bagBuf = new Float64Array(Math.max(maxId + 1, bagBuf.length * 2));
    bagTf = new Uint8Array(bagBuf.length * 3);
  }
  const count = bagBuf;
  const fieldCount = bagTf;
  const touched: number[] = [];
  let denom = 0.5;
  for (const d of docs) {
    const w = d.kind === 0 ? 1.5 : 1;
    denom += w;
    for (let k = 0; k < d.ids.length; k++) {
      const id = d.ids[k];
      if (count[id] === 0) touched.push(id);
      count[id] += w;
      const at = id * 3 + d.kind;
      if (fieldCount[at] < 255) fieldCount[at]++;
    }
  }
  const union = Int32Array.from(touched).sort();
  const cent = new Float32Array(union.length);
  const tf = new Uint8Array(union.length * 3);
  for (let i = 0; i < union.length; i++) {
    const id = union[i];
    cent[i] = Math.min(1, count[id] / denom);
    count[id] = 0;
    for (let f = 0; f < 3; f++) {
      tf[i * 3 + f] = fieldCount[id * 3 + f];
      fieldCount[id * 3 + f] = 0;
    }
  }
  return { union, cent, tf };
}

function countOf(hay: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) n++;
  return n;
}

function bsearch(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    const v = a[m];
    if (v === x) return m;
    if (v < x) lo = m + 1;
    else hi = m - 1;
  }
  return -1;
}

export function stripMarkdown(md: string): string {
  return md.replace(/[*#>`_\-|]+/g, ' ').replace(/\[(.*?)\]\(.*?\)/g, '$1');
}
