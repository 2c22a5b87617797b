import { useSyncExternalStore } from 'react';
import type { RobotReply } from '../api/types';

/**
 * The citizen's conversation with the robot, shared by the chat page and the floating 智能客服
 * panel and kept in sessionStorage: the robot's sessionId (so follow-ups, clarify choices and
 * calculation interviews continue across turns and page changes) and the messages shown.
 */

export interface ChatMessage {
  id: number;
  from: 'me' | 'bot';
  text?: string;
  reply?: RobotReply;
  /** the citizen's rating of an answer */
  feedback?: 'helpful' | 'unhelpful';
}

export interface ChatState {
  sessionId?: string;
  messages: ChatMessage[];
}

const KEY = 'zhixun.chat';
const MAX_MESSAGES = 80;
let state: ChatState = read();
const listeners = new Set<() => void>();

function read(): ChatState {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw) {
      const parsed = JSON.parse(raw) as ChatState;
      if (Array.isArray(parsed.messages)) return parsed;
    }
  } catch {
    /* storage blocked or corrupt: start empty */
  }
  return { messages: [] };
}

function write(next: ChatState) {
  state = { ...next, messages: next.messages.slice(-MAX_MESSAGES) };
  try {
    sessionStorage.setItem(KEY, JSON.stringify(state));
  } catch {
    /* ignore */
  }
  listeners.forEach((l) => l());
}

export const chatStore = {
  get: () => state,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  add(message: Omit<ChatMessage, 'id'>, sessionId?: string) {
    const id = (state.messages.at(-1)?.id ?? 0) + 1;
    write({ sessionId: sessionId ?? state.sessionId, messages: [...state.messages, { ...message, id }] });
  },
  rate(id: number, feedback: ChatMessage['feedback']) {
    write({ ...state, messages: state.messages.map((m) => (m.id === id ? { ...m, feedback } : m)) });
  },
  /** A new conversation: the next question starts a new robot session. */
  reset() {
    write({ messages: [] });
  },
};

export function useChatState(): ChatState {
  return useSyncExternalStore(chatStore.subscribe, chatStore.get, chatStore.get);
}
