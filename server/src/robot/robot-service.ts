import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { EVENTS } from '../../../common/events';
import { maskPersonalData } from '../../../common/masking';
import { canSeeStaff, type Actor } from '../identity/permissions';
import type { KnowledgeService } from '../knowledge/service';
import { isInForce } from '../knowledge/policy';
import type { AppContext } from '../platform/context';
import { newId, nowIso } from '../platform/ids';
import { DatabaseJsonStore, JsonSessionStore, robotRepo, type JsonStore, type TurnRecord } from './repo';
import { createRobot, DEFAULT_CONFIG, type AskResult, type KbSnapshot, type Robot, type RobotConfig, type RobotModels, type Viewer } from './robot';
import type { SessionStore } from './session-store';
import { seedCallerQuestions } from './seed';
import { RedisJsonStore } from './session-store-redis';

/** The settings an operator may change in the console. */
export type RobotSettings = Pick<RobotConfig, 'answerThreshold' | 'clarifyThreshold' | 'handoffAfterFailures' | 'humanOnlyCategories' | 'humanOnlyEntries' | 'handoffOnAnger'> & Partial<Pick<RobotConfig, 'entryAspects'>>;
const SETTINGS_KEY = 'config';
const MODELS_KEY = 'models';
/**
 * What stored models were learned from; models stored by an older version are learned again once.
 * 2: the ranker also learns from confirmed caller questions.
 * 3: three times as many seed caller questions (callers-a … callers-d).
 */
export const MODELS_VERSION = 3;
/** How often expired robot sessions are deleted from the database. */
const SESSION_SWEEP_MS = 5 * 60_000;

// Learned models depend only on the knowledge base; tests and restarts with the same KB reuse them.
const modelMemo = new Map<string, RobotModels>();

/** What the robot is allowed to see for this caller. */
export function viewerOf(actor: Actor): Viewer {
  return { canSeeStaff: canSeeStaff(actor), roles: actor.roles };
}

/**
 * The robot as the platform runs it: built from the served knowledge base (lazily, on first use),
 * rebuilt whenever the knowledge base changes, with sessions in Redis or the database, settings
 * and learned models kept in the database, and every turn logged (personal data masked).
 */
export class RobotService {
  private robot: Robot | undefined;
  private building: Promise<Robot> | undefined;
  private stale = false;
  readonly sessions: SessionStore;
  /** Shared small state of conversations (chat interviews), next to the sessions. */
  readonly keyValues: JsonStore;
  private redis?: Redis;
  private decisions;

  constructor(
    private ctx: AppContext,
    private knowledge: KnowledgeService,
  ) {
    if (ctx.config.REDIS_URL) this.redis = new Redis(ctx.config.REDIS_URL, { maxRetriesPerRequest: 2 });
    if (this.redis) this.keyValues = new RedisJsonStore(this.redis);
    else {
      const store = new DatabaseJsonStore(ctx.db);
      this.keyValues = store;
      // expired sessions hold citizens' questions: they are deleted, not just ignored (Redis expires its own)
      ctx.jobs.every(SESSION_SWEEP_MS, 'robot.sweep-sessions', () => store.sweep());
    }
    this.sessions = new JsonSessionStore(this.keyValues);
    knowledge.onReload(() => {
      if (this.robot || this.building) this.stale = true;
    });
    ctx.events.on(EVENTS.robotSettingsChanged, () => void this.applyStoredSettings());
    this.decisions = ctx.metrics.counter('robot_decisions_total', 'Turns the robot answered, by decision: answer, clarify, fallback or handoff', ['decision']);
  }

  /** The knowledge the robot answers from: published entries in force, without role-narrowed staff entries. */
  snapshot(): KbSnapshot {
    const entries = this.knowledge
      .publishedSnapshot()
      .filter((v) => isInForce(v) && !(v.audience === 'staff' && v.roles.length > 0))
      .map((v) => ({ id: v.entryId, category: v.categoryId, question: v.question, similar: v.similar, keywords: v.keywords, answer: v.answer, audience: v.audience, references: v.references }));
    return {
      entries,
      categories: this.knowledge.categories().map((c) => ({ id: c.id, name: c.name, parent: c.parentId })),
      synonyms: this.knowledge.synonyms().map((g) => ({ term: g.term, synonyms: g.synonyms, ...(g.context.length ? { context: g.context } : {}) })),
    };
  }

  private fingerprint(snapshot: KbSnapshot) {
    return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex').slice(0, 16);
  }

  /** The current robot, built on first use and rebuilt after knowledge changes. */
  async ready(): Promise<Robot> {
    if (this.robot && !this.stale) return this.robot;
    if (!this.building) {
      this.stale = false;
      this.building = this.build().finally(() => (this.building = undefined));
    }
    const robot = await this.building;
    return this.stale ? this.ready() : robot;
  }

  private async build(): Promise<Robot> {
    const snapshot = this.snapshot();
    const repo = robotRepo(this.ctx.db);
    const settings = await this.settings();
    // Models learned on an earlier knowledge base still rank well: features are relative to the KB.
    // They are retrained on demand (console) or when none exist yet.
    const stored = (await repo.getSetting(MODELS_KEY)) as { models?: RobotModels; version?: number } | undefined;
    const fingerprint = this.fingerprint(snapshot);
    const models = modelMemo.get(fingerprint) ?? this.robot?.models() ?? (stored?.version === MODELS_VERSION ? stored.models : undefined);
    const robot = createRobot({ ...snapshot, config: settings, sessions: this.sessions, models, labeledQuestions: models ? undefined : await this.labeledQuestions() });
    if (!models) {
      modelMemo.set(fingerprint, robot.models());
      await repo.putSetting(MODELS_KEY, { fingerprint, version: MODELS_VERSION, models: robot.models() }, 'system', nowIso());
    }
    this.robot = robot;
    return robot;
  }

  /** Learns the ranking and confidence models again from the current knowledge base. */
  async retrain(by: string) {
    const snapshot = this.snapshot();
    const fingerprint = this.fingerprint(snapshot);
    const robot = createRobot({ ...snapshot, config: await this.settings(), sessions: this.sessions, labeledQuestions: await this.labeledQuestions() });
    modelMemo.set(fingerprint, robot.models());
    await robotRepo(this.ctx.db).putSetting(MODELS_KEY, { fingerprint, version: MODELS_VERSION, models: robot.models() }, by, nowIso());
    this.robot = robot;
    return { entries: snapshot.entries.length };
  }

  /**
   * Confirmed caller questions the ranker learns from: the seed caller questions plus every question
   * an agent answered by sending an entry. They only set the ranker's weights (nothing is added to the
   * index), and only when models are learned: on first start or when an operator retrains.
   */
  private async labeledQuestions() {
    return [...seedCallerQuestions(), ...(await robotRepo(this.ctx.db).entryAnsweredQuestions())];
  }

  async settings(): Promise<RobotSettings> {
    const stored = (await robotRepo(this.ctx.db).getSetting(SETTINGS_KEY)) ?? {};
    const d = DEFAULT_CONFIG;
    return {
      answerThreshold: d.answerThreshold,
      clarifyThreshold: d.clarifyThreshold,
      handoffAfterFailures: d.handoffAfterFailures,
      humanOnlyCategories: d.humanOnlyCategories,
      humanOnlyEntries: d.humanOnlyEntries,
      handoffOnAnger: d.handoffOnAnger,
      entryAspects: d.entryAspects,
      ...(stored as Partial<RobotSettings>),
    };
  }

  /** Saves the settings; every instance (this one at once) rebuilds with them when the event arrives. */
  async saveSettings(settings: RobotSettings, by: string) {
    const events = this.ctx.outbox.batch();
    await this.ctx.db.transaction().execute(async (trx) => {
      await robotRepo(trx).putSetting(SETTINGS_KEY, settings, by, nowIso());
      await events.add(trx, EVENTS.robotSettingsChanged, { by });
    });
    events.dispatch();
    (await this.ready()).rebuild({ config: settings });
  }

  /** Settings changed on another instance: take them from the database. */
  private async applyStoredSettings() {
    if (!this.robot) return; // not built yet: the build reads them
    try {
      const stored = await this.settings();
      const current = this.robot.config as unknown as Record<string, unknown>;
      // the instance that saved them has applied them already
      if (Object.entries(stored).every(([k, v]) => JSON.stringify(current[k]) === JSON.stringify(v))) return;
      this.robot.rebuild({ config: stored });
    } catch (err) {
      this.ctx.log.error({ err }, 'robot: could not apply changed settings');
    }
  }

  /** Asks the robot and logs the turn. */
  async ask(actor: Actor, asked: { question: string; sessionId?: string; channel?: string }): Promise<AskResult> {
    const robot = await this.ready();
    const input = { ...asked, question: maskPersonalData(asked.question) }; // sessions keep the question: never a raw ID or phone
    const result = await robot.ask({ ...input, viewer: viewerOf(actor) });
    await this.logTurn(actor, input, { decision: result.type, sessionId: result.sessionId, entryId: result.entryId ?? null, topEntryId: result.candidates[0]?.entryId ?? null, confidence: result.confidence, handoffReason: result.handoffReason ?? null });
    return result;
  }

  /** Logs one turn of a conversation, the question with personal data masked. */
  async logTurn(actor: Actor, input: { question: string; channel?: string }, outcome: Pick<TurnRecord, 'decision' | 'sessionId' | 'entryId' | 'topEntryId' | 'confidence' | 'handoffReason'>) {
    this.decisions.inc({ decision: outcome.decision });
    await robotRepo(this.ctx.db).insertTurn({
      id: newId(),
      at: nowIso(),
      channel: input.channel ?? 'web',
      viewer: actor.kind === 'user' ? 'staff' : actor.kind === 'apiKey' ? 'partner' : 'anonymous',
      question: maskPersonalData(input.question).slice(0, 1000),
      ...outcome,
    });
  }

  async close() {
    await this.redis?.quit();
  }
}
