import { createHash } from 'node:crypto';
import type { ConversationsRepo } from './repo';

/**
 * A web widget visitor is known by a random token kept in their browser (localStorage), so a
 * returning visitor sees their earlier conversation. Only its hash is stored, as the identity's
 * external id: a leaked database does not let anyone write as the visitor.
 */
export const VISITOR_HEADER = 'x-visitor-token';
export const VISITOR_NAMESPACE = 'visitor';

export const hashVisitorToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** The contact behind a visitor token, or undefined. */
export async function contactOfVisitor(repo: ConversationsRepo, token: string): Promise<string | undefined> {
  if (typeof token !== 'string' || token.length < 20 || token.length > 100) return undefined;
  return (await repo.findIdentity('web', VISITOR_NAMESPACE, hashVisitorToken(token)))?.contactId;
}
