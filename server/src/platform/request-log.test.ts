import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../testing/test-app';

describe('request log lines', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  before(async () => {
    const logStream = new PassThrough();
    logStream.on('data', (chunk) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    });
    t = await startTestApp({ env: { LOG_LEVEL: 'info' }, logStream, seed: false });
  });
  after(() => t.close());

  it('about one conversation carry its id beside the request id, so it can be followed across instances', async () => {
    const session = (await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { siteKey: 'portal' } })).json();
    const started = await t.app.inject({ method: 'POST', url: '/api/v1/widget/conversations', headers: { 'x-visitor-token': session.visitorToken }, payload: { siteKey: 'portal' } });
    const id = started.json().conversation.id as string;
    const read = await t.app.inject({ url: `/api/v1/widget/conversations/${id}`, headers: { 'x-visitor-token': session.visitorToken, 'x-request-id': 'follow-me-1' } });
    assert.equal(read.statusCode, 200);
    const completed = lines.find((line) => line.reqId === 'follow-me-1' && line.msg === 'request completed');
    assert.ok(completed, 'the request logged its completion');
    assert.equal(completed.conversationId, id);
    // a request about no conversation carries none
    await t.app.inject({ url: '/api/v1/health/live', headers: { 'x-request-id': 'follow-me-2' } });
    const other = lines.find((line) => line.reqId === 'follow-me-2' && line.msg === 'request completed');
    assert.ok(other && !('conversationId' in other));
  });
});
