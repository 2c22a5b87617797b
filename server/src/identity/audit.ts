import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../platform/database';
import { newId, nowIso } from '../platform/ids';
import { actorLabel, type Actor } from './permissions';

export interface AuditEvent {
  action: string;
  subjectType?: string;
  subjectId?: string;
  detail?: Record<string, unknown>;
}

/** The audit log: logins, role and key changes, publishing, and every read of personal data. */
export function auditLog(db: Kysely<any>) {
  return {
    async record(actor: Actor | string, event: AuditEvent, ip?: string) {
      await db
        .insertInto('audit_log')
        .values({
          id: newId(),
          at: nowIso(),
          actor: typeof actor === 'string' ? actor : actorLabel(actor),
          action: event.action,
          subject_type: event.subjectType ?? null,
          subject_id: event.subjectId ?? null,
          detail: toJson(event.detail ?? {}),
          ip: ip ?? null,
        })
        .execute();
    },
    /** Newest first; supervisors search by action, by who did it, or by whose record it concerned. */
    async list({ page, pageSize, action, actor, subjectType, subjectId }: { page: number; pageSize: number; action?: string; actor?: string; subjectType?: string; subjectId?: string }) {
      let query = db.selectFrom('audit_log');
      if (action) query = query.where('action', action.endsWith('.') ? 'like' : '=', action.endsWith('.') ? `${action}%` : action);
      if (actor) query = query.where('actor', '=', actor);
      if (subjectType) query = query.where('subject_type', '=', subjectType);
      if (subjectId) query = query.where('subject_id', '=', subjectId);
      const [rows, total] = await Promise.all([
        query.selectAll().orderBy('at', 'desc').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute(),
        query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
      ]);
      return {
        total: Number(total?.n ?? 0),
        items: rows.map((row: any) => ({
          id: row.id as string,
          at: row.at as string,
          actor: row.actor as string,
          action: row.action as string,
          subjectType: row.subject_type as string | null,
          subjectId: row.subject_id as string | null,
          detail: fromJson<Record<string, unknown>>(row.detail, {}),
          ip: row.ip as string | null,
        })),
      };
    },
  };
}

export type AuditLog = ReturnType<typeof auditLog>;

/** One row of the log as read back, before the presenter names its actor and subject. */
export type AuditEntry = Awaited<ReturnType<AuditLog['list']>>['items'][number];
