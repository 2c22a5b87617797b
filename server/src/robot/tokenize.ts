// Question understanding: normalisation → homophone/typo correction (pinyin) →
// word segmentation (jieba + KB domain dictionary) → synonym concepts → char bigrams.
import { pinyin } from 'pinyin-pro';
import { normalizeText, hanRuns, type Normalized } from '../text/normalize-text';
import { generalWordFrequency, Segmenter } from '../text/segmenter';
import { compileContext, isInContext } from '../text/synonym-context';
import type { SynonymGroup } from './starter-synonyms';

export { Segmenter } from '../text/segmenter';

// ───────────────────────── typo-correction guards ─────────────────────────
/** Particles and pronouns: a two-character "typo" that keeps one of these is more likely a real phrase. */
const FUNCTION_CHARS = new Set([...'了着过的地得吗呢吧啊我你他她它这那是在有不也都就还']);

/**
 * A common general word overlaps the window without being it (城里|职工: the window 里职 would become 离职):
 * the characters belong to that word, not to a mistyped domain term.
 */
function overlapsCommonWord(text: string, i: number, L: number): boolean {
  for (let len = 2; len <= 4; len++) {
    for (let s = Math.max(0, i - len + 1); s < i + L && s + len <= text.length; s++) {
      if (s === i && len === L) continue; // the window itself: checked by the caller
      if (generalWordFrequency(text.slice(s, s + len)) >= 50) return true;
    }
  }
  return false;
}

// ───────────────────────── stop words ─────────────────────────
export const STOP_WORDS = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 哦 嘛 么 哈 嗯 是 我 我们 你 你们 您 他 她 它 他们 咱 俺 自己 本人 这 那 这个 那个 这些 那些 这样 那样 ' +
    '请问 想问 问一下 问问 一下 咨询 请 麻烦 谢谢 您好 你好 在吗 就 都 也 还 又 再 才 很 太 挺 比较 ' +
    '然后 但是 可是 因为 所以 如果 要是 的话 还是 或者 和 跟 与 及 以及 给 被 把 让 对 向 从 在 到 于 ' +
    '现在 已经 一直 之前 以前 以后 之后 时候 一个 一些 有点 有些 什么样 情况 问题 事情 东西 一般 我家 家里'
  ).split(/\s+/),
);

// ───────────────────────── pinyin helpers ─────────────────────────
const charReadings = new Map<string, string[]>();
function readingsOf(ch: string): string[] {
  let r = charReadings.get(ch);
  if (!r) {
    const arr = pinyin(ch, { toneType: 'none', type: 'array', multiple: true }) as string[];
    r = [...new Set(arr.filter(Boolean))].slice(0, 3);
    if (!r.length) r = [ch];
    charReadings.set(ch, r);
  }
  return r;
}
const charFuzzy = new Map<string, string[]>();
function fuzzyReadingsOf(ch: string): string[] {
  let r = charFuzzy.get(ch);
  if (!r) {
    r = readingsOf(ch).map(fuzzy);
    charFuzzy.set(ch, r);
  }
  return r;
}
/** fuzzy pinyin: flat/retroflex, front/back nasals, n/l, h/f */
function fuzzy(sy: string): string {
  return sy
    .replace(/^zh/, 'z')
    .replace(/^ch/, 'c')
    .replace(/^sh/, 's')
    .replace(/^l/, 'n')
    .replace(/^hu/, 'f')
    .replace(/ng$/, 'n');
}
function termKey(term: string): string[] {
  return pinyin(term, { toneType: 'none', type: 'array' }) as string[];
}

// ───────────────────────── analyzer ─────────────────────────
export interface Correction {
  from: string;
  to: string;
}
export interface SynonymHit {
  phrase: string;
  term: string;
}
export interface Analysis {
  input: string;
  normalized: string;
  /** text after typo/homophone correction */
  corrected: string;
  corrections: Correction[];
  /** segmented content words (stop words removed) */
  words: string[];
  /** canonical synonym terms found in the text */
  concepts: string[];
  synonymHits: SynonymHit[];
  /** char bigrams of the Han runs of `corrected` */
  bigrams: string[];
  /** number of Han characters in corrected text */
  hanLength: number;
  /**
   * Long stories only: the compact text of the question clause (and the clause before it).
   * Tokens outside it weigh less; undefined for ordinary questions.
   */
  focus?: string;
}

/** Clause carries the actual question. */
const QUESTION_CUE = /怎么|怎样|如何|咋|吗|呢|多少|几|哪|什么|啥|能不能|可不可以|是否|有没有|要不要|算不算|还能|能否|可以|谁|为何|为什么|行不行|对不对|合法|该/;
/** Minimum Han length of a question treated as a long story. */
export const STORY_MIN_HAN = 28;

/** The question clause of a long story (compact, normalised), or undefined. */
export function questionFocus(input: string): string | undefined {
  const clauses = String(input ?? '')
    .split(/[，。？！；,.?!;\n、：:]+|\s{1,}/)
    .map((c) => normalizeText(c).compact)
    .filter((c) => c.length > 0);
  if (clauses.length < 3) return undefined;
  let han = 0;
  for (const c of clauses) han += (c.match(/[\u3400-\u9fff]/g) ?? []).length;
  if (han < STORY_MIN_HAN) return undefined;
  let i = clauses.length - 1;
  while (i >= 0 && !QUESTION_CUE.test(clauses[i])) i--;
  if (i < 0) i = clauses.length - 1;
  const focus = (i > 0 ? clauses[i - 1] : '') + clauses[i];
  return focus.length * 2 < han + 4 ? focus : undefined;
}

export interface AnalyzerOptions {
  /** domain vocabulary (KB keywords, words segmented from KB text) with frequency in KB */
  vocabulary: Map<string, number>;
  synonyms: SynonymGroup[];
  /** segmenter shared with other analysers of the same build (default: one with this vocabulary) */
  segmenter?: Segmenter;
}

interface VocabCand {
  term: string;
  freq: number;
}

export class Analyzer {
  readonly segmenter: Segmenter;
  private vocab: Map<string, number>;
  private exactKey = new Map<string, VocabCand[]>();
  private fuzzyKey = new Map<string, VocabCand[]>();
  /** `group`: index into `contexts`; `isTerm`: the official term itself, which applies everywhere */
  private phrases: { phrase: string; term: string; literal: number; parts?: string[]; group: number; isTerm: boolean }[] = [];
  /** each synonym group's compiled context words (empty: applies everywhere) */
  private contexts: string[][] = [];
  /** first character → indexes into `phrases` */
  private phraseByFirst = new Map<string, number[]>();
  private maxVocabLen = 2;
  /** `${L}:${pos}:${char}` for every vocabulary term: cheap pre-filter for homophone windows */
  private posChar = new Set<string>();
  /** `${L}|${fuzzy(s0)} ${fuzzy(s1)}`: second pre-filter on the first two syllables */
  private prefix2 = new Set<string>();

  constructor(opts: AnalyzerOptions) {
    this.vocab = new Map();
    for (const [w, f] of opts.vocabulary) {
      const n = normalizeText(w).compact;
      if (n.length >= 2) this.vocab.set(n, (this.vocab.get(n) ?? 0) + f);
    }
    // synonyms → phrase table (longest first) and vocabulary
    const seen = new Set<string>();
    for (const g of opts.synonyms) {
      const term = normalizeText(g.term).compact;
      if (!term) continue;
      const group = this.contexts.push(compileContext(g.context)) - 1;
      for (const p of [g.term, ...g.synonyms]) {
        // "被*撞": two parts with up to GAP characters between them (被小汽车撞了)
        const parts = String(p).split('*').map((x) => normalizeText(x).compact);
        if (parts.some((x) => !x)) continue;
        const phrase = parts.join('*');
        if (seen.has(phrase)) continue;
        seen.add(phrase);
        const literal = parts.join('').length;
        const isTerm = phrase === term;
        if (parts.length > 1) {
          this.phrases.push({ phrase, term, parts, literal, group, isTerm });
          continue;
        }
        this.phrases.push({ phrase, term, literal, group, isTerm });
        if (phrase.length >= 2 && /^[\u3400-\u9fff]+$/.test(phrase)) this.vocab.set(phrase, (this.vocab.get(phrase) ?? 0) + 5);
      }
    }
    this.phrases.sort((a, b) => b.literal - a.literal || (a.parts ? 1 : 0) - (b.parts ? 1 : 0));
    for (const [i, p] of this.phrases.entries()) push(this.phraseByFirst, p.phrase[0], i);
    this.segmenter = opts.segmenter ?? new Segmenter(this.vocab.keys());
    for (const [term, freq] of this.vocab) {
      if (!/^[\u3400-\u9fff]+$/.test(term) || term.length < 2 || term.length > 6) continue;
      this.maxVocabLen = Math.max(this.maxVocabLen, term.length);
      const key = termKey(term);
      if (key.length !== term.length) continue;
      for (let k = 0; k < term.length; k++) this.posChar.add(`${term.length}:${k}:${term[k]}`);
      this.prefix2.add(`${term.length}|${fuzzy(key[0])} ${fuzzy(key[1])}`);
      push(this.exactKey, key.join(' '), { term, freq });
      push(this.fuzzyKey, key.map(fuzzy).join(' '), { term, freq });
    }
  }

  /** Replace homophone typos of domain terms (养老斤→养老金, 社报卡→社保卡, 工商认定→工伤认定). */
  correct(compactText: string): { text: string; corrections: Correction[] } {
    const corrections: Correction[] = [];
    const chars = [...compactText];
    const covered = new Uint8Array(chars.length);
    const isHanAt = chars.map((c) => /[\u3400-\u9fff]/.test(c));
    const maxL = Math.min(this.maxVocabLen, 6);
    // pass 1: mark exact domain-term occurrences (longest first) so we never "correct" a right word
    for (let L = maxL; L >= 2; L--) {
      for (let i = 0; i + L <= chars.length; i++) {
        const w = compactText.slice(i, i + L);
        if (this.vocab.has(w)) for (let k = i; k < i + L; k++) covered[k] = 1;
      }
    }
    // pass 2: homophone windows
    for (let L = maxL; L >= 2; L--) {
      for (let i = 0; i + L <= chars.length; i++) {
        let ok = true;
        let anyUncovered = false;
        for (let k = i; k < i + L; k++) {
          if (!isHanAt[k]) ok = false;
          if (!covered[k]) anyUncovered = true;
        }
        if (!ok || !anyUncovered) continue;
        let shares = false;
        for (let k = 0; k < L && !shares; k++) if (this.posChar.has(`${L}:${k}:${chars[i + k]}`)) shares = true;
        if (!shares) continue;
        let pre = false;
        for (const a of fuzzyReadingsOf(chars[i])) {
          for (const b of fuzzyReadingsOf(chars[i + 1])) if (this.prefix2.has(`${L}|${a} ${b}`)) pre = true;
        }
        if (!pre) continue;
        const w = chars.slice(i, i + L).join('');
        if (L === 2 && generalWordFrequency(w) >= 50) continue;
        if (L === 2 && overlapsCommonWord(compactText, i, L)) continue;
        const best = this.lookupHomophone(w, L >= 3);
        if (!best) continue;
        // two characters, one kept and that one a particle or pronoun (上了→伤了, 我八→我爸): too little evidence
        if (L === 2 && ((best[0] === w[0] && FUNCTION_CHARS.has(w[0])) || (best[1] === w[1] && FUNCTION_CHARS.has(w[1])))) continue;
        // do not break an exact domain term that overlaps this window partially
        let clash = false;
        for (let k = i; k < i + L; k++) if (covered[k] && chars[k] !== best[k - i]) clash = true;
        if (clash) continue;
        corrections.push({ from: w, to: best });
        const bc = [...best];
        for (let k = i; k < i + L; k++) {
          chars[k] = bc[k - i];
          covered[k] = 1;
        }
      }
    }
    return { text: chars.join(''), corrections };
  }

  private lookupHomophone(w: string, allowFuzzy: boolean): string | null {
    const L = w.length;
    const per = [...w].map(readingsOf);
    let combos = 1;
    for (const r of per) combos *= r.length;
    if (combos > 12) return null;
    const keys: string[][] = [[]];
    for (const r of per) {
      const next: string[][] = [];
      for (const k of keys) for (const sy of r) next.push([...k, sy]);
      keys.splice(0, keys.length, ...next);
    }
    let best: VocabCand | null = null;
    let bestSame = -1;
    const consider = (cands: VocabCand[] | undefined, fuzzyPenalty: number) => {
      if (!cands) return;
      for (const c of cands) {
        if (c.term === w || c.term.length !== L) continue;
        let same = 0;
        for (let k = 0; k < L; k++) if (c.term[k] === w[k]) same++;
        const diff = L - same;
        // at least one char must stay; at most ⌈L/3⌉ chars may change
        if (same < 1 || diff > Math.max(1, Math.ceil(L / 3))) continue;
        const score = same * 1000 + Math.min(c.freq, 999) - fuzzyPenalty;
        if (score > bestSame) {
          bestSame = score;
          best = c;
        }
      }
    };
    for (const k of keys) consider(this.exactKey.get(k.join(' ')), 0);
    if (!best && allowFuzzy) for (const k of keys) consider(this.fuzzyKey.get(k.map(fuzzy).join(' ')), 500);
    return best ? (best as VocabCand).term : null;
  }

  /**
   * Canonical synonym terms present in the text (longest phrase wins on overlap). A group with
   * context words contributes its colloquial phrases only when one of those words is in the text.
   */
  synonymsIn(compact: string): { concepts: string[]; hits: SynonymHit[] } {
    // every occurrence of every phrase, found through the phrase's first character
    const found: { p: number; at: number; end: number }[] = [];
    const inContext = new Map<number, boolean>();
    const applies = (group: number) => {
      let yes = inContext.get(group);
      if (yes === undefined) inContext.set(group, (yes = isInContext(compact, this.contexts[group])));
      return yes;
    };
    for (let i = 0; i < compact.length; i++) {
      const list = this.phraseByFirst.get(compact[i]);
      if (!list) continue;
      for (const p of list) {
        const ph = this.phrases[p];
        if (!ph.isTerm && !applies(ph.group)) continue;
        if (ph.parts) {
          const end = matchGapped(compact, i, ph.parts, GAP);
          if (end >= 0) found.push({ p, at: i, end });
        } else if (compact.startsWith(ph.phrase, i)) found.push({ p, at: i, end: i + ph.phrase.length });
      }
    }
    found.sort((a, b) => a.p - b.p || a.at - b.at);
    const covered = new Uint8Array(compact.length);
    const concepts = new Set<string>();
    const hits: SynonymHit[] = [];
    let last = -1;
    for (const f of found) {
      let free = false;
      for (let k = f.at; k < f.end; k++) if (!covered[k]) free = true;
      if (!free) continue;
      for (let k = f.at; k < f.end; k++) covered[k] = 1;
      if (f.p !== last) {
        const { phrase, term } = this.phrases[f.p];
        if (!hits.some((h) => h.phrase === phrase)) hits.push({ phrase, term });
        concepts.add(term);
        last = f.p;
      }
    }
    return { concepts: [...concepts], hits };
  }

  segment(text: string): string[] {
    const out = new Set<string>();
    for (const w0 of this.segmenter.cutForSearch(text)) {
      const w = w0.trim();
      if (!w || STOP_WORDS.has(w)) continue;
      if (/^[\u3400-\u9fff]$/.test(w)) continue; // single Han chars are covered by bigrams
      if (/^[a-z]$/.test(w)) continue;
      out.add(w);
    }
    return [...out];
  }

  analyze(input: string, opts: { correct?: boolean } = {}): Analysis {
    const norm: Normalized = normalizeText(input);
    let corrected = norm.text;
    let corrections: Correction[] = [];
    if (opts.correct !== false) {
      // correct each space-separated chunk independently
      const parts = norm.text.split(' ').map((p) => this.correct(p));
      corrected = parts.map((p) => p.text).join(' ');
      corrections = parts.flatMap((p) => p.corrections);
    }
    const compact = corrected.replace(/ /g, '');
    const { concepts, hits } = this.synonymsIn(compact);
    const words = this.segment(corrected);
    const bigrams = new Set<string>();
    let hanLength = 0;
    for (const run of hanRuns(corrected)) {
      hanLength += run.length;
      if (run.length === 1) continue;
      for (let i = 0; i + 2 <= run.length; i++) bigrams.add(run.slice(i, i + 2));
    }
    // documents (no correction) never need a focus; queries do
    const focus = opts.correct === false ? undefined : questionFocus(input);
    return {
      input,
      normalized: norm.text,
      corrected,
      corrections,
      words,
      concepts,
      synonymHits: hits,
      bigrams: [...bigrams],
      hanLength,
      focus: focus && this.correct(focus).text,
    };
  }
}

/** Most characters between the two parts of a "被*撞" synonym pattern. */
const GAP = 4;

/**
 * Where a gapped synonym pattern ("被*撞": parts with up to `gap` non-space characters between
 * them) that starts at `at` ends, or -1. It finds the match a lazy regular expression would
 * (shortest first gap first), but remembers every (part, position) that already failed, so the
 * work is at most parts × positions × gap: an editor's `养*养*…*养*保` cannot backtrack
 * exponentially the way `养[^ ]{0,4}?养…` did and freeze the server.
 */
export function matchGapped(text: string, at: number, parts: string[], gap: number): number {
  const failed = new Set<number>();
  const stride = text.length + 1;
  const from = (k: number, pos: number): number => {
    if (!text.startsWith(parts[k], pos)) return -1;
    const end = pos + parts[k].length;
    if (k === parts.length - 1) return end;
    for (let g = 0; g <= gap && end + g <= text.length; g++) {
      if (g > 0 && text[end + g - 1] === ' ') break;
      const key = (k + 1) * stride + end + g;
      if (failed.has(key)) continue;
      const found = from(k + 1, end + g);
      if (found >= 0) return found;
      failed.add(key);
    }
    return -1;
  };
  return from(0, at);
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
}
