// Text normalisation shared by search, the robot and the conversation flow: width folding, Traditional→Simplified,
// punctuation/emoji removal, whitespace collapsing. Pure and deterministic.
import * as OpenCC from 'opencc-js/t2cn';

type Conv = (s: string) => string;
const oc = OpenCC as unknown as { Converter: (o: { from: string; to: string }) => Conv };
const twToCn: Conv = oc.Converter({ from: 'tw', to: 'cn' });
const hkToCn: Conv = oc.Converter({ from: 'hk', to: 'cn' });

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
export const isHan = (ch: string): boolean => HAN.test(ch);

/** Per character: does the converter change it on its own? (memo; most text is already Simplified) */
const convertible = new Map<string, boolean>();
function hasTraditional(s: string): boolean {
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x2e80) continue;
    let c = convertible.get(ch);
    if (c === undefined) {
      c = hkToCn(twToCn(ch)) !== ch;
      convertible.set(ch, c);
    }
    if (c) return true;
  }
  return false;
}

/** Traditional (Taiwan / Hong Kong variants) → Simplified; idempotent on Simplified text. */
export function toSimplified(s: string): string {
  if (!/[^\x00-\x7f]/.test(s) || !hasTraditional(s)) return s;
  return hkToCn(twToCn(s));
}


/** Common variant / colloquial character forms that opencc leaves alone. */
const CHAR_FOLD: Record<string, string> = {
  '〇': '零',
  '噉': '这样',
  '咩': '什么',
  '冇': '没有',
  '佢': '他',
  '嘅': '的',
  '係': '是',
  '喺': '在',
  '啲': '些',
  '乜': '什么',
  '唔': '不',
  '咗': '了',
  '嘢': '东西',
  '搵': '找',
  '揾': '找',
  '睇': '看',
  '攞': '拿',
  '畀': '给',
};

/** Cantonese words (Hong Kong callers) → Mandarin, after the character folds. */
const WORD_FOLD: Record<string, string> = {
  点样: '怎样',
  点解: '为什么',
  边度: '哪里',
  边个: '谁',
  几多: '多少',
  几时: '什么时候',
  咁样: '这样',
  返工: '上班',
  放工: '下班',
  老细: '老板',
};
const WORD_FOLD_RE = new RegExp(Object.keys(WORD_FOLD).join('|'), 'g');

export interface Normalized {
  /** lower-cased, half-width, Simplified, punctuation → single spaces, trimmed */
  text: string;
  /** `text` without any spaces (used for substring matching) */
  compact: string;
}

const FOLD_RE = new RegExp(`[${Object.keys(CHAR_FOLD).join('')}]`, 'g');
const DROP_RE = /[^\u3400-\u9fff\uf900-\ufaffa-z0-9%]+/g;

export function normalizeText(input: string): Normalized {
  let s = (input ?? '').normalize('NFKC').toLowerCase();
  s = toSimplified(s);
  s = s.replace(FOLD_RE, (ch) => CHAR_FOLD[ch]).replace(WORD_FOLD_RE, (w) => WORD_FOLD[w]);
  // everything but Han, Latin letters, digits and % becomes one space
  let out = s.replace(DROP_RE, ' ').trim();
  // spaces between two Han characters carry no meaning ("养 老 金")
  if (out.includes(' ')) out = out.replace(/([\u3400-\u9fff]) (?=[\u3400-\u9fff])/g, '$1');
  return { text: out, compact: out.includes(' ') ? out.replace(/ /g, '') : out };
}

/** Han runs in a string (for char n-grams). */
export function hanRuns(s: string): string[] {
  return s.match(/[\u3400-\u9fff\uf900-\ufaff]+/g) ?? [];
}
