import type { Actor } from '../../identity/permissions';
import type { AppContext } from '../../platform/context';
import { conflict, forbidden, notFound } from '../../platform/errors';
import { phoneRepo, type CallbackRecord } from './repo';

const staffId = (actor: Actor) => (actor.kind === 'user' ? actor.id : '');

async function ticketOr404(ctx: AppContext, id: string): Promise<CallbackRecord> {
  const ticket = await phoneRepo(ctx.db).callback(id);
  if (!ticket) throw notFound('回拨工单', 'callback_not_found');
  return ticket;
}

/** An agent takes an open callback request; of two agents claiming at once, one wins (409 for the other). */
export async function claimCallback(ctx: AppContext, actor: Actor, id: string): Promise<CallbackRecord> {
  await ticketOr404(ctx, id);
  const isClaimed = await phoneRepo(ctx.db).updateCallback(id, { status: 'open' }, { status: 'claimed', claimedBy: staffId(actor) });
  if (!isClaimed) throw conflict('callback_taken', { zh: '该回拨工单已被领取或已处理', en: 'already claimed or finished' });
  await ctx.audit.record(actor, { action: 'phone.callback.claimed', subjectType: 'callback', subjectId: id });
  return (await phoneRepo(ctx.db).callback(id))!;
}

/**
 * The full number of a request, to the agent who claimed it only (they are about to dial it); every
 * reveal is in the audit log.
 */
export async function revealCallbackNumber(ctx: AppContext, actor: Actor, id: string, ip?: string): Promise<string> {
  const ticket = await ticketOr404(ctx, id);
  if (ticket.status !== 'claimed' || ticket.claimedBy !== staffId(actor)) {
    throw forbidden('not_claimant', { zh: '只有领取该工单的坐席可以查看完整号码', en: 'only the agent who claimed it sees the number' });
  }
  const phone = ctx.secrets.open(ticket.phoneSealed);
  await ctx.audit.record(actor, { action: 'phone.callback.revealed', subjectType: 'callback', subjectId: id, detail: { phone: ticket.phoneMasked, conversationId: ticket.conversationId } }, ip);
  return phone;
}

/** The claiming agent records how the callback went: done, or failed (no answer, wrong number) with a note. */
export async function finishCallback(ctx: AppContext, actor: Actor, id: string, outcome: { status: 'done' | 'failed'; note?: string }): Promise<CallbackRecord> {
  const ticket = await ticketOr404(ctx, id);
  if (ticket.claimedBy !== staffId(actor)) throw forbidden('not_claimant', { zh: '只有领取该工单的坐席可以结束它', en: 'only the agent who claimed it can finish it' });
  const isFinished = await phoneRepo(ctx.db).updateCallback(id, { status: 'claimed', claimedBy: staffId(actor) }, { status: outcome.status, note: outcome.note ?? null });
  if (!isFinished) throw conflict('callback_finished', { zh: '该回拨工单已处理', en: 'already finished' });
  await ctx.audit.record(actor, { action: `phone.callback.${outcome.status}`, subjectType: 'callback', subjectId: id, detail: { note: outcome.note ?? null } });
  return (await phoneRepo(ctx.db).callback(id))!;
}
