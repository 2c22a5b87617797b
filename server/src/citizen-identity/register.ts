import type { FastifyInstance } from 'fastify';
import type { CitizenIdentityDeps } from './ports';
import { citizenIdentityRoutes } from './routes';

export type { CitizenIdentityDeps, PersonDirectory, RealNameVerifier } from './ports';

/** Citizens' sign-in in the app; expired codes and sessions are swept once an hour on one instance. */
export async function registerCitizenIdentity(app: FastifyInstance, deps: CitizenIdentityDeps) {
  await citizenIdentityRoutes(app, deps);
  deps.ctx.jobs.every(3_600_000, 'citizen-identity.sweep', async () => {
    const at = new Date().toISOString();
    await deps.ctx.db.deleteFrom('citizen_sms_codes').where('expires_at', '<', new Date(Date.now() - 86_400_000).toISOString()).execute();
    await deps.ctx.db.deleteFrom('citizen_sessions').where('absolute_expires_at', '<', at).execute();
  });
}
