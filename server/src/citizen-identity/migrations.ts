import type { Kysely, Migration } from 'kysely';

/** Citizens' sign-in: one-time SMS codes (hashed), short sessions, and the development SMS outbox. */
export const citizenIdentityMigrations: Record<string, Migration> = {
  '071_citizen_identity': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('citizen_sms_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('phone_hash', 'text', (c) => c.notNull())
        // keyed hash of phone and code: a copy of the table does not give the codes away
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('client_key', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('citizen_sms_codes_phone').on('citizen_sms_codes').columns(['phone_hash', 'created_at']).execute();
      await db.schema.createIndex('citizen_sms_codes_client').on('citizen_sms_codes').columns(['client_key', 'created_at']).execute();
      await db.schema
        .createTable('citizen_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // idle expiry, moved forward by use but never past absolute_expires_at
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
        .addColumn('verified_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('citizen_sessions_person').on('citizen_sessions').column('person_id').execute();
      await db.schema
        .createTable('sms_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('phone_hash', 'text', (c) => c.notNull())
        .addColumn('phone_masked', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sms_outbox_phone').on('sms_outbox').columns(['phone_hash', 'sent_at']).execute();
    },
  },
  '074_citizen_bindings': {
    async up(db: Kysely<any>) {
      // a channel identity (WeChat account + openid) bound to a person after an SMS sign-in; found by a
      // keyed hash of the identity, so the table holds no openids
      await db.schema
        .createTable('citizen_bindings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('identity_hash', 'text', (c) => c.notNull().unique())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('bound_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('citizen_bindings_person').on('citizen_bindings').column('person_id').execute();
      // the one-time link the robot sends on the channel: whoever signs in with it binds that identity
      await db.schema
        .createTable('citizen_binding_tickets')
        .addColumn('ticket_hash', 'text', (c) => c.primaryKey())
        .addColumn('identity_hash', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
    },
  },
};
