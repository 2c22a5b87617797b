import type { Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';

/**
 * What the records domain needs from the conversations domain: the verified person an agent is
 * serving in a conversation — only when the actor may see that conversation and is serving it now.
 */
export interface ServedConversations {
  verifiedPersonIn(actor: Actor, conversationId: string): Promise<string | undefined>;
}

export interface CitizenRecordsDeps {
  ctx: AppContext;
  conversations: ServedConversations;
  /** how many synthetic persons to load into an empty store at start (SEED_DEMO); 0: none */
  demoPersons: number;
}
