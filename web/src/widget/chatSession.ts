import { io, type Socket } from 'socket.io-client';
import { storedCitizen } from '../api/citizen';
import type { Conversation, Message, REALTIME as SharedRealtime } from '../../../common/conversations';
import { widgetApi, WidgetApiError } from './api';

// The shared event names, checked against common/conversations by type only: importing the value
// would bring zod (the wire schemas) into the widget's bundle.
const REALTIME: typeof SharedRealtime = { message: 'message', conversation: 'conversation', queue: 'queue', typing: 'typing', read: 'read', reconnect: 'reconnect-elsewhere' };

/**
 * One visitor's conversation in the widget: the messages (by sequence number, each once), the
 * messages still on their way, and the realtime connection.
 *
 * Delivery: a message gets a clientMessageId and shows at once as "sending"; it is sent over the
 * socket and confirmed by the acknowledgement (the stored message with its sequence number). Until
 * then it is kept, also in localStorage across a reload, and sent again after every reconnect: the
 * server stores a clientMessageId once, so a resend never duplicates. One message is in flight at a
 * time, so they are stored in the order typed. A reconnecting socket says the highest sequence
 * number seen and the server sends everything after it.
 */

export interface PendingMessage {
  clientMessageId: string;
  text: string;
  /** the robot's offered calculator this message takes up (its "帮我算一算" button) */
  startCalculation?: string;
  /** failed: the server refused it (not a lost connection, which is retried by itself) */
  state: 'sending' | 'failed';
  error?: string;
}

export interface ChatState {
  phase: 'loading' | 'ready' | 'error';
  error?: string;
  conversation: Conversation | null;
  /** confirmed messages, ascending by seq, each seq once */
  messages: Message[];
  pending: PendingMessage[];
  connection: 'connecting' | 'online' | 'offline';
  isAgentTyping: boolean;
  /** the agent has read the citizen's messages up to this seq */
  agentReadSeq: number;
}

const VISITOR_KEY = 'zhixun.widget.visitor';
const pendingKey = (conversationId: string) => `zhixun.widget.pending.${conversationId}`;
const ACK_TIMEOUT_MS = 15_000;
const TYPING_SHOWN_MS = 5_000;

/** localStorage when the browser allows it (a third-party frame may be refused), else memory only. */
const storage = {
  memory: new Map<string, string>(),
  get(key: string) {
    try {
      return localStorage.getItem(key) ?? undefined;
    } catch {
      return this.memory.get(key);
    }
  },
  set(key: string, value: string | undefined) {
    try {
      if (value === undefined) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      if (value === undefined) this.memory.delete(key);
      else this.memory.set(key, value);
    }
  },
};

type SendReply = { message?: Message; replies?: Message[]; error?: { code: string; message: string } };

export class ChatSession {
  private state: ChatState = { phase: 'loading', conversation: null, messages: [], pending: [], connection: 'connecting', isAgentTyping: false, agentReadSeq: 0 };
  private listeners = new Set<() => void>();
  private bySeq = new Map<number, Message>();
  private socket: Socket | undefined;
  private visitorToken: string | undefined;
  private inFlight: string | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = 1000;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private lastTypingSent = 0;
  private lastReadSent = 0;
  /** bumped by close(): an open() still running for a closed session stops there */
  private generation = 0;

  constructor(private siteKey: string) {}

  // ── the store React subscribes to ──
  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
  readonly getState = () => this.state;
  private set(patch: Partial<ChatState>) {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** Opens the visitor's session: their latest conversation (a returning visitor), or a new one. */
  async open() {
    const generation = this.generation;
    this.set({ phase: 'loading', error: undefined });
    try {
      const session = await widgetApi.session(this.siteKey, storage.get(VISITOR_KEY));
      if (generation !== this.generation) return;
      this.visitorToken = session.visitorToken;
      storage.set(VISITOR_KEY, session.visitorToken);
      if (session.conversation) this.show(session.conversation, session.messages);
      else await this.startNew();
      this.set({ phase: 'ready' });
    } catch (err) {
      this.set({ phase: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** A new conversation, after the last one closed. */
  async startNew() {
    if (!this.visitorToken) return;
    const generation = this.generation;
    const { conversation, messages } = await widgetApi.start(this.siteKey, this.visitorToken);
    if (generation === this.generation) this.show(conversation, messages);
  }

  private show(conversation: Conversation, messages: Message[]) {
    this.disconnect();
    this.bySeq.clear();
    this.lastReadSent = 0;
    this.set({ conversation, messages: [], pending: this.restorePending(conversation.id), isAgentTyping: false, agentReadSeq: conversation.readSeq });
    this.merge(messages);
    // a closed conversation gets nothing new; an open one is followed live
    if (conversation.status !== 'resolved' || this.state.pending.length) this.connect(conversation.id);
    else this.set({ connection: 'online' });
  }

  // ── realtime ──
  private connect(conversationId: string) {
    const socket = io('/widget', {
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      reconnectionDelayMax: 10_000,
      // read at every (re)connection: the server sends what came after the highest seq seen
      auth: (cb) => cb({ visitorToken: this.visitorToken, conversationId, lastSeq: this.highestSeq(), citizenToken: storedCitizen()?.token }),
    });
    this.socket = socket;
    this.set({ connection: 'connecting' });

    socket.on('connect', () => {
      this.retryDelay = 1000;
      this.set({ connection: 'online' });
      this.inFlight = undefined; // an ack lost with the old connection: send it again
      this.flush();
    });
    socket.on('disconnect', (reason) => {
      this.set({ connection: 'offline', isAgentTyping: false });
      // the server closed the connection (restart, another instance): socket.io does not retry that itself
      if (reason === 'io server disconnect') this.retryLater(socket);
    });
    socket.on('connect_error', () => {
      this.set({ connection: 'offline' });
      if (!socket.active) this.retryLater(socket); // refused by the server's check: retry with back-off
    });
    socket.on(REALTIME.message, (m: Message) => this.merge([m]));
    socket.on(REALTIME.conversation, (c: Conversation) => {
      if (c.id !== this.state.conversation?.id) return;
      this.set({ conversation: c, agentReadSeq: Math.max(this.state.agentReadSeq, c.readSeq), ...(c.status !== 'assigned' ? { isAgentTyping: false } : {}) });
    });
    socket.on(REALTIME.typing, () => {
      this.set({ isAgentTyping: true });
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => this.set({ isAgentTyping: false }), TYPING_SHOWN_MS);
    });
    socket.on(REALTIME.read, (p: { seq?: number }) => {
      if (typeof p?.seq === 'number' && p.seq > this.state.agentReadSeq) this.set({ agentReadSeq: p.seq });
    });
  }

  private retryLater(socket: Socket) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.socket === socket && !socket.connected) socket.connect();
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
  }

  private disconnect() {
    clearTimeout(this.retryTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
    this.inFlight = undefined;
  }

  /** Stops everything (the widget was removed). */
  close() {
    this.generation++;
    this.disconnect();
    clearTimeout(this.typingTimer);
  }

  private highestSeq() {
    return this.state.messages.at(-1)?.seq ?? 0;
  }

  /** Adds messages by seq (a message seen twice is kept once) and settles the pending ones they confirm. */
  private merge(incoming: (Message | undefined)[]) {
    let changed = false;
    for (const m of incoming) {
      if (!m || m.conversationId !== this.state.conversation?.id || this.bySeq.has(m.seq)) continue;
      this.bySeq.set(m.seq, m);
      changed = true;
    }
    if (!changed) return;
    const messages = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    const confirmed = new Set(messages.map((m) => m.clientMessageId).filter(Boolean));
    const pending = this.state.pending.filter((p) => !confirmed.has(p.clientMessageId));
    const agentWrote = messages.at(-1)?.sender === 'agent';
    this.set({ messages, pending, ...(agentWrote ? { isAgentTyping: false } : {}) });
    if (pending.length !== this.state.pending.length) this.savePending();
  }

  // ── sending ──
  /** Shows the message at once and sends it; it stays until the server has stored it. */
  send(text: string, extra: { startCalculation?: string } = {}) {
    const trimmed = text.trim();
    if (!trimmed || !this.state.conversation || this.state.conversation.status === 'resolved') return;
    const pending: PendingMessage = { clientMessageId: crypto.randomUUID(), text: trimmed, state: 'sending', ...(extra.startCalculation ? { startCalculation: extra.startCalculation } : {}) };
    this.set({ pending: [...this.state.pending, pending] });
    this.savePending();
    this.flush();
  }

  /** Sends a refused message again, with the same id. */
  resend(clientMessageId: string) {
    this.set({ pending: this.state.pending.map((p) => (p.clientMessageId === clientMessageId ? { ...p, state: 'sending', error: undefined } : p)) });
    this.flush();
  }

  /** Sends the oldest unconfirmed message; the next one goes when this one is acknowledged. */
  private flush() {
    const socket = this.socket;
    const next = this.state.pending.find((p) => p.state === 'sending');
    if (!socket?.connected || !next || this.inFlight) return;
    this.inFlight = next.clientMessageId;
    socket.timeout(ACK_TIMEOUT_MS).emit('send', { clientMessageId: next.clientMessageId, text: next.text, startCalculation: next.startCalculation }, (timeout: Error | null, reply?: SendReply) => {
      if (this.socket !== socket || this.inFlight !== next.clientMessageId) return; // reconnected meanwhile: resent there
      this.inFlight = undefined;
      if (timeout || !reply) {
        // no answer: try again (the server keeps the first copy only)
        setTimeout(() => this.flush(), 1000);
        return;
      }
      if (reply.error) {
        if (reply.error.code === 'internal_error') setTimeout(() => this.flush(), 3000);
        else this.fail(next.clientMessageId, reply.error.message);
        if (reply.error.code === 'conversation_closed') void this.refreshConversation();
        return;
      }
      this.merge([reply.message, ...(reply.replies ?? [])]);
      this.flush();
    });
  }

  private fail(clientMessageId: string, error: string) {
    this.set({ pending: this.state.pending.map((p) => (p.clientMessageId === clientMessageId ? { ...p, state: 'failed', error } : p)) });
    this.savePending();
    this.flush();
  }

  private savePending() {
    const id = this.state.conversation?.id;
    if (!id) return;
    const waiting = this.state.pending.filter((p) => p.state === 'sending');
    storage.set(pendingKey(id), waiting.length ? JSON.stringify(waiting.map(({ clientMessageId, text, startCalculation }) => ({ clientMessageId, text, startCalculation }))) : undefined);
  }

  private restorePending(conversationId: string): PendingMessage[] {
    try {
      const saved = JSON.parse(storage.get(pendingKey(conversationId)) ?? '[]') as { clientMessageId: string; text: string; startCalculation?: unknown }[];
      return saved
        .filter((p) => typeof p?.clientMessageId === 'string' && typeof p.text === 'string')
        .map((p) => ({ clientMessageId: p.clientMessageId, text: p.text, ...(typeof p.startCalculation === 'string' ? { startCalculation: p.startCalculation } : {}), state: 'sending' as const }));
    } catch {
      return [];
    }
  }

  private async refreshConversation() {
    const id = this.state.conversation?.id;
    if (!id || !this.visitorToken) return;
    try {
      this.set({ conversation: await widgetApi.conversation(id, this.visitorToken) });
    } catch {
      /* the socket brings it later */
    }
  }

  // ── typing, read, rating ──
  /** Tells the agent the citizen is typing (at most every few seconds). */
  typing() {
    if (this.state.conversation?.status !== 'assigned' || Date.now() - this.lastTypingSent < 3000) return;
    this.lastTypingSent = Date.now();
    this.socket?.emit('typing');
  }

  /** The citizen has seen everything shown: the agent's read marks follow. */
  markRead() {
    const seq = this.highestSeq();
    if (seq <= this.lastReadSent || !this.socket?.connected) return;
    this.lastReadSent = seq;
    this.socket.emit('read', { seq });
  }

  async rate(score: number, comment?: string) {
    const conversation = this.state.conversation;
    if (!conversation || !this.visitorToken) return;
    try {
      await widgetApi.rate(conversation.id, this.visitorToken, score, comment);
    } catch (err) {
      if (!(err instanceof WidgetApiError && err.code === 'already_rated')) throw err;
    }
    this.set({ conversation: { ...conversation, rating: { score, comment: comment ?? null } } });
  }
}
