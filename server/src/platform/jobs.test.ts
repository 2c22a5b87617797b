import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../testing/test-app';
import { AppError } from './errors';
import { DatabaseJobQueue, type JobRecord } from './jobs';

async function until(queue: DatabaseJobQueue, id: string, statuses: string[]): Promise<JobRecord> {
  for (let i = 0; i < 400; i++) {
    const job = await queue.find(id);
    if (job && statuses.includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${id} never reached ${statuses}`);
}

describe('background jobs on the database', () => {
  let t: TestApp;
  const queues: DatabaseJobQueue[] = [];
  const queue = () => {
    const q = new DatabaseJobQueue(t.ctx.db, t.ctx.log, { pollMs: 20 });
    queues.push(q);
    return q;
  };
  before(async () => {
    t = await startTestApp({ seed: false });
  });
  after(async () => {
    for (const q of queues) await q.stop();
    await t?.close();
  });

  it('runs a job with progress and keeps its result', async () => {
    const q = queue();
    q.register('test.sum', async (payload: { numbers: number[] }, run) => {
      await run.progress(50, 'half way');
      return { sum: payload.numbers.reduce((a, b) => a + b, 0) };
    });
    q.start();
    const job = await q.enqueue('test.sum', { numbers: [1, 2, 3] }, { createdBy: 'user:tester' });
    assert.equal(job.status, 'queued');
    const done = await until(q, job.id, ['done']);
    assert.deepEqual(done.result, { sum: 6 });
    assert.equal(done.progress, 100);
    assert.equal(done.createdBy, 'user:tester');
    assert.equal(done.attempts, 1);
  });

  it('records a failure with the error code an API caller understands, and hides internal errors', async () => {
    const q = queue();
    q.register('test.fail', async (payload: { internal: boolean }) => {
      if (payload.internal) throw new Error('secret connection string');
      throw new AppError(400, 'bad_file', '文件不对 / bad file');
    });
    q.start();
    const known = await until(q, (await q.enqueue('test.fail', { internal: false }, { createdBy: 'x' })).id, ['failed']);
    assert.equal(known.error?.code, 'bad_file');
    const internal = await until(q, (await q.enqueue('test.fail', { internal: true }, { createdBy: 'x' })).id, ['failed']);
    assert.equal(internal.error?.code, 'job_failed');
    assert.doesNotMatch(JSON.stringify(internal), /secret/);
  });

  it('runs each job once when several workers share the table', async () => {
    const runs = new Map<number, number>();
    const workers = [queue(), queue(), queue()];
    for (const w of workers) {
      w.register('test.once', async (payload: { n: number }) => {
        runs.set(payload.n, (runs.get(payload.n) ?? 0) + 1);
        await new Promise((resolve) => setImmediate(resolve));
      });
    }
    const ids = [];
    for (let n = 0; n < 30; n++) ids.push((await workers[0].enqueue('test.once', { n }, { createdBy: 'x' })).id);
    for (const w of workers) w.start();
    for (const id of ids) await until(workers[0], id, ['done']);
    assert.equal(runs.size, 30);
    assert.ok([...runs.values()].every((count) => count === 1), JSON.stringify([...runs]));
  });

  it('a job interrupted by a stop is queued again and finished by the next start', async () => {
    const first = queue();
    let release!: () => void;
    first.register('test.long', async (_payload, run) => {
      await new Promise<void>((resolve) => (release = resolve));
      if (run.signal.aborted) throw new Error('stopped');
      return 'first';
    });
    first.start();
    const job = await first.enqueue('test.long', {}, { createdBy: 'x' });
    await until(first, job.id, ['running']);
    const stopping = first.stop();
    release();
    await stopping;
    assert.equal((await first.find(job.id))?.status, 'queued');
    const second = queue();
    second.register('test.long', async () => 'second');
    second.start();
    assert.equal((await until(second, job.id, ['done'])).result, 'second');
  });

  it('a periodic job runs once per interval across instances', async () => {
    let count = 0;
    const a = queue();
    const b = queue();
    for (const q of [a, b]) {
      q.every(200, 'test.sweep', async () => void count++);
      q.start();
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.ok(count >= 2 && count <= 4, `ran ${count} times in 700 ms with a 200 ms interval on two instances`);
  });
});
