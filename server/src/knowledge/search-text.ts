import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { normalizeText } from '../robot/normalize-text';

const require = createRequire(import.meta.url);
let jieba: Jieba | undefined;

function segmenter() {
  if (!jieba) jieba = Jieba.withDict((require('@node-rs/jieba/dict') as { dict: Uint8Array }).dict);
  return jieba;
}

/** Teaches the segmenter the domain's words (keywords, synonym terms) so they stay whole. */
export function addDomainWords(words: Iterable<string>) {
  const lines = [...new Set(words)].filter((w) => w.length >= 2 && w.length <= 12 && !/\s/.test(w)).map((w) => `${w} 50000 n`);
  if (lines.length) segmenter().loadDict(Buffer.from(lines.join('\n') + '\n'));
}

/**
 * Search terms of a text: normalised (width, Traditional→Simplified, punctuation), segmented into
 * words, plus character bigrams so that partial and unsegmented words still match.
 */
export function searchTerms(text: string): string[] {
  const { text: normalized } = normalizeText(text);
  const terms = new Set<string>();
  for (const chunk of normalized.split(' ')) {
    if (!chunk) continue;
    if (!/[\u3400-\u9fff]/.test(chunk)) {
      terms.add(chunk);
      continue;
    }
    for (const word of segmenter().cut(chunk, false)) if (word.trim()) terms.add(word);
    const chars = [...chunk];
    if (chars.length === 1) terms.add(chunk);
    for (let i = 0; i + 1 < chars.length; i++) terms.add(chars[i] + chars[i + 1]);
  }
  return [...terms];
}

/** The text compacted (normalised, no spaces), for finding synonyms inside it. */
export const compactText = (text: string) => normalizeText(text).compact;
