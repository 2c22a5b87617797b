import type { Kysely, Migration } from 'kysely';

export const knowledgeMigrations: Record<string, Migration> = {
  '002_knowledge_init': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('kb_categories')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // One row per entry: which version is live, which is being worked on.
      await db.schema
        .createTable('kb_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('published_version', 'integer')
        .addColumn('latest_version', 'integer', (c) => c.notNull())
        .addColumn('is_archived', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Every version ever saved: the full history, diffable and restorable.
      await db.schema
        .createTable('kb_entry_versions')
        .addColumn('entry_id', 'text', (c) => c.notNull().references('kb_entries.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('category_id', 'text', (c) => c.notNull())
        .addColumn('question', 'text', (c) => c.notNull())
        .addColumn('similar', 'text', (c) => c.notNull())
        .addColumn('answer', 'text', (c) => c.notNull())
        .addColumn('keywords', 'text', (c) => c.notNull())
        .addColumn('refs', 'text', (c) => c.notNull())
        .addColumn('audience', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('change_note', 'text')
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('reviewer', 'text')
        .addColumn('reviewed_at', 'text')
        .addColumn('review_comment', 'text')
        .addPrimaryKeyConstraint('kb_entry_versions_pk', ['entry_id', 'version'])
        .execute();
      await db.schema.createIndex('kb_entry_versions_status').on('kb_entry_versions').column('status').execute();
      await db.schema
        .createTable('kb_synonyms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('term', 'text', (c) => c.notNull().unique())
        .addColumn('synonyms', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('kb_feedback')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('is_helpful', 'integer', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('channel', 'text')
        .addColumn('client', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('kb_feedback_entry').on('kb_feedback').column('entry_id').execute();
      // Crowdsourced corrections, agents' proposals and robot-learning proposals awaiting review.
      await db.schema
        .createTable('kb_suggestions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('reviewed_by', 'text')
        .addColumn('reviewed_at', 'text')
        .addColumn('review_note', 'text')
        .addColumn('result_entry_id', 'text')
        .execute();
      await db.schema.createIndex('kb_suggestions_status').on('kb_suggestions').column('status').execute();
    },
  },
  // Versions written by an import carry its id, so a reviewer can approve that import as a whole.
  '023_knowledge_import_id': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('kb_entry_versions').addColumn('import_id', 'text').execute();
      await db.schema.createIndex('kb_entry_versions_import').on('kb_entry_versions').column('import_id').execute();
    },
  },
  // A synonym group's context: words near which its colloquial phrases apply (JSON array; empty: everywhere).
  '060_knowledge_synonym_context': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('kb_synonyms').addColumn('context', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
  },
};
