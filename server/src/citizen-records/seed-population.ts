import type { AppContext } from '../platform/context';
import { generatePopulation } from './generate-population';
import { writePersons } from './import-records';
import type { ValidPerson } from './schema';

export const SEED_POPULATION_JOB = 'records.seed-demo-population';

/** Persons generated and written at a time: the whole population never sits in memory. */
const BATCH = 500;

/**
 * Loads the synthetic demo population (fictional persons with valid ID numbers) through the same
 * writing as an import. Deterministic for the job's own date, so a run cut short by a
 * crash is redone the same.
 */
export async function seedDemoPopulation(ctx: AppContext, count: number, now: Date, progress: (percent: number) => Promise<void> = async () => {}) {
  let batch: ValidPerson[] = [];
  let written = 0;
  for (const person of generatePopulation({ count, now })) {
    // generated persons pass the import schema (generate-population.test.ts checks it): parsing 10,000
    // of them again here would add half a minute to a first start
    batch.push(person as ValidPerson);
    if (batch.length === BATCH) {
      await writePersons(ctx, batch);
      written += batch.length;
      batch = [];
      await progress(Math.floor((written / count) * 100));
    }
  }
  if (batch.length) await writePersons(ctx, batch);
  written += batch.length;
  ctx.log.info({ persons: written }, 'records: demo population loaded');
  return { persons: written };
}
