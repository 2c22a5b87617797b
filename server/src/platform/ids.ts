import { randomBytes, randomUUID } from 'node:crypto';

/** A new random identifier for records that have no business id. */
export const newId = () => randomUUID();
/** A random URL-safe token of the given byte length. */
export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
/** Current time as an ISO string: how every timestamp is stored. */
export const nowIso = () => new Date().toISOString();
