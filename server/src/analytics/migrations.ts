import type { Kysely, Migration } from 'kysely';

/**
 * The analytics domain's tables: one row of facts per conversation, hourly rollups of those facts
 * (hour × channel × category × skill × agent, China time, plus a totals row per hour and channel with
 * '*' in the other three) and the generated reports. Dashboards read these, never the messages.
 */
export const analyticsMigrations: Record<string, Migration> = {
  '050_analytics_init': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('analytics_facts')
        .addColumn('conversation_id', 'text', (c) => c.primaryKey())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        // '' when none, so the rollup key has no nulls ('*' is kept for the rollups' totals rows)
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('skill', 'text', (c) => c.notNull())
        .addColumn('agent', 'text', (c) => c.notNull())
        // China time hour of the conversation's start, YYYY-MM-DDTHH: the key every indicator groups by
        .addColumn('hour', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('queued_at', 'text')
        .addColumn('accepted_at', 'text')
        .addColumn('first_reply_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('handoff_reason', 'text')
        .addColumn('is_closed', 'integer', (c) => c.notNull())
        .addColumn('is_handed_off', 'integer', (c) => c.notNull())
        .addColumn('is_queued', 'integer', (c) => c.notNull())
        .addColumn('is_abandoned', 'integer', (c) => c.notNull())
        .addColumn('is_robot_resolved', 'integer', (c) => c.notNull())
        // the same contact came back about the same category within 24 h (not a first-contact resolution)
        .addColumn('is_repeated', 'integer', (c) => c.notNull())
        .addColumn('first_response_s', 'integer')
        .addColumn('handling_s', 'integer')
        .addColumn('rating', 'integer')
        .addColumn('messages', 'integer', (c) => c.notNull())
        // questions the robot decided on (answer, clarify, hand-off, fallback): self-service searches
        .addColumn('robot_questions', 'integer', (c) => c.notNull())
        .addColumn('robot_answers', 'integer', (c) => c.notNull())
        .addColumn('calculator_runs', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('analytics_facts_bucket').on('analytics_facts').columns(['hour', 'channel', 'category', 'skill', 'agent']).execute();
      await db.schema.createIndex('analytics_facts_contact').on('analytics_facts').columns(['contact_id', 'created_at']).execute();
      await db.schema
        .createTable('analytics_hourly')
        .addColumn('hour', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('skill', 'text', (c) => c.notNull())
        .addColumn('agent', 'text', (c) => c.notNull())
        .addColumn('conversations', 'integer', (c) => c.notNull())
        .addColumn('closed', 'integer', (c) => c.notNull())
        .addColumn('robot_resolved', 'integer', (c) => c.notNull())
        .addColumn('handed_off', 'integer', (c) => c.notNull())
        .addColumn('queued', 'integer', (c) => c.notNull())
        .addColumn('abandoned', 'integer', (c) => c.notNull())
        .addColumn('answered_within', 'integer', (c) => c.notNull())
        .addColumn('repeated', 'integer', (c) => c.notNull())
        .addColumn('first_response_count', 'integer', (c) => c.notNull())
        .addColumn('first_response_sum', 'integer', (c) => c.notNull())
        .addColumn('handling_count', 'integer', (c) => c.notNull())
        .addColumn('handling_sum', 'integer', (c) => c.notNull())
        .addColumn('rated', 'integer', (c) => c.notNull())
        .addColumn('rating_sum', 'integer', (c) => c.notNull())
        .addColumn('rating_positive', 'integer', (c) => c.notNull())
        .addColumn('robot_questions', 'integer', (c) => c.notNull())
        .addColumn('robot_answers', 'integer', (c) => c.notNull())
        .addColumn('calculator_runs', 'integer', (c) => c.notNull())
        .addColumn('messages', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_hourly_pk', ['hour', 'channel', 'category', 'skill', 'agent'])
        .execute();
      // a filter on one dimension reads its rows only
      for (const dimension of ['category', 'skill', 'agent']) {
        await db.schema.createIndex(`analytics_hourly_${dimension}`).on('analytics_hourly').columns([dimension, 'hour']).execute();
      }
      await db.schema
        .createTable('analytics_hourly_handoffs')
        .addColumn('hour', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('skill', 'text', (c) => c.notNull())
        .addColumn('agent', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_hourly_handoffs_pk', ['hour', 'channel', 'category', 'skill', 'agent', 'reason'])
        .execute();
      // each conversation's robot answers per entry, and their daily totals (hot topics by entry)
      await db.schema
        .createTable('analytics_answers')
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('answers', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_answers_pk', ['conversation_id', 'entry_id'])
        .execute();
      await db.schema.createIndex('analytics_answers_bucket').on('analytics_answers').columns(['day', 'channel', 'entry_id']).execute();
      await db.schema
        .createTable('analytics_daily_answers')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('answers', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_daily_answers_pk', ['day', 'channel', 'entry_id'])
        .execute();
      // the citizens' questions the robot handed off or could not answer (hard topics), masked as stored
      await db.schema
        .createTable('analytics_hard_questions')
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text')
        .addColumn('category', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_hard_questions_pk', ['conversation_id', 'seq'])
        .execute();
      await db.schema.createIndex('analytics_hard_questions_day').on('analytics_hard_questions').columns(['day', 'channel']).execute();
      // conversations per day, channel and category: volumes by category and hot topics read these
      await db.schema
        .createTable('analytics_daily_categories')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('conversations', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_daily_categories_pk', ['day', 'channel', 'category'])
        .execute();
      await db.schema.createIndex('analytics_facts_category').on('analytics_facts').columns(['category', 'hour']).execute();
      await db.schema.createIndex('analytics_facts_agent').on('analytics_facts').columns(['agent', 'hour']).execute();
      await db.schema.createIndex('analytics_facts_first_response').on('analytics_facts').columns(['hour', 'first_response_s']).execute();
      await db.schema.createIndex('analytics_facts_handling').on('analytics_facts').columns(['hour', 'handling_s']).execute();
      await db.schema
        .createTable('analytics_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('period_from', 'text', (c) => c.notNull())
        .addColumn('period_to', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // at most one report per kind and period, whichever instance generates it
        .addUniqueConstraint('analytics_reports_period', ['kind', 'period_from'])
        .execute();
    },
  },
};
