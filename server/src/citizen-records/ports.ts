import type { Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import type { RecordSource } from './record-source';

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
  /** where contributions, applications and payments are read: the local store, or the core system live */
  source: RecordSource;
  /** how many synthetic persons to load into an empty store at start (SEED_DEMO); 0: none */
  demoPersons: number;
}
