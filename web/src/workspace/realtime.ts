/** The workspace's Socket.IO connection (namespace /agent) and a hook to listen on it. */
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { MonitorPushes } from '../../../common/analytics';
import type { Conversation, Message } from '../../../common/conversations';
import { REALTIME } from '../../../common/conversations';

export type AgentSocket = Socket;

/** What the server pushes to staff, by event name (supervisors also get the monitor's pushes). */
export interface AgentEvents extends MonitorPushes {
  [REALTIME.message]: Message;
  [REALTIME.conversation]: Conversation;
  [REALTIME.queue]: { conversationId: string; status: string };
  [REALTIME.typing]: { conversationId: string; from: 'customer' | 'agent' };
  [REALTIME.read]: { conversationId: string; by: 'customer' | 'agent'; seq: number };
  [REALTIME.reconnect]: undefined;
}

/**
 * Connects with the session cookie and its CSRF token. A server that restarts disconnects every
 * socket (after `reconnect-elsewhere`); socket.io does not retry a server-side disconnect by itself,
 * so we do, after a short pause.
 */
export function connectAgentSocket(csrf: () => string | null): AgentSocket {
  const socket = io('/agent', {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    withCredentials: true,
    auth: (cb) => cb({ csrf: csrf() }),
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000 + Math.random() * 1500);
  });
  return socket;
}

/** The agent socket for as long as the component is mounted, and whether it is connected now. */
export function useAgentSocket(csrfToken: string | null): { socket: AgentSocket | null; isConnected: boolean } {
  const csrf = useRef(csrfToken);
  csrf.current = csrfToken;
  const [socket, setSocket] = useState<AgentSocket | null>(null);
  const [isConnected, setConnected] = useState(false);
  useEffect(() => {
    const s = connectAgentSocket(() => csrf.current);
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    s.on('connect', up);
    s.on('disconnect', down);
    s.on('connect_error', down);
    setSocket(s);
    return () => {
      s.disconnect();
    };
  }, []);
  return { socket, isConnected };
}

/** Listens to one server event while mounted; the latest handler is always called. */
export function useSocketEvent<E extends keyof AgentEvents>(socket: AgentSocket | null, event: E, handler: (payload: AgentEvents[E]) => void) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = (payload: AgentEvents[E]) => ref.current(payload);
    socket.on(event as string, listener);
    return () => {
      socket.off(event as string, listener);
    };
  }, [socket, event]);
}

/** Runs on every (re)connection of the socket, and once now if it is connected already. */
export function useOnConnect(socket: AgentSocket | null, handler: () => void) {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = () => ref.current();
    socket.on('connect', listener);
    if (socket.connected) listener();
    return () => {
      socket.off('connect', listener);
    };
  }, [socket]);
}

/** Sends an event and waits for the server's acknowledgement (or gives up after `ms`). */
export function emitWithAck<T>(socket: AgentSocket, event: string, payload: unknown, ms = 8000): Promise<T> {
  return socket.timeout(ms).emitWithAck(event, payload) as Promise<T>;
}
