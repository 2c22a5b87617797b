import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { SIGNATURE_HEADER, signBody } from './channel-webhooks';

/** A partner app's endpoint on loopback that records what it receives and answers as told. */
function partnerEndpoint() {
  const received: { body: string; signature: string; delivery: string }[] = [];
  let answer = 500;
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers[SIGNATURE_HEADER]), delivery: String(req.headers['x-zhixun-delivery']) });
      res.statusCode = answer;
      res.end();
    });
  });
  return {
    received,
    answerWith: (status: number) => (answer = status),
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// patient: the first answer builds the robot's index, which takes seconds on a busy CI machine
const until = async (check: () => boolean | Promise<boolean>, label: string) => {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`never happened: ${label}`);
};

describe('webhooks of the open channel API', () => {
  let t: TestApp;
  const partner = partnerEndpoint();
  let url: string;
  before(async () => {
    t = await startTestApp();
    url = await partner.listen();
  });
  after(async () => {
    await t?.close();
    await partner.close();
  });

  it('pushes new robot and agent messages, signed; a refused delivery is retried later and shows in the console', async () => {
    const admin = await t.adminToken();
    const created = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: 'hooked app', scopes: ['channel'] } })).json();
    const set = await t.app.inject({ method: 'PUT', url: `/api/v1/api-keys/${created.id}/webhook`, headers: bearer(admin), payload: { url } });
    assert.equal(set.statusCode, 200, set.body);
    const { secret } = set.json();
    assert.match(secret, /^whsec_/);
    const shown = (await t.app.inject({ url: `/api/v1/api-keys/${created.id}/webhook`, headers: bearer(admin) })).body;
    assert.ok(!shown.includes(secret), 'the secret is shown once');
    const stored = await t.ctx.db.selectFrom('channel_webhooks').select('secret').where('api_key_id', '=', created.id).executeTakeFirstOrThrow();
    assert.ok(!stored.secret.includes(secret.slice(6)), 'the secret is stored encrypted');
    const bad = await t.app.inject({ method: 'PUT', url: `/api/v1/api-keys/${created.id}/webhook`, headers: bearer(admin), payload: { url: 'ftp://example/x' } });
    assert.equal(bad.statusCode, 400);

    const key = created.key;
    const { conversationId } = (await t.app.inject({ method: 'POST', url: '/api/v1/open/conversations', headers: bearer(key), payload: { customer: { externalId: 'hook-user' } } })).json();
    partner.answerWith(500); // the app is down at first
    await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${conversationId}/messages`, headers: bearer(key), payload: { clientMessageId: 'q1', text: '失业金怎么领' } });
    await until(() => partner.received.length >= 2, 'the welcome and the robot’s answer were attempted');
    for (const r of partner.received) assert.equal(r.signature, signBody(secret, r.body), 'every body is signed with the secret');
    const bodies = partner.received.map((r) => JSON.parse(r.body));
    assert.ok(bodies.every((b) => b.message.sender !== 'customer'), 'the app’s own messages are not echoed back');
    assert.ok(bodies.some((b) => b.message.sender === 'robot' && b.conversationId === conversationId));

    const failing = (await t.app.inject({ url: `/api/v1/api-keys/${created.id}/webhook`, headers: bearer(admin) })).json();
    await until(async () => (await t.app.inject({ url: `/api/v1/api-keys/${created.id}/webhook`, headers: bearer(admin) })).json().deliveries.some((d: any) => d.lastError === 'HTTP 500'), 'the failure is recorded');
    assert.ok(failing.deliveries.length >= 1);
    const retries = await t.ctx.db.selectFrom('jobs').select(['run_at']).where('kind', '=', 'conversations.webhook').where('status', '=', 'queued').execute();
    assert.ok(retries.length >= 1 && retries.every((j) => j.run_at && j.run_at > new Date().toISOString()), 'the retries wait (back-off)');

    // the app is back; the retries come due
    partner.answerWith(204);
    await t.ctx.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000).toISOString() }).where('kind', '=', 'conversations.webhook').where('status', '=', 'queued').execute();
    await until(async () => {
      const hook = (await t.app.inject({ url: `/api/v1/api-keys/${created.id}/webhook`, headers: bearer(admin) })).json();
      return hook.deliveries.length >= 2 && hook.deliveries.every((d: any) => d.status === 'delivered');
    }, 'every delivery is delivered after the retry');
    const deliveryIds = partner.received.map((r) => r.delivery);
    assert.ok(new Set(deliveryIds).size < deliveryIds.length, 'the retry carries the same delivery id, so the app can de-duplicate');
  });
});
