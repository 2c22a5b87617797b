import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from './config';
import { AppError } from './errors';
import type { JobQueue, JobRecord } from './jobs';
import { BullJobQueue } from './jobs-bullmq';

const redisUrl = loadConfig().TEST_REDIS_URL;
const log = pino({ level: 'silent' });

async function until(queue: JobQueue, id: string, statuses: string[]): Promise<JobRecord> {
  for (let i = 0; i < 200; i++) {
    const job = await queue.find(id);
    if (job && statuses.includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job ${id} never reached ${statuses}`);
}

describe('background jobs on Redis (BullMQ)', { skip: redisUrl ? false : 'TEST_REDIS_URL not set' }, () => {
  // a prefix of its own: other test runs on the same Redis never see these jobs
  const prefix = `zhixun-test:${randomBytes(4).toString('hex')}`;
  const queues: BullJobQueue[] = [];
  const queue = () => {
    const q = new BullJobQueue(redisUrl!, log, prefix);
    queues.push(q);
    return q;
  };
  after(async () => {
    for (const q of queues) await q.stop();
  });

  it('runs a job with progress and keeps its result; an application error keeps its code', async () => {
    const q = queue();
    q.register('test.sum', async (payload: { numbers: number[] }, run) => {
      await run.progress(50, 'half way');
      return { sum: payload.numbers.reduce((a, b) => a + b, 0) };
    });
    q.register('test.refuse', async () => {
      throw new AppError(400, 'invalid_file', '文件无效 / invalid file');
    });
    q.start();
    const job = await q.enqueue('test.sum', { numbers: [1, 2, 3] }, { createdBy: 'user:tester' });
    const done = await until(q, job.id, ['done']);
    assert.deepEqual(done.result, { sum: 6 });
    assert.equal(done.progress, 100);
    assert.equal(done.createdBy, 'user:tester');
    const refused = await q.enqueue('test.refuse', {}, { createdBy: 'user:tester' });
    const failed = await until(q, refused.id, ['failed']);
    assert.equal(failed.error?.code, 'invalid_file');
  });

  it('a job with a start time waits for it; each job runs once with two workers', async () => {
    const runs: string[] = [];
    const [a, b] = [queue(), queue()];
    for (const q of [a, b]) {
      q.register('test.once', async (payload: { n: number }) => void runs.push(String(payload.n)));
      q.start();
    }
    const later = await a.enqueue('test.once', { n: 0 }, { createdBy: 'system', runAt: new Date(Date.now() + 3000).toISOString() });
    const jobs = await Promise.all(Array.from({ length: 10 }, (_, i) => a.enqueue('test.once', { n: i + 1 }, { createdBy: 'system' })));
    for (const j of jobs) await until(a, j.id, ['done']);
    assert.ok(!runs.includes('0'), 'the delayed job has not run yet');
    // what the metrics scrape reads (the `jobs` gauge): the delayed job still counts as queued
    assert.deepEqual(await a.countsByStatus(), { queued: 1, running: 0, done: 10, failed: 0 });
    await until(a, later.id, ['done']);
    assert.deepEqual(runs.sort((x, y) => Number(x) - Number(y)), Array.from({ length: 11 }, (_, i) => String(i)));
  });
});
