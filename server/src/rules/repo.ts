import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../platform/database';
import type { ParameterVersion } from './params';
import type { RuleSetTestResult } from './run-ruleset-tests';
import type { DeterminationRecord, RuleSetStatus } from './service';
import type { RuleSetDef } from './types';

export interface StoredRuleSetVersion {
  def: RuleSetDef;
  status: RuleSetStatus;
  testResults: RuleSetTestResult[];
  createdBy: string;
  createdAt: string;
  publishedBy: string | null;
  publishedAt: string | null;
}

export interface StoredDetermination extends DeterminationRecord {
  id: string;
  actor: string;
  createdAt: string;
}

const toRuleSetVersion = (row: any): StoredRuleSetVersion => ({
  def: fromJson(row.document, {} as RuleSetDef),
  status: row.status,
  testResults: fromJson(row.test_results, []),
  createdBy: row.created_by,
  createdAt: row.created_at,
  publishedBy: row.published_by,
  publishedAt: row.published_at,
});

/** A parameter version as stored: pending until a reviewer other than its author approves it. */
export type ParameterVersionStatus = 'pending' | 'published' | 'rejected';
export interface StoredParameterVersion extends ParameterVersion {
  status: ParameterVersionStatus;
  createdBy: string;
  createdAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
}

const toParameterVersion = (row: any): StoredParameterVersion => ({
  id: row.id,
  jurisdiction: row.jurisdiction,
  effectiveFrom: row.effective_from,
  effectiveTo: row.effective_to,
  values: fromJson(row.values_json, {}),
  note: row.note ?? undefined,
  status: row.status,
  createdBy: row.created_by,
  createdAt: row.created_at,
  reviewedBy: row.reviewed_by ?? null,
  reviewedAt: row.reviewed_at ?? null,
  reviewComment: row.review_comment ?? null,
});

const toDetermination = (row: any): StoredDetermination => ({
  id: row.id,
  ruleSetId: row.ruleset_id,
  ruleSetVersion: row.ruleset_version,
  date: row.as_of,
  jurisdiction: row.jurisdiction,
  parameterVersions: fromJson(row.parameter_versions, []),
  parameters: fromJson(row.parameters, {}),
  inputs: fromJson(row.inputs, {}),
  unknownInputs: fromJson(row.unknown_inputs, []),
  goal: row.goal,
  status: row.status,
  outputs: fromJson(row.outputs, {}),
  questionId: row.question_id,
  trace: fromJson(row.trace, []),
  actor: row.actor,
  createdAt: row.created_at,
});

/** Every query of the rules engine. Works the same on SQLite and PostgreSQL. */
export function rulesRepo(db: Kysely<any>) {
  return {
    async listRuleSetVersions(id?: string): Promise<StoredRuleSetVersion[]> {
      let q = db.selectFrom('rules_ruleset_versions').selectAll();
      if (id) q = q.where('ruleset_id', '=', id);
      const rows = await q.orderBy('ruleset_id').orderBy('effective_from').orderBy('created_at').execute();
      return rows.map(toRuleSetVersion);
    },
    async findRuleSetVersion(id: string, version: string): Promise<StoredRuleSetVersion | undefined> {
      const row = await db.selectFrom('rules_ruleset_versions').selectAll().where('ruleset_id', '=', id).where('version', '=', version).executeTakeFirst();
      return row ? toRuleSetVersion(row) : undefined;
    },
    async insertRuleSetVersion(v: StoredRuleSetVersion) {
      await db
        .insertInto('rules_ruleset_versions')
        .values({
          ruleset_id: v.def.id,
          version: v.def.version,
          status: v.status,
          effective_from: v.def.effectiveFrom,
          effective_to: v.def.effectiveTo ?? null,
          document: toJson(v.def),
          test_results: toJson(v.testResults),
          created_by: v.createdBy,
          created_at: v.createdAt,
          published_by: v.publishedBy,
          published_at: v.publishedAt,
        })
        .execute();
    },
    async updateRuleSetStatus(id: string, version: string, patch: { status: RuleSetStatus; testResults: RuleSetTestResult[]; publishedBy?: string; publishedAt?: string }) {
      await db
        .updateTable('rules_ruleset_versions')
        .set({ status: patch.status, test_results: toJson(patch.testResults), published_by: patch.publishedBy ?? null, published_at: patch.publishedAt ?? null })
        .where('ruleset_id', '=', id)
        .where('version', '=', version)
        .execute();
    },
    async listParameterVersions(status?: ParameterVersionStatus | ParameterVersionStatus[]): Promise<StoredParameterVersion[]> {
      let q = db.selectFrom('rules_parameter_versions').selectAll();
      if (status) q = q.where('status', 'in', Array.isArray(status) ? status : [status]);
      const rows = await q.orderBy('effective_from').orderBy('created_at').execute();
      return rows.map(toParameterVersion);
    },
    async findParameterVersion(id: string): Promise<StoredParameterVersion | undefined> {
      const row = await db.selectFrom('rules_parameter_versions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toParameterVersion(row) : undefined;
    },
    async insertParameterVersion(v: ParameterVersion, status: ParameterVersionStatus, createdBy: string, createdAt: string) {
      await db
        .insertInto('rules_parameter_versions')
        .values({
          id: v.id,
          jurisdiction: v.jurisdiction,
          effective_from: v.effectiveFrom,
          effective_to: v.effectiveTo ?? null,
          values_json: toJson(v.values),
          note: v.note ?? null,
          status,
          created_by: createdBy,
          created_at: createdAt,
        })
        .execute();
    },
    /** Moves a pending version to `status`; false when it was no longer pending (another reviewer was first). */
    async reviewParameterVersion(id: string, review: { status: 'published' | 'rejected'; reviewedBy: string; reviewedAt: string; comment: string | null }): Promise<boolean> {
      const r = await db
        .updateTable('rules_parameter_versions')
        .set({ status: review.status, reviewed_by: review.reviewedBy, reviewed_at: review.reviewedAt, review_comment: review.comment })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async insertDetermination(id: string, r: DeterminationRecord, actor: string, createdAt: string) {
      await db
        .insertInto('rules_determinations')
        .values({
          id,
          ruleset_id: r.ruleSetId,
          ruleset_version: r.ruleSetVersion,
          as_of: r.date,
          jurisdiction: r.jurisdiction,
          parameter_versions: toJson(r.parameterVersions),
          parameters: toJson(r.parameters),
          inputs: toJson(r.inputs),
          unknown_inputs: toJson(r.unknownInputs),
          goal: r.goal,
          status: r.status,
          outputs: toJson(r.outputs),
          question_id: r.questionId,
          trace: toJson(r.trace),
          actor,
          created_at: createdAt,
        })
        .execute();
    },
    async findDetermination(id: string): Promise<StoredDetermination | undefined> {
      const row = await db.selectFrom('rules_determinations').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toDetermination(row) : undefined;
    },
    async listDeterminations({ ruleSetId, page, pageSize }: { ruleSetId?: string; page: number; pageSize: number }) {
      let q = db.selectFrom('rules_determinations');
      if (ruleSetId) q = q.where('ruleset_id', '=', ruleSetId);
      const [rows, total] = await Promise.all([
        q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute(),
        q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
      ]);
      return { items: rows.map(toDetermination), total: Number(total?.n ?? 0) };
    },
  };
}
