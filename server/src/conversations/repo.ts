import { sql, type Kysely } from 'kysely';
import type { Channel, ConversationStatus } from '../../../common/conversations';
import { fromJson, toJson } from '../platform/database';
import { newId, nowIso } from '../platform/ids';
import type { AgentState, Contact, ContactIdentity, ConversationEvent, ConversationEventType, ConversationRecord, MessageRecord, NewMessage, Skill } from './model';

const toConversation = (r: any): ConversationRecord => ({
  id: r.id,
  contactId: r.contact_id,
  channel: r.channel,
  channelRef: r.channel_ref,
  status: r.status,
  isLeftMessage: Boolean(Number(r.is_left_message)),
  skill: r.skill,
  assigneeId: r.assignee_id,
  handoffReason: r.handoff_reason,
  category: r.category,
  summary: r.summary,
  rating: r.rating === null || r.rating === undefined ? null : Number(r.rating),
  ratingComment: r.rating_comment,
  lastSeq: Number(r.last_seq),
  agentReadSeq: Number(r.agent_read_seq),
  customerReadSeq: Number(r.customer_read_seq),
  queuedAt: r.queued_at,
  assignedAt: r.assigned_at,
  firstAgentReplyAt: r.first_agent_reply_at,
  closedAt: r.closed_at,
  lastMessageAt: r.last_message_at,
  createdAt: r.created_at,
});

const toMessage = (r: any): MessageRecord => ({
  id: r.id,
  conversationId: r.conversation_id,
  seq: Number(r.seq),
  sender: r.sender,
  senderId: r.sender_id,
  senderName: r.sender_name,
  text: r.text,
  format: r.format,
  isPrivate: Boolean(Number(r.is_private)),
  clientMessageId: r.client_message_id,
  inReplyTo: r.in_reply_to === null || r.in_reply_to === undefined ? null : Number(r.in_reply_to),
  entryId: r.entry_id,
  payload: fromJson(r.payload, {}),
  createdAt: r.created_at,
});

const toAgent = (r: any): AgentState => ({ userId: r.user_id, status: r.status, maxChats: Number(r.max_chats), skills: fromJson<string[]>(r.skills, []), updatedAt: r.updated_at });

/** The columns of a conversation a use case may change, by their model names. */
export type ConversationPatch = Partial<Pick<ConversationRecord, 'status' | 'isLeftMessage' | 'skill' | 'assigneeId' | 'handoffReason' | 'category' | 'summary' | 'rating' | 'ratingComment' | 'queuedAt' | 'assignedAt' | 'firstAgentReplyAt' | 'closedAt' | 'agentReadSeq' | 'customerReadSeq'>>;

const COLUMN: Record<keyof ConversationPatch, string> = {
  status: 'status',
  isLeftMessage: 'is_left_message',
  skill: 'skill',
  assigneeId: 'assignee_id',
  handoffReason: 'handoff_reason',
  category: 'category',
  summary: 'summary',
  rating: 'rating',
  ratingComment: 'rating_comment',
  queuedAt: 'queued_at',
  assignedAt: 'assigned_at',
  firstAgentReplyAt: 'first_agent_reply_at',
  closedAt: 'closed_at',
  agentReadSeq: 'agent_read_seq',
  customerReadSeq: 'customer_read_seq',
};

function toColumns(patch: ConversationPatch) {
  const values: Record<string, unknown> = { updated_at: nowIso() };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    values[COLUMN[key as keyof ConversationPatch]] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  return values;
}

/** Every query of the conversations domain. */
export function conversationsRepo(db: Kysely<any>) {
  return {
    // ── contacts ──
    async findIdentity(kind: Channel, namespace: string, externalId: string): Promise<ContactIdentity | undefined> {
      const r = await db.selectFrom('contact_identities').selectAll().where('kind', '=', kind).where('namespace', '=', namespace).where('external_id', '=', externalId).executeTakeFirst();
      return r && { id: r.id, contactId: r.contact_id, kind: r.kind, namespace: r.namespace, externalId: r.external_id, isVerified: Boolean(Number(r.is_verified)) };
    },
    async insertContact(contact: { id: string; name: string | null }, identity: Omit<ContactIdentity, 'id' | 'contactId' | 'isVerified'>) {
      const now = nowIso();
      await db.insertInto('contacts').values({ id: contact.id, name: contact.name, created_at: now, updated_at: now }).execute();
      await db
        .insertInto('contact_identities')
        .values({ id: newId(), contact_id: contact.id, kind: identity.kind, namespace: identity.namespace, external_id: identity.externalId, is_verified: 0, created_at: now })
        .execute();
    },
    async getContact(id: string): Promise<Contact | undefined> {
      const r = await db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
      return r && { id: r.id, name: r.name, phoneHash: r.phone_hash, phoneMasked: r.phone_masked ?? null, idNumberHash: r.id_number_hash, createdAt: r.created_at };
    },
    /** The contact a phone number belongs to (the one most recently updated, when several share it). */
    async contactByPhoneHash(phoneHash: string): Promise<string | undefined> {
      const r = await db.selectFrom('contacts').select('id').where('phone_hash', '=', phoneHash).where('merged_into', 'is', null).orderBy('updated_at', 'desc').executeTakeFirst();
      return r?.id;
    },
    async setContactPhone(id: string, phone: { hash: string; masked: string }) {
      await db.updateTable('contacts').set({ phone_hash: phone.hash, phone_masked: phone.masked, updated_at: nowIso() }).where('id', '=', id).execute();
    },
    /** Other contacts known by the same phone or ID number: the same person on other channels. */
    async samePersonAs(contact: Contact): Promise<string[]> {
      if (!contact.phoneHash && !contact.idNumberHash) return [];
      const rows = await db
        .selectFrom('contacts')
        .select('id')
        .where('id', '!=', contact.id)
        .where((eb) => eb.or([...(contact.phoneHash ? [eb('phone_hash', '=', contact.phoneHash)] : []), ...(contact.idNumberHash ? [eb('id_number_hash', '=', contact.idNumberHash)] : [])]))
        .limit(20)
        .execute();
      return rows.map((r: any) => r.id as string);
    },
    async setContactName(id: string, name: string) {
      await db.updateTable('contacts').set({ name, updated_at: nowIso() }).where('id', '=', id).execute();
    },
    async identitiesOf(contactId: string): Promise<ContactIdentity[]> {
      const rows = await db.selectFrom('contact_identities').selectAll().where('contact_id', '=', contactId).execute();
      return rows.map((r: any) => ({ id: r.id, contactId: r.contact_id, kind: r.kind, namespace: r.namespace, externalId: r.external_id, isVerified: Boolean(Number(r.is_verified)) }));
    },

    // ── conversations ──
    async insertConversation(c: Pick<ConversationRecord, 'id' | 'contactId' | 'channel' | 'channelRef' | 'status'>) {
      const now = nowIso();
      await db
        .insertInto('conversations')
        .values({ id: c.id, contact_id: c.contactId, channel: c.channel, channel_ref: c.channelRef, status: c.status, last_seq: 0, last_message_at: now, created_at: now, updated_at: now })
        .execute();
    },
    /** Marks the conversation as with a citizen verified by SMS code (the first one only: it never changes hands). */
    async setVerifiedPerson(conversationId: string, personId: string) {
      await db.updateTable('conversations').set({ verified_person_id: personId }).where('id', '=', conversationId).where('verified_person_id', 'is', null).execute();
    },
    async verifiedPersonOf(conversationId: string): Promise<string | undefined> {
      const r = await db.selectFrom('conversations').select('verified_person_id').where('id', '=', conversationId).executeTakeFirst();
      return r?.verified_person_id ?? undefined;
    },
    async getConversation(id: string): Promise<ConversationRecord | undefined> {
      const r = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toConversation(r);
    },
    /**
     * Changes a conversation only if it is still in one of the expected states (and, when given,
     * still with the expected assignee): the guard against two instances or two agents acting at once.
     * True when the change was made.
     */
    async updateConversation(id: string, patch: ConversationPatch, expect: { status?: ConversationStatus[]; assigneeId?: string | null } = {}) {
      let q = db.updateTable('conversations').set(toColumns(patch)).where('id', '=', id);
      if (expect.status) q = q.where('status', 'in', expect.status);
      if (expect.assigneeId !== undefined) q = expect.assigneeId === null ? q.where('assignee_id', 'is', null) : q.where('assignee_id', '=', expect.assigneeId);
      const result = await q.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    /** Waiting conversations, longest waiting first; left messages separately. */
    /** How many conversations wait for an agent: live ones and left messages (留言) apart. */
    async countQueued() {
      const rows = await db
        .selectFrom('conversations')
        .select(['is_left_message', (eb) => eb.fn.countAll<number>().as('count')])
        .where('status', '=', 'queued')
        .groupBy('is_left_message')
        .execute();
      const countOf = (isLeftMessage: boolean) => Number(rows.find((row) => Boolean(Number(row.is_left_message)) === isLeftMessage)?.count ?? 0);
      return { live: countOf(false), leftMessages: countOf(true) };
    },
    async queued(options: { leftMessages?: boolean; limit?: number } = {}) {
      const rows = await db
        .selectFrom('conversations')
        .selectAll()
        .where('status', '=', 'queued')
        .where('is_left_message', '=', options.leftMessages ? 1 : 0)
        .orderBy('queued_at')
        .orderBy('id')
        .limit(options.limit ?? 500)
        .execute();
      return rows.map(toConversation);
    },
    /** How many live (not left-message) conversations of a skill were queued before this one. */
    async queuedAhead(skill: string | null, queuedAt: string, id: string) {
      let q = db.selectFrom('conversations').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'queued').where('is_left_message', '=', 0);
      q = skill === null ? q.where('skill', 'is', null) : q.where('skill', '=', skill);
      q = q.where((eb) => eb.or([eb('queued_at', '<', queuedAt), eb.and([eb('queued_at', '=', queuedAt), eb('id', '<', id)])]));
      const row = await q.executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async assignedTo(userId: string) {
      const rows = await db.selectFrom('conversations').selectAll().where('assignee_id', '=', userId).where('status', '=', 'assigned').orderBy('assigned_at').execute();
      return rows.map(toConversation);
    },
    async loadOf(userIds: string[]) {
      if (!userIds.length) return new Map<string, number>();
      const rows = await db
        .selectFrom('conversations')
        .select(['assignee_id', (eb) => eb.fn.countAll().as('n')])
        .where('status', '=', 'assigned')
        .where('assignee_id', 'in', userIds)
        .groupBy('assignee_id')
        .execute();
      return new Map(rows.map((r: any) => [r.assignee_id as string, Number(r.n)]));
    },
    async conversationsOfContact(contactId: string | string[], limit = 50) {
      const ids = Array.isArray(contactId) ? contactId : [contactId];
      const rows = await db.selectFrom('conversations').selectAll().where('contact_id', 'in', ids).orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map(toConversation);
    },
    async latestOpenOfContact(contactId: string, channel: Channel) {
      const r = await db
        .selectFrom('conversations')
        .selectAll()
        .where('contact_id', '=', contactId)
        .where('channel', '=', channel)
        .where('status', '!=', 'resolved')
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      return r && toConversation(r);
    },
    async latestOfContact(contactId: string, channel: Channel) {
      const r = await db.selectFrom('conversations').selectAll().where('contact_id', '=', contactId).where('channel', '=', channel).orderBy('created_at', 'desc').executeTakeFirst();
      return r && toConversation(r);
    },
    /** Open conversations whose last message is older than `before`. */
    async idleSince(before: string, limit = 200) {
      const rows = await db.selectFrom('conversations').selectAll().where('status', 'in', ['bot', 'assigned']).where('last_message_at', '<', before).limit(limit).execute();
      return rows.map(toConversation);
    },
    async openConversations(limit = 1000) {
      const rows = await db.selectFrom('conversations').selectAll().where('status', '!=', 'resolved').orderBy('last_message_at', 'desc').limit(limit).execute();
      return rows.map(toConversation);
    },

    // ── messages ──
    /**
     * Appends a message with the conversation's next sequence number. Run inside a transaction:
     * the counter's row lock (PostgreSQL) or the single writer (SQLite) makes numbers gap-free and
     * unique under concurrent senders, and a failed insert rolls the counter back.
     */
    async appendMessage(conversationId: string, m: NewMessage): Promise<MessageRecord> {
      const now = nowIso();
      const counter = await db
        .updateTable('conversations')
        .set({ last_seq: sql`last_seq + 1`, last_message_at: now, updated_at: now })
        .where('id', '=', conversationId)
        .returning('last_seq')
        .executeTakeFirstOrThrow();
      const record: MessageRecord = {
        id: newId(),
        conversationId,
        seq: Number(counter.last_seq),
        sender: m.sender,
        senderId: m.senderId ?? null,
        senderName: m.senderName ?? null,
        text: m.text,
        format: m.format ?? 'markdown',
        isPrivate: m.isPrivate ?? false,
        clientMessageId: m.clientMessageId ?? null,
        inReplyTo: m.inReplyTo ?? null,
        entryId: m.entryId ?? null,
        payload: m.payload ?? {},
        createdAt: now,
      };
      await db
        .insertInto('messages')
        .values({
          id: record.id,
          conversation_id: conversationId,
          seq: record.seq,
          sender: record.sender,
          sender_id: record.senderId,
          sender_name: record.senderName,
          text: record.text,
          format: record.format,
          is_private: record.isPrivate ? 1 : 0,
          client_message_id: record.clientMessageId,
          in_reply_to: record.inReplyTo,
          entry_id: record.entryId,
          payload: Object.keys(record.payload).length ? toJson(record.payload) : null,
          created_at: now,
        })
        .execute();
      return record;
    },
    async messageByClientId(conversationId: string, clientMessageId: string) {
      const r = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('client_message_id', '=', clientMessageId).executeTakeFirst();
      return r && toMessage(r);
    },
    async lastCustomerMessage(conversationId: string) {
      const r = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('sender', '=', 'customer').orderBy('seq', 'desc').executeTakeFirst();
      return r && toMessage(r);
    },
    async messageBySeq(conversationId: string, seq: number) {
      const r = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('seq', '=', seq).executeTakeFirst();
      return r && toMessage(r);
    },
    /** Messages after a sequence number, oldest first; private notes only when asked for. */
    async messagesAfter(conversationId: string, afterSeq: number, options: { includePrivate: boolean; limit?: number }) {
      let q = db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('seq', '>', afterSeq);
      if (!options.includePrivate) q = q.where('is_private', '=', 0);
      const rows = await q.orderBy('seq').limit(options.limit ?? 500).execute();
      return rows.map(toMessage);
    },
    async repliesTo(conversationId: string, seq: number) {
      const rows = await db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).where('in_reply_to', '=', seq).where('is_private', '=', 0).orderBy('seq').execute();
      return rows.map(toMessage);
    },
    async messagesOfConversations(ids: string[], options: { includePrivate: boolean }) {
      if (!ids.length) return [];
      let q = db.selectFrom('messages').selectAll().where('conversation_id', 'in', ids);
      if (!options.includePrivate) q = q.where('is_private', '=', 0);
      const rows = await q.orderBy('created_at').orderBy('seq').limit(5000).execute();
      return rows.map(toMessage);
    },
    async unreadFromCustomer(conversationId: string, afterSeq: number) {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('conversation_id', '=', conversationId)
        .where('seq', '>', afterSeq)
        .where('sender', '=', 'customer')
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    // ── events ──
    async insertEvent(conversationId: string, type: ConversationEventType, actor: string, payload: Record<string, unknown> = {}) {
      await db.insertInto('conversation_events').values({ id: newId(), conversation_id: conversationId, type, actor, payload: toJson(payload), created_at: nowIso() }).execute();
    },
    async eventsOf(conversationIds: string[]): Promise<ConversationEvent[]> {
      if (!conversationIds.length) return [];
      const rows = await db.selectFrom('conversation_events').selectAll().where('conversation_id', 'in', conversationIds).orderBy('created_at').execute();
      return rows.map((r: any) => ({ id: r.id, conversationId: r.conversation_id, type: r.type, actor: r.actor, payload: fromJson(r.payload, {}), createdAt: r.created_at }));
    },

    // ── agents and skills ──
    async getAgent(userId: string) {
      const r = await db.selectFrom('agents').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return r && toAgent(r);
    },
    async putAgent(a: AgentState) {
      const values = { user_id: a.userId, status: a.status, max_chats: a.maxChats, skills: toJson(a.skills), updated_at: a.updatedAt };
      await db
        .insertInto('agents')
        .values(values)
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ status: a.status, max_chats: a.maxChats, skills: toJson(a.skills), updated_at: a.updatedAt }))
        .execute();
    },
    async onlineAgents() {
      const rows = await db.selectFrom('agents').selectAll().where('status', '=', 'online').execute();
      return rows.map(toAgent);
    },
    async allAgents() {
      const rows = await db.selectFrom('agents').selectAll().execute();
      return rows.map(toAgent);
    },
    async skills(): Promise<Skill[]> {
      const rows = await db.selectFrom('skills').selectAll().orderBy('position').orderBy('id').execute();
      return rows.map((r: any) => ({ id: r.id, name: r.name, categories: fromJson<string[]>(r.categories, []), position: Number(r.position) }));
    },
    async putSkill(s: Skill) {
      await db
        .insertInto('skills')
        .values({ id: s.id, name: s.name, categories: toJson(s.categories), position: s.position })
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: s.name, categories: toJson(s.categories), position: s.position }))
        .execute();
    },
    async deleteSkill(id: string) {
      await db.deleteFrom('skills').where('id', '=', id).execute();
    },

    // ── settings, canned replies, widget sites ──
    async getSetting<T>(key: string): Promise<T | undefined> {
      const r = await db.selectFrom('conversation_settings').selectAll().where('key', '=', key).executeTakeFirst();
      return r ? fromJson<T | undefined>(r.value, undefined) : undefined;
    },
    async putSetting(key: string, value: unknown, by: string) {
      const at = nowIso();
      await db
        .insertInto('conversation_settings')
        .values({ key, value: toJson(value), updated_by: by, updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: toJson(value), updated_by: by, updated_at: at }))
        .execute();
    },
    async cannedReplies(ownerId: string) {
      const rows = await db
        .selectFrom('canned_replies')
        .selectAll()
        .where((eb) => eb.or([eb('owner_id', 'is', null), eb('owner_id', '=', ownerId)]))
        .orderBy('title')
        .execute();
      return rows.map((r: any) => ({ id: r.id as string, ownerId: r.owner_id as string | null, title: r.title as string, text: r.text as string }));
    },
    async insertCannedReply(r: { id: string; ownerId: string | null; title: string; text: string }) {
      await db.insertInto('canned_replies').values({ id: r.id, owner_id: r.ownerId, title: r.title, text: r.text, created_at: nowIso() }).execute();
    },
    async getCannedReply(id: string) {
      const r = await db.selectFrom('canned_replies').selectAll().where('id', '=', id).executeTakeFirst();
      return r && { id: r.id as string, ownerId: r.owner_id as string | null, title: r.title as string, text: r.text as string };
    },
    async deleteCannedReply(id: string) {
      await db.deleteFrom('canned_replies').where('id', '=', id).execute();
    },
    async widgetSite(key: string) {
      const r = await db.selectFrom('widget_sites').selectAll().where('key', '=', key).executeTakeFirst();
      return r && { key: r.key as string, name: r.name as string, origins: fromJson<string[]>(r.origins, []) };
    },
    async widgetSites() {
      const rows = await db.selectFrom('widget_sites').selectAll().orderBy('created_at').execute();
      return rows.map((r: any) => ({ key: r.key as string, name: r.name as string, origins: fromJson<string[]>(r.origins, []) }));
    },
    async insertWidgetSite(s: { key: string; name: string; origins: string[] }) {
      await db.insertInto('widget_sites').values({ key: s.key, name: s.name, origins: toJson(s.origins), created_at: nowIso() }).execute();
    },
  };
}

export type ConversationsRepo = ReturnType<typeof conversationsRepo>;
