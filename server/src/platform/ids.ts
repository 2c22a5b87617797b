import { randomBytes, randomUUID } from 'node:crypto';

/** A new random identifier for records that have no business id. */
export const newId = () => randomUUID();
/** A random URL-safe token of the given byte length. */
export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** The wall clock, unless demo generation or a test has set another (milliseconds since the epoch). */
let clock: () => number = Date.now;
/**
 * For demo traffic generation and tests only: makes `nowIso()` and `now()` read `fn`, so a month of
 * service can be generated with realistic timestamps. Always undo with `resetClock()`.
 */
export function setClock(fn: () => number) {
  clock = fn;
}
/** Back to the wall clock. */
export function resetClock() {
  clock = Date.now;
}
/** The current time as a Date (the settable clock). */
export const now = () => new Date(clock());
/** Current time as an ISO string: how every timestamp is stored. */
export const nowIso = () => new Date(clock()).toISOString();
