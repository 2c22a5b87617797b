import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context';
import { isDatabaseUp } from './database';

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

  app.get('/api/v1/health', { schema: { tags: ['platform'], summary: '健康检查 / health' } }, async (_request, reply) => {
    if (!(await isDatabaseUp(ctx.database))) return reply.status(503).send({ status: 'unavailable' });
    return { status: 'ok' };
  });
  app.get('/api/v1/health/live', { schema: { tags: ['platform'], summary: '存活检查 / liveness' } }, async () => ({ status: 'live' }));
  app.get('/api/v1/health/ready', { schema: { tags: ['platform'], summary: '就绪检查 / readiness' } }, async (_request, reply) => {
    if (draining) return reply.status(503).send({ status: 'draining' });
    if (!(await isDatabaseUp(ctx.database))) return reply.status(503).send({ status: 'unavailable' });
    return { status: 'ready' };
  });
}
