import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../platform/database';
import type { FlagStatus, Inspection, QualityFlag, QualityRule, RuleType } from './model';

const toRule = (r: any): QualityRule => ({
  id: r.id,
  type: r.type as RuleType,
  name: r.name,
  description: r.description,
  params: fromJson(r.params, {}),
  weight: Number(r.weight),
  isEnabled: Boolean(Number(r.is_enabled)),
  position: Number(r.position),
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

const toFlag = (r: any): QualityFlag => ({
  id: r.id,
  conversationId: r.conversation_id,
  ruleId: r.rule_id,
  messageSeq: r.message_seq === null ? null : Number(r.message_seq),
  agentId: r.agent_id,
  excerpt: r.excerpt,
  weight: Number(r.weight),
  status: r.status as FlagStatus,
  reviewNote: r.review_note,
  reviewedBy: r.reviewed_by,
  reviewedAt: r.reviewed_at,
  appealReason: r.appeal_reason,
  appealedAt: r.appealed_at,
  appealDecision: r.appeal_decision,
  createdAt: r.created_at,
});

const toInspection = (r: any): Inspection => ({
  conversationId: r.conversation_id,
  agentId: r.agent_id,
  score: Number(r.score),
  closedAt: r.closed_at,
  inspectedAt: r.inspected_at,
});

export type FlagPatch = Partial<Pick<QualityFlag, 'status' | 'weight' | 'excerpt' | 'agentId' | 'reviewNote' | 'reviewedBy' | 'reviewedAt' | 'appealReason' | 'appealedAt' | 'appealDecision'>>;

const FLAG_COLUMNS: Record<keyof FlagPatch, string> = {
  status: 'status',
  weight: 'weight',
  excerpt: 'excerpt',
  agentId: 'agent_id',
  reviewNote: 'review_note',
  reviewedBy: 'reviewed_by',
  reviewedAt: 'reviewed_at',
  appealReason: 'appeal_reason',
  appealedAt: 'appealed_at',
  appealDecision: 'appeal_decision',
};

/** Filters of the supervisors' list of inspected conversations; times are ISO instants. */
export interface InspectionFilter {
  agentId?: string;
  minScore?: number;
  maxScore?: number;
  ruleId?: string;
  status?: FlagStatus;
  closedFrom?: string;
  closedBefore?: string;
}

/** Queries of the inspection domain. */
export function inspectionRepo(db: Kysely<any>) {
  return {
    // ── rules ──
    async rules(): Promise<QualityRule[]> {
      const rows = await db.selectFrom('quality_rules').selectAll().orderBy('position').orderBy('id').execute();
      return rows.map(toRule);
    },
    async getRule(id: string) {
      const r = await db.selectFrom('quality_rules').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRule(r);
    },
    async insertRule(rule: QualityRule) {
      await db
        .insertInto('quality_rules')
        .values({
          id: rule.id,
          type: rule.type,
          name: rule.name,
          description: rule.description,
          params: toJson(rule.params),
          weight: rule.weight,
          is_enabled: rule.isEnabled ? 1 : 0,
          position: rule.position,
          updated_at: rule.updatedAt,
          updated_by: rule.updatedBy,
        })
        .execute();
    },
    async updateRule(id: string, patch: Pick<QualityRule, 'name' | 'description' | 'params' | 'weight' | 'isEnabled' | 'updatedAt' | 'updatedBy'>) {
      await db
        .updateTable('quality_rules')
        .set({
          name: patch.name,
          description: patch.description,
          params: toJson(patch.params),
          weight: patch.weight,
          is_enabled: patch.isEnabled ? 1 : 0,
          updated_at: patch.updatedAt,
          updated_by: patch.updatedBy,
        })
        .where('id', '=', id)
        .execute();
    },
    /** Flags per rule and status, for each rule's flag count and overturn rate. */
    async flagCountsByRule(): Promise<{ ruleId: string; status: FlagStatus; n: number }[]> {
      const rows = await db.selectFrom('quality_flags').select(['rule_id', 'status']).select((eb) => eb.fn.countAll().as('n')).groupBy(['rule_id', 'status']).execute();
      return rows.map((r: any) => ({ ruleId: r.rule_id, status: r.status, n: Number(r.n) }));
    },

    // ── inspections ──
    async getInspection(conversationId: string) {
      const r = await db.selectFrom('quality_inspections').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
      return r && toInspection(r);
    },
    async putInspection(i: Inspection) {
      const values = { conversation_id: i.conversationId, agent_id: i.agentId, score: i.score, closed_at: i.closedAt, inspected_at: i.inspectedAt };
      await db
        .insertInto('quality_inspections')
        .values(values)
        .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ agent_id: i.agentId, score: i.score, closed_at: i.closedAt, inspected_at: i.inspectedAt }))
        .execute();
    },
    async setScore(conversationId: string, score: number) {
      await db.updateTable('quality_inspections').set({ score }).where('conversation_id', '=', conversationId).execute();
    },
    /** Conversations inspected whose close time is at or after `since` (re-inspection after a rule change). */
    async inspectedSince(since: string): Promise<string[]> {
      const rows = await db.selectFrom('quality_inspections').select('conversation_id').where('closed_at', '>=', since).orderBy('closed_at').execute();
      return rows.map((r: any) => r.conversation_id);
    },
    async listInspections(filter: InspectionFilter, page: { page: number; pageSize: number }) {
      let q = db.selectFrom('quality_inspections');
      if (filter.agentId) q = q.where('agent_id', '=', filter.agentId);
      if (filter.minScore !== undefined) q = q.where('score', '>=', filter.minScore);
      if (filter.maxScore !== undefined) q = q.where('score', '<=', filter.maxScore);
      if (filter.closedFrom) q = q.where('closed_at', '>=', filter.closedFrom);
      if (filter.closedBefore) q = q.where('closed_at', '<', filter.closedBefore);
      if (filter.ruleId || filter.status) {
        let flags = db.selectFrom('quality_flags').select('conversation_id');
        if (filter.ruleId) flags = flags.where('rule_id', '=', filter.ruleId);
        if (filter.status) flags = flags.where('status', '=', filter.status);
        q = q.where('conversation_id', 'in', flags);
      }
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('closed_at', 'desc').orderBy('conversation_id').limit(page.pageSize).offset((page.page - 1) * page.pageSize).execute(),
        q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
      ]);
      return { items: rows.map(toInspection), total: Number((total as any)?.n ?? 0) };
    },
    /** Inspections closed in [from, before), optionally of one agent, oldest first. */
    async inspectionsBetween(from: string | undefined, before: string | undefined, agentId?: string, limit = 20_000) {
      let q = db.selectFrom('quality_inspections').selectAll();
      if (from) q = q.where('closed_at', '>=', from);
      if (before) q = q.where('closed_at', '<', before);
      if (agentId) q = q.where('agent_id', '=', agentId);
      const rows = await q.orderBy('closed_at').limit(limit).execute();
      return rows.map(toInspection);
    },

    // ── flags ──
    async flagsOf(conversationIds: string[]): Promise<QualityFlag[]> {
      if (!conversationIds.length) return [];
      const rows = await db.selectFrom('quality_flags').selectAll().where('conversation_id', 'in', conversationIds).orderBy('message_seq').orderBy('rule_id').execute();
      return rows.map(toFlag);
    },
    async getFlag(id: string) {
      const r = await db.selectFrom('quality_flags').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toFlag(r);
    },
    async flagsOfAgent(agentId: string, limit = 500) {
      const rows = await db.selectFrom('quality_flags').selectAll().where('agent_id', '=', agentId).orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map(toFlag);
    },
    async insertFlag(f: QualityFlag) {
      await db
        .insertInto('quality_flags')
        .values({
          id: f.id,
          conversation_id: f.conversationId,
          rule_id: f.ruleId,
          message_seq: f.messageSeq,
          agent_id: f.agentId,
          excerpt: f.excerpt,
          weight: f.weight,
          status: f.status,
          review_note: f.reviewNote,
          reviewed_by: f.reviewedBy,
          reviewed_at: f.reviewedAt,
          appeal_reason: f.appealReason,
          appealed_at: f.appealedAt,
          appeal_decision: f.appealDecision,
          created_at: f.createdAt,
        })
        .execute();
    },
    /** Changes a flag; with `expectStatus`, only if it is still in one of those states (false otherwise). */
    async updateFlag(id: string, patch: FlagPatch, expectStatus?: FlagStatus[]) {
      const set: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(patch)) if (value !== undefined) set[FLAG_COLUMNS[key as keyof FlagPatch]] = value;
      let q = db.updateTable('quality_flags').set(set).where('id', '=', id);
      if (expectStatus) q = q.where('status', 'in', expectStatus);
      const result = await q.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async deleteFlags(ids: string[]) {
      if (ids.length) await db.deleteFrom('quality_flags').where('id', 'in', ids).execute();
    },

    /**
     * Staff names for scorecards. Read-only, straight from the identity domain's users table: a port
     * would only forward this one query.
     */
    async staffNames(ids: string[]): Promise<Map<string, string>> {
      if (!ids.length) return new Map();
      const rows = await db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute();
      return new Map(rows.map((r: any) => [r.id, r.display_name || r.username]));
    },
  };
}
export type InspectionRepo = ReturnType<typeof inspectionRepo>;
