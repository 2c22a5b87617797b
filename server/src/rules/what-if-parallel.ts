import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Num } from './num';
import { loadSeedParameters } from './params';
import { builtinRuleSets } from './rulesets';
import { claimedChunks, runWhatIf, syntheticContributionPopulation, type WhatIfResult } from './run-what-if';
import { RulesService } from './service';

/** The options a synthetic what-if thread needs (main thread and workers alike). */
export interface SyntheticWhatIfTask {
  ruleSetId: string;
  people: number;
  date: string;
  overrides: Record<string, unknown>;
  sum: string[];
  seed: number;
  incremental?: boolean;
  /** people per claimed chunk */
  chunk: number;
  /** shared chunk counter (Int32Array over a SharedArrayBuffer) */
  counter: Int32Array;
}

export interface ThreadResult {
  result: WhatIfResult;
  exact: { baseline: string[]; scenario: string[] };
}

let seedService: RulesService | undefined;

/** Runs this thread's share of a synthetic what-if: chunks claimed until none is left. */
export function runSyntheticShare(d: SyntheticWhatIfTask): ThreadResult {
  // the seed parameters and built-in rule sets, as in every worker, so all threads agree
  seedService ??= new RulesService(loadSeedParameters(), builtinRuleSets);
  const rs = seedService.inForce(d.ruleSetId, d.date)!.compiled;
  const exact = { baseline: [] as string[], scenario: [] as string[] };
  const result = runWhatIf({
    rs,
    params: seedService.params,
    date: d.date,
    overrides: d.overrides,
    sum: d.sum,
    population: syntheticContributionPopulation(rs, d.people, d.seed, claimedChunks(d.counter, d.people, d.chunk)),
    incremental: d.incremental,
    onTotals: (baseline, scenario) => {
      exact.baseline = baseline;
      exact.scenario = scenario;
    },
  });
  return { result, exact };
}

/**
 * Runs a what-if over the synthetic contribution population (seed parameters, built-in rule
 * sets) on `threads` threads: the calling thread and threads − 1 workers claim chunks of the same
 * deterministic population from a shared counter, so a worker still starting up costs nothing but
 * its start-up, and the exact totals are added. Same result as one thread.
 */
export async function runSyntheticWhatIfParallel(o: {
  ruleSetId: string;
  people: number;
  date: string;
  overrides: Record<string, unknown>;
  sum: string[];
  /**
   * threads including the calling one (default 1: on the shared 2-core development box a worker's
   * start-up and the other jobs usually ate the gain of the second core; see docs/rules-engine.md)
   */
  threads?: number;
  seed?: number;
  incremental?: boolean;
  chunk?: number;
}): Promise<WhatIfResult & { threads: number; peoplePerThread: number[] }> {
  const t0 = performance.now();
  const threads = Math.max(1, Math.min(o.threads ?? 1, availableParallelism() * 2, 16));
  const task: SyntheticWhatIfTask = {
    ruleSetId: o.ruleSetId,
    people: o.people,
    date: o.date,
    overrides: o.overrides,
    sum: o.sum,
    seed: o.seed ?? 12333,
    incremental: o.incremental,
    chunk: o.chunk ?? 16384,
    counter: new Int32Array(new SharedArrayBuffer(4)),
  };
  const workers = Array.from({ length: threads - 1 }, () => {
    return new Promise<ThreadResult>((resolve, reject) => {
      // the worker loads its TypeScript entry through tsx, as the main thread does
      const entry = new URL('./what-if-worker.ts', import.meta.url).href;
      const tsx = import.meta.resolve('tsx/esm/api');
      const worker = new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, {
        eval: true,
        workerData: task,
      });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => code !== 0 && reject(new Error(`what-if worker exited with ${code}`)));
    });
  });
  const parts = [runSyntheticShare(task), ...(await Promise.all(workers))];
  const add = (k: 'baseline' | 'scenario') => o.sum.map((_, i) => parts.reduce((acc, p) => acc.add(Num.parse(p.exact[k][i] ?? '0')), Num.ZERO));
  const a = add('baseline');
  const b = add('scenario');
  const count = (k: 'baseline' | 'scenario', f: 'complete' | 'incomplete') => parts.reduce((n, p) => n + p.result[k][f], 0);
  return {
    people: parts.reduce((n, p) => n + p.result.people, 0),
    invalid: parts.flatMap((p) => p.result.invalid),
    baseline: { complete: count('baseline', 'complete'), incomplete: count('baseline', 'incomplete'), totals: Object.fromEntries(o.sum.map((id, i) => [id, a[i].toNumber()])) },
    scenario: { complete: count('scenario', 'complete'), incomplete: count('scenario', 'incomplete'), totals: Object.fromEntries(o.sum.map((id, i) => [id, b[i].toNumber()])) },
    difference: Object.fromEntries(o.sum.map((id, i) => [id, b[i].sub(a[i]).toNumber()])),
    parameterVersions: parts[0].result.parameterVersions,
    overrides: o.overrides,
    ms: Math.round(performance.now() - t0),
    threads,
    peoplePerThread: parts.map((p) => p.result.people),
  };
}
