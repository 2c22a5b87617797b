import type { Actor } from '../identity/permissions';
import { actorLabel } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { AppError, conflict } from '../platform/errors';
import { nowIso } from '../platform/ids';
import { RuleSetCompileError } from './engine';
import type { ParameterVersion } from './params';
import { rulesRepo } from './repo';
import { runRuleSetTests } from './run-ruleset-tests';
import { ruleSetDocument } from './schema';
import type { RulesService } from './service';
import type { RuleSetDef } from './types';

/** Saves a new rule-set version as a draft: checks the document, compiles its FEEL, runs its tests. */
export async function saveRuleSetVersion(ctx: AppContext, svc: RulesService, actor: Actor, doc: unknown) {
  const parsed = ruleSetDocument.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(400, 'invalid_document', `规则集文档无效 / invalid rule-set document: ${issue.path.join('.')}: ${issue.message}`, issue.path.join('.') || 'document');
  }
  const def = parsed.data as RuleSetDef;
  if (svc.getVersion(def.id, def.version)) throw conflict('version_exists', `版本 ${def.version} 已存在 / version exists`);
  let testResults;
  try {
    svc.addVersion(def, 'draft');
    testResults = runRuleSetTests(def, svc.params);
  } catch (e) {
    if (e instanceof RuleSetCompileError) throw new AppError(400, 'invalid_rule', `规则无法编译 / a rule does not compile: ${e.message}`, 'rules');
    throw e;
  }
  const at = nowIso();
  await rulesRepo(ctx.db).insertRuleSetVersion({ def, status: 'draft', testResults, createdBy: actorLabel(actor), createdAt: at, publishedBy: null, publishedAt: null });
  await ctx.audit.record(actor, { action: 'rules.version.save', subjectType: 'ruleset', subjectId: `${def.id}@${def.version}` });
  return { def, status: 'draft' as const, testResults };
}

/** Publishes a draft version; refused (409) when any of its test cases fails. */
export async function publishRuleSetVersion(ctx: AppContext, svc: RulesService, actor: Actor, id: string, version: string) {
  const repo = rulesRepo(ctx.db);
  const stored = await repo.findRuleSetVersion(id, version);
  if (!stored) throw new AppError(404, 'version_not_found', `规则集版本不存在 / no such version: ${id}@${version}`);
  if (stored.status === 'published') throw conflict('already_published', '该版本已发布 / already published');
  const testResults = runRuleSetTests(stored.def, svc.params);
  const failed = testResults.filter((r) => !r.passed);
  if (failed.length > 0 || testResults.length === 0) {
    await repo.updateRuleSetStatus(id, version, { status: stored.status, testResults });
    const err = new AppError(
      409,
      'tests_failed',
      testResults.length === 0
        ? '该版本没有测试用例，不能发布 / a version without test cases cannot be published'
        : `有 ${failed.length} 个测试用例未通过，不能发布 / ${failed.length} test case(s) fail: ${failed.map((f) => f.name).join(', ')}`,
    );
    (err as AppError & { details?: unknown[] }).details = failed;
    throw err;
  }
  const at = nowIso();
  await repo.updateRuleSetStatus(id, version, { status: 'published', testResults, publishedBy: actorLabel(actor), publishedAt: at });
  svc.addVersion(stored.def, 'published');
  await ctx.audit.record(actor, { action: 'rules.version.publish', subjectType: 'ruleset', subjectId: `${id}@${version}`, detail: { tests: testResults.length } });
  return { def: stored.def, status: 'published' as const, testResults };
}

/** Every parameter key any rule set reads or any version sets: new versions may only use these. */
function knownKeys(svc: RulesService): Set<string> {
  const keys = new Set<string>();
  for (const v of svc.params.listVersions()) for (const k of Object.keys(v.values)) keys.add(k);
  for (const id of svc.ids()) for (const v of svc.listVersions(id)) for (const p of v.def.parameters) keys.add(p.key);
  return keys;
}

/** Adds a parameter version (a change of some keys from an effective date on) for a jurisdiction. */
export async function saveParameterVersion(ctx: AppContext, svc: RulesService, actor: Actor, v: Omit<ParameterVersion, 'id'> & { id?: string }) {
  if (!svc.params.hasJurisdiction(v.jurisdiction)) throw new AppError(400, 'invalid_value', `未知的地区 / unknown jurisdiction ${v.jurisdiction}`, 'jurisdiction');
  const earliest = svc.params.earliestDate(v.jurisdiction);
  if (earliest && v.effectiveFrom < earliest) throw new AppError(400, 'invalid_value', `生效日期不能早于 ${earliest} / effectiveFrom before ${earliest}`, 'effectiveFrom');
  if (v.effectiveTo && v.effectiveTo <= v.effectiveFrom) throw new AppError(400, 'invalid_value', '失效日期须晚于生效日期 / effectiveTo must be after effectiveFrom', 'effectiveTo');
  const keys = knownKeys(svc);
  for (const [k, val] of Object.entries(v.values)) {
    if (!keys.has(k)) throw new AppError(400, 'unknown_parameter', `未知的参数“${k}” / unknown parameter ${k}`, `values.${k}`);
    if (val === null || val === undefined) throw new AppError(400, 'invalid_value', `参数“${k}”缺少取值 / ${k} has no value`, `values.${k}`);
    if (typeof val === 'number' && (!Number.isFinite(val) || val < 0)) throw new AppError(400, 'invalid_value', `参数“${k}”须为非负数 / ${k} must be ≥ 0`, `values.${k}`);
  }
  let id = v.id ?? `${v.jurisdiction}-${v.effectiveFrom}`;
  if (svc.params.listVersions().some((x) => x.id === id)) {
    if (v.id) throw conflict('version_exists', `参数版本 ${id} 已存在 / exists`);
    let n = 2;
    while (svc.params.listVersions().some((x) => x.id === `${id}-${n}`)) n++;
    id = `${id}-${n}`;
  }
  const version: ParameterVersion = { id, jurisdiction: v.jurisdiction, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo ?? null, values: v.values, note: v.note };
  await rulesRepo(ctx.db).insertParameterVersion(version, actorLabel(actor), nowIso());
  svc.params.addVersion(version);
  await ctx.audit.record(actor, { action: 'rules.parameters.save', subjectType: 'parameters', subjectId: id, detail: { effectiveFrom: v.effectiveFrom, keys: Object.keys(v.values) } });
  return version;
}
