import { EVENTS } from '../../../common/events';
import type { Actor } from '../identity/permissions';
import { actorLabel, authorizeApproval } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { isCalendarDate } from '../platform/dates';
import { AppError, conflict } from '../platform/errors';
import { nowIso } from '../platform/ids';
import { checkParameterValue } from './parameter-types';
import type { ParameterVersion } from './params';
import { rulesRepo, type StoredParameterVersion } from './repo';
import type { RulesService } from './service';
import type { Text } from './types';

/**
 * Parameter versions change what citizens are told, so they are reviewed like knowledge entries:
 * an editor submits a version (pending: determinations do not see it), and a reviewer who is not
 * its author approves it (it applies from its effective date) or rejects it with a comment.
 */

const ID = /^[A-Za-z0-9._-]{1,80}$/;

export type ParameterVersionDraft = Omit<ParameterVersion, 'id'> & { id?: string };

/** Every parameter key any rule set reads or any version sets, with the label a rule set gives it. */
function knownKeys(svc: RulesService): Map<string, Text | undefined> {
  const keys = new Map<string, Text | undefined>();
  for (const v of svc.params.listVersions()) for (const k of Object.keys(v.values)) keys.set(k, undefined);
  for (const id of svc.ids()) for (const v of svc.listVersions(id)) for (const p of v.def.parameters) keys.set(p.key, keys.get(p.key) ?? p.label);
  return keys;
}

/** Checks a version's jurisdiction, dates and values (types and ranges); throws 400 naming the field. */
function checkVersion(svc: RulesService, v: ParameterVersionDraft): void {
  if (!svc.params.hasJurisdiction(v.jurisdiction)) throw new AppError(400, 'invalid_value', { zh: `未知的地区：${v.jurisdiction}`, en: `unknown jurisdiction ${v.jurisdiction}` }, 'jurisdiction');
  for (const field of ['effectiveFrom', 'effectiveTo'] as const) {
    const d = v[field];
    if ((field === 'effectiveFrom' || (d !== null && d !== undefined)) && (typeof d !== 'string' || !isCalendarDate(d))) {
      throw new AppError(400, 'invalid_value', { zh: `${field} 应为有效日期 YYYY-MM-DD`, en: `${field} must be a real date YYYY-MM-DD` }, field);
    }
  }
  const earliest = svc.params.earliestDate(v.jurisdiction);
  if (earliest && v.effectiveFrom < earliest) throw new AppError(400, 'invalid_value', { zh: `生效日期不能早于 ${earliest}`, en: `effectiveFrom before ${earliest}` }, 'effectiveFrom');
  if (v.effectiveTo && v.effectiveTo <= v.effectiveFrom) throw new AppError(400, 'invalid_value', { zh: '失效日期须晚于生效日期', en: 'effectiveTo must be after effectiveFrom' }, 'effectiveTo');
  if (v.note !== undefined && (typeof v.note !== 'string' || v.note.length > 2000)) throw new AppError(400, 'invalid_value', { zh: '备注至多 2000 字', en: 'note: at most 2000 characters' }, 'note');
  if (!v.values || typeof v.values !== 'object' || Object.keys(v.values).length === 0) throw new AppError(400, 'invalid_value', { zh: '至少修改一个参数', en: 'at least one value' }, 'values');
  const keys = knownKeys(svc);
  const inForce = svc.params.resolve(v.effectiveFrom, v.jurisdiction).values;
  for (const [k, val] of Object.entries(v.values)) {
    if (!keys.has(k)) throw new AppError(400, 'unknown_parameter', { zh: `未知的参数“${k}”`, en: `unknown parameter ${k}` }, `values.${k}`);
    checkParameterValue(k, val, keys.get(k), inForce.get(k));
  }
}

/**
 * Submits parameter versions for review (pending): all are checked before any is stored, so a
 * workbook with one bad row stores nothing. Ids already taken are refused (409) when given, and
 * numbered (`demo-city-2026-01-01-2`) when made from the jurisdiction and date.
 */
export async function submitParameterVersions(ctx: AppContext, svc: RulesService, actor: Actor, drafts: ParameterVersionDraft[]): Promise<StoredParameterVersion[]> {
  const repo = rulesRepo(ctx.db);
  for (const v of drafts) {
    if (v.id !== undefined && !ID.test(v.id)) throw new AppError(400, 'invalid_value', { zh: '版本 id 只能含字母、数字和 . _ -（至多 80 个）', en: 'id: letters, digits, . _ - (at most 80)' }, 'id');
    checkVersion(svc, v);
  }
  const taken = new Set([...svc.params.listVersions().map((x) => x.id), ...(await repo.listParameterVersions()).map((x) => x.id)]);
  const versions: ParameterVersion[] = drafts.map((v) => {
    let id = v.id ?? `${v.jurisdiction}-${v.effectiveFrom}`;
    if (taken.has(id)) {
      if (v.id) throw conflict('version_exists', { zh: `参数版本 ${id} 已存在`, en: 'exists' });
      let n = 2;
      while (taken.has(`${id}-${n}`)) n++;
      id = `${id}-${n}`;
    }
    taken.add(id);
    return { id, jurisdiction: v.jurisdiction, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo ?? null, values: v.values, note: v.note };
  });
  const by = actorLabel(actor);
  const out: StoredParameterVersion[] = [];
  for (const version of versions) {
    const at = nowIso();
    await repo.insertParameterVersion(version, 'pending', by, at);
    await ctx.audit.record(actor, { action: 'rules.parameters.submit', subjectType: 'parameters', subjectId: version.id, detail: { effectiveFrom: version.effectiveFrom, keys: Object.keys(version.values) } });
    out.push({ ...version, status: 'pending', createdBy: by, createdAt: at, reviewedBy: null, reviewedAt: null, reviewComment: null });
  }
  return out;
}

async function findPending(ctx: AppContext, id: string): Promise<StoredParameterVersion> {
  const v = await rulesRepo(ctx.db).findParameterVersion(id);
  if (!v) throw new AppError(404, 'parameter_version_not_found', { zh: `参数版本不存在：${id}`, en: `no parameter version ${id}` });
  if (v.status !== 'pending') throw conflict('not_pending', { zh: `该参数版本不在待审核状态（${v.status}）`, en: 'the version is not pending review' });
  return v;
}

/** Approves a pending version: from its effective date on, determinations use it. Nobody approves their own change. */
export async function approveParameterVersion(ctx: AppContext, svc: RulesService, actor: Actor, id: string, input: { comment?: string }): Promise<StoredParameterVersion> {
  const v = await findPending(ctx, id);
  const by = actorLabel(actor);
  authorizeApproval(actor, 'rules.publish', v.createdBy);
  // the parameters and rule sets may have changed since it was submitted
  checkVersion(svc, v);
  const at = nowIso();
  const comment = input.comment?.trim() || null;
  const events = ctx.outbox.batch();
  const reviewed = await ctx.db.transaction().execute(async (trx) => {
    const done = await rulesRepo(trx).reviewParameterVersion(id, { status: 'published', reviewedBy: by, reviewedAt: at, comment });
    if (done) await events.add(trx, EVENTS.parametersChanged, { versionId: id });
    return done;
  });
  if (!reviewed) throw conflict('not_pending', { zh: '该参数版本已被审核', en: 'the version was reviewed meanwhile' });
  events.dispatch();
  svc.params.addVersion({ id: v.id, jurisdiction: v.jurisdiction, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo ?? null, values: v.values, note: v.note });
  await ctx.audit.record(actor, { action: 'rules.parameters.approve', subjectType: 'parameters', subjectId: id, detail: { effectiveFrom: v.effectiveFrom, author: v.createdBy } });
  return { ...v, status: 'published', reviewedBy: by, reviewedAt: at, reviewComment: comment };
}

/** Rejects a pending version with a comment; it never applies. */
export async function rejectParameterVersion(ctx: AppContext, actor: Actor, id: string, input: { comment: string }): Promise<StoredParameterVersion> {
  const v = await findPending(ctx, id);
  const comment = input.comment.trim();
  if (!comment) throw new AppError(400, 'comment_required', { zh: '退回时请填写意见', en: 'a comment is required' }, 'comment');
  const by = actorLabel(actor);
  const at = nowIso();
  if (!(await rulesRepo(ctx.db).reviewParameterVersion(id, { status: 'rejected', reviewedBy: by, reviewedAt: at, comment }))) {
    throw conflict('not_pending', { zh: '该参数版本已被审核', en: 'the version was reviewed meanwhile' });
  }
  await ctx.audit.record(actor, { action: 'rules.parameters.reject', subjectType: 'parameters', subjectId: id, detail: { effectiveFrom: v.effectiveFrom, author: v.createdBy } });
  return { ...v, status: 'rejected', reviewedBy: by, reviewedAt: at, reviewComment: comment };
}
