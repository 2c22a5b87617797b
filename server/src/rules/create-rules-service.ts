import type { AppContext } from '../platform/context';
import { loadSeedParameters } from './params';
import { rulesRepo } from './repo';
import { builtinRuleSets } from './rulesets';
import { RulesService, setRulesService } from './service';

/** The app's rules service: built-in rule sets and seed parameters, plus the versions stored in the database. */
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
  setRulesService(svc);
  return svc;
}
