import type { FastifyInstance } from 'fastify';
import type { ConversationDeps } from '../conversations/deps';
import { presentConversation } from '../conversations/presenter';
import { conversationsRepo } from '../conversations/repo';
import type { AppContext } from '../platform/context';
import type { SupervisionDeps } from './deps';

/**
 * Part of the composition root: adapts the conversations domain to this domain's ports. It is the one
 * file of supervision that imports another domain, as app.ts does; it lives here so that app.ts
 * changes by one line.
 */
export function supervisionDeps(ctx: AppContext, conversations: ConversationDeps, app: FastifyInstance): SupervisionDeps {
  const repo = conversationsRepo(ctx.db);
  return {
    ctx,
    conversations: {
      async present(ids) {
        const records = await Promise.all(ids.map((id) => repo.getConversation(id)));
        return Promise.all(records.flatMap((c) => (c ? [presentConversation(conversations, c, { forStaff: true })] : [])));
      },
      displayName: (userId) => conversations.staff.displayName(userId),
    },
    // the realtime gateway is attached after the domains register; it decorates the app with its supervisors' room
    sockets: () => app.supervisorSockets,
  };
}
