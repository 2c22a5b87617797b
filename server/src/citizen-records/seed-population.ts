import type { AppContext } from '../platform/context';
import { generatePopulation } from './generate-population';
import { writePersons } from './import-records';
import { importPerson, type ValidPerson } from './schema';

export const SEED_POPULATION_JOB = 'records.seed-demo-population';

/** Persons generated and written at a time: the whole population never sits in memory. */
const BATCH = 500;

/**
 * Loads the synthetic demo population (fictional persons with valid ID numbers) through the same
 * validation and writing as an import. Deterministic, so a run cut short by a crash is redone the same.
 */
export async function seedDemoPopulation(ctx: AppContext, count: number, progress: (percent: number) => Promise<void> = async () => {}) {
  let batch: ValidPerson[] = [];
  let written = 0;
  for (const person of generatePopulation({ count })) {
    batch.push(importPerson.parse(person));
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
