import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { EventName, EventPayloads } from '../../../common/events';
import { fromJson, toJson } from './database';
import type { EventBus } from './events';
import { newId, nowIso } from './ids';

/**
 * Domain events that never get lost: an event is written to the outbox table in the same
 * transaction as the change it announces, and dispatched (to this instance's consumers and, over
 * Redis, to every other instance) right after the commit. If the process dies between the commit
 * and the dispatch, a sweep dispatches it later; the atomic claim makes each event dispatched once.
 *
 *   const events = ctx.outbox.batch();
 *   await ctx.db.transaction().execute(async (trx) => { …change…; await events.add(trx, name, payload); });
 *   events.dispatch();
 */
export class Outbox {
  private timer?: NodeJS.Timeout;

  constructor(
    private db: Kysely<any>,
    private bus: EventBus,
    private log: FastifyBaseLogger,
    /** an event not dispatched this long after it was written is taken to be orphaned by a crash */
    private readonly orphanAfterMs = 2000,
  ) {}

  /** Collects the events of one transaction. */
  batch() {
    const written: { id: string; name: EventName; payload: unknown }[] = [];
    return {
      add: async <N extends keyof EventPayloads>(trx: Kysely<any>, name: N, payload: EventPayloads[N]) => {
        const id = newId();
        await trx.insertInto('outbox').values({ id, name, payload: toJson(payload), created_at: nowIso(), dispatched_at: null }).execute();
        written.push({ id, name: name as EventName, payload });
      },
      /** After the commit: hands the events to the consumers. Never throws. */
      dispatch: () => {
        for (const e of written) void this.dispatchOne(e.id, e.name, e.payload);
      },
    };
  }

  /** Records and dispatches one event that needs no other write (in its own small transaction). */
  async publish<N extends keyof EventPayloads>(name: N, payload: EventPayloads[N]) {
    const events = this.batch();
    await this.db.transaction().execute((trx) => events.add(trx, name, payload));
    events.dispatch();
  }

  private async dispatchOne(id: string, name: EventName, payload: unknown) {
    try {
      if (await this.claim(id)) this.bus.emit(name, payload);
    } catch (err) {
      this.log.error({ err, event: name }, 'outbox dispatch failed; the sweep will retry');
    }
  }

  private async claim(id: string) {
    const result = await this.db.updateTable('outbox').set({ dispatched_at: nowIso() }).where('id', '=', id).where('dispatched_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Dispatches events whose writer died before dispatching them; deletes old dispatched ones. */
  async sweep() {
    const before = new Date(Date.now() - this.orphanAfterMs).toISOString();
    const orphans = await this.db.selectFrom('outbox').selectAll().where('dispatched_at', 'is', null).where('created_at', '<', before).orderBy('created_at').limit(500).execute();
    for (const row of orphans) await this.dispatchOne(row.id, row.name, fromJson(row.payload, {}));
    const expired = new Date(Date.now() - 24 * 3_600_000).toISOString();
    await this.db.deleteFrom('outbox').where('dispatched_at', '<', expired).execute();
    return orphans.length;
  }

  start(intervalMs = 1000) {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep().catch((err) => this.log.error({ err }, 'outbox sweep failed')), intervalMs);
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
