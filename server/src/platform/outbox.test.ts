import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EVENTS } from '../../../common/events';
import { startTestApp, type TestApp } from '../testing/test-app';
import { Outbox } from './outbox';

describe('the event outbox', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ seed: false });
  });
  after(async () => t?.close());

  const received = (name: string) => {
    const seen: unknown[] = [];
    t.ctx.events.on(name as any, (p) => seen.push(p));
    return seen;
  };

  it('an event is dispatched once after its transaction commits, and never when it rolls back', async () => {
    const seen = received(EVENTS.agentStatusChanged);
    const committed = t.ctx.outbox.batch();
    await t.ctx.db.transaction().execute((trx) => committed.add(trx, EVENTS.agentStatusChanged, { userId: 'u-commit', status: 'online' }));
    committed.dispatch();
    const rolledBack = t.ctx.outbox.batch();
    await assert.rejects(
      t.ctx.db.transaction().execute(async (trx) => {
        await rolledBack.add(trx, EVENTS.agentStatusChanged, { userId: 'u-rollback', status: 'online' });
        throw new Error('the change failed');
      }),
    );
    rolledBack.dispatch();
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen, [{ userId: 'u-commit', status: 'online' }]);
  });

  it('an event whose writer died after the commit is dispatched by the sweep, once, on one of several instances', async () => {
    const seen = received(EVENTS.agentStatusChanged);
    const orphaned = t.ctx.outbox.batch();
    await t.ctx.db.transaction().execute((trx) => orphaned.add(trx, EVENTS.agentStatusChanged, { userId: 'u-orphan', status: 'away' }));
    // no dispatch(): the process "died" here; a moment later the sweeps find it orphaned
    await new Promise((r) => setTimeout(r, 20));
    const sweeper = new Outbox(t.ctx.db, t.ctx.events, t.ctx.log, 0);
    const another = new Outbox(t.ctx.db, t.ctx.events, t.ctx.log, 0);
    await Promise.all([sweeper.sweep(), another.sweep(), sweeper.sweep()]);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(seen.filter((p: any) => p.userId === 'u-orphan'), [{ userId: 'u-orphan', status: 'away' }]);
  });
});
