import type { Kysely, Migration } from 'kysely';

/**
 * The phone channel's tables: the IVR menu tree (every saved version), the calls in progress with
 * the events already answered, agents' extensions, the line's settings and callback requests.
 */
export const phoneMigrations: Record<string, Migration> = {
  '042_channels_phone': {
    async up(db: Kysely<any>) {
      // each save is a new version; the highest version is the tree in force
      await db.schema
        .createTable('phone_ivr_versions')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('tree', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // one row per call, keyed by the telephony platform's call id: instances share it, so any may answer the next event
      await db.schema
        .createTable('phone_calls')
        .addColumn('call_id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text')
        // the caller's number, masked; the full number is only ever kept sealed (on a callback request)
        .addColumn('caller_masked', 'text')
        .addColumn('caller_sealed', 'text')
        .addColumn('dialled', 'text')
        // the bridge recognises speech itself (its `start` event said so)
        .addColumn('bridge_asr', 'integer', (c) => c.notNull().defaultTo(0))
        // where the caller is in the IVR (JSON: mode, node, path …)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('tree_version', 'integer', (c) => c.notNull())
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .execute();
      // every event answered, with its answer: a redelivered event gets the same answer and changes nothing
      await db.schema
        .createTable('phone_call_events')
        .addColumn('call_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('response', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('phone_call_events_pk', ['call_id', 'seq'])
        .execute();
      await db.schema
        .createTable('phone_extensions')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('extension', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('phone_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // 预约回拨: the number sealed (AES-256-GCM) and masked; revealed only to the agent who claimed it
      await db.schema
        .createTable('phone_callbacks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('call_id', 'text', (c) => c.notNull().unique())
        .addColumn('conversation_id', 'text')
        .addColumn('contact_id', 'text')
        .addColumn('phone_sealed', 'text', (c) => c.notNull())
        .addColumn('phone_masked', 'text', (c) => c.notNull())
        .addColumn('time_window', 'text', (c) => c.notNull())
        .addColumn('window_start', 'text', (c) => c.notNull())
        .addColumn('window_end', 'text', (c) => c.notNull())
        // open → claimed → done | failed
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_at', 'text')
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('phone_callbacks_status').on('phone_callbacks').columns(['status', 'window_start']).execute();
    },
  },
};
