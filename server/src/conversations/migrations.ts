import type { Kysely, Migration } from 'kysely';

/** Contacts and their channel identities, conversations, messages, events, agents and skills. */
export const conversationsMigrations: Record<string, Migration> = {
  '030_conversations_init': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text')
        // hashes of a verified phone or ID number: contacts with the same one are the same person
        .addColumn('phone_hash', 'text')
        .addColumn('id_number_hash', 'text')
        .addColumn('merged_into', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('contacts_phone').on('contacts').column('phone_hash').execute();
      await db.schema.createIndex('contacts_id_number').on('contacts').column('id_number_hash').execute();
      await db.schema
        .createTable('contact_identities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // web | wechat | open | phone | qq
        // whose id space the external id lives in: a widget site, an API key, a WeChat account
        .addColumn('namespace', 'text', (c) => c.notNull())
        .addColumn('external_id', 'text', (c) => c.notNull())
        .addColumn('is_verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('contact_identities_unique', ['kind', 'namespace', 'external_id'])
        .execute();
      await db.schema.createIndex('contact_identities_contact').on('contact_identities').column('contact_id').execute();
      await db.schema
        .createTable('conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        // the widget site, API key or channel account the conversation came through
        .addColumn('channel_ref', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('is_left_message', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('skill', 'text')
        .addColumn('assignee_id', 'text')
        .addColumn('handoff_reason', 'text')
        .addColumn('category', 'text')
        .addColumn('summary', 'text')
        .addColumn('rating', 'integer')
        .addColumn('rating_comment', 'text')
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('agent_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('customer_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('queued_at', 'text')
        .addColumn('assigned_at', 'text')
        .addColumn('first_agent_reply_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('last_message_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('conversations_queue').on('conversations').columns(['status', 'skill', 'queued_at']).execute();
      await db.schema.createIndex('conversations_assignee').on('conversations').columns(['assignee_id', 'status']).execute();
      await db.schema.createIndex('conversations_contact').on('conversations').columns(['contact_id', 'created_at']).execute();
      await db.schema.createIndex('conversations_idle').on('conversations').columns(['status', 'last_message_at']).execute();
      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('sender_id', 'text')
        .addColumn('sender_name', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('is_private', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('client_message_id', 'text')
        // the customer message this one answers (robot replies), for idempotent resends
        .addColumn('in_reply_to', 'integer')
        .addColumn('entry_id', 'text')
        .addColumn('payload', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('messages_seq_unique', ['conversation_id', 'seq'])
        .addUniqueConstraint('messages_client_id_unique', ['conversation_id', 'client_message_id'])
        .execute();
      await db.schema
        .createTable('conversation_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('payload', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('conversation_events_conversation').on('conversation_events').columns(['conversation_id', 'created_at']).execute();
      await db.schema
        .createTable('agents')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('max_chats', 'integer', (c) => c.notNull())
        .addColumn('skills', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('skills')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        // knowledge category ids (a category covers its sub-categories)
        .addColumn('categories', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('conversation_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('canned_replies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // null: shared by every agent
        .addColumn('owner_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('widget_sites')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('origins', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '033_conversations_webhooks': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('channel_webhooks')
        .addColumn('api_key_id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        // needed to sign every delivery; shown to the admin once, when set
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('api_key_id', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull()) // pending | delivered | failed
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .execute();
      await db.schema.createIndex('webhook_deliveries_key').on('webhook_deliveries').columns(['api_key_id', 'created_at']).execute();
    },
  },
  '034_conversations_channel_deliveries': {
    async up(db: Kysely<any>) {
      // each robot, agent or system message of a conversation on an external channel (WeChat, QQ …), on its way out
      await db.schema
        .createTable('channel_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        // pending → sent | deferred (outside the channel's reply window: sent when the citizen next writes) | failed
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addUniqueConstraint('channel_deliveries_message', ['conversation_id', 'seq'])
        .execute();
      await db.schema.createIndex('channel_deliveries_contact').on('channel_deliveries').columns(['contact_id', 'status']).execute();
      // a phone number an agent recorded (or a caller's): shown masked; the lookup hash is in phone_hash
      await db.schema.alterTable('contacts').addColumn('phone_masked', 'text').execute();
    },
  },
  '072_conversations_verified_person': {
    async up(db: Kysely<any>) {
      // the citizen who wrote in this conversation signed in with an SMS code (personal services): set
      // once, from their session; the agent serving the conversation may then see that person's record
      await db.schema.alterTable('conversations').addColumn('verified_person_id', 'text').execute();
    },
  },
};
