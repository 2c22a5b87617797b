import type { FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import { REALTIME } from '../../../common/conversations';
import { EVENTS, type EventPayloads } from '../../../common/events';
import { authorizeConversation, can, type Actor } from '../identity/permissions';
import { AppError } from '../platform/errors';
import { languageOf } from '../platform/language';
import { repoOf, type ConversationDeps } from './deps';
import type { ConversationRecord, MessageRecord } from './model';
import { presentConversation, presentMessage } from './presenter';
import { receiveCustomerMessage } from './receive-customer-message';
import { markReadByAgent, markReadByCustomer } from './reply-as-agent';
import { agentState } from './set-agent-status';

/** Rooms: a conversation as its citizen sees it, as staff see it, an agent's own feed, and everyone serving. */
const citizenRoom = (id: string) => `conv:${id}`;
const staffRoom = (id: string) => `staff:${id}`;
const agentRoom = (userId: string) => `agent:${userId}`;
const SERVING_ROOM = 'serving';
/** Supervisors (and admins) watching the live monitor: the supervision domain pushes to them. */
const SUPERVISORS_ROOM = 'supervisors';

/** The supervisors connected to this instance, for the live monitor's pushes (`app.supervisorSockets`). */
export interface SupervisorSockets {
  emit(event: string, payload: unknown): void;
  count(): number;
}
declare module 'fastify' {
  interface FastifyInstance {
    /** set once the realtime gateway is attached */
    supervisorSockets?: SupervisorSockets;
  }
}

/** How a socket proves who it is: the widget's visitor token, or a staff session. */
export interface RealtimeAuth {
  /** The staff member behind a session token or cookie (with its CSRF token), or undefined. */
  staffFromHandshake(handshake: { token?: string; cookie?: string; csrf?: string; ip: string }): Promise<Actor | undefined>;
  /** The contact behind a widget visitor token, or undefined. */
  contactOfVisitor(visitorToken: string): Promise<string | undefined>;
  /** The citizen behind a citizen session token (signed in to 我的社保 in the same tab), or undefined. */
  citizenFromToken(token: string): Promise<Extract<Actor, { kind: 'citizen' }> | undefined>;
}

/**
 * Realtime delivery over Socket.IO, for the web widget (`/widget`) and the agent workspace
 * (`/agent`). Messages are stored first, by the same use cases as the HTTP API; this gateway only
 * pushes. It listens to domain events, which reach every instance (Redis), so a citizen connected to
 * one instance and an agent connected to another see each other's messages. A client that
 * reconnects says the last sequence number it saw and receives everything after it.
 */
export function attachRealtime(app: FastifyInstance, deps: ConversationDeps, auth: RealtimeAuth) {
  const io = new Server(app.server, { path: '/socket.io', serveClient: false, transports: ['websocket', 'polling'] });
  const repo = repoOf(deps.ctx.db);
  const widget = io.of('/widget');
  const agents = io.of('/agent');
  const log = deps.ctx.log;

  // answered in the language of the socket's handshake, like an HTTP error in the request's
  const fail = (err: unknown, socket: { handshake: { headers: Record<string, string | string[] | undefined> } }) => {
    const lang = languageOf(socket.handshake);
    return err instanceof AppError ? { error: { code: err.code, message: err.messageIn(lang) } } : { error: { code: 'internal_error', message: lang === 'en' ? 'internal error' : '服务器内部错误' } };
  };

  // ── citizens ──
  widget.use(async (socket, next) => {
    try {
      const { visitorToken, conversationId } = socket.handshake.auth as { visitorToken?: string; conversationId?: string };
      const contactId = typeof visitorToken === 'string' ? await auth.contactOfVisitor(visitorToken) : undefined;
      const conversation = contactId && typeof conversationId === 'string' ? await repo.getConversation(conversationId) : undefined;
      if (!conversation || conversation.contactId !== contactId || conversation.channel !== 'web') return next(new Error('conversation_not_found'));
      socket.data.conversationId = conversation.id;
      // a citizen signed in to 我的社保 writes as themself: the conversation gets a verified person
      const { citizenToken } = socket.handshake.auth as { citizenToken?: unknown };
      socket.data.citizen = typeof citizenToken === 'string' && citizenToken.length < 200 ? await auth.citizenFromToken(citizenToken) : undefined;
      next();
    } catch (err) {
      next(err as Error);
    }
  });

  widget.on('connection', async (socket: Socket) => {
    const id = socket.data.conversationId as string;
    // handlers first: a client may send the moment it is connected, before the catch-up below is done
    socket.on('send', async (input: { clientMessageId?: string; text?: string; startCalculation?: unknown }, ack?: (reply: unknown) => void) => {
      try {
        const text = typeof input?.text === 'string' ? input.text.trim() : '';
        if (!text || text.length > 4000 || typeof input.clientMessageId !== 'string' || !input.clientMessageId || input.clientMessageId.length > 100) {
          throw new AppError(400, 'invalid_request', { zh: '消息或消息编号无效', en: 'invalid text or clientMessageId' });
        }
        const current = (await repo.getConversation(id))!;
        const citizen = socket.data.citizen as Extract<Actor, { kind: 'citizen' }> | undefined;
        const actor: Actor = citizen ?? { kind: 'anonymous', roles: [], clientKey: socket.handshake.address };
        if (citizen) await repo.setVerifiedPerson(id, citizen.personId);
        const startCalculation = typeof input.startCalculation === 'string' && input.startCalculation.length <= 64 ? input.startCalculation : undefined;
        const result = await receiveCustomerMessage(deps, actor, current, { text, clientMessageId: input.clientMessageId, startCalculation });
        const view = { forStaff: false, format: 'markdown' } as const;
        ack?.({ message: presentMessage(result.message, view), replies: result.replies.map((m) => presentMessage(m, view)) });
      } catch (err) {
        ack?.(fail(err, socket));
      }
    });
    socket.on('typing', () => deps.ctx.events.emit(EVENTS.typing, { conversationId: id, from: 'customer' }));
    socket.on('read', async (input: { seq?: number }) => {
      const current = await repo.getConversation(id);
      if (current && Number.isInteger(input?.seq)) {
        await markReadByCustomer(deps, current, input.seq!);
      }
    });
    // The catch-up runs in the conversation's push order, and it and the live pushes share the socket's
    // high-water mark: every message after `lastSeq` reaches this socket once, in order.
    socket.data.sentSeq = Number((socket.handshake.auth as { lastSeq?: unknown }).lastSeq) || 0;
    inOrder(id, async () => {
      try {
        await socket.join(citizenRoom(id));
        for (let page = await repo.messagesAfter(id, socket.data.sentSeq, { includePrivate: false, limit: 500 }); page.length; ) {
          for (const m of page) sendToCitizen(socket, m);
          page = page.length === 500 ? await repo.messagesAfter(id, socket.data.sentSeq, { includePrivate: false, limit: 500 }) : [];
        }
        const conversation = await repo.getConversation(id);
        if (conversation) socket.emit(REALTIME.conversation, await presentConversation(deps, conversation, { forStaff: false }));
      } catch (err) {
        log.error({ err, conversationId: id }, 'widget catch-up failed');
        socket.disconnect(true);
      }
    });
  });

  // ── staff ──
  agents.use(async (socket, next) => {
    try {
      const { token, csrf } = socket.handshake.auth as { token?: string; csrf?: string };
      const actor = await auth.staffFromHandshake({ token, csrf, cookie: socket.handshake.headers.cookie, ip: socket.handshake.address });
      if (!actor || actor.kind !== 'user' || !(can(actor, 'conversations.handle') || can(actor, 'conversations.supervise'))) return next(new Error('unauthorized'));
      socket.data.actor = actor;
      next();
    } catch (err) {
      next(err as Error);
    }
  });

  agents.on('connection', async (socket: Socket) => {
    const actor = socket.data.actor as Extract<Actor, { kind: 'user' }>;
    // rooms joined before anything is awaited, handlers registered synchronously below
    void socket.join([agentRoom(actor.id), SERVING_ROOM, ...(can(actor, 'conversations.supervise') ? [SUPERVISORS_ROOM] : [])]);

    /** Staff open a conversation to follow it live, from the last sequence number they saw. */
    socket.on('watch', async (input: { conversationId?: string; lastSeq?: number }, ack?: (reply: unknown) => void) => {
      try {
        const conversation = typeof input?.conversationId === 'string' ? await repo.getConversation(input.conversationId) : undefined;
        if (!conversation) throw new AppError(404, 'conversation_not_found', { zh: '会话不存在', en: 'not found' });
        authorizeConversation(actor, conversation, (await agentState(deps, actor.id)).skills);
        await socket.join(staffRoom(conversation.id));
        const missed = await repo.messagesAfter(conversation.id, Number(input.lastSeq) || 0, { includePrivate: true, limit: 500 });
        ack?.({ messages: missed.map((m) => presentMessage(m, { forStaff: true, format: 'markdown' })) });
      } catch (err) {
        ack?.(fail(err, socket));
      }
    });
    socket.on('unwatch', async (input: { conversationId?: string }) => {
      if (typeof input?.conversationId === 'string') await socket.leave(staffRoom(input.conversationId));
    });
    socket.on('typing', async (input: { conversationId?: string }) => {
      const conversation = typeof input?.conversationId === 'string' ? await repo.getConversation(input.conversationId) : undefined;
      if (conversation?.assigneeId === actor.id) deps.ctx.events.emit(EVENTS.typing, { conversationId: conversation.id, from: 'agent' });
    });
    socket.on('read', async (input: { conversationId?: string; seq?: number }) => {
      const conversation = typeof input?.conversationId === 'string' ? await repo.getConversation(input.conversationId) : undefined;
      if (conversation?.assigneeId === actor.id && Number.isInteger(input.seq)) {
        await markReadByAgent(deps, conversation, input.seq!);
      }
    });
  });

  // ── pushing what happened (on this instance or another) to the sockets connected here ──
  const hasListeners = (namespace: ReturnType<Server['of']>, room: string) => (namespace.adapter.rooms.get(room)?.size ?? 0) > 0;
  app.decorate('supervisorSockets', {
    emit: (event: string, payload: unknown) => void agents.to(SUPERVISORS_ROOM).emit(event, payload),
    count: () => agents.adapter.rooms.get(SUPERVISORS_ROOM)?.size ?? 0,
  } satisfies SupervisorSockets);

  /** One message to one citizen socket, unless it has had it already (catch-up and live pushes meet here). */
  function sendToCitizen(socket: Socket, m: MessageRecord) {
    if (m.seq <= socket.data.sentSeq) return;
    socket.data.sentSeq = m.seq;
    const view = presentMessage(m, { forStaff: false, format: 'markdown' });
    if (view) socket.emit(REALTIME.message, view);
  }

  async function pushConversation(conversation: ConversationRecord) {
    if (hasListeners(widget, citizenRoom(conversation.id))) {
      widget.to(citizenRoom(conversation.id)).emit(REALTIME.conversation, await presentConversation(deps, conversation, { forStaff: false }));
    }
    const staffView = await presentConversation(deps, conversation, { forStaff: true });
    const rooms = [staffRoom(conversation.id), ...(conversation.assigneeId ? [agentRoom(conversation.assigneeId)] : [])];
    agents.to(rooms).emit(REALTIME.conversation, staffView);
  }

  /**
   * Pushes about one conversation go out one after another, in the order of the events, each reading
   * the current state: a slow push (a queue change recomputes every waiting citizen's place) can then
   * never overtake a later one and leave a widget showing "queued" while an agent is serving.
   */
  const pushChains = new Map<string, Promise<void>>();
  const inOrder = (conversationId: string, push: () => Promise<void>) => {
    const next = (pushChains.get(conversationId) ?? Promise.resolve()).then(push).catch((err) => log.error({ err, conversationId }, 'realtime push failed'));
    pushChains.set(conversationId, next);
    void next.then(() => {
      if (pushChains.get(conversationId) === next) pushChains.delete(conversationId);
    });
  };

  deps.ctx.events.on(EVENTS.messageCreated, (p: EventPayloads['message.created']) =>
    inOrder(p.conversationId, async () => {
      const message = await repo.messageBySeq(p.conversationId, p.seq);
      const conversation = await repo.getConversation(p.conversationId);
      if (!message || !conversation) return;
      for (const socketId of widget.adapter.rooms.get(citizenRoom(conversation.id)) ?? []) {
        const socket = widget.sockets.get(socketId);
        if (!socket || message.seq <= socket.data.sentSeq) continue;
        // events of two transactions may be dispatched in either order: what lies between comes from the database
        if (message.seq > socket.data.sentSeq + 1) {
          for (const missed of await repo.messagesAfter(conversation.id, socket.data.sentSeq, { includePrivate: false, limit: 500 })) {
            if (missed.seq < message.seq) sendToCitizen(socket, missed);
          }
        }
        sendToCitizen(socket, message);
      }
      const rooms = [staffRoom(conversation.id), ...(conversation.assigneeId ? [agentRoom(conversation.assigneeId)] : [])];
      agents.to(rooms).emit(REALTIME.message, presentMessage(message, { forStaff: true, format: 'markdown' }));
    }),
  );

  deps.ctx.events.on(EVENTS.conversationChanged, (p: EventPayloads['conversation.changed']) =>
    inOrder(p.conversationId, async () => {
      const conversation = await repo.getConversation(p.conversationId);
      if (conversation) await pushConversation(conversation);
      // the queue moved: every waiting citizen's place may have changed, and agents refresh their queue
      if (p.status !== 'queued' && p.from !== 'queued') return;
      agents.to(SERVING_ROOM).emit(REALTIME.queue, { conversationId: p.conversationId, status: p.status });
      for (const waiting of await repo.queued({ leftMessages: false, limit: 200 })) {
        if (waiting.id === p.conversationId || !hasListeners(widget, citizenRoom(waiting.id))) continue;
        // in that conversation's own order, and only while it still waits
        inOrder(waiting.id, async () => {
          const fresh = await repo.getConversation(waiting.id);
          if (fresh?.status === 'queued') widget.to(citizenRoom(fresh.id)).emit(REALTIME.conversation, await presentConversation(deps, fresh, { forStaff: false }));
        });
      }
    }),
  );

  deps.ctx.events.on(EVENTS.typing, (p: EventPayloads['conversation.typing']) => {
    if (p.from === 'agent') widget.to(citizenRoom(p.conversationId)).emit(REALTIME.typing, { from: 'agent' });
    else agents.to(staffRoom(p.conversationId)).emit(REALTIME.typing, { conversationId: p.conversationId, from: 'customer' });
  });
  deps.ctx.events.on(EVENTS.read, (p: EventPayloads['conversation.read']) => {
    if (p.by === 'customer') agents.to(staffRoom(p.conversationId)).emit(REALTIME.read, p);
    else widget.to(citizenRoom(p.conversationId)).emit(REALTIME.read, { by: 'agent', seq: p.seq });
  });

  deps.ctx.metrics.gauge('realtime_connections', 'Socket.IO connections open on this instance (widgets and agent workspaces)', [], (gauge) => gauge.set(io.engine.clientsCount));

  app.addHook('preClose', async () => {
    // tell connected clients to reconnect (to this instance after a restart, or to another one)
    io.of('/widget').emit(REALTIME.reconnect);
    io.of('/agent').emit(REALTIME.reconnect);
    io.disconnectSockets(true);
    // the sockets' connections only: Fastify closes the HTTP server itself
    io.engine.close();
  });
  return io;
}
