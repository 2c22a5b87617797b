import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { loadConfig } from './config';

const TOKEN = 'scrape-token-for-tests-0123456789';

/** The value of one sample line (`name{labels} value`) in a Prometheus exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('/metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } })));
  after(() => t.close());
  const scrape = () => t.app.inject({ url: '/metrics', headers: bearer(TOKEN) });

  it('answers only to the token, even from this machine', async () => {
    assert.equal((await t.app.inject({ url: '/metrics' })).statusCode, 401);
    const wrong = await t.app.inject({ url: '/metrics', headers: bearer(`${TOKEN}x`) });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().error.code, 'metrics_token_wrong');
    const res = await t.app.inject({ url: '/metrics', headers: bearer(TOKEN), remoteAddress: '203.0.113.9' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
    assert.ok(sample(res.body, 'process_cpu_user_seconds_total')! >= 0, 'default process metrics');
  });

  it('counts requests by route pattern and status class, never by raw URL', async () => {
    const entries = (await t.app.inject({ url: '/api/v1/kb/entries?pageSize=1' })).json();
    const id = entries.items[0].id as string;
    for (let i = 0; i < 3; i++) assert.equal((await t.app.inject({ url: `/api/v1/kb/entries/${id}` })).statusCode, 200);
    await t.app.inject({ url: '/api/v1/kb/entries/no-such-entry' });
    await t.app.inject({ url: '/api/v1/nothing/here/at-all' });
    const text = (await scrape()).body;
    assert.equal(sample(text, 'http_requests_total', { method: 'GET', route: '/api/v1/kb/entries/:id', status: '2xx' }), 3);
    assert.equal(sample(text, 'http_requests_total', { route: '/api/v1/kb/entries/:id', status: '4xx' }), 1);
    assert.equal(sample(text, 'http_requests_total', { route: 'unmatched', status: '4xx' }), 1);
    assert.equal(sample(text, 'http_request_duration_seconds_count', { route: '/api/v1/kb/entries/:id', status: '2xx' }), 3);
    assert.ok(!text.includes(id), 'the entry id never becomes a label');
  });

  it('counts robot decisions by type and shows the platform gauges', async () => {
    for (const question of ['失业保险金怎么领取', 'zzqx blorf']) {
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question } })).statusCode, 200);
    }
    const text = (await scrape()).body;
    const decisions = ['answer', 'clarify', 'fallback', 'handoff'].reduce((sum, decision) => sum + (sample(text, 'robot_decisions_total', { decision }) ?? 0), 0);
    assert.equal(decisions, 2);
    assert.ok(sample(text, 'jobs', { status: 'queued' })! >= 0);
    assert.ok(sample(text, 'jobs', { status: 'failed' })! >= 0);
    assert.ok(sample(text, 'outbox_pending_events')! >= 0);
    assert.ok(sample(text, 'outbox_oldest_pending_seconds')! >= 0);
    assert.equal(sample(text, 'realtime_connections'), 0);
    if (t.dialect === 'postgres') assert.ok(sample(text, 'db_pool_connections', { state: 'total' })! >= 1);
    else assert.equal(sample(text, 'db_pool_connections', { state: 'total' }), undefined);
  });

  it('shows how many conversations wait for an agent and how long the longest-waiting one has waited', async () => {
    assert.equal(sample((await scrape()).body, 'conversations_longest_wait_seconds'), 0, 'nobody waits yet');
    assert.equal(sample((await scrape()).body, 'conversations_waiting', { kind: 'live' }), 0);
    const admin = await t.adminToken();
    const key = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: 'metrics test', scopes: ['channel'] } })).json().key as string;
    const started = await t.app.inject({ method: 'POST', url: '/api/v1/open/conversations', headers: bearer(key), payload: { customer: { externalId: 'metrics-1' } } });
    const id = started.json().conversationId as string;
    await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${id}/messages`, headers: bearer(key), payload: { clientMessageId: 'm-1', text: '转人工' } });
    assert.equal((await t.app.inject({ url: `/api/v1/open/conversations/${id}`, headers: bearer(key) })).json().status, 'queued');
    // as if the citizen had been waiting for two minutes
    await t.ctx.db.updateTable('conversations').set({ queued_at: new Date(Date.now() - 120_000).toISOString() }).where('id', '=', id).execute();
    const text = (await scrape()).body;
    const waited = sample(text, 'conversations_longest_wait_seconds')!;
    assert.ok(waited >= 120 && waited < 180, String(waited));
    assert.equal(sample(text, 'conversations_waiting', { kind: 'live' }), 1);
    assert.equal(sample(text, 'conversations_waiting', { kind: 'left_message' }), 0);
  });

  it('keeps a plain X-Request-Id and replaces anything else', async () => {
    const kept = await t.app.inject({ url: '/api/v1/health/live', headers: { 'x-request-id': 'lb-7f3a.2_x' } });
    assert.equal(kept.headers['x-request-id'], 'lb-7f3a.2_x');
    const replaced = await t.app.inject({ url: '/api/v1/health/live', headers: { 'x-request-id': 'bad id\nforged log line' } });
    assert.match(replaced.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
    const generated = await t.app.inject({ url: '/api/v1/health/live' });
    assert.match(generated.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
    assert.notEqual(generated.headers['x-request-id'], replaced.headers['x-request-id']);
  });
});

describe('/metrics without a token, and health', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp({ seed: false })));
  after(() => t.close());

  it('answers callers on this machine only, and not through a proxy', async () => {
    assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode, 200);
    const outside = await t.app.inject({ url: '/metrics', remoteAddress: '10.1.2.3' });
    assert.equal(outside.statusCode, 403);
    assert.equal(outside.json().error.code, 'metrics_local_only');
    assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.4' } })).statusCode, 403);
  });

  it('liveness is always 200; readiness turns 503 draining once shutdown begins', async () => {
    assert.deepEqual((await t.app.inject({ url: '/api/v1/health/ready' })).json(), { status: 'ready' });
    assert.equal((await t.app.inject({ url: '/api/v1/health' })).json().status, 'ok');
    t.app.readiness.startDraining();
    const ready = await t.app.inject({ url: '/api/v1/health/ready' });
    assert.equal(ready.statusCode, 503);
    assert.deepEqual(ready.json(), { status: 'draining' });
    const live = await t.app.inject({ url: '/api/v1/health/live' });
    assert.equal(live.statusCode, 200);
    assert.deepEqual(live.json(), { status: 'live' });
  });
});

describe('readiness without a database', () => {
  it('answers 503 unavailable when the database does not answer', async () => {
    const t = await startTestApp({ seed: false });
    try {
      await t.ctx.database.close();
      const ready = await t.app.inject({ url: '/api/v1/health/ready' });
      assert.equal(ready.statusCode, 503);
      assert.deepEqual(ready.json(), { status: 'unavailable' });
    } finally {
      await t.app.close();
    }
  });
});

describe('operations settings', () => {
  it('refuses a guessably short metrics token and an unbounded drain', () => {
    assert.throws(() => loadConfig({ METRICS_TOKEN: 'secret' }), /METRICS_TOKEN/);
    assert.throws(() => loadConfig({ SHUTDOWN_DRAIN_MS: '-1' }), /SHUTDOWN_DRAIN_MS/);
    assert.equal(loadConfig({}).SHUTDOWN_DRAIN_MS, 5000);
  });
});
