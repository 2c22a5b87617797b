import type { Kysely, Migration } from 'kysely';

/**
 * Citizens' social insurance records, as fed from the core business system. Personal fields are
 * sealed (AES-GCM, platform/secrets.ts) and found through keyed hashes, so a copy of the database
 * gives no ID number, name or phone away. Contribution months are kept as runs of consecutive
 * months with the same employer, base, amounts and status (a year's months are usually one run).
 */
export const citizenRecordsMigrations: Record<string, Migration> = {
  '070_citizen_records': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('record_persons')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('id_number_hash', 'text', (c) => c.notNull().unique())
        .addColumn('id_number_sealed', 'text', (c) => c.notNull())
        .addColumn('name_sealed', 'text', (c) => c.notNull())
        .addColumn('phone_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('record_contributions')
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('insurance', 'text', (c) => c.notNull())
        .addColumn('from_month', 'text', (c) => c.notNull())
        .addColumn('to_month', 'text', (c) => c.notNull())
        .addColumn('employer', 'text', (c) => c.notNull())
        .addColumn('base', 'text', (c) => c.notNull())
        .addColumn('employer_amount', 'text', (c) => c.notNull())
        .addColumn('personal_amount', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('record_contributions_pk', ['person_id', 'insurance', 'from_month'])
        .execute();
      await db.schema
        .createTable('record_applications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('person_id', 'text', (c) => c.notNull())
        // the core system's reference (受理编号), shown to the citizen
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('record_applications_ref', ['person_id', 'ref'])
        .execute();
      await db.schema
        .createTable('record_application_events')
        .addColumn('application_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('record_application_events_pk', ['application_id', 'seq'])
        .execute();
      await db.schema
        .createTable('record_payments')
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('record_payments_pk', ['person_id', 'month', 'type'])
        .execute();
    },
  },
};
