import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context';

/** What the inspection domain needs from the rest of the app (ports added as it grows). */
export interface InspectionDeps {
  ctx: AppContext;
}

/** The inspection domain in the app (being built). */
export async function registerInspection(_app: FastifyInstance, _deps: InspectionDeps) {}
