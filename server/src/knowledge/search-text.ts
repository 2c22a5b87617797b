import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { normalizeText } from '../text/normalize-text';

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

const NON_CONTENT = /[^\u3400-\u9fff\uf900-\ufaffa-z0-9%]+/g;
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]{2,}/g;

/**
 * Knowledge-base text folded for indexing: width and case folded, punctuation dropped. Editors
 * write Simplified Chinese, so the (slow) Traditional→Simplified step is left to queries.
 */
const foldContent = (text: string) => text.normalize('NFKC').toLowerCase().replace(NON_CONTENT, ' ').trim();

/** A citizen's query folded: the robot's full normalisation, Traditional→Simplified included. */
const foldQuery = (text: string) => normalizeText(text).text;

function termsOf(folded: string, withBigrams: boolean): string[] {
  const terms = new Set<string>();
  if (!folded) return [];
  for (const word of segmenter().cut(folded, false)) {
    if (word === ' ' || !word.trim()) continue;
    if (withBigrams || word.length > 1) terms.add(word);
  }
  if (withBigrams) {
    for (const run of folded.match(HAN_RUN) ?? []) for (let i = 0; i + 1 < run.length; i++) terms.add(run.slice(i, i + 2));
  }
  return [...terms];
}

/** Terms of knowledge-base text: words plus character bigrams, so partial and unsegmented words still match. */
export const contentTerms = (text: string) => termsOf(foldContent(text), true);
/** Words only (no bigrams): for long texts such as answers, where bigrams would swamp the index. */
export const contentWords = (text: string) => termsOf(foldContent(text), false);
/** Terms of a citizen's query, in the same vocabulary as contentTerms. */
export const queryTerms = (text: string) => termsOf(foldQuery(text), true);

/** The text compacted (normalised, no spaces), for finding synonyms inside it. */
export const compactText = (text: string) => normalizeText(text).compact;
