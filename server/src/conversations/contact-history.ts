import { repoOf, type ConversationDeps } from './deps';
import { presentConversation, presentMessages } from './presenter';

/**
 * Everything a contact did, on every channel, newest conversation first: so that the agent never
 * asks a citizen to repeat their story. Each conversation comes with its messages (robot answers
 * and their entries included, internal notes for staff), and the calculations run in it with their
 * results.
 */
export async function contactHistory(deps: ConversationDeps, contactId: string, options: { limit?: number } = {}) {
  const repo = repoOf(deps.ctx.db);
  const contact = await repo.getContact(contactId);
  // the same person reached us on other channels under other contacts (a call from the phone number an agent recorded)
  const samePerson = contact ? await repo.samePersonAs(contact) : [];
  const identities = (await Promise.all([contactId, ...samePerson].map((id) => repo.identitiesOf(id)))).flat();
  const conversations = await repo.conversationsOfContact([contactId, ...samePerson], options.limit ?? 20);
  const messages = await repo.messagesOfConversations(conversations.map((c) => c.id), { includePrivate: true });
  const events = await repo.eventsOf(conversations.map((c) => c.id));
  const items = [];
  for (const c of conversations) {
    const own = messages.filter((m) => m.conversationId === c.id).sort((a, b) => a.seq - b.seq);
    const calculations = own
      .filter((m) => m.payload.interview && (m.payload.interview.status === 'complete' || m.payload.interview.status === 'conditional'))
      .map((m) => ({ seq: m.seq, rulesetId: m.payload.interview!.rulesetId, status: m.payload.interview!.status, outputs: m.payload.interview!.outputs ?? {}, at: m.createdAt }));
    items.push({
      conversation: await presentConversation(deps, c, { forStaff: true }),
      messages: presentMessages(own, { forStaff: true, format: 'markdown' }),
      calculations,
      events: events.filter((e) => e.conversationId === c.id).map((e) => ({ type: e.type, actor: e.actor, at: e.createdAt, payload: e.payload })),
    });
  }
  return {
    contact: { id: contactId, name: contact?.name ?? null, phone: contact?.phoneMasked ?? null, channels: [...new Set(identities.map((i) => i.kind))], isVerified: identities.some((i) => i.isVerified) },
    conversations: items,
  };
}
