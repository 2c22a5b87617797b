import { ZodError } from 'zod';
import { actorLabel, type Actor } from '../identity/permissions';
import { isUniqueViolation } from '../platform/database';
import { badRequest, notFound } from '../platform/errors';
import { nowIso } from '../platform/ids';
import type { AppContext } from '../platform/context';
import type { QualityRule } from './model';
import { REINSPECT_DAYS, REINSPECT_JOB } from './ports';
import { inspectionRepo } from './repo';
import { DEFAULT_RULES, parseParams } from './rules';

/** Creates the default rules that are missing (first start, or a kind added by an upgrade). */
export async function ensureDefaultRules(ctx: AppContext) {
  const repo = inspectionRepo(ctx.db);
  const have = new Set((await repo.rules()).map((r) => r.id));
  for (const [position, rule] of DEFAULT_RULES.entries()) {
    if (have.has(rule.type)) continue;
    try {
      await repo.insertRule({ id: rule.type, ...rule, isEnabled: true, position, updatedAt: nowIso(), updatedBy: 'system' });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // another instance created it at the same moment
    }
  }
}

/**
 * A supervisor changes a rule (switch, weight, parameters, name, description). The change is audited
 * and the conversations closed in the last 30 days are re-inspected by a background job, so scores
 * and flags follow the rules in force.
 */
export async function updateRule(
  ctx: AppContext,
  actor: Actor,
  ruleId: string,
  input: Partial<Pick<QualityRule, 'name' | 'description' | 'weight' | 'isEnabled' | 'params'>>,
): Promise<{ rule: QualityRule; jobId: string }> {
  const repo = inspectionRepo(ctx.db);
  const rule = await repo.getRule(ruleId);
  if (!rule) throw notFound('质检规则', 'rule_not_found');
  let params = rule.params;
  if (input.params !== undefined) {
    try {
      params = parseParams(rule.type, input.params);
    } catch (err) {
      const issue = err instanceof ZodError ? err.issues[0] : undefined;
      throw badRequest('invalid_params', { zh: `规则参数无效${issue ? `：${issue.path.join('.')} ${issue.message}` : ''}`, en: `invalid parameters${issue ? `: ${issue.path.join('.')} ${issue.message}` : ''}` }, ['params', ...(issue?.path ?? [])].join('.'));
    }
  }
  const next = {
    name: input.name?.trim() || rule.name,
    description: input.description?.trim() ?? rule.description,
    weight: input.weight ?? rule.weight,
    isEnabled: input.isEnabled ?? rule.isEnabled,
    params,
    updatedAt: nowIso(),
    updatedBy: actorLabel(actor),
  };
  await repo.updateRule(ruleId, next);
  await ctx.audit.record(actor, {
    action: 'quality.rule_changed',
    subjectType: 'quality_rule',
    subjectId: ruleId,
    detail: { before: { weight: rule.weight, isEnabled: rule.isEnabled, params: rule.params }, after: { weight: next.weight, isEnabled: next.isEnabled, params: next.params } },
  });
  const since = new Date(Date.now() - REINSPECT_DAYS * 86_400_000).toISOString();
  const job = await ctx.jobs.enqueue(REINSPECT_JOB, { since }, { createdBy: actorLabel(actor) });
  return { rule: { ...rule, ...next }, jobId: job.id };
}
