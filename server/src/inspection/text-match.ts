import { maskPersonalData } from '../../../common/masking';

/**
 * Text folded for phrase matching, with the position in the original of every folded character:
 * full-width letters and digits become half-width (NFKC), Latin letters lower case, and everything
 * that is neither a letter nor a digit (spaces, punctuation, symbols, emoji) is dropped — so
 * "不 知-道", "ＳＢ" and "s.b" are found as 不知道 and sb.
 */
export function foldForMatching(text: string): { folded: string; at: number[] } {
  let folded = '';
  const at: number[] = [];
  let index = 0;
  for (const ch of text) {
    for (const c of ch.normalize('NFKC').toLowerCase()) {
      if (/[\p{L}\p{N}]/u.test(c)) {
        folded += c;
        at.push(index);
      }
    }
    index += ch.length;
  }
  return { folded, at };
}

const isLatin = (c: string | undefined) => c !== undefined && /[a-z]/.test(c);

/**
 * Where the first of the phrases occurs in the text (original positions), or undefined. A phrase of
 * Latin letters (pinyin, abbreviations) must stand alone, so "sb" is not found inside "usb".
 */
export function findPhrase(text: string, phrases: string[]): { phrase: string; start: number; end: number } | undefined {
  const { folded, at } = foldForMatching(text);
  let best: { phrase: string; start: number; end: number } | undefined;
  for (const phrase of phrases) {
    const needle = foldForMatching(phrase).folded;
    if (!needle) continue;
    const latin = /^[a-z0-9]+$/.test(needle);
    for (let i = folded.indexOf(needle); i >= 0; i = folded.indexOf(needle, i + 1)) {
      if (latin && (isLatin(folded[i - 1]) || isLatin(folded[i + needle.length]))) continue;
      const found = { phrase, start: at[i], end: at[i + needle.length - 1] + 1 };
      if (!best || found.start < best.start) best = found;
      break;
    }
  }
  return best;
}

/** A short piece of the text around [start, end), personal data masked: what reviewers are shown. */
export function excerptOf(text: string, start = 0, end = 0, radius = 24): string {
  const from = Math.max(0, start - radius);
  const to = Math.min(text.length, Math.max(end, start) + radius);
  const piece = `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
  return maskPersonalData(piece.replace(/\s+/g, ' ').trim());
}

/** A number written in a text, in one canonical form ("1,500.0" → "1500"), with its position. */
export interface NumberInText {
  value: string;
  start: number;
  end: number;
  /** what follows it: 元, %, 年, 个月 … (money is told apart by it) */
  unit: string;
}

/**
 * The numbers of a text: amounts, percentages, years, months. Digits of personal data (IDs, phone
 * numbers) are left out — another rule deals with those — as are digits masked already (138****5678).
 */
export function numbersIn(text: string): NumberInText[] {
  // NFKC keeps the length for full-width digits and punctuation (one unit each), so positions hold
  const folded = text.normalize('NFKC').length === text.length ? text.normalize('NFKC') : text;
  const masked = maskPersonalData(folded);
  const found: NumberInText[] = [];
  const pattern = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;
  for (let m = pattern.exec(masked); m; m = pattern.exec(masked)) {
    const start = m.index;
    const end = m.index + m[0].length;
    // masked just now (this is personal data), or masked before it was stored (a run of 4+ '*';
    // Markdown's ** bold is shorter)
    const touchesMask = [start - 1, end].some((i) => masked[i] === '*' && (folded[i] !== '*' || /\*{4}/.test(masked.slice(Math.max(0, i - 3), i + 4))));
    const overlapsMask = masked.slice(start, end) !== folded.slice(start, end);
    if (touchesMask || overlapsMask) continue;
    const unit = /^\s*(万元|元|块钱|块|%|％|年|个月|月|岁|天|日)/.exec(masked.slice(m.index + m[0].length))?.[1] ?? '';
    found.push({ value: canonicalNumber(m[0]), start: m.index, end: m.index + m[0].length, unit });
  }
  return found;
}

function canonicalNumber(raw: string): string {
  const plain = raw.replace(/,/g, '');
  const [whole, fraction] = plain.split('.');
  const w = whole.replace(/^0+(?=\d)/, '');
  const f = (fraction ?? '').replace(/0+$/, '');
  return f ? `${w}.${f}` : w;
}

/** Whether a number is money: followed by 元/块 or preceded by ￥/¥. */
export function isMoney(text: string, n: NumberInText): boolean {
  return /元|块/.test(n.unit) || /[￥¥]\s*$/.test(text.slice(Math.max(0, n.start - 2), n.start));
}
