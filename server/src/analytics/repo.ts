import { sql, type Kysely } from 'kysely';
import { fromJson, toJson } from '../platform/database';

/**
 * The analytics domain's queries. Besides its own tables it reads the conversations, robot and
 * knowledge tables directly, read-only: a port would only forward these queries, and analytics must
 * never write there.
 */

/** Seconds within which an agent's first reply counts towards the service level (12333's 20-second rule). */
export const SERVICE_LEVEL_SECONDS = 20;

/** One conversation's facts, as stored. */
export interface FactsRow {
  conversation_id: string;
  contact_id: string;
  channel: string;
  category: string;
  skill: string;
  agent: string;
  hour: string;
  created_at: string;
  queued_at: string | null;
  accepted_at: string | null;
  first_reply_at: string | null;
  closed_at: string | null;
  handoff_reason: string | null;
  is_closed: number;
  is_handed_off: number;
  is_queued: number;
  is_abandoned: number;
  is_robot_resolved: number;
  is_repeated: number;
  first_response_s: number | null;
  handling_s: number | null;
  rating: number | null;
  messages: number;
  robot_questions: number;
  robot_answers: number;
  calculator_runs: number;
  updated_at: string;
}

/** A conversation's robot answers from one entry. */
export interface AnswerRow {
  conversation_id: string;
  entry_id: string;
  day: string;
  channel: string;
  answers: number;
}
export interface AnswerBucket {
  day: string;
  channel: string;
  entry_id: string;
}
/** A citizen's question the robot handed off (`handoff`) or could not answer (`unanswered`). */
export interface HardQuestionRow {
  conversation_id: string;
  seq: number;
  day: string;
  channel: string;
  reason: 'handoff' | 'unanswered';
  question: string;
  entry_id: string | null;
  category: string;
}

/** The rollup key: an hour and the four dimensions ('' for none). */
export interface BucketKey {
  hour: string;
  channel: string;
  category: string;
  skill: string;
  agent: string;
}
export const bucketId = (k: BucketKey) => [k.hour, k.channel, k.category, k.skill, k.agent].join('\u0001');

/** What the indicators are filtered by: an hour range (China time, inclusive) and dimensions. */
export interface Scope {
  fromHour: string;
  toHour: string;
  channel?: string;
  /** a category and its sub-categories */
  categories?: string[];
  skill?: string;
  agent?: string;
}

/** The stored state of a conversation that its facts are computed from. */
export interface ConversationSource {
  conversation: any;
  events: { type: string; payload: Record<string, unknown>; createdAt: string }[];
  messages: number;
  robotMessages: { seq: number; inReplyTo: number | null; entryId: string | null; payload: Record<string, any> }[];
  /** the citizen's messages the robot handed off or could not answer, by seq */
  hardQuestions: Map<number, string>;
}

const HOURLY_SUMS = `count(*), coalesce(sum(is_closed),0), coalesce(sum(is_robot_resolved),0), coalesce(sum(is_handed_off),0),
  coalesce(sum(is_queued),0), coalesce(sum(is_abandoned),0),
  coalesce(sum(case when first_response_s is not null and first_response_s <= ${SERVICE_LEVEL_SECONDS} then 1 else 0 end),0),
  coalesce(sum(is_repeated),0), count(first_response_s), coalesce(sum(first_response_s),0), count(handling_s), coalesce(sum(handling_s),0),
  count(rating), coalesce(sum(rating),0), coalesce(sum(case when rating >= 4 then 1 else 0 end),0),
  coalesce(sum(robot_questions),0), coalesce(sum(robot_answers),0), coalesce(sum(calculator_runs),0), coalesce(sum(messages),0)`;
const HOURLY_COLUMNS = `hour, channel, category, skill, agent, conversations, closed, robot_resolved, handed_off, queued, abandoned, answered_within,
  repeated, first_response_count, first_response_sum, handling_count, handling_sum, rated, rating_sum, rating_positive, robot_questions, robot_answers, calculator_runs, messages`;
const KEY = 'hour, channel, category, skill, agent';
/** The category, skill and agent of the per-hour-and-channel totals kept beside the detailed rollup rows. */
export const ALL = '*';
const TOTALS_KEY = `hour, channel, '${ALL}', '${ALL}', '${ALL}'`;

const robotMessage = (m: any) => ({ seq: num(m.seq), inReplyTo: m.in_reply_to === null || m.in_reply_to === undefined ? null : num(m.in_reply_to), entryId: m.entry_id as string | null, payload: fromJson<Record<string, any>>(m.payload, {}) });
/** The robot's decisions that make a question hard: it handed the citizen to people, or had no answer. */
export const isHardDecision = (decision: unknown) => decision === 'handoff' || decision === 'fallback';

/** Numbers from either database (PostgreSQL returns sums as strings). */
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export function analyticsRepo(db: Kysely<any>) {
  /**
   * The scope as conditions. On the rollup tables, a scope without a category, skill or agent reads
   * the per-hour-and-channel totals (rows with '*' in those three), a small fraction of the rows;
   * `fine` forces the detailed rows (grouping by category).
   */
  function scoped<Q extends { where: (...args: any[]) => any }>(qb: Q, scope: Scope, rollup?: 'totals-if-possible' | 'fine'): Q {
    let q: any = qb.where('hour', '>=', scope.fromHour).where('hour', '<=', scope.toHour);
    if (scope.channel) q = q.where('channel', '=', scope.channel);
    if (scope.categories) q = q.where('category', 'in', scope.categories.length ? scope.categories : ['\u0000']);
    if (scope.skill) q = q.where('skill', '=', scope.skill);
    if (scope.agent) q = q.where('agent', '=', scope.agent);
    const isDetailed = Boolean(scope.categories || scope.skill || scope.agent);
    if (rollup === 'fine' && !isDetailed) q = q.where('category', '!=', ALL);
    if (rollup === 'totals-if-possible' && !isDetailed) q = q.where('category', '=', ALL);
    return q;
  }

  /** The citizens' questions behind the robot's hand-offs and fallbacks. */
  async function loadHardQuestions(sources: Map<string, ConversationSource>) {
    const wanted = new Map<string, number[]>();
    for (const [id, s] of sources) {
      const seqs = s.robotMessages.filter((m) => isHardDecision(m.payload?.decision) && m.inReplyTo !== null).map((m) => m.inReplyTo!);
      if (seqs.length) wanted.set(id, seqs);
    }
    if (!wanted.size) return;
    const rows = await db.selectFrom('messages').select(['conversation_id', 'seq', 'text']).where('conversation_id', 'in', [...wanted.keys()]).where('sender', '=', 'customer').where('seq', 'in', [...new Set([...wanted.values()].flat())]).execute();
    for (const r of rows as any[]) if (wanted.get(r.conversation_id)?.includes(r.seq)) sources.get(r.conversation_id)!.hardQuestions.set(r.seq, r.text);
  }

  return {
    // ── the sources (other domains' tables, read-only) ──
    async conversationSource(id: string): Promise<ConversationSource | undefined> {
      const conversation = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!conversation) return undefined;
      const [events, count, robot] = await Promise.all([
        db.selectFrom('conversation_events').select(['type', 'payload', 'created_at']).where('conversation_id', '=', id).orderBy('created_at').execute(),
        db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).where('conversation_id', '=', id).where('is_private', '=', 0).executeTakeFirst(),
        db.selectFrom('messages').select(['seq', 'in_reply_to', 'entry_id', 'payload']).where('conversation_id', '=', id).where('sender', '=', 'robot').orderBy('seq').execute(),
      ]);
      const source: ConversationSource = {
        conversation,
        events: events.map((e: any) => ({ type: e.type, payload: fromJson(e.payload, {}), createdAt: e.created_at })),
        messages: num(count?.n),
        robotMessages: robot.map(robotMessage),
        hardQuestions: new Map(),
      };
      await loadHardQuestions(new Map([[id, source]]));
      return source;
    },
    /** The sources of a batch of conversations (the rebuild), keyed by id. */
    async conversationSources(ids: string[]): Promise<Map<string, ConversationSource>> {
      const out = new Map<string, ConversationSource>();
      if (!ids.length) return out;
      const [conversations, events, counts, robot] = await Promise.all([
        db.selectFrom('conversations').selectAll().where('id', 'in', ids).execute(),
        db.selectFrom('conversation_events').select(['conversation_id', 'type', 'payload', 'created_at']).where('conversation_id', 'in', ids).orderBy('created_at').execute(),
        db.selectFrom('messages').select(['conversation_id', (eb) => eb.fn.countAll().as('n')]).where('conversation_id', 'in', ids).where('is_private', '=', 0).groupBy('conversation_id').execute(),
        db.selectFrom('messages').select(['conversation_id', 'seq', 'in_reply_to', 'entry_id', 'payload']).where('conversation_id', 'in', ids).where('sender', '=', 'robot').orderBy('conversation_id').orderBy('seq').execute(),
      ]);
      for (const c of conversations) out.set(c.id, { conversation: c, events: [], messages: 0, robotMessages: [], hardQuestions: new Map() });
      for (const e of events as any[]) out.get(e.conversation_id)?.events.push({ type: e.type, payload: fromJson(e.payload, {}), createdAt: e.created_at });
      for (const r of counts as any[]) {
        const s = out.get(r.conversation_id);
        if (s) s.messages = num(r.n);
      }
      for (const m of robot as any[]) out.get(m.conversation_id)?.robotMessages.push(robotMessage(m));
      await loadHardQuestions(out);
      return out;
    },
    /** Conversation ids after `afterId`, in id order (the rebuild walks them in batches). */
    async conversationIdsAfter(afterId: string, limit: number): Promise<string[]> {
      const rows = await db.selectFrom('conversations').select('id').where('id', '>', afterId).orderBy('id').limit(limit).execute();
      return rows.map((r: any) => r.id);
    },
    async hasConversations() {
      return Boolean(await db.selectFrom('conversations').select('id').limit(1).executeTakeFirst());
    },
    /** The category of each entry (its newest version). */
    async entryCategories(entryIds: string[]): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      if (!entryIds.length) return out;
      const rows = await db.selectFrom('kb_entry_versions').select(['entry_id', 'category_id', 'version']).where('entry_id', 'in', entryIds).orderBy('version').execute();
      for (const r of rows as any[]) out.set(r.entry_id, r.category_id);
      return out;
    },
    /** The newest version's question and category of each entry. */
    async entryInfo(entryIds: string[]): Promise<Map<string, { question: string; categoryId: string }>> {
      const out = new Map<string, { question: string; categoryId: string }>();
      for (let i = 0; i < entryIds.length; i += 500) {
        const rows = await db.selectFrom('kb_entry_versions').select(['entry_id', 'question', 'category_id', 'version']).where('entry_id', 'in', entryIds.slice(i, i + 500)).orderBy('version').execute();
        for (const r of rows as any[]) out.set(r.entry_id, { question: r.question, categoryId: r.category_id });
      }
      return out;
    },
    async categories(): Promise<{ id: string; name: string; parentId: string | null }[]> {
      const rows = await db.selectFrom('kb_categories').select(['id', 'name', 'parent_id']).orderBy('position').execute();
      return rows.map((r: any) => ({ id: r.id, name: r.name, parentId: r.parent_id }));
    },

    // ── facts and rollups ──
    async facts(conversationId: string): Promise<FactsRow | undefined> {
      return (await db.selectFrom('analytics_facts').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst()) as FactsRow | undefined;
    },
    async upsertFacts(row: FactsRow) {
      const { conversation_id: _id, ...rest } = row;
      await db.insertInto('analytics_facts').values(row).onConflict((oc) => oc.column('conversation_id').doUpdateSet(rest)).execute();
    },
    async insertFactsBatch(rows: FactsRow[]) {
      for (let i = 0; i < rows.length; i += 200) await db.insertInto('analytics_facts').values(rows.slice(i, i + 200)).execute();
    },
    /** The facts of a contact's conversations started in [fromIso, toIso]. */
    async contactFacts(contactId: string, fromIso: string, toIso: string) {
      return (await db.selectFrom('analytics_facts').selectAll().where('contact_id', '=', contactId).where('created_at', '>=', fromIso).where('created_at', '<=', toIso).execute()) as FactsRow[];
    },
    /** Replaces a conversation's robot answers per entry and its hard questions; returns the answer buckets touched. */
    async replaceDetails(conversationId: string, answers: AnswerRow[], hard: HardQuestionRow[]): Promise<AnswerBucket[]> {
      const before = await db.selectFrom('analytics_answers').select(['day', 'channel', 'entry_id']).where('conversation_id', '=', conversationId).execute();
      await db.deleteFrom('analytics_answers').where('conversation_id', '=', conversationId).execute();
      await db.deleteFrom('analytics_hard_questions').where('conversation_id', '=', conversationId).execute();
      if (answers.length) await db.insertInto('analytics_answers').values(answers).execute();
      if (hard.length) await db.insertInto('analytics_hard_questions').values(hard).execute();
      return [...before, ...answers].map((r: any) => ({ day: r.day, channel: r.channel, entry_id: r.entry_id }));
    },
    async insertDetailsBatch(answers: AnswerRow[], hard: HardQuestionRow[]) {
      for (let i = 0; i < answers.length; i += 300) await db.insertInto('analytics_answers').values(answers.slice(i, i + 300)).execute();
      for (let i = 0; i < hard.length; i += 200) await db.insertInto('analytics_hard_questions').values(hard.slice(i, i + 200)).execute();
    },
    /** Recomputes one day × channel × entry total of robot answers. */
    async refreshAnswerBucket(b: AnswerBucket) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('analytics_daily_answers').where('day', '=', b.day).where('channel', '=', b.channel).where('entry_id', '=', b.entry_id).execute();
        await sql`insert into analytics_daily_answers (day, channel, entry_id, answers) select day, channel, entry_id, sum(answers) from analytics_answers where day = ${b.day} and channel = ${b.channel} and entry_id = ${b.entry_id} group by day, channel, entry_id`.execute(trx);
      });
    },
    /** Every conversation's contact, category and start, by contact then time (the rebuild's repeat pass). */
    async contactTimeline() {
      return (await db.selectFrom('analytics_facts').select(['conversation_id', 'contact_id', 'category', 'created_at', 'is_repeated']).orderBy('contact_id').orderBy('created_at').execute()) as Pick<FactsRow, 'conversation_id' | 'contact_id' | 'category' | 'created_at' | 'is_repeated'>[];
    },
    async markRepeated(ids: string[]) {
      for (let i = 0; i < ids.length; i += 500) await db.updateTable('analytics_facts').set({ is_repeated: 1 }).where('conversation_id', 'in', ids.slice(i, i + 500)).execute();
    },
    async setRepeated(conversationId: string, isRepeated: boolean) {
      await db.updateTable('analytics_facts').set({ is_repeated: isRepeated ? 1 : 0 }).where('conversation_id', '=', conversationId).execute();
    },
    /** Recomputes one rollup bucket from the facts: idempotent, whatever happened before. */
    async refreshBucket(key: BucketKey) {
      await db.transaction().execute(async (trx) => {
        const where = sql`hour = ${key.hour} and channel = ${key.channel} and category = ${key.category} and skill = ${key.skill} and agent = ${key.agent}`;
        await sql`delete from analytics_hourly where ${where}`.execute(trx);
        await sql`delete from analytics_hourly_handoffs where ${where}`.execute(trx);
        await sql`insert into analytics_hourly (${sql.raw(HOURLY_COLUMNS)}) select ${sql.raw(KEY)}, ${sql.raw(HOURLY_SUMS)} from analytics_facts where ${where} group by ${sql.raw(KEY)}`.execute(trx);
        await sql`insert into analytics_hourly_handoffs (${sql.raw(KEY)}, reason, count) select ${sql.raw(KEY)}, handoff_reason, count(*) from analytics_facts where ${where} and handoff_reason is not null group by ${sql.raw(KEY)}, handoff_reason`.execute(trx);
        // the day's count of that category on that channel
        const day = key.hour.slice(0, 10);
        await sql`delete from analytics_daily_categories where day = ${day} and channel = ${key.channel} and category = ${key.category}`.execute(trx);
        await sql`insert into analytics_daily_categories (day, channel, category, conversations) select ${day}, channel, category, count(*) from analytics_facts where hour >= ${`${day}T00`} and hour <= ${`${day}T23`} and channel = ${key.channel} and category = ${key.category} group by channel, category`.execute(trx);
        // and the hour's totals on that channel
        const totals = sql`hour = ${key.hour} and channel = ${key.channel}`;
        const totalsRow = sql`hour = ${key.hour} and channel = ${key.channel} and category = ${ALL} and skill = ${ALL} and agent = ${ALL}`;
        await sql`delete from analytics_hourly where ${totalsRow}`.execute(trx);
        await sql`delete from analytics_hourly_handoffs where ${totalsRow}`.execute(trx);
        await sql`insert into analytics_hourly (${sql.raw(HOURLY_COLUMNS)}) select ${sql.raw(TOTALS_KEY)}, ${sql.raw(HOURLY_SUMS)} from analytics_facts where ${totals} group by hour, channel`.execute(trx);
        await sql`insert into analytics_hourly_handoffs (${sql.raw(KEY)}, reason, count) select ${sql.raw(TOTALS_KEY)}, handoff_reason, count(*) from analytics_facts where ${totals} and handoff_reason is not null group by hour, channel, handoff_reason`.execute(trx);
      });
    },
    /** Empties every analytics table but the reports. */
    async clearAll() {
      await db.deleteFrom('analytics_daily_categories').execute();
      await db.deleteFrom('analytics_daily_answers').execute();
      await db.deleteFrom('analytics_answers').execute();
      await db.deleteFrom('analytics_hard_questions').execute();
      await db.deleteFrom('analytics_hourly_handoffs').execute();
      await db.deleteFrom('analytics_hourly').execute();
      await db.deleteFrom('analytics_facts').execute();
    },
    /** Recomputes every rollup from the facts in one pass (after a rebuild). */
    async rebuildRollups() {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('analytics_hourly_handoffs').execute();
        await trx.deleteFrom('analytics_hourly').execute();
        await sql`insert into analytics_hourly (${sql.raw(HOURLY_COLUMNS)}) select ${sql.raw(KEY)}, ${sql.raw(HOURLY_SUMS)} from analytics_facts group by ${sql.raw(KEY)}`.execute(trx);
        await sql`insert into analytics_hourly_handoffs (${sql.raw(KEY)}, reason, count) select ${sql.raw(KEY)}, handoff_reason, count(*) from analytics_facts where handoff_reason is not null group by ${sql.raw(KEY)}, handoff_reason`.execute(trx);
        await sql`insert into analytics_hourly (${sql.raw(HOURLY_COLUMNS)}) select ${sql.raw(TOTALS_KEY)}, ${sql.raw(HOURLY_SUMS)} from analytics_facts group by hour, channel`.execute(trx);
        await trx.deleteFrom('analytics_daily_categories').execute();
        await sql`insert into analytics_daily_categories (day, channel, category, conversations) select substr(hour, 1, 10), channel, category, count(*) from analytics_facts group by substr(hour, 1, 10), channel, category`.execute(trx);
        await trx.deleteFrom('analytics_daily_answers').execute();
        await sql`insert into analytics_daily_answers (day, channel, entry_id, answers) select day, channel, entry_id, sum(answers) from analytics_answers group by day, channel, entry_id`.execute(trx);
        await sql`insert into analytics_hourly_handoffs (${sql.raw(KEY)}, reason, count) select ${sql.raw(TOTALS_KEY)}, handoff_reason, count(*) from analytics_facts where handoff_reason is not null group by hour, channel, handoff_reason`.execute(trx);
      });
    },
    async factsCount() {
      const row = await db.selectFrom('analytics_facts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      return num(row?.n);
    },
    /** Every rollup row, ordered (tests compare the incremental rollups with a rebuild). */
    async allRollups() {
      const hourly = await db.selectFrom('analytics_hourly').selectAll().orderBy(['hour', 'channel', 'category', 'skill', 'agent']).execute();
      const handoffs = await db.selectFrom('analytics_hourly_handoffs').selectAll().orderBy(['hour', 'channel', 'category', 'skill', 'agent', 'reason']).execute();
      const norm = (r: any) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^(hour|channel|category|skill|agent|reason)$/.test(k) ? v : num(v)]));
      const answers = await db.selectFrom('analytics_daily_answers').selectAll().orderBy(['day', 'channel', 'entry_id']).execute();
      const categories = await db.selectFrom('analytics_daily_categories').selectAll().orderBy(['day', 'channel', 'category']).execute();
      const hard = await db.selectFrom('analytics_hard_questions').select(['conversation_id', 'seq', 'reason', 'question']).orderBy(['conversation_id', 'seq']).execute();
      return { hourly: hourly.map(norm), handoffs: handoffs.map(norm), answers: answers.map((r: any) => ({ ...r, answers: num(r.answers) })), categories: categories.map((r: any) => ({ ...r, conversations: num(r.conversations) })), hard: hard.map((r: any) => ({ ...r, seq: num(r.seq) })) };
    },

    // ── indicators ──
    /** Sums of the rollups in scope, optionally grouped by one key column. */
    async rollupSums(scope: Scope, groupBy?: 'hour' | 'channel' | 'category') {
      let q: any = db.selectFrom('analytics_hourly');
      if (groupBy) q = q.select(groupBy).groupBy(groupBy);
      q = q.select([
        sql<number>`coalesce(sum(conversations),0)`.as('conversations'),
        sql<number>`coalesce(sum(closed),0)`.as('closed'),
        sql<number>`coalesce(sum(robot_resolved),0)`.as('robot_resolved'),
        sql<number>`coalesce(sum(handed_off),0)`.as('handed_off'),
        sql<number>`coalesce(sum(queued),0)`.as('queued'),
        sql<number>`coalesce(sum(abandoned),0)`.as('abandoned'),
        sql<number>`coalesce(sum(answered_within),0)`.as('answered_within'),
        sql<number>`coalesce(sum(repeated),0)`.as('repeated'),
        sql<number>`coalesce(sum(rated),0)`.as('rated'),
        sql<number>`coalesce(sum(rating_sum),0)`.as('rating_sum'),
        sql<number>`coalesce(sum(rating_positive),0)`.as('rating_positive'),
        sql<number>`coalesce(sum(robot_questions),0)`.as('robot_questions'),
        sql<number>`coalesce(sum(robot_answers),0)`.as('robot_answers'),
        sql<number>`coalesce(sum(calculator_runs),0)`.as('calculator_runs'),
        sql<number>`coalesce(sum(messages),0)`.as('messages'),
      ]);
      const rows = await scoped(q, scope, groupBy === 'category' ? 'fine' : 'totals-if-possible').execute();
      return (rows as any[]).map((r) => {
        const out: Record<string, any> = {};
        for (const [k, v] of Object.entries(r)) out[k] = k === groupBy ? v : num(v);
        return out;
      });
    },
    /** Conversations per category in scope: from the daily counts unless a skill or agent filter needs the detailed rollups. */
    async categoryCounts(scope: Scope): Promise<{ category: string; conversations: number }[]> {
      if (scope.skill || scope.agent) return (await this.rollupSums(scope, 'category')).map((r) => ({ category: r.category, conversations: r.conversations }));
      let q = db
        .selectFrom('analytics_daily_categories')
        .select(['category', sql<number>`sum(conversations)`.as('n')])
        .where('day', '>=', scope.fromHour.slice(0, 10))
        .where('day', '<=', scope.toHour.slice(0, 10))
        .groupBy('category');
      if (scope.channel) q = q.where('channel', '=', scope.channel);
      if (scope.categories) q = q.where('category', 'in', scope.categories.length ? scope.categories : ['\u0000']);
      return ((await q.execute()) as any[]).map((r) => ({ category: r.category as string, conversations: num(r.n) }));
    },
    async handoffReasons(scope: Scope) {
      const rows = await scoped(db.selectFrom('analytics_hourly_handoffs').select(['reason', sql<number>`sum(count)`.as('n')]).groupBy('reason'), scope, 'totals-if-possible').execute();
      return (rows as any[]).map((r) => ({ reason: r.reason as string, count: num(r.n) })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    },
    /** The non-null values of a seconds column of the facts in scope, ascending (for percentiles). */
    async secondsOf(scope: Scope, column: 'first_response_s' | 'handling_s'): Promise<number[]> {
      const rows = await scoped(db.selectFrom('analytics_facts').select(column).where(column, 'is not', null), scope).orderBy(column).execute();
      return (rows as any[]).map((r) => num(r[column]));
    },
    /** Robot answers per entry on the days from..to (hot topics at the entry level). */
    async answersByEntry(from: string, to: string, channel?: string) {
      let q = db.selectFrom('analytics_daily_answers').select(['entry_id', sql<number>`sum(answers)`.as('n')]).where('day', '>=', from).where('day', '<=', to).groupBy('entry_id');
      if (channel) q = q.where('channel', '=', channel);
      return ((await q.execute()) as any[]).map((r) => ({ entryId: r.entry_id as string, count: num(r.n) }));
    },
    /** Questions the robot handed off or could not answer on the days from..to, grouped by their text, most frequent first. */
    async hardQuestions(from: string, to: string, channel: string | undefined, limit: number) {
      let q = db
        .selectFrom('analytics_hard_questions')
        .select(['question', 'reason', sql<string>`max(entry_id)`.as('entry_id'), sql<string>`max(category)`.as('category'), (eb) => eb.fn.countAll().as('n')])
        .where('day', '>=', from)
        .where('day', '<=', to)
        .groupBy(['question', 'reason']);
      if (channel) q = q.where('channel', '=', channel);
      const rows = await q.orderBy(sql`count(*)`, 'desc').limit(limit).execute();
      return (rows as any[]).map((r) => ({ question: r.question as string, reason: r.reason as 'handoff' | 'unanswered', entryId: (r.entry_id as string | null) || null, categoryId: (r.category as string | null) || null, count: num(r.n) }));
    },
    /** Entries rated unhelpful in [fromIso, toIso), with the comments given. */
    async unhelpfulFeedback(fromIso: string, toIso: string, channel?: string) {
      let q = db
        .selectFrom('kb_feedback')
        .innerJoin('kb_entries', 'kb_entries.id', 'kb_feedback.entry_id')
        .innerJoin('kb_entry_versions', (j) => j.onRef('kb_entry_versions.entry_id', '=', 'kb_entries.id').onRef('kb_entry_versions.version', '=', 'kb_entries.latest_version'))
        .select(['kb_feedback.entry_id', 'kb_feedback.comment', 'kb_entry_versions.question', 'kb_entry_versions.category_id'])
        .where('kb_feedback.is_helpful', '=', 0)
        .where('kb_feedback.created_at', '>=', fromIso)
        .where('kb_feedback.created_at', '<', toIso);
      if (channel) q = q.where('kb_feedback.channel', '=', channel);
      const rows = await q.limit(5000).execute();
      return (rows as any[]).map((r) => ({ entryId: r.entry_id as string, comment: (r.comment as string | null) ?? null, question: r.question as string, categoryId: r.category_id as string }));
    },

    // ── reports ──
    async insertReport(r: { id: string; kind: string; from: string; to: string; data: unknown; createdAt: string }) {
      await db.insertInto('analytics_reports').values({ id: r.id, kind: r.kind, period_from: r.from, period_to: r.to, data: toJson(r.data), created_at: r.createdAt }).execute();
    },
    async hasReport(kind: string, from: string) {
      return Boolean(await db.selectFrom('analytics_reports').select('id').where('kind', '=', kind).where('period_from', '=', from).executeTakeFirst());
    },
    async listReports(limit = 200) {
      const rows = await db.selectFrom('analytics_reports').select(['id', 'kind', 'period_from', 'period_to', 'created_at']).orderBy('period_from', 'desc').orderBy('kind').limit(limit).execute();
      return (rows as any[]).map((r) => ({ id: r.id as string, kind: r.kind as 'daily' | 'weekly', from: r.period_from as string, to: r.period_to as string, createdAt: r.created_at as string }));
    },
    async report(id: string) {
      const r: any = await db.selectFrom('analytics_reports').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) return undefined;
      return { id: r.id as string, kind: r.kind as 'daily' | 'weekly', from: r.period_from as string, to: r.period_to as string, createdAt: r.created_at as string, data: fromJson<any>(r.data, {}) };
    },
  };
}
export type AnalyticsRepo = ReturnType<typeof analyticsRepo>;
