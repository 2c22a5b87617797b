// The reach of a synonym library change, before it is saved: which real questions it alters and
// whether the robot's best entry for them changes. The current robot ranks "before"; a temporary
// Engine over the same public entries, scored with the current ranker (nothing is retrained), ranks "after".
import type { SynonymGroupData, SynonymReach } from '../knowledge/preview-synonym-group';
import type { SynonymPreview } from '../knowledge/schema';
import type { AppContext } from '../platform/context';
import { normalizeText } from '../text/normalize-text';
import { robotRepo } from './repo';
import { Engine, type Ranked } from './robot';
import type { RobotService } from './robot-service';
import { Analyzer, type SynonymHit } from './tokenize';
import type { KbEntry, Viewer } from './types';

/** How far back the robot log is sampled. */
const LOG_DAYS = 90;
/** Questions analysed at most: log questions (most asked first), then entries' similar questions. */
const SAMPLE_CAP = 3000;
/** Changed questions ranked again at most (ranking costs far more than finding synonym hits). */
const RANK_CAP = 600;
/** Changed questions listed at most, the most consequential first. */
const LIST_LIMIT = 200;
/** Citizens' view: the preview is about the answers the public gets. */
const PUBLIC: Viewer = { canSeeStaff: false, roles: [] };

interface Sampled {
  question: string;
  source: 'log' | 'similar';
  asked: number;
}

/** The robot's side of the synonym preview port, for the knowledge routes. */
export function synonymReach(ctx: AppContext, robots: RobotService): SynonymReach {
  return { compare: (groups) => previewSynonyms(ctx, robots, groups) };
}

// A question's typo-corrected compact text depends only on the current robot's analyzer: kept
// while that robot serves, so repeated previews while an editor tunes a group skip the correction.
const correctedCache = new WeakMap<Analyzer, Map<string, string>>();

function correctedCompact(analyzer: Analyzer, question: string): string {
  let cache = correctedCache.get(analyzer);
  if (!cache) correctedCache.set(analyzer, (cache = new Map()));
  let compact = cache.get(question);
  if (compact === undefined) {
    compact = normalizeText(question).text.split(' ').map((chunk) => analyzer.correct(chunk).text).join('');
    if (cache.size > 20_000) cache.clear();
    cache.set(question, compact);
  }
  return compact;
}

const hitsKey = (hits: SynonymHit[]) => hits.map((h) => `${h.phrase}→${h.term}`).sort().join('|');

/** Compares the robot's current synonym library with `groups` over a sample of real questions. */
export async function previewSynonyms(ctx: AppContext, robots: RobotService, groups: SynonymGroupData[]): Promise<SynonymPreview> {
  const robot = await robots.ready();
  const snapshot = robots.snapshot();
  const entries = snapshot.entries.filter((e) => e.audience === 'public');
  const sample = await sampleQuestions(ctx, entries);

  // which questions the change touches: synonym hits only, on the text as the current robot corrects it
  const current = robot.rank('', PUBLIC).engine.analyzer;
  const proposed = new Analyzer({ vocabulary: new Map(), synonyms: groups, segmenter: current.segmenter });
  const touched: (Sampled & { compact: string })[] = [];
  for (const s of sample) {
    const compact = correctedCompact(current, s.question);
    if (hitsKey(current.synonymsIn(compact).hits) !== hitsKey(proposed.synonymsIn(compact).hits)) touched.push({ ...s, compact });
  }
  const result: SynonymPreview = { changed: [], sampled: sample.length, changedCount: touched.length, ranked: 0, answerChangedCount: 0 };
  if (!touched.length) return result;

  // rank the touched questions with both libraries, the most asked first
  const toRank = touched.slice(0, RANK_CAP);
  // the current robot's segmenter: words split as they are now (half the build time), so the two
  // rankings differ by the synonyms alone; a new phrase is still found, by its characters
  const engine = new Engine(entries, snapshot.categories, groups, undefined, current.segmenter);
  const { ranker } = robot.models();
  for (const s of toRank) {
    const before = robot.rank(s.question, PUBLIC);
    const analysis = engine.analyzer.analyze(s.question);
    const qv = engine.index.queryVector(analysis);
    const scored = engine.score(qv.ids.length ? engine.index.search(qv) : [], ranker);
    const after = { analysis, scored, engine } as Pick<Ranked, 'analysis' | 'scored' | 'engine'>;
    const beforeSide = sideOf(before);
    const afterSide = sideOf(after);
    const answerChanged = (beforeSide.top?.entryId ?? null) !== (afterSide.top?.entryId ?? null);
    if (answerChanged) result.answerChangedCount++;
    result.changed.push({ question: s.question, source: s.source, asked: s.asked, before: beforeSide, after: afterSide, answerChanged });
  }
  result.ranked = toRank.length;
  // answers that change first, then the most asked; questions beyond the ranking cap are counted, not listed
  result.changed.sort((a, b) => Number(b.answerChanged) - Number(a.answerChanged) || b.asked - a.asked);
  result.changed = result.changed.slice(0, LIST_LIMIT);
  return result;
}

function sideOf(r: Pick<Ranked, 'analysis' | 'scored' | 'engine'>) {
  const top = r.scored[0] ? r.engine.index.entries[r.scored[0].entry] : undefined;
  return { synonyms: r.analysis.synonymHits.map((h) => ({ phrase: h.phrase, term: h.term })), top: top ? { entryId: top.id, question: top.question } : null };
}

/** Distinct log questions of the last LOG_DAYS (most asked first), then every public entry's similar questions, up to SAMPLE_CAP. */
async function sampleQuestions(ctx: AppContext, entries: KbEntry[]): Promise<Sampled[]> {
  const since = new Date(Date.now() - LOG_DAYS * 86_400_000).toISOString();
  const logged = await robotRepo(ctx.db).frequentQuestionsSince(since, SAMPLE_CAP);
  const seen = new Set<string>();
  const out: Sampled[] = [];
  const add = (question: string, source: Sampled['source'], asked: number) => {
    const key = normalizeText(question).compact;
    if (!key || seen.has(key) || out.length >= SAMPLE_CAP) return;
    seen.add(key);
    out.push({ question, source, asked });
  };
  // leave room for the knowledge base's own wording even when the log is large
  for (const l of logged.slice(0, SAMPLE_CAP - Math.min(1000, entries.reduce((n, e) => n + e.similar.length, 0)))) add(l.question, 'log', l.asked);
  for (const e of entries) for (const q of e.similar) add(q, 'similar', 0);
  for (const l of logged) add(l.question, 'log', l.asked);
  return out;
}
