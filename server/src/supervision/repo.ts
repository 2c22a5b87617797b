import type { Kysely } from 'kysely';
import type { MonitorAlert } from '../../../common/analytics';
import { fromJson, toJson } from '../platform/database';
import { nowIso } from '../platform/ids';

/**
 * The monitor's queries. Its own tables are `supervision_alerts` and `supervision_settings`; the rest
 * are read-only reads of the conversations domain's tables (conversations, messages, agents, skills,
 * conversation_events): a port would only forward these queries, so they live here, reading and
 * never writing.
 */
export function supervisionRepo(db: Kysely<any>) {
  return {
    // ── read-only: the conversations domain's tables ──
    async agents() {
      const rows = await db.selectFrom('agents').selectAll().execute();
      return rows.map((r: any) => ({ userId: r.user_id as string, status: r.status as string, maxChats: Number(r.max_chats), skills: fromJson<string[]>(r.skills, []) }));
    },
    async skills() {
      const rows = await db.selectFrom('skills').select(['id', 'name']).orderBy('position').orderBy('id').execute();
      return rows.map((r: any) => ({ id: r.id as string, name: r.name as string }));
    },
    /** Assigned conversations: id, assignee and when assigned. */
    async assigned() {
      const rows = await db.selectFrom('conversations').select(['id', 'assignee_id', 'assigned_at']).where('status', '=', 'assigned').orderBy('assigned_at').limit(2000).execute();
      return rows.map((r: any) => ({ id: r.id as string, assigneeId: r.assignee_id as string | null, assignedAt: r.assigned_at as string | null }));
    },
    /** Per agent, the time of their latest reply (not a note) in the conversations they serve now. */
    async lastReplyByAgent(): Promise<Map<string, string>> {
      const rows = await db
        .selectFrom('messages as m')
        .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
        .select(['m.sender_id as agent', (eb) => eb.fn.max('m.created_at').as('at')])
        .where('c.status', '=', 'assigned')
        .whereRef('c.assignee_id', '=', 'm.sender_id')
        .where('m.sender', '=', 'agent')
        .where('m.is_private', '=', 0)
        .groupBy('m.sender_id')
        .execute();
      return new Map(rows.map((r: any) => [r.agent as string, r.at as string]));
    },
    /** Waiting conversations by skill and kind (live queue or left message): how many, and since when the oldest. */
    async queueCounts() {
      const rows = await db
        .selectFrom('conversations')
        .select(['skill', 'is_left_message', (eb) => eb.fn.countAll().as('n'), (eb) => eb.fn.min('queued_at').as('oldest')])
        .where('status', '=', 'queued')
        .groupBy(['skill', 'is_left_message'])
        .execute();
      return rows.map((r: any) => ({ skill: r.skill as string | null, isLeftMessage: Boolean(Number(r.is_left_message)), waiting: Number(r.n), oldest: r.oldest as string | null }));
    },
    /** Conversations in progress: waiting in a live queue (longest first), then being served. */
    async inProgressIds(limit = 300) {
      const rows = await db
        .selectFrom('conversations')
        .select(['id', 'status'])
        .where((eb) => eb.or([eb.and([eb('status', '=', 'queued'), eb('is_left_message', '=', 0)]), eb('status', '=', 'assigned')]))
        .orderBy('queued_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return [...rows.filter((r: any) => r.status === 'queued'), ...rows.filter((r: any) => r.status === 'assigned')].map((r: any) => r.id as string);
    },
    async conversation(id: string) {
      const r = await db.selectFrom('conversations').select(['id', 'status', 'skill', 'is_left_message', 'queued_at', 'assignee_id']).where('id', '=', id).executeTakeFirst();
      return r && { id: r.id as string, status: r.status as string, skill: r.skill as string | null, isLeftMessage: Boolean(Number(r.is_left_message)), queuedAt: r.queued_at as string | null, assigneeId: r.assignee_id as string | null };
    },
    async message(conversationId: string, seq: number) {
      const r = await db.selectFrom('messages').select(['sender', 'text', 'is_private', 'created_at']).where('conversation_id', '=', conversationId).where('seq', '=', seq).executeTakeFirst();
      return r && { sender: r.sender as string, text: r.text as string, isPrivate: Boolean(Number(r.is_private)), createdAt: r.created_at as string };
    },
    /** Live-queue conversations waiting since before `before`. */
    async waitingSince(before: string, limit = 500) {
      const rows = await db
        .selectFrom('conversations')
        .select(['id', 'skill', 'queued_at'])
        .where('status', '=', 'queued')
        .where('is_left_message', '=', 0)
        .where('queued_at', '<', before)
        .orderBy('queued_at')
        .limit(limit)
        .execute();
      return rows.map((r: any) => ({ id: r.id as string, skill: r.skill as string | null, queuedAt: r.queued_at as string }));
    },
    /**
     * Assigned conversations whose citizen waits for an answer: per conversation, the first public
     * customer message after the last public message from anyone else (agent, robot, system).
     */
    async unansweredSince(conversationIds: string[]) {
      if (!conversationIds.length) return new Map<string, string>();
      const rows = await db
        .selectFrom('messages as m')
        .select(['m.conversation_id as id', (eb) => eb.fn.min('m.created_at').as('since')])
        .where('m.conversation_id', 'in', conversationIds)
        .where('m.sender', '=', 'customer')
        .where('m.is_private', '=', 0)
        .where((eb) =>
          eb(
            'm.seq',
            '>',
            eb
              .selectFrom('messages as a')
              .select((e) => e.fn.coalesce(e.fn.max('a.seq'), e.lit(0)).as('s'))
              .whereRef('a.conversation_id', '=', 'm.conversation_id')
              .where('a.sender', '<>', 'customer')
              .where('a.is_private', '=', 0),
          ),
        )
        .groupBy('m.conversation_id')
        .execute();
      return new Map(rows.map((r: any) => [r.id as string, r.since as string]));
    },
    /** The transfers of a conversation, oldest first. */
    async transfers(conversationId: string) {
      const rows = await db.selectFrom('conversation_events').select(['created_at']).where('conversation_id', '=', conversationId).where('type', '=', 'transfer').orderBy('created_at').execute();
      return rows.map((r: any) => r.created_at as string);
    },

    // ── the monitor's own tables ──
    /** Stores an alert unless one with the same key exists; true when this call stored it. */
    async insertAlert(alert: MonitorAlert & { dedupeKey: string }) {
      const result = await db
        .insertInto('supervision_alerts')
        .values({ id: alert.id, kind: alert.kind, conversation_id: alert.conversationId, dedupe_key: alert.dedupeKey, detail: alert.detail, at: alert.at, is_open: 1, created_at: nowIso() })
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async alert(id: string) {
      const r = await db.selectFrom('supervision_alerts').selectAll().where('id', '=', id).executeTakeFirst();
      return r && { ...toAlert(r), isOpen: Boolean(Number(r.is_open)) };
    },
    async openAlerts(limit = 200) {
      const rows = await db.selectFrom('supervision_alerts').selectAll().where('is_open', '=', 1).orderBy('at', 'desc').limit(limit).execute();
      return rows.map(toAlert);
    },
    /** Closes an open alert; true when this call closed it. */
    async acknowledge(id: string, by: string) {
      const result = await db.updateTable('supervision_alerts').set({ is_open: 0, acknowledged_by: by, acknowledged_at: nowIso() }).where('id', '=', id).where('is_open', '=', 1).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async getSetting<T>(key: string): Promise<T | undefined> {
      const r = await db.selectFrom('supervision_settings').select('value').where('key', '=', key).executeTakeFirst();
      return r ? fromJson<T | undefined>(r.value, undefined) : undefined;
    },
    async putSetting(key: string, value: unknown, by: string) {
      const at = nowIso();
      await db
        .insertInto('supervision_settings')
        .values({ key, value: toJson(value), updated_by: by, updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(value), updated_by: by, updated_at: at }))
        .execute();
    },
  };
}

const toAlert = (r: any): MonitorAlert => ({ id: r.id, kind: r.kind, conversationId: r.conversation_id, detail: r.detail, at: r.at });

export type SupervisionRepo = ReturnType<typeof supervisionRepo>;
