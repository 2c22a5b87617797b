import type { Kysely } from 'kysely';
import { statementContentSchema, type StatementContent } from '../../../common/record-statements';

export interface StoredStatement {
  id: string;
  personId: string;
  issuedAt: string;
  expiresAt: string;
  content: StatementContent;
}

const toStatement = (r: any): StoredStatement => ({ id: r.id, personId: r.person_id, issuedAt: r.issued_at, expiresAt: r.expires_at, content: statementContentSchema.parse(JSON.parse(r.snapshot)) });

/** Queries of issued statements; a statement is found by the keyed hash of its code, never by the code. */
export function statementRepo(db: Kysely<any>) {
  return {
    async insert(statement: StoredStatement & { codeHash: string }) {
      await db
        .insertInto('record_statements')
        .values({ id: statement.id, code_hash: statement.codeHash, person_id: statement.personId, issued_at: statement.issuedAt, expires_at: statement.expiresAt, snapshot: JSON.stringify(statement.content) })
        .execute();
    },
    /**
     * The statement with this code hash that is still valid at `at`. Unknown and expired codes take
     * the same single indexed query and both come back undefined, so neither answer nor timing tells
     * them apart. With `personId`, only that person's statement.
     */
    async findValid(codeHash: string, at: string, personId?: string): Promise<StoredStatement | undefined> {
      let query = db.selectFrom('record_statements').selectAll().where('code_hash', '=', codeHash).where('expires_at', '>', at);
      if (personId) query = query.where('person_id', '=', personId);
      const row = await query.executeTakeFirst();
      return row && toStatement(row);
    },
  };
}
