import type { Kysely, Migration } from 'kysely';

/**
 * Contribution statements (参保证明) issued to citizens. The verification code is kept only as a
 * keyed hash, so a copy of the table gives no valid code away; the snapshot is what the statement
 * says, masked (name 张*华, ID number 3301**********123X, the figures), so it may be shown to whoever
 * checks the code.
 */
export const statementMigrations: Record<string, Migration> = {
  '073_record_statements': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('record_statements')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code_hash', 'text', (c) => c.notNull().unique())
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        // JSON of StatementContent (common/record-statements.ts)
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('record_statements_person').on('record_statements').columns(['person_id', 'issued_at']).execute();
    },
  },
};
