import { EVENTS } from '../../../common/events';
import type { Actor } from '../identity/permissions';
import { actorLabel, authorizeApproval } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { AppError, conflict } from '../platform/errors';
import { nowIso } from '../platform/ids';
import { RuleSetCompileError } from './engine';
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
    throw new AppError(400, 'invalid_document', { zh: `规则集文档无效：${issue.path.join('.')}：${issue.message}`, en: `invalid rule-set document: ${issue.path.join('.')}: ${issue.message}` }, issue.path.join('.') || 'document');
  }
  const def = parsed.data as RuleSetDef;
  if (svc.getVersion(def.id, def.version)) throw conflict('version_exists', { zh: `版本 ${def.version} 已存在`, en: `version ${def.version} exists` });
  let testResults: ReturnType<typeof runRuleSetTests>;
  try {
    svc.addVersion(def, 'draft');
    testResults = runRuleSetTests(def, svc.params);
  } catch (e) {
    if (e instanceof RuleSetCompileError) throw new AppError(400, 'invalid_rule', { zh: `规则无法编译：${e.message}`, en: `a rule does not compile: ${e.message}` }, 'rules');
    throw e;
  }
  const at = nowIso();
  const events = ctx.outbox.batch();
  await ctx.db.transaction().execute(async (trx) => {
    await rulesRepo(trx).insertRuleSetVersion({ def, status: 'draft', testResults, createdBy: actorLabel(actor), createdAt: at, publishedBy: null, publishedAt: null });
    await events.add(trx, EVENTS.ruleSetChanged, { ruleSetId: def.id, version: def.version });
  });
  events.dispatch();
  await ctx.audit.record(actor, { action: 'rules.version.save', subjectType: 'ruleset', subjectId: `${def.id}@${def.version}` });
  return { def, status: 'draft' as const, testResults };
}

/** Publishes a draft version; refused (409) when any of its test cases fails, and (403) to the person who saved it. */
export async function publishRuleSetVersion(ctx: AppContext, svc: RulesService, actor: Actor, id: string, version: string) {
  const repo = rulesRepo(ctx.db);
  const stored = await repo.findRuleSetVersion(id, version);
  if (!stored) throw new AppError(404, 'version_not_found', { zh: `规则集版本不存在：${id}@${version}`, en: `no such version: ${id}@${version}` });
  if (stored.status === 'published') throw conflict('already_published', { zh: '该版本已发布', en: 'already published' });
  authorizeApproval(actor, 'rules.publish', stored.createdBy);
  const testResults = runRuleSetTests(stored.def, svc.params);
  const failed = testResults.filter((r) => !r.passed);
  if (failed.length > 0 || testResults.length === 0) {
    await repo.updateRuleSetStatus(id, version, { status: stored.status, testResults });
    const err = new AppError(
      409,
      'tests_failed',
      testResults.length === 0
        ? { zh: '该版本没有测试用例，不能发布', en: 'a version without test cases cannot be published' }
        : { zh: `有 ${failed.length} 个测试用例未通过，不能发布：${failed.map((f) => f.name).join('、')}`, en: `${failed.length} test case(s) fail: ${failed.map((f) => f.name).join(', ')}` },
    );
    (err as AppError & { details?: unknown[] }).details = failed;
    throw err;
  }
  const at = nowIso();
  // every instance loads it when the event arrives (this one too, right now)
  const events = ctx.outbox.batch();
  await ctx.db.transaction().execute(async (trx) => {
    await rulesRepo(trx).updateRuleSetStatus(id, version, { status: 'published', testResults, publishedBy: actorLabel(actor), publishedAt: at });
    await events.add(trx, EVENTS.ruleSetChanged, { ruleSetId: id, version });
  });
  events.dispatch();
  svc.addVersion(stored.def, 'published');
  await ctx.audit.record(actor, { action: 'rules.version.publish', subjectType: 'ruleset', subjectId: `${id}@${version}`, detail: { tests: testResults.length } });
  return { def: stored.def, status: 'published' as const, testResults };
}
