import type { StatementCheck } from '../../../common/record-statements';
import type { StoredStatement } from './statement-repo';

/** A statement as whoever holds its code sees it: the stored snapshot, masked when it was issued. */
export function presentStatementCheck(statement: StoredStatement, code: string): StatementCheck {
  return { code, issuedAt: statement.issuedAt, expiresAt: statement.expiresAt, ...statement.content };
}

/** Where the citizen downloads a statement (with their Bearer token). */
export const statementPdfPath = (code: string) => `/api/v1/me/statements/${code}.pdf`;
