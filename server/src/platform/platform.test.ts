import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bearer, startTestApp } from '../testing/test-app';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('a bad value stops start-up with a message naming the variable', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), (err: Error) => err instanceof ConfigError && /PORT/.test(err.message));
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL/);
    assert.throws(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '-1' }), /RATE_LIMIT_PER_MINUTE/);
  });

  it('defaults match the documented environment contract', () => {
    const config = loadConfig({});
    assert.equal(config.PORT, 3000);
    assert.equal(config.DATA_DIR, './data');
    assert.ok(config.RATE_LIMIT_PER_MINUTE > 0);
  });
});

describe('rate limits', () => {
  it('an anonymous client over its limit gets 429 with a code; a signed-in agent has more room', async () => {
    const t = await startTestApp({ seed: false, env: { RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await t.app.inject({ url: '/api/v1/kb/categories' })).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      const limited = await t.app.inject({ url: '/api/v1/kb/categories' });
      assert.equal(limited.json().error.code, 'rate_limited');
      const agent = await t.tokenFor(['agent']);
      for (let i = 0; i < 7; i++) assert.equal((await t.app.inject({ url: '/api/v1/kb/categories', headers: bearer(agent) })).statusCode, 200);
      assert.equal((await t.app.inject({ url: '/api/v1/health' })).statusCode, 200, 'health checks are never limited');
    } finally {
      await t.close();
    }
  });

  it('an API key has its own limit', async () => {
    const t = await startTestApp({ seed: false, env: { RATE_LIMIT_PER_MINUTE: '1000' } });
    try {
      const admin = await t.adminToken();
      const { key } = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: 'tiny', scopes: ['kb:read'], rateLimitPerMinute: 2 } })).json();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await t.app.inject({ url: '/api/v1/kb/categories', headers: bearer(key) })).statusCode);
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      await t.close();
    }
  });
});

describe('errors', () => {
  it('malformed JSON is a 400 with a code, unknown routes a 404 with a code', async () => {
    const t = await startTestApp({ seed: false });
    try {
      const admin = await t.adminToken();
      const bad = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { ...bearer(admin), 'content-type': 'application/json' }, payload: '{"username":' });
      assert.equal(bad.statusCode, 400);
      assert.ok(bad.json().error.code);
      const missing = await t.app.inject({ url: '/api/v1/nope' });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'route_not_found');
    } finally {
      await t.close();
    }
  });
});

it('accepts only real calendar dates', async () => {
  const { isCalendarDate } = await import('./dates');
  for (const ok of ['2025-02-28', '2024-02-29', '2099-12-31', '1960-01-01']) assert.equal(isCalendarDate(ok), true, ok);
  for (const bad of ['2025-02-30', '2025-99-99', '2099-02-30', '2023-02-29', '2025-04-31', '2025-1-01', '20250101', '2025-00-10', '']) {
    assert.equal(isCalendarDate(bad), false, bad);
  }
});
