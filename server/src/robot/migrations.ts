import type { Kysely, Migration } from 'kysely';

export const robotMigrations: Record<string, Migration> = {
  '010_robot_init': {
    async up(db: Kysely<any>) {
      // Every question the robot was asked and what it decided: insights, hand-off rates, learning.
      await db.schema
        .createTable('robot_turns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('viewer', 'text', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text')
        .addColumn('top_entry_id', 'text')
        .addColumn('confidence', 'real', (c) => c.notNull())
        .addColumn('handoff_reason', 'text')
        .execute();
      await db.schema.createIndex('robot_turns_at').on('robot_turns').column('at').execute();
      await db.schema
        .createTable('robot_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('robot_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // What agents answered in closed conversations: the robot's learning examples.
      await db.schema
        .createTable('robot_learning_examples')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text')
        .addColumn('agent_answer', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('robot_learning_status').on('robot_learning_examples').column('status').execute();
    },
  },
};
