import type { Actor, ChannelIdentity } from '../identity/permissions';
import { hashToken } from '../identity/tokens';
import type { AppContext } from '../platform/context';
import { AppError, notFound } from '../platform/errors';
import { newId, newToken, now } from '../platform/ids';

/** How long the robot's binding link stays good. */
export const BINDING_TICKET_MINUTES = 15;

const identityHash = (ctx: AppContext, identity: ChannelIdentity) => ctx.secrets.lookupHash(`channel:${identity.channel}:${identity.namespace}:${identity.externalId}`);

/** A one-time ticket for the link that lets this channel identity be bound to whoever signs in with it. */
export async function issueBindingTicket(ctx: AppContext, identity: ChannelIdentity): Promise<string> {
  const ticket = newToken(24);
  const expiresAt = new Date(now().getTime() + BINDING_TICKET_MINUTES * 60_000).toISOString();
  await ctx.db.insertInto('citizen_binding_tickets').values({ ticket_hash: hashToken(ticket), identity_hash: identityHash(ctx, identity), channel: identity.channel, expires_at: expiresAt, used_at: null }).execute();
  return ticket;
}

/**
 * Binds the ticket's channel identity to the signed-in citizen (a ticket works once, within its 15
 * minutes); an identity bound before to someone else moves to this person.
 */
export async function bindChannel(ctx: AppContext, citizen: Extract<Actor, { kind: 'citizen' }>, ticket: string) {
  const at = now().toISOString();
  const ticketHash = hashToken(ticket);
  const row = await ctx.db.selectFrom('citizen_binding_tickets').selectAll().where('ticket_hash', '=', ticketHash).executeTakeFirst();
  if (!row || row.used_at || row.expires_at <= at) throw new AppError(400, 'invalid_ticket', { zh: '绑定链接无效或已过期，请在公众号中重新发送“我的社保”', en: 'the binding link is not valid or has expired' });
  const spent = await ctx.db.updateTable('citizen_binding_tickets').set({ used_at: at }).where('ticket_hash', '=', ticketHash).where('used_at', 'is', null).executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) throw new AppError(400, 'invalid_ticket', { zh: '绑定链接已使用', en: 'the binding link was used already' });
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('citizen_bindings').where('identity_hash', '=', row.identity_hash).execute();
    await trx.insertInto('citizen_bindings').values({ id: newId(), identity_hash: row.identity_hash, channel: row.channel, person_id: citizen.personId, bound_at: at }).execute();
  });
  await ctx.audit.record(citizen, { action: 'citizen.bind_channel', subjectType: 'record_person', subjectId: citizen.personId, detail: { channel: row.channel } });
  return { channel: row.channel as string, boundAt: at };
}

/** The person a channel identity is bound to, if any. */
export async function boundPerson(ctx: AppContext, identity: ChannelIdentity): Promise<string | undefined> {
  const row = await ctx.db.selectFrom('citizen_bindings').select('person_id').where('identity_hash', '=', identityHash(ctx, identity)).executeTakeFirst();
  return row?.person_id ?? undefined;
}

export async function listBindings(ctx: AppContext, personId: string) {
  const rows = await ctx.db.selectFrom('citizen_bindings').select(['id', 'channel', 'bound_at']).where('person_id', '=', personId).orderBy('bound_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id as string, channel: r.channel as string, boundAt: r.bound_at as string }));
}

/** Ends a binding of this person's (another person's binding is simply not found). */
export async function unbindChannel(ctx: AppContext, citizen: Extract<Actor, { kind: 'citizen' }>, bindingId: string) {
  const done = await ctx.db.deleteFrom('citizen_bindings').where('id', '=', bindingId).where('person_id', '=', citizen.personId).executeTakeFirst();
  if (Number(done.numDeletedRows) !== 1) throw notFound('绑定', 'binding_not_found');
  await ctx.audit.record(citizen, { action: 'citizen.unbind_channel', subjectType: 'record_person', subjectId: citizen.personId });
}
