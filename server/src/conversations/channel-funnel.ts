import type { Channel } from '../../../common/conversations';
import { maskPersonalData } from '../../../common/masking';
import type { Actor } from '../identity/permissions';
import { isUniqueViolation } from '../platform/database';
import { newId, now as clockNow, nowIso } from '../platform/ids';
import type { ChannelFunnel, InboundMessage, InboundResult } from './channel-adapter';
import { type ChannelDelivery, renderForChannel } from './channel-delivery';
import { closeConversation } from './close-conversation';
import { loadServiceHours, repoOf, type ConversationDeps } from './deps';
import { handOff, queueInfo } from './hand-off-conversation';
import { receiveCustomerMessage } from './receive-customer-message';
import { isServiceOpen, nextOpening } from './service-hours';
import { startConversation } from './start-conversation';

/** Digits only, without a leading +86/86 or 0086: the form phone numbers are compared in. */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.replace(/^(0086|86)(?=1\d{10}$)/, '');
}

/** The conversation flow as channel adapters see it (see ChannelFunnel). */
export function createChannelFunnel(deps: ConversationDeps, delivery: () => ChannelDelivery): ChannelFunnel {
  const { ctx } = deps;
  const repo = repoOf(ctx.db);

  /** The contact behind a channel identity; a caller's number joins the contact an agent recorded it for. */
  async function contactOf(input: InboundMessage): Promise<string> {
    const known = await repo.findIdentity(input.channel, input.namespace, input.externalId);
    if (known) {
      if (input.name) await repo.setContactName(known.contactId, input.name);
      return known.contactId;
    }
    const phone = input.phone ? normalizePhone(input.phone) : undefined;
    const phoneHash = phone ? ctx.secrets.lookupHash(phone) : undefined;
    const existing = phoneHash ? await repo.contactByPhoneHash(phoneHash) : undefined;
    const contactId = existing ?? newId();
    try {
      await ctx.db.transaction().execute(async (trx) => {
        const now = nowIso();
        if (!existing) {
          await trx
            .insertInto('contacts')
            .values({ id: contactId, name: input.name ?? null, phone_hash: phoneHash ?? null, phone_masked: phone ? maskPersonalData(phone) : null, created_at: now, updated_at: now })
            .execute();
        }
        await trx
          .insertInto('contact_identities')
          .values({ id: newId(), contact_id: contactId, kind: input.channel, namespace: input.namespace, external_id: input.externalId, is_verified: 0, created_at: now })
          .execute();
      });
      return contactId;
    } catch (err) {
      // the same identity created at the same moment by another request (a platform's redelivery)
      if (!isUniqueViolation(err)) throw err;
      const winner = await repo.findIdentity(input.channel, input.namespace, input.externalId);
      if (!winner) throw err;
      return winner.contactId;
    }
  }

  /**
   * A bare number answers the robot's last list of choices ("2" → the second question); after an
   * answer that offered a calculator, the choice after the list (or "1" when there is none) takes it.
   */
  async function pickedOption(conversationId: string, text: string): Promise<{ text?: string; startCalculation?: string } | undefined> {
    const n = /^\s*(\d{1,2})\s*$/.exec(text)?.[1];
    if (!n) return undefined;
    const recent = await repo.messagesAfter(conversationId, 0, { includePrivate: false, limit: 500 });
    const last = [...recent].reverse().find((m) => m.sender !== 'customer');
    const options = last?.payload.options ?? [];
    const offer = last?.payload.calculatorOffer;
    if (offer && Number(n) === options.length + 1) return { startCalculation: offer.rulesetId };
    const question = options[Number(n) - 1]?.question;
    return question ? { text: question } : undefined;
  }

  return {
    ctx,
    async receive(input): Promise<InboundResult> {
      const contactId = await contactOf(input);
      const identity = { channel: input.channel, namespace: input.namespace, externalId: input.externalId };
      const clientKey = `${input.channel}:${input.namespace}:${input.externalId}`;
      // a follower bound to a person after an SMS sign-in writes as that citizen (their WeChat account stands for them)
      const personId = await deps.citizens?.boundPerson(identity);
      const actor: Actor = personId
        ? { kind: 'citizen', personId, sessionId: `binding:${clientKey}`, roles: [], clientKey, verifiedAt: nowIso() }
        : { kind: 'anonymous', roles: [], clientKey, channelIdentity: identity };
      // a redelivery of a message already stored answers with what was stored
      const latest = await repo.latestOfContact(contactId, input.channel);
      if (latest && (await repo.messageByClientId(latest.id, input.messageId))) {
        const result = await receiveCustomerMessage(deps, actor, latest, { text: input.text, clientMessageId: input.messageId, isNavigation: input.isNavigation });
        return { conversation: (await repo.getConversation(latest.id))!, ...result };
      }
      const open = latest && latest.status !== 'resolved' && latest.channelRef === input.namespace ? latest : undefined;
      const conversation = open ?? (await startConversation(deps, { contactId, channel: input.channel, channelRef: input.namespace, welcome: false }));
      let text = input.text;
      let startCalculation: string | undefined;
      if (input.pick && 'entryId' in input.pick) text = deps.knowledge.entryQuestion(input.pick.entryId) ?? text;
      else if (input.pick && 'rulesetId' in input.pick) {
        startCalculation = input.pick.rulesetId;
        text = text || `测算：${deps.robot.rules.listRuleSets().find((r) => r.id === startCalculation)?.name ?? startCalculation}`;
      } else if (conversation.status === 'bot' && !input.isNavigation) {
        const picked = await pickedOption(conversation.id, text);
        text = picked?.text ?? text;
        startCalculation = picked?.startCalculation;
      }
      if (personId) await repo.setVerifiedPerson(conversation.id, personId);
      const result = await receiveCustomerMessage(deps, actor, conversation, { text, clientMessageId: input.messageId, attachment: input.attachment, startCalculation, isNavigation: input.isNavigation });
      return { conversation: (await repo.getConversation(conversation.id))!, ...result };
    },
    deliverLater: (conversationId, seqs) => delivery().queue(conversationId, seqs),
    render: (message, limits) => renderForChannel(message, limits, ctx.config.PUBLIC_URL),
    async openConversationOf(channel: Channel, namespace, externalId) {
      const identity = await repo.findIdentity(channel, namespace, externalId);
      if (!identity) return undefined;
      const open = await repo.latestOpenOfContact(identity.contactId, channel);
      return open && open.channelRef === namespace ? open : undefined;
    },
    async handOff(conversationId, reason, skill) {
      const conversation = await repo.getConversation(conversationId);
      if (!conversation) throw new Error(`no conversation ${conversationId}`);
      if (conversation.status === 'bot') await handOff(deps, conversation, { reason, by: 'citizen', skill });
      const now = (await repo.getConversation(conversationId))!;
      const queue = await queueInfo(deps, now);
      return { status: now.status, ...(queue ? { queue } : {}) };
    },
    async close(conversationId, reason) {
      const conversation = await repo.getConversation(conversationId);
      if (!conversation || conversation.status === 'resolved') return;
      await closeConversation(deps, 'system', conversation, { category: null, summary: null, reason }).catch((err) => {
        // closed meanwhile by an agent: nothing left to do
        if ((err as { code?: string }).code !== 'conversation_changed') throw err;
      });
    },
    knowledgeEntry: (entryId) => {
      const question = deps.knowledge.entryQuestion(entryId);
      return question ? { question } : undefined;
    },
    calculator: (rulesetId) => {
      const r = deps.robot.rules.listRuleSets().find((x) => x.id === rulesetId);
      return r ? { name: r.name } : undefined;
    },
    async serviceHours() {
      const hours = await loadServiceHours(deps);
      const now = clockNow();
      return { isOpen: isServiceOpen(hours, now), nextOpening: nextOpening(hours, now) };
    },
    staffName: (userId) => deps.staff.displayName(userId),
  };
}
