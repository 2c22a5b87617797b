import type { EventPayloads } from '../../../common/events';
import { newId, nowIso } from '../platform/ids';
import type { ChannelAdapter, ChannelLimits } from './channel-adapter';
import type { ConversationDeps } from './deps';
import type { MessageRecord } from './model';
import { presentMessage } from './presenter';
import { repoOf } from './deps';

export const CHANNEL_SEND_JOB = 'conversations.channel-send';
/** Waits before each retry of a message the channel did not take: 5 s, 30 s, 2 min, 10 min, 1 h. */
export const SEND_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000];

/**
 * The way out to external channels. Every robot, agent and system message of a conversation on a
 * channel with an adapter gets a delivery row (so nothing is lost if the process dies) and a job that
 * calls the adapter; failures are retried with back-off. A message the channel refuses because its
 * reply window has closed is kept (deferred) and sent the next time the citizen writes: the citizen
 * then finds the agent's answer as a left message.
 */
export class ChannelDelivery {
  private readonly adapters = new Map<string, ChannelAdapter>();

  constructor(private readonly deps: ConversationDeps, adapters: ChannelAdapter[]) {
    for (const a of adapters) this.adapters.set(a.channel, a);
  }

  adapterOf(channel: string): ChannelAdapter | undefined {
    return this.adapters.get(channel);
  }

  /** Consumer of `message.created` (once per message): queue what must go out, and wake deferred messages. */
  async onMessageCreated(p: EventPayloads['message.created']) {
    if (p.isPrivate) return;
    const repo = repoOf(this.deps.ctx.db);
    const conversation = await repo.getConversation(p.conversationId);
    const adapter = conversation && this.adapters.get(conversation.channel);
    if (!conversation || !adapter || adapter.limits.sendsLater === false) return;
    if (p.sender === 'customer') return this.resumeDeferred(conversation.contactId, conversation.channel);
    if (adapter.limits.answersInline && p.sender !== 'agent') {
      // replies to the citizen's message travel in the adapter's inbound response (or come back through deliverLater)
      const message = await repo.messageBySeq(p.conversationId, p.seq);
      if (message?.inReplyTo) return;
    }
    await this.queue(conversation.id, [p.seq]);
  }

  /** Queues messages of one conversation for sending (idempotent per message). */
  async queue(conversationId: string, seqs: number[]) {
    const repo = repoOf(this.deps.ctx.db);
    const conversation = await repo.getConversation(conversationId);
    if (!conversation) return;
    for (const seq of seqs) {
      const id = newId();
      const now = nowIso();
      const inserted = await this.deps.ctx.db
        .insertInto('channel_deliveries')
        .values({ id, conversation_id: conversationId, seq, channel: conversation.channel, contact_id: conversation.contactId, status: 'pending', attempts: 0, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['conversation_id', 'seq']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) await this.deps.ctx.jobs.enqueue(CHANNEL_SEND_JOB, { deliveryId: id }, { createdBy: 'system' });
    }
  }

  /** The citizen wrote again: their reply window is open, so what waited for it goes out now, oldest first. */
  private async resumeDeferred(contactId: string, channel: string) {
    const db = this.deps.ctx.db;
    const waiting = await db.selectFrom('channel_deliveries').select('id').where('contact_id', '=', contactId).where('channel', '=', channel).where('status', '=', 'deferred').orderBy('created_at').execute();
    for (const row of waiting) {
      const resumed = await db.updateTable('channel_deliveries').set({ status: 'pending', updated_at: nowIso() }).where('id', '=', row.id).where('status', '=', 'deferred').executeTakeFirst();
      if (Number(resumed.numUpdatedRows) > 0) await this.deps.ctx.jobs.enqueue(CHANNEL_SEND_JOB, { deliveryId: row.id }, { createdBy: 'system' });
    }
  }

  /** The background job: one attempt at one delivery. */
  async send({ deliveryId }: { deliveryId: string }) {
    const db = this.deps.ctx.db;
    const repo = repoOf(db);
    const delivery = await db.selectFrom('channel_deliveries').selectAll().where('id', '=', deliveryId).executeTakeFirst();
    if (!delivery || delivery.status !== 'pending') return { skipped: true };
    const conversation = await repo.getConversation(delivery.conversation_id);
    const message = await repo.messageBySeq(delivery.conversation_id, Number(delivery.seq));
    const adapter = this.adapters.get(delivery.channel);
    const identity = conversation && (await repo.identitiesOf(conversation.contactId)).find((i) => i.kind === conversation.channel && i.namespace === conversation.channelRef);
    const finish = (status: string, error: string | null, attempts: number) =>
      db.updateTable('channel_deliveries').set({ status, attempts, last_error: error, updated_at: nowIso(), ...(status === 'sent' ? { sent_at: nowIso() } : {}) }).where('id', '=', deliveryId).execute();
    const attempts = Number(delivery.attempts) + 1;
    if (!conversation || !message || !adapter || !identity) {
      await finish('failed', 'conversation, message, channel or recipient gone', attempts);
      return { skipped: true };
    }
    const lastCustomerMessage = await repo.lastCustomerMessage(conversation.id);
    const inReplyTo = message.inReplyTo ? ((await repo.messageBySeq(conversation.id, message.inReplyTo)) ?? null) : null;
    try {
      const outcome = await adapter.send({
        conversation,
        message,
        text: renderForChannel(message, adapter.limits, this.deps.ctx.config.PUBLIC_URL),
        recipient: { namespace: identity.namespace, externalId: identity.externalId },
        inReplyTo: inReplyTo?.sender === 'customer' ? inReplyTo : null,
        lastCustomerMessage: lastCustomerMessage ?? null,
      });
      if (outcome.status === 'sent') await finish('sent', null, attempts);
      else if (outcome.status === 'outside_window') await finish('deferred', outcome.reason, attempts);
      else await finish('failed', outcome.reason, attempts);
      return { status: outcome.status, attempts };
    } catch (err) {
      const error = String((err as Error)?.message ?? err).slice(0, 300);
      const delay = SEND_RETRY_DELAYS_MS[attempts - 1];
      await finish(delay === undefined ? 'failed' : 'pending', error, attempts);
      if (delay !== undefined) await this.deps.ctx.jobs.enqueue(CHANNEL_SEND_JOB, { deliveryId }, { createdBy: 'system', runAt: new Date(Date.now() + delay).toISOString() });
      this.deps.ctx.log.warn({ err, deliveryId, channel: delivery.channel, attempts }, 'channel send failed');
      return { status: 'retry', attempts, error };
    }
  }
}

/**
 * A message as a channel with these limits shows it: plain text unless the channel shows Markdown,
 * a clarify prompt's choices as numbered lines (a reply with the number picks one), an offered
 * calculator as one more choice or as "回复“算一算”" (there are no buttons), and a text that is too
 * long cut at a line break with a link to the full answer on the portal.
 */
export function renderForChannel(message: MessageRecord, limits: ChannelLimits, publicUrl?: string): string {
  const view = presentMessage(message, { forStaff: false, format: limits.richText ? 'markdown' : 'text' });
  if (!view) return '';
  let text = view.text;
  const offer = view.calculatorOffer;
  if (view.options?.length) {
    const choices = [...view.options.map((o) => o.question), ...(offer ? [`帮我算一算：${offer.name}`] : [])];
    text += `\n\n${choices.map((c, i) => `${i + 1}. ${c}`).join('\n')}\n\n（回复序号即可${offer ? '' : '查看'}）`;
  }
  // kept whole when the answer is cut: it is how the citizen takes the offer
  const tail = offer && !view.options?.length ? `\n\n回复“算一算”帮您测算“${offer.name}”。` : '';
  // links need the portal's public address: a relative path means nothing inside WeChat or QQ
  if (publicUrl && (view.interview?.status === 'complete' || view.interview?.status === 'conditional')) {
    text += `\n\n详细测算：${publicUrl}/calculators/${view.interview.rulesetId}`;
  }
  if ([...text].length + [...tail].length <= limits.maxTextLength) return text + tail;
  const link = view.entryId ? (publicUrl ? `\n\n完整内容：${publicUrl}/kb/${view.entryId}` : '\n\n完整内容请在门户网站查看。') : '';
  const room = limits.maxTextLength - [...link].length - [...tail].length - 1;
  const chars = [...text].slice(0, Math.max(0, room));
  let cut = chars.join('');
  const lastBreak = cut.lastIndexOf('\n');
  if (lastBreak > room / 2) cut = cut.slice(0, lastBreak);
  return `${cut.trimEnd()}…${link}${tail}`;
}
