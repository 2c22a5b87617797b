import type { AppContext } from '../platform/context';
import { AppError, notFound } from '../platform/errors';
import { newId } from '../platform/ids';
import type { Actor } from './permissions';
import { foldUsername, identityRepo } from './repo';

/**
 * Failed sign-ins slow down the address they come from, never the account: a wrong password from
 * one address must not keep the owner out from another (lock-out would be a weapon). Two counters:
 * the (address, username) pair, strict, against guessing one account; the address, looser because
 * an office behind one NAT address shares it, against trying many accounts. Both live in the
 * database so every instance sees them.
 */
export const THROTTLE = {
  /** Failures of one pair before the first wait. */
  freePairFailures: 3,
  /** Failures of one address (all usernames) before the first wait. */
  freeClientFailures: 10,
  /** The first wait; each further failure doubles it. */
  firstDelaySeconds: 2,
  maxDelaySeconds: 15 * 60,
  /** A counter quiet this long starts again from zero. */
  resetAfterSeconds: 60 * 60,
};

/** How long to wait after the n-th failure: nothing while free, then doubling up to the cap. */
export function throttleDelaySeconds(failures: number, freeFailures: number): number {
  if (failures <= freeFailures) return 0;
  return Math.min(THROTTLE.firstDelaySeconds * 2 ** (failures - freeFailures - 1), THROTTLE.maxDelaySeconds);
}

/** A sign-in refused because this address failed too often; the error handler sends Retry-After. */
export class LoginThrottledError extends AppError {
  constructor(public retryAfterSeconds: number) {
    super(429, 'login_throttled', { zh: `登录失败次数过多，请${Math.ceil(retryAfterSeconds)}秒后再试`, en: `too many failed sign-ins, try again in ${Math.ceil(retryAfterSeconds)} s` });
  }
}

const keysOf = (client: string, username: string) => {
  const folded = foldUsername(username);
  return {
    client: { key: `client:${client}`, username: null, free: THROTTLE.freeClientFailures },
    pair: { key: `pair:${client}:${folded}`, username: folded, free: THROTTLE.freePairFailures },
  };
};

/** The login throttle of one database. */
export function loginThrottle(ctx: AppContext) {
  const repo = identityRepo(ctx.db);
  return {
    /** Seconds this address must still wait before trying this username, or 0. */
    async secondsToWait(client: string, username: string, now = new Date()): Promise<number> {
      const { client: c, pair } = keysOf(client, username);
      const rows = await repo.findLoginThrottles([c.key, pair.key]);
      const until = Math.max(0, ...rows.map((r) => (r.blockedUntil ? Date.parse(r.blockedUntil) : 0)));
      return Math.max(0, (until - now.getTime()) / 1000);
    },
    /** Counts a failed sign-in against the address and the pair, and starts a wait when one is due. */
    async recordFailure(client: string, username: string, now = new Date()) {
      const at = now.toISOString();
      const resetBefore = new Date(now.getTime() - THROTTLE.resetAfterSeconds * 1000).toISOString();
      for (const counter of Object.values(keysOf(client, username))) {
        const failures = await repo.countLoginFailure({ id: newId(), key: counter.key, client, username: counter.username, at, resetBefore });
        const delay = throttleDelaySeconds(failures, counter.free);
        if (delay > 0) await repo.blockLoginUntil(counter.key, new Date(now.getTime() + delay * 1000).toISOString());
      }
      await repo.pruneLoginThrottles(resetBefore);
    },
    /** A successful sign-in clears its pair; the address keeps its count (one good account must not launder guesses at others). */
    async recordSuccess(client: string, username: string) {
      await repo.deleteLoginThrottle(keysOf(client, username).pair.key);
    },
    /** Throttles that still count (a failure within the reset window), newest first. */
    async list(now = new Date()) {
      return repo.listLoginThrottles(new Date(now.getTime() - THROTTLE.resetAfterSeconds * 1000).toISOString());
    },
  };
}

/** An admin clears one throttle (an address or a pair), for example after a user's typos behind a shared address. */
export async function clearLoginThrottle(ctx: AppContext, actor: Actor, id: string, ip?: string) {
  const repo = identityRepo(ctx.db);
  const throttle = await repo.findLoginThrottle(id);
  if (!throttle) throw notFound('登录限制');
  await repo.deleteLoginThrottleById(id);
  await ctx.audit.record(
    actor,
    { action: 'auth.throttle_cleared', subjectType: 'login_throttle', subjectId: id, detail: { client: throttle.client, username: throttle.username, failures: throttle.failures } },
    ip,
  );
}
