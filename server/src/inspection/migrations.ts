import type { Kysely, Migration } from 'kysely';

/** The inspection domain's tables: rules, one inspection per served conversation, and its flags. */
export const inspectionMigrations: Record<string, Migration> = {
  '051_inspection_init': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('quality_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('weight', 'integer', (c) => c.notNull())
        .addColumn('is_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('quality_inspections')
        .addColumn('conversation_id', 'text', (c) => c.primaryKey())
        // who served it (the assignee at close)
        .addColumn('agent_id', 'text')
        .addColumn('score', 'integer', (c) => c.notNull())
        // the conversation's own close time: weeks and periods are counted on it
        .addColumn('closed_at', 'text', (c) => c.notNull())
        .addColumn('inspected_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('quality_inspections_agent').on('quality_inspections').columns(['agent_id', 'closed_at']).execute();
      await db.schema.createIndex('quality_inspections_closed').on('quality_inspections').column('closed_at').execute();
      await db.schema
        .createTable('quality_flags')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('message_seq', 'integer')
        // the agent who wrote the message (or served the conversation)
        .addColumn('agent_id', 'text')
        .addColumn('excerpt', 'text', (c) => c.notNull())
        .addColumn('weight', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('review_note', 'text')
        .addColumn('reviewed_by', 'text')
        .addColumn('reviewed_at', 'text')
        .addColumn('appeal_reason', 'text')
        .addColumn('appealed_at', 'text')
        .addColumn('appeal_decision', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('quality_flags_conversation').on('quality_flags').column('conversation_id').execute();
      await db.schema.createIndex('quality_flags_rule').on('quality_flags').columns(['rule_id', 'status']).execute();
      await db.schema.createIndex('quality_flags_agent').on('quality_flags').columns(['agent_id', 'status']).execute();
    },
  },
};
