import type { Kysely, Migration } from 'kysely';

/** Tables of the rules engine: rule-set versions, parameter versions (with their review), the determinations log. */
export const rulesMigrations: Record<string, Migration> = {
  '005_rules_init': {
    async up(db: Kysely<any>) {
      // Rule-set documents authored in the console or imported from a workbook; the built-in
      // versions live in code (server/src/rules/rulesets) and are not copied here.
      await db.schema
        .createTable('rules_ruleset_versions')
        .addColumn('ruleset_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'text', (c) => c.notNull())
        .addColumn('effective_to', 'text')
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('test_results', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('published_by', 'text')
        .addColumn('published_at', 'text')
        .addPrimaryKeyConstraint('rules_ruleset_versions_pk', ['ruleset_id', 'version'])
        .execute();
      // Parameter versions per jurisdiction layer; each sets some keys from its effective date on.
      await db.schema
        .createTable('rules_parameter_versions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('effective_from', 'text', (c) => c.notNull())
        .addColumn('effective_to', 'text')
        .addColumn('values_json', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // Every determination served, with what is needed to replay it.
      await db.schema
        .createTable('rules_determinations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ruleset_id', 'text', (c) => c.notNull())
        .addColumn('ruleset_version', 'text', (c) => c.notNull())
        .addColumn('as_of', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('parameter_versions', 'text', (c) => c.notNull())
        .addColumn('parameters', 'text', (c) => c.notNull())
        .addColumn('inputs', 'text', (c) => c.notNull())
        .addColumn('unknown_inputs', 'text', (c) => c.notNull())
        .addColumn('goal', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('outputs', 'text', (c) => c.notNull())
        .addColumn('question_id', 'text')
        .addColumn('trace', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rules_determinations_ruleset').on('rules_determinations').columns(['ruleset_id', 'created_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('rules_determinations').execute();
      await db.schema.dropTable('rules_parameter_versions').execute();
      await db.schema.dropTable('rules_ruleset_versions').execute();
    },
  },
  '021_rules_parameter_review': {
    async up(db: Kysely<any>) {
      // Parameter versions are reviewed like knowledge entries: an editor's version is pending until
      // a reviewer other than its author approves it. Versions stored before this were already in use.
      await db.schema.alterTable('rules_parameter_versions').addColumn('status', 'text', (c) => c.notNull().defaultTo('published')).execute();
      await db.schema.alterTable('rules_parameter_versions').addColumn('reviewed_by', 'text').execute();
      await db.schema.alterTable('rules_parameter_versions').addColumn('reviewed_at', 'text').execute();
      await db.schema.alterTable('rules_parameter_versions').addColumn('review_comment', 'text').execute();
    },
    async down(db: Kysely<any>) {
      for (const column of ['review_comment', 'reviewed_at', 'reviewed_by', 'status']) {
        await db.schema.alterTable('rules_parameter_versions').dropColumn(column).execute();
      }
    },
  },
};
