import { normalizeText } from '../text/normalize-text';
import { Segmenter } from '../text/segmenter';

/**
 * The search index's segmenter: the general dictionary plus the knowledge base's keywords and synonym
 * terms, weighted high so they stay whole. One per index build (text/segmenter.ts).
 */
export const searchSegmenter = (domainWords: Iterable<string>) => new Segmenter(domainWords, 50000);

const NON_CONTENT = /[^\u3400-\u9fff\uf900-\ufaffa-z0-9%]+/g;
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]{2,}/g;

/**
 * Knowledge-base text folded for indexing: width and case folded, punctuation dropped. Editors
 * write Simplified Chinese, so the (slow) Traditional→Simplified step is left to queries.
 */
const foldContent = (text: string) => text.normalize('NFKC').toLowerCase().replace(NON_CONTENT, ' ').trim();

/** A citizen's query folded: the robot's full normalisation, Traditional→Simplified included. */
const foldQuery = (text: string) => normalizeText(text).text;

function termsOf(segmenter: Segmenter, folded: string, withBigrams: boolean): string[] {
  const terms = new Set<string>();
  if (!folded) return [];
  for (const word of segmenter.cut(folded)) {
    if (word === ' ' || !word.trim()) continue;
    if (withBigrams || word.length > 1) terms.add(word);
  }
  if (withBigrams) {
    for (const run of folded.match(HAN_RUN) ?? []) for (let i = 0; i + 1 < run.length; i++) terms.add(run.slice(i, i + 2));
  }
  return [...terms];
}

/** Terms of knowledge-base text: words plus character bigrams, so partial and unsegmented words still match. */
export const contentTerms = (segmenter: Segmenter, text: string) => termsOf(segmenter, foldContent(text), true);
/** Words only (no bigrams): for long texts such as answers, where bigrams would swamp the index. */
export const contentWords = (segmenter: Segmenter, text: string) => termsOf(segmenter, foldContent(text), false);
/** Terms of a citizen's query, in the same vocabulary as contentTerms. */
export const queryTerms = (segmenter: Segmenter, text: string) => termsOf(segmenter, foldQuery(text), true);

/** The text compacted (normalised, no spaces), for finding synonyms inside it. */
export const compactText = (text: string) => normalizeText(text).compact;
