// Conversation state for multi-turn dialogue. In-memory now; the platform can back the same
// interface with a database or Redis (values are plain JSON).

export interface RobotTurn {
  question: string;
  type: 'answer' | 'clarify' | 'handoff' | 'fallback';
  entryId?: string;
  at: number;
}

export interface RobotSession {
  id: string;
  turns: RobotTurn[];
  /** entry answered last (topic for follow-ups) */
  lastEntryId?: string;
  /** the text that resolved to lastEntryId (original question, possibly merged with earlier topic) */
  topicText?: string;
  /** the entry the conversation is about: the last answer, or the first option of the last clarify prompt */
  topicEntryId?: string;
  /** entry ids offered by the last clarify prompt */
  pendingOptions?: string[];
  /** consecutive turns without an answer (fallback / unresolved clarify) */
  failures: number;
  /** viewer class the session was created for; a session never crosses it */
  canSeeStaff: boolean;
  updatedAt: number;
}

export interface SessionStore {
  get(id: string): Promise<RobotSession | undefined>;
  set(session: RobotSession): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Bounded in-memory store with idle expiry. */
export class MemorySessionStore implements SessionStore {
  private map = new Map<string, RobotSession>();
  constructor(
    private readonly ttlMs = 30 * 60_000,
    private readonly maxSessions = 50_000,
  ) {}
  async get(id: string): Promise<RobotSession | undefined> {
    const s = this.map.get(id);
    if (!s) return undefined;
    if (Date.now() - s.updatedAt > this.ttlMs) {
      this.map.delete(id);
      return undefined;
    }
    return structuredClone(s);
  }
  async set(session: RobotSession): Promise<void> {
    this.map.delete(session.id);
    this.map.set(session.id, structuredClone(session));
    while (this.map.size > this.maxSessions) this.map.delete(this.map.keys().next().value as string);
  }
  async delete(id: string): Promise<void> {
    this.map.delete(id);
  }
}
