// Chinese word segmentation shared by knowledge search and the robot: jieba's general dictionary plus
// exactly the domain words a caller gives. Each index build makes its own Segmenter, so segmentation
// depends only on the knowledge base it indexes — never on what other builds in the process loaded.
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { normalizeText } from './normalize-text';

const require = createRequire(import.meta.url);
let baseDict: Buffer | null = null;
let generalWords: Map<string, number> | null = null;

/** jieba's general dictionary (loaded once per process; instances copy it). */
function loadBase(): Buffer {
  if (!baseDict) {
    baseDict = (require('@node-rs/jieba/dict') as { dict: Buffer }).dict;
    // general-language words (2–4 chars) with their frequency: protects real words from "typo correction"
    generalWords = new Map();
    const txt = baseDict.toString('utf8');
    for (const line of txt.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp < 2) continue;
      const w = line.slice(0, sp);
      if (w.length < 2 || w.length > 4) continue;
      const f = Number.parseInt(line.slice(sp + 1), 10);
      if (f >= 30) generalWords.set(w, f);
    }
  }
  return baseDict;
}

/** How common a 2–4 character word is in general Chinese (jieba's frequency; 0 when unknown). */
export function generalWordFrequency(word: string): number {
  loadBase();
  return generalWords!.get(word) ?? 0;
}

/** Domain words a segmenter should keep whole: Han-only, 2–8 characters, normalised. */
export function segmenterWords(words: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const w0 of words) {
    const w = normalizeText(w0).compact;
    if (w.length >= 2 && w.length <= 8 && /^[\u3400-\u9fff]+$/.test(w)) out.add(w);
  }
  return [...out].sort();
}

/**
 * A jieba instance with the general dictionary plus the given domain words, weighted `frequency`
 * (higher keeps them whole against general-language splits).
 */
export class Segmenter {
  private jieba: Jieba;
  private known = new Set<string>();

  constructor(
    words: Iterable<string>,
    private readonly frequency = 20000,
  ) {
    this.jieba = Jieba.withDict(loadBase());
    this.addWords(words);
  }

  /** The domain words this instance was taught. */
  get words(): ReadonlySet<string> {
    return this.known;
  }

  /** Teaches more domain words (a newly published entry's keywords). */
  addWords(words: Iterable<string>) {
    const fresh = segmenterWords(words).filter((w) => !this.known.has(w));
    if (!fresh.length) return;
    for (const w of fresh) this.known.add(w);
    this.jieba.loadDict(Buffer.from(fresh.map((w) => `${w} ${this.frequency} n`).join('\n') + '\n'));
  }

  /** Search-engine mode: long words and their parts (the robot's matching wants both). */
  cutForSearch(text: string): string[] {
    return this.jieba.cutForSearch(text, true);
  }

  /** Precise mode: each character in one word (the search index's terms). */
  cut(text: string): string[] {
    return this.jieba.cut(text, false);
  }
}
