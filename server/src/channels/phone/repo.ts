import type { Kysely } from 'kysely';
import { fromJson, isUniqueViolation, toJson } from '../../platform/database';
import { nowIso } from '../../platform/ids';
import type { IvrState } from './ivr-menu';
import type { CallAction, CallbackWindow, IvrTree, PhoneSettings } from './schema';

export interface IvrVersion {
  version: number;
  tree: IvrTree;
  savedBy: string;
  savedAt: string;
}

export interface CallRecord {
  callId: string;
  conversationId: string | null;
  callerMasked: string | null;
  callerSealed: string | null;
  hasBridgeAsr: boolean;
  state: IvrState;
  treeVersion: number;
  lastSeq: number;
  endedAt: string | null;
}

export interface CallbackRecord {
  id: string;
  callId: string;
  conversationId: string | null;
  contactId: string | null;
  phoneSealed: string;
  phoneMasked: string;
  window: CallbackWindow;
  windowStart: string;
  windowEnd: string;
  status: 'open' | 'claimed' | 'done' | 'failed';
  claimedBy: string | null;
  claimedAt: string | null;
  note: string | null;
  createdAt: string;
}

export const DEFAULT_PHONE_SETTINGS: PhoneSettings = { callbackThresholdSeconds: 300 };

const toCall = (r: any): CallRecord => ({
  callId: r.call_id,
  conversationId: r.conversation_id ?? null,
  callerMasked: r.caller_masked ?? null,
  callerSealed: r.caller_sealed ?? null,
  hasBridgeAsr: Number(r.bridge_asr) === 1,
  state: fromJson<IvrState>(r.state, { mode: 'ended', nodeId: '', path: [], misses: 0 }),
  treeVersion: Number(r.tree_version),
  lastSeq: Number(r.last_seq),
  endedAt: r.ended_at ?? null,
});

const toCallback = (r: any): CallbackRecord => ({
  id: r.id,
  callId: r.call_id,
  conversationId: r.conversation_id ?? null,
  contactId: r.contact_id ?? null,
  phoneSealed: r.phone_sealed,
  phoneMasked: r.phone_masked,
  window: r.time_window,
  windowStart: r.window_start,
  windowEnd: r.window_end,
  status: r.status,
  claimedBy: r.claimed_by ?? null,
  claimedAt: r.claimed_at ?? null,
  note: r.note ?? null,
  createdAt: r.created_at,
});

/** The phone channel's queries. */
export function phoneRepo(db: Kysely<any>) {
  return {
    // ── the menu tree ──
    async latestTree(): Promise<IvrVersion | undefined> {
      const r = await db.selectFrom('phone_ivr_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
      return r ? { version: Number(r.version), tree: fromJson<IvrTree>(r.tree, null as never), savedBy: r.created_by, savedAt: r.created_at } : undefined;
    },
    async treeVersion(version: number): Promise<IvrVersion | undefined> {
      const r = await db.selectFrom('phone_ivr_versions').selectAll().where('version', '=', version).executeTakeFirst();
      return r ? { version: Number(r.version), tree: fromJson<IvrTree>(r.tree, null as never), savedBy: r.created_by, savedAt: r.created_at } : undefined;
    },
    async versions(limit = 20) {
      const rows = await db.selectFrom('phone_ivr_versions').select(['version', 'created_by', 'created_at']).orderBy('version', 'desc').limit(limit).execute();
      return rows.map((r: any) => ({ version: Number(r.version), savedBy: r.created_by as string, savedAt: r.created_at as string }));
    },
    /** Stores a version; false when that version number was taken meanwhile (another save, another instance). */
    async insertTree(version: number, tree: IvrTree, by: string): Promise<boolean> {
      try {
        await db.insertInto('phone_ivr_versions').values({ version, tree: toJson(tree), created_by: by, created_at: nowIso() }).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    // ── settings and extensions ──
    async settings(): Promise<PhoneSettings> {
      const r = await db.selectFrom('phone_settings').select('value').where('key', '=', 'line').executeTakeFirst();
      return { ...DEFAULT_PHONE_SETTINGS, ...fromJson<Partial<PhoneSettings>>(r?.value, {}) };
    },
    async saveSettings(settings: PhoneSettings) {
      const now = nowIso();
      await db
        .insertInto('phone_settings')
        .values({ key: 'line', value: toJson(settings), updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(settings), updated_at: now }))
        .execute();
    },
    async extensions(): Promise<{ userId: string; extension: string }[]> {
      const rows = await db.selectFrom('phone_extensions').select(['user_id', 'extension']).orderBy('extension').execute();
      return rows.map((r: any) => ({ userId: r.user_id, extension: r.extension }));
    },
    async extensionOf(userId: string): Promise<string | undefined> {
      const r = await db.selectFrom('phone_extensions').select('extension').where('user_id', '=', userId).executeTakeFirst();
      return r?.extension;
    },
    async setExtension(userId: string, extension: string) {
      const now = nowIso();
      await db
        .insertInto('phone_extensions')
        .values({ user_id: userId, extension, updated_at: now })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ extension, updated_at: now }))
        .execute();
    },
    async removeExtension(userId: string) {
      await db.deleteFrom('phone_extensions').where('user_id', '=', userId).execute();
    },

    // ── calls ──
    async call(callId: string): Promise<CallRecord | undefined> {
      const r = await db.selectFrom('phone_calls').selectAll().where('call_id', '=', callId).executeTakeFirst();
      return r ? toCall(r) : undefined;
    },
    /** Creates the call's row unless another instance just did. */
    async insertCall(call: { callId: string; callerMasked: string | null; callerSealed: string | null; dialled: string | null; hasBridgeAsr: boolean; state: IvrState; treeVersion: number }) {
      const now = nowIso();
      await db
        .insertInto('phone_calls')
        .values({
          call_id: call.callId,
          conversation_id: null,
          caller_masked: call.callerMasked,
          caller_sealed: call.callerSealed,
          dialled: call.dialled,
          bridge_asr: call.hasBridgeAsr ? 1 : 0,
          state: toJson(call.state),
          tree_version: call.treeVersion,
          last_seq: 0,
          started_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('call_id').doNothing())
        .execute();
    },
    async setConversation(callId: string, conversationId: string) {
      await db.updateTable('phone_calls').set({ conversation_id: conversationId, updated_at: nowIso() }).where('call_id', '=', callId).execute();
    },
    async saveCallState(callId: string, state: IvrState, seq: number) {
      await db
        .updateTable('phone_calls')
        .set({ state: toJson(state), last_seq: seq, updated_at: nowIso(), ...(state.mode === 'ended' ? { ended_at: nowIso() } : {}) })
        .where('call_id', '=', callId)
        .execute();
    },
    /**
     * Claims an event number of a call: true for the first request that carries it; false for a
     * redelivery (its answer is then read with `eventResponse`).
     */
    async claimEvent(callId: string, seq: number, event: string): Promise<boolean> {
      try {
        await db.insertInto('phone_call_events').values({ call_id: callId, seq, event, response: null, created_at: nowIso() }).execute();
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async eventResponse(callId: string, seq: number): Promise<CallAction[] | null> {
      const r = await db.selectFrom('phone_call_events').select('response').where('call_id', '=', callId).where('seq', '=', seq).executeTakeFirst();
      return r?.response ? fromJson<CallAction[]>(r.response, []) : null;
    },
    /** Gives an event's number back after a failure, so the bridge's retry is answered afresh. */
    async releaseEvent(callId: string, seq: number) {
      await db.deleteFrom('phone_call_events').where('call_id', '=', callId).where('seq', '=', seq).where('response', 'is', null).execute();
    },
    async saveEventResponse(callId: string, seq: number, actions: CallAction[]) {
      await db.updateTable('phone_call_events').set({ response: toJson(actions) }).where('call_id', '=', callId).where('seq', '=', seq).execute();
    },
    async countCalls(): Promise<number> {
      const r = await db.selectFrom('phone_calls').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    // ── callback requests ──
    async insertCallback(c: Omit<CallbackRecord, 'status' | 'claimedBy' | 'claimedAt' | 'note' | 'createdAt'>): Promise<CallbackRecord> {
      const now = nowIso();
      try {
        await db
          .insertInto('phone_callbacks')
          .values({
            id: c.id,
            call_id: c.callId,
            conversation_id: c.conversationId,
            contact_id: c.contactId,
            phone_sealed: c.phoneSealed,
            phone_masked: c.phoneMasked,
            time_window: c.window,
            window_start: c.windowStart,
            window_end: c.windowEnd,
            status: 'open',
            created_at: now,
            updated_at: now,
          })
          .execute();
      } catch (err) {
        // one request per call: a second one (a redelivered key press) keeps the first
        if (!isUniqueViolation(err)) throw err;
      }
      const stored = await db.selectFrom('phone_callbacks').selectAll().where('call_id', '=', c.callId).executeTakeFirstOrThrow();
      return toCallback(stored);
    },
    async callback(id: string): Promise<CallbackRecord | undefined> {
      const r = await db.selectFrom('phone_callbacks').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toCallback(r) : undefined;
    },
    async callbacks(which: 'active' | 'closed', limit = 200): Promise<CallbackRecord[]> {
      const statuses = which === 'active' ? ['open', 'claimed'] : ['done', 'failed'];
      const rows = await db
        .selectFrom('phone_callbacks')
        .selectAll()
        .where('status', 'in', statuses)
        .orderBy(which === 'active' ? 'window_start' : 'updated_at', which === 'active' ? 'asc' : 'desc')
        .limit(limit)
        .execute();
      return rows.map(toCallback);
    },
    async countCallbacks(): Promise<number> {
      const r = await db.selectFrom('phone_callbacks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    /** Conditional update: only from an expected status (and claimer), so two agents cannot both win. */
    async updateCallback(id: string, from: { status: CallbackRecord['status']; claimedBy?: string }, set: { status: CallbackRecord['status']; claimedBy?: string; note?: string | null }): Promise<boolean> {
      const now = nowIso();
      let q = db
        .updateTable('phone_callbacks')
        .set({
          status: set.status,
          updated_at: now,
          ...(set.claimedBy ? { claimed_by: set.claimedBy, claimed_at: now } : {}),
          ...(set.note !== undefined ? { note: set.note } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', from.status);
      if (from.claimedBy) q = q.where('claimed_by', '=', from.claimedBy);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}

export type PhoneRepo = ReturnType<typeof phoneRepo>;
