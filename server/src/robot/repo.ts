import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../platform/database';
import type { RobotSession, SessionStore } from './session-store';

export interface TurnRecord {
  id: string;
  at: string;
  sessionId: string;
  channel: string;
  viewer: 'anonymous' | 'staff' | 'partner';
  question: string;
  decision: 'answer' | 'clarify' | 'handoff' | 'fallback';
  entryId: string | null;
  topEntryId: string | null;
  confidence: number;
  handoffReason: string | null;
}

export interface LearningExample {
  id: string;
  conversationId: string;
  question: string;
  entryId: string | null;
  agentAnswer: string | null;
  status: 'new' | 'proposed' | 'matched';
  submittedBy: string;
  createdAt: string;
}

const toTurn = (row: any): TurnRecord => ({
  id: row.id,
  at: row.at,
  sessionId: row.session_id,
  channel: row.channel,
  viewer: row.viewer,
  question: row.question,
  decision: row.decision,
  entryId: row.entry_id,
  topEntryId: row.top_entry_id,
  confidence: Number(row.confidence),
  handoffReason: row.handoff_reason,
});

/** Every query of the robot domain. */
export function robotRepo(db: Kysely<any>) {
  return {
    async insertTurn(t: TurnRecord) {
      await db
        .insertInto('robot_turns')
        .values({
          id: t.id,
          at: t.at,
          session_id: t.sessionId,
          channel: t.channel,
          viewer: t.viewer,
          question: t.question,
          decision: t.decision,
          entry_id: t.entryId,
          top_entry_id: t.topEntryId,
          confidence: t.confidence,
          handoff_reason: t.handoffReason,
        })
        .execute();
    },
    async turnsSince(since: string) {
      const rows = await db.selectFrom('robot_turns').selectAll().where('at', '>=', since).orderBy('at').execute();
      return rows.map(toTurn);
    },
    /** Distinct questions asked since then, most asked first: a sample of how citizens really word things. */
    async frequentQuestionsSince(since: string, limit: number): Promise<{ question: string; asked: number }[]> {
      const rows = await db
        .selectFrom('robot_turns')
        .select(['question', (eb) => eb.fn.countAll().as('asked')])
        .where('at', '>=', since)
        .groupBy('question')
        .orderBy('asked', 'desc')
        .orderBy('question')
        .limit(limit)
        .execute();
      return rows.map((r: any) => ({ question: r.question, asked: Number(r.asked) }));
    },
    async getSetting(key: string) {
      const row = await db.selectFrom('robot_settings').selectAll().where('key', '=', key).executeTakeFirst();
      return row ? fromJson<Record<string, unknown>>(row.value, {}) : undefined;
    },
    async putSetting(key: string, value: unknown, by: string, at: string) {
      await db
        .insertInto('robot_settings')
        .values({ key, value: toJson(value), updated_by: by, updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(value), updated_by: by, updated_at: at }))
        .execute();
    },
    async insertExamples(examples: LearningExample[]) {
      if (!examples.length) return;
      await db
        .insertInto('robot_learning_examples')
        .values(
          examples.map((e) => ({
            id: e.id,
            conversation_id: e.conversationId,
            question: e.question,
            entry_id: e.entryId,
            agent_answer: e.agentAnswer,
            status: e.status,
            submitted_by: e.submittedBy,
            created_at: e.createdAt,
          })),
        )
        .execute();
    },
    async examplesWithStatus(status: LearningExample['status']) {
      const rows = await db.selectFrom('robot_learning_examples').selectAll().where('status', '=', status).orderBy('created_at').limit(5000).execute();
      return rows.map(
        (r: any): LearningExample => ({
          id: r.id,
          conversationId: r.conversation_id,
          question: r.question,
          entryId: r.entry_id,
          agentAnswer: r.agent_answer,
          status: r.status,
          submittedBy: r.submitted_by,
          createdAt: r.created_at,
        }),
      );
    },
    /** Questions an agent answered by sending a KB entry: confirmed question → entry pairs, newest first (the ranker's weights saturate long before 5 000). */
    async entryAnsweredQuestions(limit = 5000): Promise<{ q: string; expect: string }[]> {
      const rows = await db.selectFrom('robot_learning_examples').select(['question', 'entry_id']).where('entry_id', 'is not', null).orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map((r: any) => ({ q: r.question, expect: r.entry_id }));
    },
    async setExampleStatus(ids: string[], status: LearningExample['status']) {
      if (!ids.length) return;
      await db.updateTable('robot_learning_examples').set({ status }).where('id', 'in', ids).execute();
    },
  };
}

/** Small JSON values with an idle expiry (robot sessions, chat interviews), kept where every instance sees them. */
export interface JsonStore {
  get(id: string): Promise<unknown>;
  set(id: string, value: unknown): Promise<void>;
  delete(id: string): Promise<void>;
}

/** The JSON store in the database: used when there is no Redis. */
export class DatabaseJsonStore implements JsonStore {
  constructor(
    private db: Kysely<any>,
    private ttlMs = 30 * 60_000,
  ) {}
  async get(id: string) {
    const row = await this.db.selectFrom('robot_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.expires_at < new Date().toISOString()) return undefined;
    return fromJson<unknown>(row.data, undefined);
  }
  async set(id: string, value: unknown) {
    const expires = new Date(Date.now() + this.ttlMs).toISOString();
    await this.db
      .insertInto('robot_sessions')
      .values({ id, data: toJson(value), expires_at: expires })
      .onConflict((oc) => oc.column('id').doUpdateSet({ data: toJson(value), expires_at: expires }))
      .execute();
  }
  async delete(id: string) {
    await this.db.deleteFrom('robot_sessions').where('id', '=', id).execute();
  }
  /** Drops expired values. */
  async sweep() {
    await this.db.deleteFrom('robot_sessions').where('expires_at', '<', new Date().toISOString()).execute();
  }
}

/** Robot sessions on a JSON store (database or Redis). */
export class JsonSessionStore implements SessionStore {
  constructor(private store: JsonStore) {}
  get = async (id: string) => (await this.store.get(`session:${id}`)) as RobotSession | undefined;
  set = (session: RobotSession) => this.store.set(`session:${session.id}`, session);
  delete = (id: string) => this.store.delete(`session:${id}`);
}
