import MiniSearch from 'minisearch';
import type { EntryVersion, SynonymGroupRecord } from './model';
import { compactText, searchTerms } from './search-text';

export interface SearchHit {
  id: string;
  score: number;
  /** Terms of the query that matched, for highlighting. */
  terms: string[];
}

/**
 * Full-text index of the served entries, in memory (rebuilt on every publish event, also from
 * other instances through the event bus). MiniSearch gives BM25 ranking; our tokenizer gives it
 * Chinese words and bigrams, and synonym expansion maps citizens' words to official terms.
 */
export class SearchIndex {
  private index: MiniSearch;
  private synonyms: { term: string; variants: string[] }[] = [];

  constructor(entries: EntryVersion[], synonymGroups: SynonymGroupRecord[]) {
    this.index = new MiniSearch({
      idField: 'id',
      fields: ['question', 'similar', 'keywords', 'answer'],
      tokenize: searchTerms,
      processTerm: (term) => term,
      searchOptions: { boost: { question: 3, similar: 2, keywords: 2, answer: 0.4 }, combineWith: 'OR' },
    });
    this.index.addAll(
      entries.map((e) => ({ id: e.entryId, question: e.question, similar: e.similar.join('\n'), keywords: e.keywords.join(' '), answer: e.answer })),
    );
    this.synonyms = synonymGroups.map((g) => ({ term: g.term, variants: g.synonyms.map(compactText).filter(Boolean) }));
  }

  /** The query with the official term of every colloquial word it contains appended. */
  expand(query: string): { text: string; applied: { from: string; to: string }[] } {
    const compact = compactText(query);
    const applied: { from: string; to: string }[] = [];
    for (const group of this.synonyms) {
      const hit = group.variants.find((v) => compact.includes(v));
      if (hit && !compact.includes(compactText(group.term))) applied.push({ from: hit, to: group.term });
    }
    return { text: [query, ...applied.map((a) => a.to)].join(' '), applied };
  }

  search(query: string, isAllowed: (id: string) => boolean, limit: number): SearchHit[] {
    const { text } = this.expand(query);
    const results = this.index.search(text, { filter: (r) => isAllowed(r.id as string) });
    return results.slice(0, limit).map((r) => ({ id: r.id as string, score: Math.round(r.score * 1000) / 1000, terms: r.terms }));
  }
}
