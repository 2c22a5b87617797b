import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../../..');
const ADMIN_PASSWORD = 'durability-admin-pass-2026';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The real server (main.ts) in its own process, on an SQLite file in `dataDir`. */
async function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', REDIS_URL: '', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'error', ADMIN_PASSWORD, SEED_DEMO: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

describe('delivery guarantees across a crash', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zhixun-durability-'));
  let child: ChildProcess | undefined;
  after(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('after SIGKILL mid-conversation and a restart on the same data, no acknowledged message is lost or doubled', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = await startServer(dataDir, port);
    const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const key = ((await (await fetch(`${base}/api/v1/api-keys`, { method: 'POST', headers: json(token), body: JSON.stringify({ name: 'durability', scopes: ['channel'] }) })).json()) as { key: string }).key;
    const started = await fetch(`${base}/api/v1/open/conversations`, { method: 'POST', headers: json(key), body: JSON.stringify({ customer: { externalId: 'crash-1' } }) });
    const { conversationId } = (await started.json()) as { conversationId: string };
    // after 转人工 it waits for an agent: every message is stored without a robot turn
    await fetch(`${base}/api/v1/open/conversations/${conversationId}/messages`, { method: 'POST', headers: json(key), body: JSON.stringify({ clientMessageId: 'handoff', text: '转人工' }) });

    const acknowledged = new Set<string>();
    const sent: string[] = [];
    let stop = false;
    const sender = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const id = `lane${lane}-${i}`;
        sent.push(id);
        try {
          const res = await fetch(`${base}/api/v1/open/conversations/${conversationId}/messages`, { method: 'POST', headers: json(key), body: JSON.stringify({ clientMessageId: id, text: `消息 ${id}` }) });
          if (res.status === 201 || res.status === 200) acknowledged.add(id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const lanes = [1, 2, 3, 4].map(sender);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(lanes);
    assert.ok(acknowledged.size > 20, `only ${acknowledged.size} messages were acknowledged before the kill`);

    child = await startServer(dataDir, port);
    const res = await fetch(`${base}/api/v1/open/conversations/${conversationId}/messages?after=0&limit=500`, { headers: json(key) });
    const { messages } = (await res.json()) as { messages: { seq: number; clientMessageId?: string | null }[] };
    let all = messages;
    while (all.length && all.length % 500 === 0) {
      const more = (await (await fetch(`${base}/api/v1/open/conversations/${conversationId}/messages?after=${all.at(-1)!.seq}&limit=500`, { headers: json(key) })).json()) as { messages: typeof messages };
      if (!more.messages.length) break;
      all = [...all, ...more.messages];
    }
    const stored = all.map((m) => m.clientMessageId).filter((id): id is string => Boolean(id));
    for (const id of acknowledged) assert.ok(stored.includes(id), `acknowledged message ${id} was lost`);
    assert.equal(new Set(stored).size, stored.length, 'no message is stored twice');
    assert.deepEqual(all.map((m) => m.seq), all.map((_, i) => i + 1), 'sequence numbers have no gap');

    // what was sent but never acknowledged is sent again by the client: stored once, never twice
    for (const id of sent.filter((s) => !acknowledged.has(s))) {
      const again = await fetch(`${base}/api/v1/open/conversations/${conversationId}/messages`, { method: 'POST', headers: json(key), body: JSON.stringify({ clientMessageId: id, text: `消息 ${id}` }) });
      assert.ok(again.status === 201 || again.status === 200, `resend of ${id}: ${again.status}`);
    }
    const final = (await (await fetch(`${base}/api/v1/open/conversations/${conversationId}/messages?after=0&limit=500`, { headers: json(key) })).json()) as { messages: { clientMessageId?: string | null }[] };
    const ids = final.messages.map((m) => m.clientMessageId).filter(Boolean);
    assert.equal(new Set(ids).size, ids.length, 'resending after the crash doubles nothing');
  });
});
