import type { Actor } from '../../identity/permissions';
import type { CallbackRecord } from './repo';
import type { CallbackView } from './schema';

/** A callback request as an agent sees it: the number masked (the full number only through an audited reveal). */
export async function presentCallback(ticket: CallbackRecord, viewer: Actor, staffName: (userId: string) => Promise<string>): Promise<CallbackView> {
  return {
    id: ticket.id,
    phone: ticket.phoneMasked,
    window: ticket.window,
    windowStart: ticket.windowStart,
    windowEnd: ticket.windowEnd,
    status: ticket.status,
    conversationId: ticket.conversationId,
    contactId: ticket.contactId,
    claimedBy: ticket.claimedBy ? { id: ticket.claimedBy, name: await staffName(ticket.claimedBy) } : null,
    isMine: viewer.kind === 'user' && ticket.claimedBy === viewer.id,
    note: ticket.note,
    createdAt: ticket.createdAt,
  };
}
