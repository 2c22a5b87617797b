import type { FastifyInstance } from 'fastify';
import type { PersonDirectory } from '../citizen-identity/ports';
import type { CitizenRecordsDeps } from './ports';
import { newId, nowIso } from '../platform/ids';
import { recordsRepo } from './repo';
import { citizenRecordsRoutes } from './routes';
import { seedDemoPopulation, SEED_POPULATION_JOB } from './seed-population';
import { statementRoutes } from './statement-routes';

export type { CitizenRecordsDeps } from './ports';

/**
 * Personal services in the app. On a first start with the demo, the synthetic population is loaded
 * by a background job, so the platform answers at once while it loads.
 */
export async function registerCitizenRecords(app: FastifyInstance, deps: CitizenRecordsDeps) {
  await citizenRecordsRoutes(app, deps);
  await statementRoutes(app, deps);
  deps.ctx.jobs.register(SEED_POPULATION_JOB, async ({ count, now }: { count: number; now: string }, run) => seedDemoPopulation(deps.ctx, count, new Date(now), (p) => run.progress(p)));
  if (deps.demoPersons > 0 && (await recordsRepo(deps.ctx.db, deps.ctx.secrets).countPersons()) === 0) {
    await deps.ctx.jobs.enqueue(SEED_POPULATION_JOB, { count: deps.demoPersons, now: nowIso() }, { createdBy: 'system' });
  }
}

/**
 * Who a citizen is, for their sign-in (citizen-identity's PersonDirectory). With the core system as
 * the source, a person the local store does not know yet is looked up there and their identity
 * (sealed) copied in, so they get a stable id here.
 */
export function personDirectory(deps: Pick<CitizenRecordsDeps, 'ctx' | 'source'>): PersonDirectory {
  const repo = recordsRepo(deps.ctx.db, deps.ctx.secrets);
  const identity = (p: Awaited<ReturnType<typeof repo.personById>>) => p && { personId: p.id, idNumber: p.idNumber, name: p.name, phone: p.phone };
  return {
    byId: async (id) => identity(await repo.personById(id)),
    async byIdNumber(idNumber) {
      const known = await repo.personByIdNumber(idNumber);
      if (known || !deps.source.discover) return identity(known);
      const found = await deps.source.discover(idNumber);
      if (!found) return undefined;
      await repo.replacePersons([{ ...found, runs: [], applications: [], payments: [] }], newId, nowIso());
      return identity(await repo.personByIdNumber(idNumber));
    },
  };
}
