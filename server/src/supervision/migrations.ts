import type { Kysely, Migration } from 'kysely';

/** The live monitor's alerts and its thresholds. Everything else it shows is read from the conversations' tables. */
export const supervisionMigrations: Record<string, Migration> = {
  '052_supervision_alerts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('supervision_alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        // what makes an alert the same alert (conversation, kind, and for waits the wait it is about):
        // raising it again, on this instance or another, inserts nothing
        .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
        .addColumn('detail', 'text', (c) => c.notNull())
        // when the condition arose (the message's time, the moment the threshold was crossed)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('is_open', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('acknowledged_by', 'text')
        .addColumn('acknowledged_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('supervision_alerts_open').on('supervision_alerts').columns(['is_open', 'at']).execute();
      await db.schema
        .createTable('supervision_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
