import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { loadConfig } from './config';

const redisUrl = loadConfig().TEST_REDIS_URL;

describe('two instances behind a load balancer (shared database, Redis)', { skip: redisUrl ? false : 'TEST_REDIS_URL not set' }, () => {
  let first: TestApp;
  let second: TestApp;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'zhixun-scale-'));
    const env = { REDIS_URL: redisUrl!, DATA_DIR: dataDir };
    first = await startTestApp({ env });
    second = await startTestApp({ env, shareDatabaseWith: first, seed: false });
  });
  after(async () => {
    await second?.close();
    await first?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an answer approved on one instance is served by the other', async () => {
    const editor = await first.tokenFor(['editor'], 'scale-editor');
    const reviewer = await first.tokenFor(['reviewer'], 'scale-reviewer');
    const current = (await first.app.inject({ url: '/api/v1/kb/manage/entries/yl-001', headers: bearer(editor) })).json();
    await first.app.inject({ method: 'PUT', url: '/api/v1/kb/manage/entries/yl-001', headers: bearer(editor), payload: { ...current.latest, answer: '经负载均衡另一台实例发布的答案', baseVersion: current.latestVersion } });
    await first.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-001/submit', headers: bearer(editor) });
    // the reviewer's request lands on the other instance
    const approved = await second.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-001/approve', headers: bearer(reviewer), payload: {} });
    assert.equal(approved.statusCode, 200);
    let served = '';
    for (let i = 0; i < 50 && served !== '经负载均衡另一台实例发布的答案'; i++) {
      served = (await first.app.inject({ url: '/api/v1/kb/entries/yl-001' })).json().answer;
      if (served !== '经负载均衡另一台实例发布的答案') await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(served, '经负载均衡另一台实例发布的答案');
  });

  it('a session opened on one instance works on the other', async () => {
    const token = await first.tokenFor(['agent'], 'scale-agent');
    const me = await second.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
    assert.equal(me.json().username, 'scale-agent');
  });
});
