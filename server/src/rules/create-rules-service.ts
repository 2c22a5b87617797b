import { EVENTS, type EventPayloads } from '../../../common/events';
import type { AppContext } from '../platform/context';
import { loadSeedParameters } from './params';
import { rulesRepo } from './repo';
import { builtinRuleSets } from './rulesets';
import { RulesService } from './service';

/**
 * The app's rules service: built-in rule sets and seed parameters, plus the versions stored in the
 * database. Built once by the composition root. It follows changes made on any instance: a saved or
 * published rule-set version, or an approved parameter version, is announced through the outbox and
 * loaded here from the database, so instances never drift apart.
 */
export async function createRulesService(ctx: AppContext): Promise<RulesService> {
  const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
  const repo = rulesRepo(ctx.db);
  // pending and rejected versions never reach determinations
  for (const v of await repo.listParameterVersions('published')) {
    try {
      svc.params.addVersion(v);
    } catch (e) {
      ctx.log.error({ err: e, id: v.id }, 'rules: skipping a stored parameter version');
    }
  }
  for (const v of await repo.listRuleSetVersions()) {
    try {
      svc.addVersion(v.def, v.status);
    } catch (e) {
      ctx.log.error({ err: e, id: v.def.id, version: v.def.version }, 'rules: skipping a stored rule-set version that does not compile');
    }
  }
  ctx.events.on(EVENTS.ruleSetChanged, (p: EventPayloads['ruleset.changed']) => void reloadRuleSetVersion(ctx, svc, p));
  ctx.events.on(EVENTS.parametersChanged, (p: EventPayloads['parameters.changed']) => void reloadParameterVersion(ctx, svc, p));
  return svc;
}

async function reloadRuleSetVersion(ctx: AppContext, svc: RulesService, p: EventPayloads['ruleset.changed']) {
  try {
    const stored = await rulesRepo(ctx.db).findRuleSetVersion(p.ruleSetId, p.version);
    if (stored) svc.addVersion(stored.def, stored.status);
  } catch (err) {
    ctx.log.error({ err, ...p }, 'rules: could not load a changed rule-set version');
  }
}

async function reloadParameterVersion(ctx: AppContext, svc: RulesService, p: EventPayloads['parameters.changed']) {
  try {
    const v = await rulesRepo(ctx.db).findParameterVersion(p.versionId);
    if (v?.status === 'published') svc.params.addVersion({ id: v.id, jurisdiction: v.jurisdiction, effectiveFrom: v.effectiveFrom, effectiveTo: v.effectiveTo ?? null, values: v.values, note: v.note });
  } catch (err) {
    ctx.log.error({ err, ...p }, 'rules: could not load an approved parameter version');
  }
}
