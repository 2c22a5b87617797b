import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context';

/** What the supervision domain needs from the rest of the app (ports added as it grows). */
export interface SupervisionDeps {
  ctx: AppContext;
}

/** The supervision domain in the app (being built). */
export async function registerSupervision(_app: FastifyInstance, _deps: SupervisionDeps) {}
