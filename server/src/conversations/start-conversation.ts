import type { Channel } from '../../../common/conversations';
import { EVENTS } from '../../../common/events';
import { newId } from '../platform/ids';
import { isUniqueViolation } from '../platform/database';
import { inTransaction, messageCreated, repoOf, type ConversationDeps } from './deps';
import type { ConversationRecord } from './model';

/** How a citizen is known on a channel. */
export interface IdentityKey {
  kind: Channel;
  /** the id space: a widget site key, an API key id, a channel account */
  namespace: string;
  externalId: string;
  name?: string;
}

/** The contact behind a channel identity, created on first contact. */
export async function findOrCreateContact(deps: ConversationDeps, key: IdentityKey): Promise<string> {
  const repo = repoOf(deps.ctx.db);
  const known = await repo.findIdentity(key.kind, key.namespace, key.externalId);
  if (known) {
    if (key.name) await repo.setContactName(known.contactId, key.name);
    return known.contactId;
  }
  const contactId = newId();
  try {
    await deps.ctx.db.transaction().execute(async (trx) => {
      await repoOf(trx).insertContact({ id: contactId, name: key.name ?? null }, { kind: key.kind, namespace: key.namespace, externalId: key.externalId });
    });
    return contactId;
  } catch (err) {
    // the same identity created at the same moment by another request: use that one
    if (!isUniqueViolation(err)) throw err;
    const winner = await repo.findIdentity(key.kind, key.namespace, key.externalId);
    if (!winner) throw err;
    return winner.contactId;
  }
}

const WELCOME = '您好，我是12333智能客服。请直接描述您的问题，也可以点选下面的常见问题；需要人工服务请回复“转人工”。';

/**
 * Opens a conversation with the robot as first responder: a welcome with a few self-service
 * questions to pick from, then the citizen's first message goes to the robot.
 */
export async function startConversation(
  deps: ConversationDeps,
  input: { contactId: string; channel: Channel; channelRef: string | null; /** false where the citizen's first message opens it and the channel has its own greeting */ welcome?: boolean },
): Promise<ConversationRecord> {
  const id = newId();
  const options = deps.knowledge.starterQuestions(4);
  const welcome = input.welcome ?? true;
  await inTransaction(deps, async (repo, emit) => {
    await repo.insertConversation({ id, contactId: input.contactId, channel: input.channel, channelRef: input.channelRef, status: 'bot' });
    await repo.insertEvent(id, 'created', 'system', { channel: input.channel });
    await emit(EVENTS.conversationCreated, { conversationId: id, channel: input.channel });
    if (welcome) await emit(EVENTS.messageCreated, messageCreated(await repo.appendMessage(id, { sender: 'robot', text: WELCOME, payload: options.length ? { options } : {} })));
  });
  return (await repoOf(deps.ctx.db).getConversation(id))!;
}
