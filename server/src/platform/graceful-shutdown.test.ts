import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The real server (main.ts) on its own SQLite folder and port, as an operator starts it. */
async function startServer(drainMs: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zhixun-shutdown-'));
  const port = await freePort();
  const { DATABASE_URL: _postgres, REDIS_URL: _redis, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false', DEMO_PERSONS: '0', ADMIN_PASSWORD: 'admin-pass-for-tests', LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_MS: String(drainMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = () => fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).then(async (res) => ({ status: res.status, body: await res.json() }));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const answer = await ready().catch(() => undefined);
    if (answer?.status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not become ready:\n${output}`);
    await sleep(200);
  }
  return { child, exited, ready, output: () => output, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown of the real server', () => {
  const started: { child: ChildProcess; cleanup(): void }[] = [];
  after(() => {
    for (const s of started) {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
      s.cleanup();
    }
  });

  it('on SIGTERM readiness answers 503 draining while the port still accepts, then the port closes and the process exits 0', async () => {
    const server = await startServer(1500);
    started.push(server);
    server.child.kill('SIGTERM');
    const seen: string[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const answer = await server.ready().catch(() => undefined);
      const what = answer ? `${answer.status} ${answer.body.status}` : 'refused';
      if (seen.at(-1) !== what) seen.push(what);
      if (!answer) break;
      await sleep(100);
    }
    // a first poll may still be answered before the child has handled the signal (a busy machine)
    const afterSignal = seen[0] === '200 ready' ? seen.slice(1) : seen;
    assert.deepEqual(afterSignal, ['503 draining', 'refused'], server.output());
    assert.equal(await server.exited, 0, server.output());
  });

  it('a second signal exits at once, without waiting for the drain', async () => {
    const server = await startServer(60_000);
    started.push(server);
    server.child.kill('SIGTERM');
    await sleep(300);
    assert.equal((await server.ready()).status, 503, 'draining after the first signal');
    const secondAt = Date.now();
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 1);
    assert.ok(Date.now() - secondAt < 5000, 'did not wait for the 60-second drain');
  });
});
