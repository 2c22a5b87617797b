import type { Kysely, Migration } from 'kysely';

/** The wechat channel's tables: official accounts and the nonces of recently accepted callbacks. */
export const wechatMigrations: Record<string, Migration> = {
  '040_channels_wechat': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('wechat_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('app_id', 'text', (c) => c.notNull())
        // sealed with ctx.secrets (AES-256-GCM): a copy of the database does not give them away
        .addColumn('app_secret_sealed', 'text', (c) => c.notNull())
        .addColumn('token_sealed', 'text', (c) => c.notNull())
        .addColumn('encoding_aes_key_sealed', 'text')
        .addColumn('api_base_url', 'text', (c) => c.notNull())
        // the text answered to a new follower (null: the default), and the self-service links below it (JSON)
        .addColumn('welcome_text', 'text')
        .addColumn('welcome_links', 'text', (c) => c.notNull().defaultTo('[]'))
        // menu CLICK keys → a public entry or a calculator (JSON)
        .addColumn('menu', 'text', (c) => c.notNull().defaultTo('[]'))
        // the API access token, shared by every instance (sealed), and when it runs out
        .addColumn('access_token_sealed', 'text')
        .addColumn('access_token_expires_at', 'text')
        // one instance at a time fetches a new token: the others wait for it (WeChat keeps one token per AppID)
        .addColumn('token_refresh_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // a callback's nonce, kept while its timestamp could still be accepted: the same nonce again is a replay
      await db.schema
        .createTable('wechat_nonces')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('wechat_nonces_pk', ['account_id', 'nonce'])
        .execute();
      await db.schema.createIndex('wechat_nonces_seen').on('wechat_nonces').column('seen_at').execute();
    },
  },
};
