// Candidate retrieval + feature extraction over standard questions, similar questions and keywords.
// One MatchIndex holds exactly the entries a viewer may see: the robot builds a public index
// (staff entries never enter it, not even its IDF statistics) and a full index for agents.
import type { Analysis, Analyzer } from './tokenize';
import type { KbCategory, KbEntry } from './types';
import { normalizeText } from './normalize-text';

const T_WORD = 0; // segmented word or synonym concept
const T_BIGRAM = 1;

/** Coarse question intent: what kind of answer is wanted. Bit flags. */
const INTENTS: RegExp[] = [
  /多少|几个|几天|几年|几倍|几月|几级|标准|额度|比例|金额|多高|最高|最多|最低|上限|下限|怎么算|如何计算|计算|算法|百分之/, // amount
  /怎么办理|如何办理|怎么申请|如何申请|怎么办|流程|步骤|手续|怎么弄|怎么操作|怎样办|去哪|哪里|在哪|哪个部门|找谁|网上|手机上|渠道/, // procedure / where
  /条件|能不能|可不可以|可以吗|能吗|是否|算不算|算吗|合法吗|有没有|行不行|资格|符合|要求|门槛/, // eligibility / yes-no
  /材料|证件|证明|带什么|带哪些|准备什么|需要什么|资料|东西/, // documents
  /什么时候|多久|多长时间|期限|时限|时间|几号|哪天|何时|截止|时效/, // time
  /不服|异议|争议|投诉|举报|维权|仲裁|起诉|复议|不给|拖欠|违法/, // dispute
  /查询|查看|查到|查一下|怎么查|打印|进度|记录|真伪/, // lookup
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
  'entryCos', // cosine of the query with the whole entry (all questions + keywords as one bag)
] as const;
export const NUM_FEATURES = FEATURE_NAMES.length;

export interface QueryVec {
  ids: Int32Array;
  weights: Float64Array; // idf
  types: Uint8Array;
  normW: number;
  normB: number;
  sumW: number;
  sumB: number;
  conceptIds: number[];
  /** share of the query's word tokens unknown to this index (0..1) */
  unknownFrac: number;
  /** number of known query word tokens */
  knownWords: number;
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

export class MatchIndex {
  readonly entries: KbEntry[];
  readonly byId = new Map<string, number>();
  private tokenId = new Map<string, number>();
  private idf: number[] = [];
  private ttype: number[] = [];
  private postingLists: number[][] = [];
  private postings: Int32Array[] = [];
  // docs
  readonly docEntry: number[] = [];
  readonly docKind: number[] = []; // 0 standard, 1 similar, 2 keywords
  readonly docText: string[] = [];
  private docTok: Int32Array[] = [];
  private docNormW: number[] = [];
  private docNormB: number[] = [];
  private docSumW: number[] = [];
  private docSumB: number[] = [];
  readonly entryDocs: number[][] = [];
  private entryAnswer: Set<number>[] = [];
  private entryAnswerB: Int32Array[] = [];
  private entryUnionNorm: number[] = [];
  private entryUnion: Int32Array[] = [];
  private docIntent: number[] = [];
  private entryCat: Set<number>[] = [];
  private entryKw: string[][] = [];
  // scratch buffers
  private accW: Float64Array;
  private accB: Float64Array;
  private mark: Uint8Array;
  private eBest: Float64Array;
  private eSecond: Float64Array;
  private eDoc: Int32Array;
  /** postings longer than this are only scanned for the query's most specific tokens */
  maxScan = 3000;

  constructor(
    entries: KbEntry[],
    categories: KbCategory[],
    readonly analyzer: Analyzer,
    /** shared between indexes built from the same KB: doc analysis does not depend on the viewer */
    cache: Map<string, Analysis> = new Map(),
  ) {
    const analyzeDoc = (text: string) => {
      let a = cache.get(text);
      if (!a) {
        a = analyzer.analyze(text, { correct: false });
        cache.set(text, a);
      }
      return a;
    };
    this.entries = entries;
    const catById = new Map(categories.map((c) => [c.id, c]));
    const dfCount = new Map<number, number>();
    entries.forEach((e, ei) => {
      this.byId.set(e.id, ei);
      const docs: number[] = [];
      const union = new Set<number>();
      const addDoc = (text: string, kind: number) => {
        const a = analyzeDoc(text);
        const ids = this.toIds(a, true);
        const d = this.docEntry.length;
        this.docEntry.push(ei);
        this.docKind.push(kind);
        this.docText.push(text);
        this.docIntent.push(intentBits(normalizeText(text).compact));
        this.docTok.push(Int32Array.from(ids));
        for (const id of ids) {
          union.add(id);
          (this.postingLists[id] ??= []).push(d);
        }
        docs.push(d);
      };
      addDoc(e.question, 0);
      for (const s of e.similar) addDoc(s, 1);
      if (e.keywords.length) addDoc(e.keywords.join(' '), 2);
      this.entryDocs.push(docs);
      for (const id of union) dfCount.set(id, (dfCount.get(id) ?? 0) + 1);
      // answer (light): words + concepts only
      const ans = analyzeDoc(stripMarkdown(e.answer).slice(0, 400));
      this.entryAnswer.push(new Set(this.toIds({ ...ans, bigrams: [] }, true)));
      this.entryAnswerB.push(Int32Array.from(this.toIds({ words: [], concepts: [], bigrams: ans.bigrams }, true)).sort());
      this.entryUnion.push(Int32Array.from(union).sort());
      const catNames: string[] = [];
      for (let c = catById.get(e.category); c; c = c.parent ? catById.get(c.parent) : undefined) catNames.push(c.name);
      const ca = analyzeDoc(catNames.join(' '));
      this.entryCat.push(new Set(this.toIds({ ...ca, bigrams: [] }, true)));
      this.entryKw.push(e.keywords.map((k) => normalizeText(k).compact).filter((k) => k.length >= 2));
    });
    const N = entries.length;
    for (let id = 0; id < this.ttype.length; id++) {
      const df = dfCount.get(id) ?? 0;
      this.idf[id] = Math.log(1 + (N + 1) / (df + 0.5));
    }
    for (const u of this.entryUnion) {
      let n = 0;
      for (const id of u) n += this.idf[id] * this.idf[id];
      this.entryUnionNorm.push(Math.sqrt(n));
    }
    for (const toks of this.docTok) {
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
      this.docNormW.push(Math.sqrt(nw));
      this.docNormB.push(Math.sqrt(nb));
      this.docSumW.push(sw);
      this.docSumB.push(sb);
    }
    this.postings = this.postingLists.map((p) => Int32Array.from(p ?? []));
    this.postingLists = [];
    this.eBest = new Float64Array(entries.length);
    this.eSecond = new Float64Array(entries.length);
    this.eDoc = new Int32Array(entries.length).fill(-1);
    this.accW = new Float64Array(this.docEntry.length);
    this.accB = new Float64Array(this.docEntry.length);
    this.mark = new Uint8Array(this.docEntry.length);
  }

  get size(): number {
    return this.entries.length;
  }

  private toIds(a: Pick<Analysis, 'words' | 'concepts' | 'bigrams'>, create: boolean): number[] {
    const out = new Set<number>();
    const add = (key: string, type: number) => {
      let id = this.tokenId.get(key);
      if (id === undefined) {
        if (!create) return;
        id = this.ttype.length;
        this.tokenId.set(key, id);
        this.ttype.push(type);
      }
      out.add(id);
    };
    for (const w of a.words) add('w:' + w, T_WORD);
    for (const c of a.concepts) add('c:' + c, T_WORD);
    for (const b of a.bigrams) add('b:' + b, T_BIGRAM);
    return [...out];
  }

  /** Turns an analysed query into a weighted vector over this index's vocabulary. */
  queryVector(a: Analysis, exclude: { doc?: number; entry?: number } = {}): QueryVec {
    const ids: number[] = [];
    let normW = 0;
    let normB = 0;
    let sumW = 0;
    let sumB = 0;
    let unknown = 0;
    let known = 0;
    const conceptIds: number[] = [];
    const seen = new Set<number>();
    const N = this.entries.length;
    const unknownIdf = Math.log(1 + (N + 1) / 0.5);
    const handle = (key: string, type: number) => {
      let id = this.tokenId.get(key);
      if (id !== undefined && (exclude.doc !== undefined || exclude.entry !== undefined)) {
        const post = this.postings[id];
        if (post && post.length <= 64 && Array.prototype.every.call(post, (d: number) => d === exclude.doc || this.docEntry[d] === exclude.entry)) id = undefined;
      }
      if (id === undefined) {
        if (type === T_WORD) {
          unknown++;
          // unknown words still dilute coverage
          sumW += unknownIdf;
          normW += unknownIdf * unknownIdf;
        } else {
          sumB += unknownIdf * 0.5;
          normB += unknownIdf * unknownIdf * 0.25;
        }
        return;
      }
      if (seen.has(id)) return;
      seen.add(id);
      ids.push(id);
      const w = this.idf[id];
      if (type === T_WORD) {
        known++;
        normW += w * w;
        sumW += w;
        if (key.startsWith('c:')) conceptIds.push(id);
      } else {
        normB += w * w;
        sumB += w;
      }
    };
    for (const w of a.words) handle('w:' + w, T_WORD);
    for (const c of a.concepts) handle('c:' + c, T_WORD);
    for (const b of a.bigrams) handle('b:' + b, T_BIGRAM);
    const weights = new Float64Array(ids.length);
    const types = new Uint8Array(ids.length);
    ids.forEach((id, i) => {
      weights[i] = this.idf[id];
      types[i] = this.ttype[id];
    });
    const totalWords = a.words.length + a.concepts.length;
    return {
      ids: Int32Array.from(ids),
      weights,
      types,
      normW: Math.sqrt(normW),
      normB: Math.sqrt(normB),
      sumW,
      sumB,
      conceptIds,
      unknownFrac: totalWords ? unknown / totalWords : 1,
      knownWords: known,
      compact: a.corrected.replace(/ /g, ''),
      hanLength: a.hanLength,
      intent: intentBits(a.corrected.replace(/ /g, '')),
    };
  }

  /** Retrieval + features for the best `limit` entries. */
  search(q: QueryVec, opts: SearchOptions = {}): RawCandidate[] {
    const limit = opts.limit ?? 24;
    const { accW, accB, mark, eBest, eSecond, eDoc } = this;
    const touched: number[] = [];
    const exD = opts.excludeDoc ?? -1;
    const exE = opts.excludeEntry ?? -1;
    // most specific tokens first; very common tokens are skipped once 8 specific ones were scanned
    const order = Array.from(q.ids.keys()).sort((a, b) => q.weights[b] - q.weights[a]);
    let scanned = 0;
    for (const i of order) {
      const id = q.ids[i];
      const post = this.postings[id];
      if (!post || !post.length) continue;
      if (post.length > this.maxScan && scanned >= 8) continue;
      scanned++;
      const w2 = q.weights[i] * q.weights[i];
      const isB = q.types[i] === T_BIGRAM;
      const acc = isB ? accB : accW;
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
    for (const d of touched) {
      const e = this.docEntry[d];
      const cw = q.normW && this.docNormW[d] ? accW[d] / (q.normW * this.docNormW[d]) : 0;
      const cb = q.normB && this.docNormB[d] ? accB[d] / (q.normB * this.docNormB[d]) : 0;
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
    const pool = touchedE.map((e) => ({ e, prelim: eBest[e] + 0.15 * eSecond[e], d: eDoc[e] }));
    for (const e of touchedE) eDoc[e] = -1;
    pool.sort((a, b) => b.prelim - a.prelim);
    const top = pool.slice(0, limit);
    const qset = new Map<number, number>();
    for (let i = 0; i < q.ids.length; i++) qset.set(q.ids[i], i);
    return top.map((p) => ({ entry: p.e, prelim: p.prelim, bestDoc: p.d, features: this.features(q, p.e, exD, qset) }));
  }

  /** Feature vector for one (query, entry) pair. */
  features(q: QueryVec, e: number, excludeDoc = -1, qset?: Map<number, number>): Float64Array {
    const f = new Float64Array(NUM_FEATURES);
    if (!qset) {
      qset = new Map<number, number>();
      for (let i = 0; i < q.ids.length; i++) qset.set(q.ids[i], i);
    }
    const union = new Set<number>();
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
      for (const id of this.docTok[d]) {
        union.add(id);
        const i = qset.get(id);
        if (i === undefined) continue;
        const w = q.weights[i];
        if (q.types[i] === T_BIGRAM) {
          db += w * w;
          mB += w;
        } else {
          dw += w * w;
          mW += w;
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
      }
      if (this.docKind[d] !== 2 && q.intent) {
        const di = this.docIntent[d];
        const inter = popcount(di & q.intent);
        const uni = popcount(di | q.intent);
        const v = uni ? inter / uni : 0;
        if (v * s > bestIntent) bestIntent = v * s;
      } else if (s > second) second = s;
      if (cw > bestW) bestW = cw;
      if (cb > bestB) bestB = cb;
    }
    let covW = 0;
    let covB = 0;
    let ans = 0;
    let cat = 0;
    const ansSet = this.entryAnswer[e];
    const catSet = this.entryCat[e];
    for (let i = 0; i < q.ids.length; i++) {
      const id = q.ids[i];
      const w = q.weights[i];
      if (q.types[i] === T_BIGRAM) {
        if (union.has(id)) covB += w;
      } else {
        if (union.has(id)) covW += w;
        if (ansSet.has(id)) ans += w;
        if (catSet.has(id)) cat += w;
      }
    }
    let ansB = 0;
    let dotU = 0;
    const ansBig = this.entryAnswerB[e];
    for (let i = 0; i < q.ids.length; i++) {
      const id = q.ids[i];
      const w = q.weights[i];
      if (union.has(id)) dotU += w * w;
      if (q.types[i] === T_BIGRAM && bsearch(ansBig, id)) ansB += w;
    }
    const qn = Math.sqrt(q.normW * q.normW + q.normB * q.normB);
    let kwChars = 0;
    for (const k of this.entryKw[e]) if (q.compact.includes(k)) kwChars += k.length;
    let conc = 0;
    for (const c of q.conceptIds) if (union.has(c)) conc++;
    f[0] = bestW;
    f[1] = bestB;
    f[2] = std;
    f[3] = q.sumW ? covW / q.sumW : 0;
    f[4] = q.sumB ? covB / q.sumB : 0;
    f[5] = Math.min(1, kwChars / Math.max(4, q.hanLength));
    f[6] = q.sumW ? ans / q.sumW : 0;
    f[7] = q.conceptIds.length ? conc / q.conceptIds.length : 0;
    f[8] = q.sumW ? cat / q.sumW : 0;
    f[9] = bestDocCov;
    f[10] = (Math.max(best, 0) + second) / 2;
    f[11] = bestIntent;
    f[12] = q.sumB ? ansB / q.sumB : 0;
    f[13] = qn && this.entryUnionNorm[e] ? dotU / (qn * this.entryUnionNorm[e]) : 0;
    return f;
  }
}

function bsearch(a: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    const v = a[m];
    if (v === x) return true;
    if (v < x) lo = m + 1;
    else hi = m - 1;
  }
  return false;
}

export function stripMarkdown(md: string): string {
  return md.replace(/[*#>`_\-]+/g, ' ').replace(/\[(.*?)\]\(.*?\)/g, '$1');
}
