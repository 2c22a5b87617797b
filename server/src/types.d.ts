import type { Actor } from './identity/permissions';
import type { KnowledgeService } from './knowledge/service';
import type { RobotService } from './robot/robot-service';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set for every request before validation and handlers run. */
    actor: Actor;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Long-lived services of the app, for boot code and tests. */
    services: { knowledge: KnowledgeService; robot: RobotService };
  }
}
