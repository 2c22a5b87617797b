import { parentPort, workerData } from 'node:worker_threads';
import { loadSeedParameters } from './params';
import { builtinRuleSets } from './rulesets';
import { runWhatIf, syntheticContributionPopulation } from './run-what-if';
import { RulesService } from './service';

/** Worker thread of runSyntheticWhatIfParallel: one slice of the synthetic population. */
const d = workerData as { ruleSetId: string; people: number; start: number; end: number; seed: number; date: string; overrides: Record<string, unknown>; sum: string[] };
const svc = new RulesService(loadSeedParameters(), builtinRuleSets);
const rs = svc.inForce(d.ruleSetId, d.date)!.compiled;
const exact = { baseline: [] as string[], scenario: [] as string[] };
const result = runWhatIf({
  rs,
  params: svc.params,
  date: d.date,
  overrides: d.overrides,
  sum: d.sum,
  population: syntheticContributionPopulation(d.people, d.seed, d.start, d.end),
  onTotals: (baseline, scenario) => {
    exact.baseline = baseline;
    exact.scenario = scenario;
  },
});
parentPort!.postMessage({ result, exact });
