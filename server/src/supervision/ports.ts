import type { Conversation } from '../../../common/conversations';

/** The conversations domain as the monitor needs it: its presenter (staff view) and staff names. */
export interface ConversationsPort {
  /** conversations as staff see them (the conversations presenter), in the order given; unknown ids left out */
  present(conversationIds: string[]): Promise<Conversation[]>;
  /** the name shown for a staff member */
  displayName(userId: string): Promise<string>;
}

/** Supervisors' sockets connected to this instance (the `/agent` namespace's room of supervisors). */
export interface SupervisorSockets {
  emit(event: string, payload: unknown): void;
  /** how many are connected here: nothing is computed for an instance nobody watches */
  count(): number;
}

/** Everything the supervision domain needs from the rest of the app, built once by the composition root. */
export interface SupervisionPorts {
  conversations: ConversationsPort;
  /** undefined until the realtime gateway is attached (it is attached after the domains register) */
  sockets(): SupervisorSockets | undefined;
  /** how often the periodic alert check runs; 5 s by default */
  checkEveryMs?: number;
}
