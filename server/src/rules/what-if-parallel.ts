import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Num } from './num';
import type { WhatIfResult } from './run-what-if';

/**
 * Runs a synthetic-population what-if on several worker threads, each over a disjoint slice of
 * the same deterministic population, and adds their exact totals. Same result as one thread.
 */
export async function runSyntheticWhatIfParallel(o: {
  ruleSetId: string;
  people: number;
  date: string;
  overrides: Record<string, unknown>;
  sum: string[];
  workers?: number;
  seed?: number;
}): Promise<WhatIfResult & { workers: number }> {
  const t0 = performance.now();
  const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), 16, o.people));
  const slice = Math.ceil(o.people / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const start = w * slice;
      const end = Math.min(o.people, start + slice);
      return new Promise<{ result: WhatIfResult; exact: { baseline: string[]; scenario: string[] } }>((resolve, reject) => {
        // the worker loads its TypeScript entry through tsx, as the main thread does
        const entry = new URL('./what-if-worker.ts', import.meta.url).href;
        const tsx = import.meta.resolve('tsx/esm/api');
        const worker = new Worker(`import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, {
          eval: true,
          workerData: { ...o, start, end, seed: o.seed ?? 12333 },
        });
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`what-if worker exited with ${code}`)));
      });
    }),
  );
  const add = (k: 'baseline' | 'scenario') => o.sum.map((_, i) => parts.reduce((acc, p) => acc.add(Num.parse(p.exact[k][i])), Num.ZERO));
  const a = add('baseline');
  const b = add('scenario');
  const first = parts[0].result;
  const count = (k: 'baseline' | 'scenario', f: 'complete' | 'incomplete') => parts.reduce((n, p) => n + p.result[k][f], 0);
  return {
    people: parts.reduce((n, p) => n + p.result.people, 0),
    invalid: parts.flatMap((p) => p.result.invalid),
    baseline: { complete: count('baseline', 'complete'), incomplete: count('baseline', 'incomplete'), totals: Object.fromEntries(o.sum.map((id, i) => [id, a[i].toNumber()])) },
    scenario: { complete: count('scenario', 'complete'), incomplete: count('scenario', 'incomplete'), totals: Object.fromEntries(o.sum.map((id, i) => [id, b[i].toNumber()])) },
    difference: Object.fromEntries(o.sum.map((id, i) => [id, b[i].sub(a[i]).toNumber()])),
    parameterVersions: first.parameterVersions,
    overrides: o.overrides,
    ms: Math.round(performance.now() - t0),
    workers,
  };
}
