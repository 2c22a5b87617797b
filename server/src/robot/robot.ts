// The robot service: understanding → retrieval → learned re-ranking → calibrated decision,
// with multi-turn sessions. Pure module: no HTTP, no database.
import { ancestorIds } from '../../../common/categories';
import { randomUUID } from 'node:crypto';
import { Analyzer, Segmenter, type Analysis } from './tokenize';
import { DocStore, MatchIndex, FEATURE_NAMES, type QueryVec, type RawCandidate } from './match-index';
import { fitLogistic, fitPairwise, logit, sigmoid, type LogisticModel } from './model';
import { MemorySessionStore, type RobotSession, type SessionStore } from './session-store';
import { isAngry, isGreeting, isNegative, parseChoice, referralFor, wantsHuman, type Referral } from './intents';
import { normalizeText } from '../text/normalize-text';
import { STARTER_SYNONYMS } from './starter-synonyms';
import { expandAbbreviations } from './abbreviations';
import { announcesNewTopic, aspectMatch, aspectsOf, leansOnContext, TopicMap, type Aspect } from './dialogue-state';
import type { Candidate, DecisionType, KbCategory, KbEntry, KbSnapshot, SynonymGroup, Viewer } from './types';

export type { Candidate, DecisionType, KbCategory, KbEntry, KbSnapshot, SynonymGroup, Viewer };

export interface RobotConfig {
  /** calibrated P(top-1 right) at or above which the robot answers directly */
  answerThreshold: number;
  /** calibrated P(right entry among the top 3) at or above which (below answerThreshold) the robot asks "did you mean" */
  clarifyThreshold: number;
  /** top-1 must lead top-2 by at least this ranking-probability gap to answer directly */
  answerMargin: number;
  /** consecutive unanswered turns that trigger a hand-off */
  handoffAfterFailures: number;
  /** categories (or parents) / entries that must always go to a human */
  humanOnlyCategories: string[];
  humanOnlyEntries: string[];
  /** hand off on anger / abuse */
  handoffOnAnger: boolean;
  /** number of candidates returned */
  maxCandidates: number;
  /** cap on leave-one-out training queries drawn from similar questions at build time */
  trainingQueries: number;
  /** aspects of entries as an editor set them (otherwise read from the entry's questions) */
  entryAspects: Record<string, Aspect[]>;
}

export const DEFAULT_CONFIG: RobotConfig = {
  answerThreshold: 0.6,
  clarifyThreshold: 0.2,
  answerMargin: 0.0,
  handoffAfterFailures: 2,
  humanOnlyCategories: [],
  humanOnlyEntries: [],
  handoffOnAnger: true,
  maxCandidates: 3,
  trainingQueries: 1500,
  entryAspects: {},
};

export interface RobotModels {
  ranker: LogisticModel;
  /** P(top-1 candidate is right) */
  calibrator: LogisticModel;
  /** P(the right entry is among the top 3): decides between "did you mean" and fallback */
  calibrator3?: LogisticModel;
}

export interface CreateRobotOptions {
  entries: KbEntry[];
  categories?: KbCategory[];
  synonyms?: SynonymGroup[];
  config?: Partial<RobotConfig>;
  sessions?: SessionStore;
  /** reuse previously learned models (skips training on rebuild) */
  models?: RobotModels;
  /**
   * Confirmed caller question → entry pairs (the seed caller questions, questions agents answered
   * with an entry); used with the KB's own similar questions to learn the ranker's weights (how callers
   * word things). They are never added to the index: an unseen question gains only through the weights.
   */
  labeledQuestions?: { q: string; expect: string | null }[];
}

export interface BuildStats {
  entries: number;
  /** KB texts (questions, similar questions, keyword lists, answers, category paths) analysed in this build */
  analysed: number;
  /** lookups answered from the doc store (texts analysed in an earlier build, or already for the other viewer's index) */
  reused: number;
  /** models learned in this build (false when usable models were given) */
  trained: boolean;
  ms: number;
}

export interface AskInput {
  question: string;
  sessionId?: string;
  channel?: string;
  viewer: Viewer;
}

export interface AskResult {
  type: DecisionType;
  entryId?: string;
  /** Markdown: the entry's answer, the clarify prompt, the fallback or hand-off message */
  answer?: string;
  candidates: Candidate[];
  /** calibrated probability that the top candidate is right (0..1) */
  confidence: number;
  sessionId: string;
  reasoning?: string;
  /** set on fallback when another hotline is responsible */
  referral?: Referral;
  /** why a hand-off happened */
  handoffReason?: 'request' | 'anger' | 'failures' | 'human-only';
}

export interface Explanation {
  question: string;
  normalized: string;
  corrected: string;
  corrections: { from: string; to: string }[];
  tokens: string[];
  synonymsApplied: { phrase: string; term: string }[];
  bigrams: string[];
  unknownShare: number;
  candidates: { entryId: string; question: string; score: number; rankLogit: number; features: Record<string, number> }[];
  confidence: number;
  decision: DecisionType;
  handoffReason?: string;
  referral?: Referral;
  /** how the question was read as a follow-up of the conversation's topic */
  followUp?: { topicEntryId: string; topicQuestion: string; reading: string };
}

export interface EntryAspects {
  entryId: string;
  question: string;
  aspects: Aspect[];
  /** set by an editor rather than read from the entry's questions */
  edited: boolean;
}

export interface Robot {
  ask(input: AskInput): Promise<AskResult>;
  /** the reasoning for a question; with `previous`, as the next turn of a conversation that asked those */
  explain(question: string, viewer?: Viewer, previous?: string[]): Explanation;
  /** what each entry answers about its topic (where, materials, how long …): read from its questions or set by an editor */
  aspects(viewer: Viewer): EntryAspects[];
  rebuild(snapshot: Partial<KbSnapshot> & { config?: Partial<RobotConfig> }): void;
  /** learned models (to persist or reuse) */
  models(): RobotModels;
  /** low-level ranking without session or decision (benchmarks, evaluation) */
  rank(question: string, viewer: Viewer): Ranked;
  /** the last build: texts analysed vs reused from earlier builds, whether models were trained, time */
  buildStats(): BuildStats;
  readonly config: RobotConfig;
}

/** Calibration features of a ranked list: how far ahead the top candidate is, and how well it matches in absolute terms. */
const CALIB: [string, (qv: QueryVec, s: Scored[]) => number][] = [
  ['topLogit', (_, s) => s[0].logit],
  ['margin', (_, s) => Math.min(s[0].logit - (s[1]?.logit ?? s[0].logit - 3), 3)],
  ['margin3', (_, s) => Math.min(s[0].logit - (s[2]?.logit ?? s[0].logit - 5), 5)],
  // a clear lead only means something when the leader also matches well
  ['marginCore', (_, s) => Math.min(s[0].logit - (s[1]?.logit ?? s[0].logit - 3), 3) * s[0].features[FEATURE_NAMES.indexOf('coreCov')]],
  ['marginCos', (_, s) => Math.min(s[0].logit - (s[1]?.logit ?? s[0].logit - 3), 3) * s[0].features[FEATURE_NAMES.indexOf('bestCosW')]],
  ['p1', (_, s) => s[0].prob],
  ['unknownFrac', (qv) => qv.unknownFrac],
  ['knownWords', (qv) => Math.min(qv.knownWords, 6)],
  ['hanLength', (qv) => Math.min(qv.hanLength, 40) / 40],
  ...(['bestCosW', 'bestCosB', 'stdCos', 'covW', 'covB', 'kwScore', 'docCov', 'centW', 'focusCov', 'predCov', 'coreCov', 'anyCov', 'missMax'] as const).map(
    (n) => [n, (_: QueryVec, s: Scored[]) => s[0].features[FEATURE_NAMES.indexOf(n)]] as [string, (qv: QueryVec, s: Scored[]) => number],
  ),
];
const CALIB_NAMES = CALIB.map(([n]) => n);
/** Calibration evidence has a known direction: more match → more confidence (unknown words, misses → less). */
const CALIB_SIGNS = CALIB_NAMES.map((n) => (n === 'unknownFrac' || n === 'missMax' ? -1 : n === 'hanLength' ? 0 : 1));

interface Scored {
  entry: number;
  logit: number;
  prob: number;
  features: Float64Array;
}

export interface Ranked {
  analysis: Analysis;
  qv: QueryVec;
  scored: Scored[];
  confidence: number;
  /** P(the right entry is among the top 3) */
  confidence3: number;
  engine: Engine;
}

/** Everything one viewer class can see: its own analyzer vocabulary, index and statistics. */
export class Engine {
  readonly analyzer: Analyzer;
  readonly index: MatchIndex;
  /** each entry's domain and aspects, for follow-up questions */
  readonly topics: TopicMap;
  constructor(
    entries: KbEntry[],
    categories: KbCategory[],
    synonyms: SynonymGroup[],
    store?: DocStore,
    segmenter?: Segmenter,
    entryAspects: Record<string, Aspect[]> = {},
  ) {
    const vocab = buildVocabulary(entries, categories);
    this.analyzer = new Analyzer({ vocabulary: vocab, synonyms, segmenter });
    this.index = new MatchIndex(entries, categories, this.analyzer, store);
    const parents = new Map(categories.map((c) => [c.id, c.parent]));
    const names = new Map(categories.map((c) => [c.id, c.name]));
    this.topics = new TopicMap(
      this.index.entries,
      (c) => parents.get(c),
      (c) => names.get(c),
      (text) => {
        const a = this.analyzer.analyze(text);
        return [...a.words, ...a.concepts];
      },
      (text) => normalizeText(text).compact,
      entryAspects,
    );
  }

  score(cands: RawCandidate[], ranker: LogisticModel): Scored[] {
    const out = cands.map((c) => {
      const z = logit(ranker, c.features);
      return { entry: c.entry, logit: z, prob: sigmoid(z), features: c.features };
    });
    out.sort((a, b) => b.logit - a.logit);
    softmax(out);
    return out;
  }

  calibFeatures(qv: QueryVec, scored: Scored[]): number[] {
    if (!scored.length) return CALIB.map(([n]) => (n === 'topLogit' ? -10 : n === 'missMax' ? 1 : 0));
    return CALIB.map(([, f]) => f(qv, scored));
  }
}

function buildVocabulary(entries: KbEntry[], categories: KbCategory[]): Map<string, number> {
  const vocab = new Map<string, number>();
  const add = (w: string, f = 1) => vocab.set(w, (vocab.get(w) ?? 0) + f);
  for (const e of entries) for (const k of e.keywords) add(k, 3);
  for (const c of categories) add(c.name, 2);
  return vocab;
}

export function createRobot(opts: CreateRobotOptions): Robot {
  let config: RobotConfig = { ...DEFAULT_CONFIG, ...(opts.config ?? {}) };
  const sessions = opts.sessions ?? new MemorySessionStore();
  let pub!: Engine;
  let all!: Engine;
  let models!: RobotModels;
  let categoryParents = new Map<string, string | null>();
  let stats: BuildStats = { entries: 0, analysed: 0, reused: 0, trained: false, ms: 0 };
  /** token ids of every KB text, reused across rebuilds */
  const docStore = new DocStore();

  function build(snap: { entries: KbEntry[]; categories: KbCategory[]; synonyms: SynonymGroup[] }, given?: RobotModels) {
    const publicEntries = snap.entries.filter((e) => e.audience === 'public');
    const t0 = performance.now();
    // one segmenter per build with every domain word of the KB (both viewer classes): segmentation
    // then depends only on this snapshot, not on earlier builds or other robots in the process
    const segmenter = new Segmenter([...buildVocabulary(snap.entries, snap.categories).keys(), ...snap.synonyms.flatMap((g) => [g.term, ...g.synonyms].filter((p) => !p.includes('*')))]);
    docStore.begin(snap.synonyms, segmenter.words);
    const nextPub = new Engine(publicEntries, snap.categories, snap.synonyms, docStore, segmenter, config.entryAspects);
    const nextAll = new Engine(snap.entries, snap.categories, snap.synonyms, docStore, segmenter, config.entryAspects);
    docStore.end();
    const analysed = docStore.misses;
    const reused = docStore.hits;
    const usable = given && modelsFit(given) ? given : undefined;
    const nextModels = usable ?? train(nextPub, config.trainingQueries, labeled.filter((l) => l.expect === null || nextPub.index.byId.has(l.expect)));
    // swap atomically
    pub = nextPub;
    all = nextAll;
    models = nextModels;
    stats = { entries: snap.entries.length, analysed, reused, trained: !usable, ms: Math.round(performance.now() - t0) };
    categoryParents = new Map(snap.categories.map((c) => [c.id, c.parent]));
    current = snap;
  }
  const labeled = opts.labeledQuestions ?? [];
  let current = { entries: opts.entries, categories: opts.categories ?? [], synonyms: opts.synonyms ?? STARTER_SYNONYMS };
  build(current, opts.models);

  function engineFor(viewer: Viewer): Engine {
    return viewer?.canSeeStaff ? all : pub;
  }

  function rankText(text: string, engine: Engine): Ranked {
    const analysis = engine.analyzer.analyze(text);
    const qv = engine.index.queryVector(analysis);
    const raw = qv.ids.length ? engine.index.search(qv) : [];
    const scored = engine.score(raw, models.ranker);
    const cf = scored.length ? engine.calibFeatures(qv, scored) : null;
    const confidence = cf ? sigmoid(logit(models.calibrator, cf)) : 0;
    const confidence3 = cf ? Math.max(confidence, sigmoid(logit(models.calibrator3 ?? models.calibrator, cf))) : 0;
    return { analysis, qv, scored, confidence, confidence3, engine };
  }

  function candidatesOf(r: Ranked, n = config.maxCandidates): Candidate[] {
    return r.scored.slice(0, n).map((s) => {
      const e = r.engine.index.entries[s.entry];
      return { entryId: e.id, question: e.question, score: round(s.prob) };
    });
  }

  function isHumanOnly(entry: KbEntry): boolean {
    if (config.humanOnlyEntries.includes(entry.id)) return true;
    return ancestorIds(entry.category, (c) => categoryParents.get(c)).some((c) => config.humanOnlyCategories.includes(c));
  }

  /** Stateless decision for one ranked question. */
  function decide(text: string, r: Ranked | null): { type: DecisionType; reason?: AskResult['handoffReason']; referral?: Referral } {
    const norm = normalizeText(text).text;
    if (wantsHuman(norm)) return { type: 'handoff', reason: 'request' };
    if (config.handoffOnAnger && isAngry(norm)) return { type: 'handoff', reason: 'anger' };
    if (!r || !r.scored.length) return { type: 'fallback', referral: referralFor(norm) ?? undefined };
    const top = r.scored[0];
    const gap = top.prob - (r.scored[1]?.prob ?? 0);
    const referral = referralFor(norm) ?? undefined;
    // another agency's business (公积金 / 个税 / 医保 …) asked in substance, and the best we have is the
    // entry that only names that agency's hotline: say so directly instead of presenting the entry
    const topEntry = r.engine.index.entries[top.entry];
    if (referral && r.confidence3 >= config.clarifyThreshold && isReferralEntry(topEntry, referral) && !asksWhereToCall(norm)) {
      return { type: 'fallback', referral };
    }
    if (r.confidence >= config.answerThreshold && gap >= config.answerMargin) {
      if (isHumanOnly(topEntry)) return { type: 'handoff', reason: 'human-only' };
      return { type: 'answer' };
    }
    if (r.confidence3 >= config.clarifyThreshold && !isGreeting(norm)) return { type: 'clarify', referral };
    return { type: 'fallback', referral };
  }

  function fallbackText(ref?: Referral, greeting = false): string {
    const intro = greeting ? '您好，我是12333人社智能客服。' : '抱歉，这个问题我暂时没有找到准确答案。';
    const scope =
      '我可以解答人力资源和社会保障方面的问题，例如：养老保险、失业保险、工伤保险、社会保障卡、就业创业、职业技能、人事人才、劳动合同与劳动争议等。';
    if (ref) return `${intro}${ref.topic}不属于12333人社热线的受理范围，建议拨打 **${ref.hotline}** 咨询${ref.agency}。\n\n${scope}`;
    return `${intro}${scope}您可以换个说法再问一次，或回复“转人工”联系人工客服。`;
  }

  function clarifyText(c: Candidate[], ref?: Referral): string {
    const note = ref ? `\n\n如果您咨询的是${ref.topic}，它不属于12333人社热线的受理范围，请拨打 **${ref.hotline}** 咨询${ref.agency}。` : '';
    return '您是想咨询下面哪个问题？请回复序号：\n\n' + c.map((x, i) => `${i + 1}. ${x.question}`).join('\n') + note;
  }

  const HANDOFF_TEXT: Record<NonNullable<AskResult['handoffReason']>, string> = {
    request: '好的，正在为您转接人工客服，请稍候。',
    anger: '非常抱歉给您带来不好的体验，正在为您转接人工客服，请稍候。',
    failures: '抱歉没能帮您解决问题，正在为您转接人工客服，请稍候。',
    'human-only': '这个问题需要由人工客服为您办理，正在为您转接，请稍候。',
  };

  /**
   * A question asked after an answer: read on its own, and read as a follow-up of the topic entry
   * (the names of the topic's domain and category joined to it, entries of that category and domain
   * preferred, and the aspect it asks about — where, materials, how long, how much …). A question that announces a new topic
   * ("另外问下…") or reads as complete and confident on its own in another domain keeps its own reading;
   * one that names another domain ("那医保呢") keeps the aspect and moves to that domain.
   */
  function resolveFollowUp(engine: Engine, alone: Ranked, question: string, topicIndex: number): { ranked: Ranked; why: string } {
    const compact = normalizeText(question).compact;
    const topics = engine.topics;
    if (announcesNewTopic(compact)) return { ranked: alone, why: 'new topic announced' };
    const aloneTop = alone.scored[0]?.entry;
    const leaning = leansOnContext(compact);
    const named = topics.namedRoots([...alone.analysis.words, ...alone.analysis.concepts], compact);
    const topicRoot = topics.root[topicIndex];
    const otherDomain = named.length > 0 && !named.includes(topicRoot);
    if (!leaning && aloneTop !== undefined && alone.confidence >= config.answerThreshold && topics.root[aloneTop] !== topicRoot) {
      return { ranked: alone, why: 'complete question on another topic' };
    }
    const topicEntry = engine.index.entries[topicIndex];
    const merged = rankText(`${otherDomain ? topicEntry.question : topics.placeText[topicIndex]} ${question}`, engine);
    const asked = aspectsOf(compact);
    const preferredRoot = otherDomain ? named[0] : topicRoot;
    const pool = new Set<number>([...alone.scored.slice(0, 30).map((c) => c.entry), ...merged.scored.slice(0, 30).map((c) => c.entry), ...(topics.byRoot.get(preferredRoot) ?? [])]);
    // a question that names the topic's domain itself needs no words from the context to be read
    // …nor does one the robot already reads confidently inside the topic's own domain
    const confidentAtHome = aloneTop !== undefined && alone.confidence >= FOLLOW_UP.confidentAlone && topics.root[aloneTop] === preferredRoot;
    const wAlone = named.includes(topicRoot) || confidentAtHome ? FOLLOW_UP.aloneWeightNamed : leaning || alone.analysis.hanLength <= 8 ? FOLLOW_UP.aloneWeightElliptical : FOLLOW_UP.aloneWeight;
    // "低保户算不算" after "who counts as…" asks the topic entry's own aspect again, about another case
    const asksTopicAgain = asked.size > 0 && aspectMatch(asked, topics.aspects[topicIndex]) === 1;
    const scored: Scored[] = [...pool].map((ei) => {
      const za = logit(models.ranker, engine.index.features(alone.qv, ei));
      const fm = engine.index.features(merged.qv, ei);
      const zm = logit(models.ranker, fm);
      const sameCategory = !otherDomain && topics.category[ei] === topics.category[topicIndex];
      // a follow-up asks something else than the answer it follows
      const prior = (ei === topicIndex ? (asksTopicAgain ? FOLLOW_UP.repeatSameAspect : FOLLOW_UP.repeat) : 0) + (sameCategory ? FOLLOW_UP.sameCategory : 0) + (topics.root[ei] === preferredRoot ? FOLLOW_UP.sameDomain : 0) + FOLLOW_UP.aspect * aspectMatch(asked, topics.aspects[ei]);
      return { entry: ei, logit: wAlone * za + (1 - wAlone) * zm + prior, prob: 0, features: fm };
    });
    scored.sort((a, b) => b.logit - a.logit);
    softmax(scored);
    const cf = engine.calibFeatures(merged.qv, scored);
    const confidence = sigmoid(logit(models.calibrator, cf));
    const confidence3 = Math.max(confidence, sigmoid(logit(models.calibrator3 ?? models.calibrator, cf)));
    const why = `follow-up of ${topicEntry.id}${otherDomain ? ` moved to ${preferredRoot}` : ''}${asked.size ? ` asking ${[...asked].join('/')}` : ''}`;
    return { ranked: { analysis: alone.analysis, qv: merged.qv, scored, confidence, confidence3, engine }, why };
  }

  async function ask(input: AskInput): Promise<AskResult> {
    const viewer: Viewer = input.viewer ?? { canSeeStaff: false, roles: [] };
    const engine = engineFor(viewer);
    const question = expandAbbreviations(String(input.question ?? '').slice(0, 2000));
    let session: RobotSession | undefined = input.sessionId ? await sessions.get(input.sessionId) : undefined;
    if (session && session.canSeeStaff !== !!viewer.canSeeStaff) session = undefined; // never cross visibility
    const sessionId = session?.id ?? input.sessionId ?? randomUUID();
    if (!session) session = { id: sessionId, turns: [], failures: 0, canSeeStaff: !!viewer.canSeeStaff, updatedAt: Date.now() };
    const norm = normalizeText(question).text;

    const finish = async (res: Omit<AskResult, 'sessionId'>, topicText?: string): Promise<AskResult> => {
      const s = session!;
      s.turns.push({ question, type: res.type, entryId: res.entryId, at: Date.now() });
      if (s.turns.length > 20) s.turns.splice(0, s.turns.length - 20);
      if (res.type === 'answer') {
        s.failures = 0;
        s.lastEntryId = res.entryId;
        s.topicEntryId = res.entryId;
        s.topicText = topicText ?? question;
        s.pendingOptions = undefined;
      } else if (res.type === 'clarify') {
        // offering choices is not a failure: only turns the robot could not place at all lead to a person
        s.pendingOptions = res.candidates.map((c) => c.entryId);
        s.topicEntryId = res.candidates[0]?.entryId;
        s.topicText = topicText ?? question;
      } else if (res.type === 'fallback' && res.referral) {
        // a referral is understood, not failed: it does not count towards a hand-off
        s.topicEntryId = res.entryId ?? s.topicEntryId;
        s.pendingOptions = undefined;
      } else if (res.type === 'fallback') {
        s.failures++;
        s.pendingOptions = undefined;
      } else {
        s.failures = 0;
        s.pendingOptions = undefined;
      }
      s.updatedAt = Date.now();
      await sessions.set(s);
      return { ...res, sessionId };
    };

    const answerEntry = (id: string, r: Ranked | null, why: string, topic?: string) => {
      const ei = engine.index.byId.get(id);
      if (ei === undefined) return null; // not visible to this viewer (or deleted)
      const e = engine.index.entries[ei];
      if (isHumanOnly(e)) {
        return finish({ type: 'handoff', handoffReason: 'human-only', answer: HANDOFF_TEXT['human-only'], candidates: r ? candidatesOf(r) : [], confidence: r?.confidence ?? 1, reasoning: why });
      }
      return finish(
        { type: 'answer', entryId: e.id, answer: e.answer, candidates: r ? candidatesOf(r) : [{ entryId: e.id, question: e.question, score: 1 }], confidence: r ? r.confidence : 1, reasoning: why },
        topic ?? e.question,
      );
    };

    // 1. explicit hand-off / anger (before anything else)
    if (wantsHuman(norm)) return finish({ type: 'handoff', handoffReason: 'request', answer: HANDOFF_TEXT.request, candidates: [], confidence: 1, reasoning: 'explicit request for a human agent' });

    // 2. answer to a pending clarify prompt
    if (session.pendingOptions?.length) {
      const n = parseChoice(norm);
      const opts = session.pendingOptions;
      if (n && n <= opts.length) {
        const res = await answerEntry(opts[n - 1], null, `clarify choice ${n}`);
        if (res) return res;
      }
      const compact = normalizeText(question).compact;
      if (compact.length >= 4) {
        for (const id of opts) {
          const ei = engine.index.byId.get(id);
          if (ei === undefined) continue;
          const q = normalizeText(engine.index.entries[ei].question).compact;
          if (q === compact || q.includes(compact)) {
            const res = await answerEntry(id, null, 'clarify choice by option text');
            if (res) return res;
          }
        }
      }
      if (isNegative(norm)) {
        session.pendingOptions = undefined;
        if (session.failures + 1 >= config.handoffAfterFailures) {
          return finish({ type: 'handoff', handoffReason: 'failures', answer: HANDOFF_TEXT.failures, candidates: [], confidence: 0, reasoning: 'none of the offered options fit' });
        }
        return finish({ type: 'fallback', answer: '好的，请您换个说法再描述一下问题，或回复“转人工”联系人工客服。', candidates: [], confidence: 0, reasoning: 'none of the offered options fit' });
      }
    }

    // 3. rank the question on its own, and in the context of the conversation's topic
    let r = rankText(question, engine);
    const topicText = question;
    let why = 'standalone';
    const topicIndex = session.topicEntryId ? engine.index.byId.get(session.topicEntryId) : undefined;
    if (topicIndex !== undefined && !isGreeting(norm)) {
      const resolved = resolveFollowUp(engine, r, question, topicIndex);
      r = resolved.ranked;
      why = resolved.why;
    }

    const d = decide(question, r);
    const candidates = candidatesOf(r);
    const reasoning = `${why}; confidence ${round(r.confidence)}; decision ${d.type}`;
    if (d.type === 'handoff') {
      const reason = d.reason ?? 'request';
      return finish({ type: 'handoff', handoffReason: reason, answer: HANDOFF_TEXT[reason], candidates, confidence: r.confidence, reasoning });
    }
    if (d.type === 'answer') {
      const e = r.engine.index.entries[r.scored[0].entry];
      return finish({ type: 'answer', entryId: e.id, answer: e.answer, candidates, confidence: r.confidence, reasoning }, topicText);
    }
    // a question the robot could not place at all, twice in a row → human
    if (d.type === 'fallback' && !d.referral && session.failures + 1 >= config.handoffAfterFailures && session.turns.length > 0 && !isGreeting(norm)) {
      return finish({ type: 'handoff', handoffReason: 'failures', answer: HANDOFF_TEXT.failures, candidates, confidence: r.confidence, reasoning: reasoning + '; repeated failure' });
    }
    if (d.type === 'clarify') {
      return finish({ type: 'clarify', answer: clarifyText(candidates, d.referral), candidates, confidence: r.confidence, reasoning, referral: d.referral }, topicText);
    }
    // another agency's business: the answer names its hotline, from the entry that says so (which becomes the topic)
    const referralEntry = d.referral ? r.engine.index.entries.find((e) => isReferralEntry(e, d.referral!)) : undefined;
    return finish({ type: 'fallback', entryId: referralEntry?.id, answer: fallbackText(d.referral, isGreeting(norm)), candidates, confidence: r.confidence, reasoning, referral: d.referral });
  }

  function explain(asked: string, viewer: Viewer = { canSeeStaff: false, roles: [] }, previous: string[] = []): Explanation {
    const engine = engineFor(viewer);
    const question = expandAbbreviations(asked);
    // the earlier turns set the topic as in a conversation: each one's best entry becomes the next one's topic
    let topicIndex: number | undefined;
    for (const asked of previous) {
      const p = expandAbbreviations(asked);
      let pr = rankText(p, engine);
      if (topicIndex !== undefined) pr = resolveFollowUp(engine, pr, p, topicIndex).ranked;
      if (pr.scored.length) topicIndex = pr.scored[0].entry;
    }
    let r = rankText(question, engine);
    let followUp: Explanation['followUp'];
    if (topicIndex !== undefined) {
      const resolved = resolveFollowUp(engine, r, question, topicIndex);
      r = resolved.ranked;
      const topic = engine.index.entries[topicIndex];
      followUp = { topicEntryId: topic.id, topicQuestion: topic.question, reading: resolved.why };
    }
    const d = decide(question, r);
    const a = r.analysis;
    return {
      question: asked,
      normalized: a.normalized,
      corrected: a.corrected,
      corrections: a.corrections,
      tokens: a.words,
      synonymsApplied: a.synonymHits,
      bigrams: a.bigrams,
      unknownShare: round(r.qv.unknownFrac),
      candidates: r.scored.slice(0, 10).map((s) => {
        const e = engine.index.entries[s.entry];
        const features: Record<string, number> = {};
        for (const [i, n] of FEATURE_NAMES.entries()) features[n] = round(s.features[i]);
        return { entryId: e.id, question: e.question, score: round(s.prob), rankLogit: round(s.logit), features };
      }),
      confidence: round(r.confidence),
      decision: d.type,
      handoffReason: d.reason,
      referral: d.referral,
      followUp,
    };
  }

  function aspects(viewer: Viewer): EntryAspects[] {
    const engine = engineFor(viewer);
    return engine.index.entries.map((e, i) => ({ entryId: e.id, question: e.question, aspects: [...engine.topics.aspects[i]], edited: !!config.entryAspects[e.id] }));
  }

  return {
    ask,
    explain,
    aspects,
    rank: (q, viewer) => rankText(q, engineFor(viewer)),
    rebuild(snapshot) {
      if (snapshot.config) config = { ...config, ...snapshot.config };
      const next = {
        entries: snapshot.entries ?? current.entries,
        categories: snapshot.categories ?? current.categories,
        synonyms: snapshot.synonyms ?? current.synonyms,
      };
      build(next, opts.models); // models given at creation are kept; otherwise retrain on the new KB
    },
    models: () => models,
    buildStats: () => stats,
    get config() {
      return config;
    },
  };
}

/** How a follow-up's two readings and the conversation's topic are weighed (tuned on the dialogues' tuning split). */
export const FOLLOW_UP = { aloneWeightNamed: 1, aloneWeight: 0.7, aloneWeightElliptical: 0.5, sameCategory: 0.4, sameDomain: 1.2, aspect: 2, repeat: -2.5, repeatSameAspect: -1.25, confidentAlone: 0.3 };

/** Candidates per training question: fewer than at query time (QUERY_CANDIDATES), since the negatives that teach are the top few. */
const TRAINING_CANDIDATES = 24;
/** Hard negatives per training question and their weight in the second ranker pass. */
const HARD_NEGATIVES = 3;
const HARD_NEGATIVE_WEIGHT = 6;

/** One training question with its retrieved candidates (features fixed at collection time). */
export interface TrainingQuery {
  kind: 'loo' | 'leo' | 'labeled';
  qv: QueryVec;
  cands: RawCandidate[];
  /** index of the right entry (-1: none is right, e.g. out of scope or left out) */
  entry: number;
}

export interface FitOptions {
  /** weight of a labeled (real caller) question relative to a KB leave-one-out question (default 10) */
  labeledWeight?: number;
}

/**
 * Training questions from the KB itself: every similar question (and standard question) asked with
 * its own doc left out (leave-one-out); every second one also with its whole entry left out
 * (leave-entry-out: must be rejected). Plus confirmed caller questions (`labeled`).
 */
export function collectTraining(engine: Engine, maxQueries: number, labeled: { q: string; expect: string | null }[] = []): TrainingQuery[] {
  const idx = engine.index;
  const all: number[] = [];
  for (let d = 0; d < idx.docEntry.length; d++) if (idx.docKind[d] !== 2) all.push(d);
  const step = Math.max(1, Math.ceil(all.length / maxQueries));
  const picked = all.filter((_, i) => i % step === 0);
  const out: TrainingQuery[] = [];
  picked.forEach((d, n) => {
    const entry = idx.docEntry[d];
    const a = engine.analyzer.analyze(idx.docText[d]);
    const qv = idx.queryVector(a, { doc: d });
    out.push({ kind: 'loo', qv, cands: idx.search(qv, { limit: TRAINING_CANDIDATES, excludeDoc: d }), entry });
    if (n % 2 === 0) {
      const qvLeo = idx.queryVector(a, { entry });
      out.push({ kind: 'leo', qv: qvLeo, cands: idx.search(qvLeo, { limit: TRAINING_CANDIDATES, excludeEntry: entry }), entry: -1 });
    }
  });
  for (const l of labeled) {
    const qv = idx.queryVector(engine.analyzer.analyze(l.q));
    const entry = l.expect === null ? -1 : (idx.byId.get(l.expect) ?? -2);
    if (entry === -2) continue; // entry not in this KB
    out.push({ kind: 'labeled', qv, cands: idx.search(qv, { limit: TRAINING_CANDIDATES }), entry });
  }
  return out;
}

/** Pairwise logistic ranker (right entry vs each wrong candidate) + logistic confidence calibrator. */
export function fitModels(engine: Engine, queries: TrainingQuery[], opts: FitOptions = {}): RobotModels {
  const lw = opts.labeledWeight ?? 10;
  const X: Float64Array[] = [];
  const sw: number[] = [];
  for (const t of queries) {
    if (t.kind === 'leo' || t.entry < 0) continue;
    const pos = t.cands.find((c) => c.entry === t.entry);
    if (!pos) continue;
    const w = t.kind === 'labeled' ? lw : 1;
    for (const c of t.cands) {
      if (c === pos) continue;
      X.push(pos.features.map((v, i) => v - c.features[i]));
      sw.push(w);
    }
  }
  // every feature is evidence in a known direction (more match → better; a missed specific word → worse)
  const signs = FEATURE_NAMES.map((n) => (n === 'missMax' ? -1 : 1));
  let ranker = fitPairwise(FEATURE_NAMES, X, { l2: 1e-3, iterations: 200, sampleWeights: sw, signs });
  const HN = HARD_NEGATIVES;
  const HW = HARD_NEGATIVE_WEIGHT;
  if (HN > 0) {
    // second pass (LambdaRank-like): the wrong candidates the first model ranks highest weigh more —
    // the mistakes that decide top-1 are between close siblings, not against far-off entries
    X.length = 0;
    sw.length = 0;
    for (const t of queries) {
      if (t.kind === 'leo' || t.entry < 0) continue;
      const pos = t.cands.find((c) => c.entry === t.entry);
      if (!pos) continue;
      const w = t.kind === 'labeled' ? lw : 1;
      const wrong = t.cands.filter((c) => c !== pos).sort((a, b) => logit(ranker, b.features) - logit(ranker, a.features));
      wrong.forEach((c, r) => {
        X.push(pos.features.map((v, i) => v - c.features[i]));
        sw.push(w * (r < HN ? HW : 1));
      });
    }
    ranker = fitPairwise(FEATURE_NAMES, X, { l2: 1e-3, iterations: 200, sampleWeights: sw, signs });
  }
  // the calibrators learn from KB questions only: fitted on caller questions they learned the callers'
  // style and answered too often on other callers (blind precision fell to 85.9 %)
  const CX: number[][] = [];
  const Cy: number[] = [];
  const Cy3: number[] = [];
  for (const t of queries) {
    if (t.kind === 'labeled') continue;
    const s = engine.score(t.cands, ranker);
    CX.push(engine.calibFeatures(t.qv, s));
    Cy.push(t.entry >= 0 && s[0]?.entry === t.entry ? 1 : 0);
    Cy3.push(t.entry >= 0 && s.slice(0, 3).some((c) => c.entry === t.entry) ? 1 : 0);
  }
  const calibrator = fitLogistic(CALIB_NAMES, CX, Cy, { l2: 1e-3, iterations: 300, signs: CALIB_SIGNS });
  const calibrator3 = fitLogistic(CALIB_NAMES, CX, Cy3, { l2: 1e-3, iterations: 300, signs: CALIB_SIGNS });
  return { ranker, calibrator, calibrator3 };
}

/** Learns the ranker and the confidence calibrator from the KB itself (+ labeled caller questions). */
export function train(engine: Engine, maxQueries: number, labeled: { q: string; expect: string | null }[] = [], opts: FitOptions = {}): RobotModels {
  return fitModels(engine, collectTraining(engine, maxQueries, labeled), opts);
}

/** Candidate probabilities relative to each other (softmax over the ranker logits). */
function softmax(list: { logit: number; prob: number }[]): void {
  if (!list.length) return;
  const mx = list[0].logit;
  let z = 0;
  for (const c of list) z += Math.exp(c.logit - mx);
  for (const c of list) c.prob = Math.exp(c.logit - mx) / z;
}

/** An entry whose job is to name another agency's hotline ("住房公积金问题应该咨询哪个电话？"). */
function isReferralEntry(e: KbEntry, ref: Referral): boolean {
  return e.answer.includes(ref.hotline) && /电话|热线|咨询哪里|找哪个部门|哪个部门|打哪/.test(e.question);
}

/** The caller asks which number / department to contact, not the substance. */
function asksWhereToCall(text: string): boolean {
  return /电话|热线|号码|哪个部门|什么部门|找谁|找哪|打什么|打哪|归谁管|谁管|哪里管|能不能查|能查吗|能不能问|能问吗|能回答|管不管|问哪/.test(text.replace(/ /g, ''));
}

/** Models learned with another feature set (an older version) cannot be reused. */
export function modelsFit(m: RobotModels): boolean {
  const same = (a: readonly string[] | undefined, b: readonly string[]) => !!a && a.length === b.length && a.every((x, i) => x === b[i]) && true;
  return same(m?.ranker?.names, FEATURE_NAMES) && same(m?.calibrator?.names, CALIB_NAMES) && m.ranker.w.length === FEATURE_NAMES.length && m.calibrator.w.length === CALIB_NAMES.length && (!m.calibrator3 || same(m.calibrator3.names, CALIB_NAMES));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
