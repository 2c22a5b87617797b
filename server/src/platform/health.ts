import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from './context';
import { isDatabaseUp } from './database';
import { errorResponses, noQuery } from './http';

/** Whether this instance still wants new traffic: false from the shutdown signal on (main.ts). */
export interface Readiness {
  readonly draining: boolean;
  /** Readiness answers 503 from now on, so a load balancer stops sending before the port closes. */
  startDraining(): void;
}
declare module 'fastify' {
  interface FastifyInstance {
    readiness: Readiness;
  }
}

/**
 * Health endpoints: /api/v1/health (the database answers; kept for existing monitors), liveness
 * (the process is up: restart it when this fails) and readiness (send it traffic: the database
 * answers and the instance is not draining).
 */
export function registerHealth(app: FastifyInstance, ctx: AppContext) {
  let draining = false;
  app.decorate('readiness', {
    get draining() {
      return draining;
    },
    startDraining: () => void (draining = true),
  } satisfies Readiness);

  const probe = { open: 'health probes of load balancers and monitors' };
  const answer = <T extends [string, ...string[]]>(statuses: T) => z.object({ status: z.enum(statuses) });
  app.get('/api/v1/health', { config: { access: probe }, schema: { tags: ['platform'], summary: '健康检查 / health', querystring: noQuery, response: { 200: answer(['ok']), 503: answer(['unavailable']), ...errorResponses } } }, async (_request, reply) => {
    if (!(await isDatabaseUp(ctx.database))) return reply.status(503).send({ status: 'unavailable' });
    return { status: 'ok' };
  });
  app.get('/api/v1/health/live', { config: { access: probe }, schema: { tags: ['platform'], summary: '存活检查 / liveness', querystring: noQuery, response: { 200: answer(['live']), ...errorResponses } } }, async () => ({ status: 'live' }));
  app.get('/api/v1/health/ready', { config: { access: probe }, schema: { tags: ['platform'], summary: '就绪检查 / readiness', querystring: noQuery, response: { 200: answer(['ready']), 503: answer(['draining', 'unavailable']), ...errorResponses } } }, async (_request, reply) => {
    if (draining) return reply.status(503).send({ status: 'draining' });
    if (!(await isDatabaseUp(ctx.database))) return reply.status(503).send({ status: 'unavailable' });
    return { status: 'ready' };
  });
}
