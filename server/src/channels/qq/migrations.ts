import type { Kysely, Migration } from 'kysely';

/** The qq channel's tables: bots, the sequence numbers of passive replies, and the active messages sent each month. */
export const qqMigrations: Record<string, Migration> = {
  '041_channels_qq': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('qq_bots')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        // sealed with ctx.secrets (AES-256-GCM): a copy of the database does not give it away
        .addColumn('app_secret_sealed', 'text', (c) => c.notNull())
        .addColumn('api_base_url', 'text', (c) => c.notNull())
        .addColumn('token_url', 'text', (c) => c.notNull())
        // active (unprompted) messages the platform lets the bot send to one user or group per month
        .addColumn('active_allowance', 'integer', (c) => c.notNull().defaultTo(4))
        // the app access token, shared by every instance (sealed), and when it runs out
        .addColumn('access_token_sealed', 'text')
        .addColumn('access_token_expires_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('qq_bots_app_id', ['app_id'])
        .execute();
      // the msg_seq given to each reply to one citizen message: the platform refuses the same msg_id + msg_seq twice
      await db.schema
        .createTable('qq_reply_seqs')
        .addColumn('bot_id', 'text', (c) => c.notNull())
        .addColumn('msg_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        // our message sent with it: a retry of the same message reuses its number
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('qq_reply_seqs_pk', ['bot_id', 'msg_id', 'seq'])
        .addUniqueConstraint('qq_reply_seqs_message', ['bot_id', 'msg_id', 'message_id'])
        .execute();
      // one row per active message, numbered within its recipient's month: the number cannot pass the allowance
      await db.schema
        .createTable('qq_active_sends')
        .addColumn('bot_id', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('slot', 'integer', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('qq_active_sends_pk', ['bot_id', 'recipient', 'month', 'slot'])
        .addUniqueConstraint('qq_active_sends_message', ['bot_id', 'message_id'])
        .execute();
    },
  },
};
