import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../platform/context';

/** What the analytics domain needs from the rest of the app (ports added as it grows). */
export interface AnalyticsDeps {
  ctx: AppContext;
}

/** The analytics domain in the app (being built). */
export async function registerAnalytics(_app: FastifyInstance, _deps: AnalyticsDeps) {}
