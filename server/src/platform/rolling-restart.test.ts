import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { loadConfig } from './config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const config = loadConfig();
const redisUrl = config.TEST_REDIS_URL;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What the instances share: a PostgreSQL schema (when the suite runs on PostgreSQL) or one SQLite file, and Redis. */
function sharedEnvironment() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zhixun-rolling-'));
  const { DATABASE_URL: _database, REDIS_URL: _redis, DATABASE_SCHEMA: _schema, ...inherited } = process.env;
  const database = config.TEST_DATABASE_URL
    ? // a schema named like the test apps' ones, which scripts/test.mjs drops after the run
      { DATABASE_URL: config.TEST_DATABASE_URL, DATABASE_SCHEMA: `t_${randomBytes(6).toString('hex')}` }
    : {};
  const env = {
    ...inherited,
    ...database,
    DATA_DIR: dataDir,
    REDIS_URL: redisUrl!,
    HOST: '127.0.0.1',
    SEED_DEMO: 'true',
    DEMO_PERSONS: '0',
    ADMIN_PASSWORD: 'admin-pass-for-tests',
    SECRETS_KEY: randomBytes(32).toString('hex'),
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    // long enough for the balancer (polling every 100 ms) to stop sending before the port closes
    SHUTDOWN_DRAIN_MS: process.env.ROLLING_RESTART_DRAIN_MS ?? '3000',
  };
  return { env, cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** One instance of the real server (main.ts), as an operator runs it behind a load balancer. */
class Instance {
  child?: ChildProcess;
  output = '';
  pids: number[] = [];
  constructor(
    readonly name: string,
    readonly port: number,
    private env: NodeJS.ProcessEnv,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: root, env: { ...this.env, PORT: String(this.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.pids.push(child.pid!);
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    const deadline = Date.now() + 120_000;
    while (!(await fetch(`${this.url}/api/v1/health/ready`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${this.name} did not become ready:\n${this.output}`);
      await sleep(200);
    }
    // the robot builds its index on its first question: before the balancer sends it citizens
    await fetch(`${this.url}/api/v1/robot/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '养老保险交多少' }) });
  }

  /** SIGTERM, as an orchestrator does, and the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child!;
    if (child.exitCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  }
}

/**
 * A load balancer as operators configure one: it polls each instance's readiness and sends new
 * requests only to ready ones, round robin. A request it cannot deliver is answered 502 (it does not
 * retry a POST itself); the client retries, as the widget does, with the same clientMessageId.
 */
function loadBalancer(instances: Instance[]) {
  const isReady = new Map(instances.map((i) => [i, false]));
  const servedBy = new Map<string, number>();
  let next = 0;
  let isPolling = true;
  const poll = async () => {
    while (isPolling) {
      await Promise.all(instances.map(async (i) => isReady.set(i, await fetch(`${i.url}/api/v1/health/ready`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false))));
      await sleep(100);
    }
  };
  const polling = poll();
  const server = http.createServer((request, response) => {
    const ready = instances.filter((i) => isReady.get(i));
    if (ready.length === 0) return void response.writeHead(503).end();
    const target = ready[next++ % ready.length];
    const upstream = http.request(`${target.url}${request.url}`, { method: request.method, headers: request.headers, agent: false }, (answer) => {
      servedBy.set(target.name, (servedBy.get(target.name) ?? 0) + 1);
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502).end();
      else response.destroy();
    });
    request.pipe(upstream);
  });
  return {
    server,
    servedBy,
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      isPolling = false;
      await polling;
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

interface WireMessage {
  seq: number;
  sender: string;
  clientMessageId?: string | null;
}

describe('a rolling restart of two instances behind a load balancer', { skip: redisUrl ? false : 'TEST_REDIS_URL not set (instances share events through Redis)' }, () => {
  const shared = redisUrl ? sharedEnvironment() : undefined;
  const instances: Instance[] = [];
  after(async () => {
    for (const instance of instances) if (instance.child?.exitCode === null) instance.child.kill('SIGKILL');
    shared?.cleanup();
  });

  it('citizens chatting all through it see no failed send, lose no message and get none twice; every question has its answer', async () => {
    for (const name of ['A', 'B']) instances.push(new Instance(name, await freePort(), shared!.env));
    // one after the other: the first start migrates and loads the demo knowledge base
    for (const instance of instances) await instance.start();
    const balancer = loadBalancer(instances);
    const base = await balancer.listen();

    const questions = ['养老保险交多少', '失业金怎么领', '社保卡丢了怎么办', '退休年龄是多少', '工伤怎么认定', '医保报销比例'];
    let isChatting = true;
    let retries = 0;
    /** One citizen: a widget session and conversation, then questions one after another until told to stop. */
    const citizen = async (n: number) => {
      const send = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
        // a failed send is sent again, unchanged, until it is answered (the widget's outbox does the same)
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) }).catch(() => undefined);
          if (res && res.status < 500) {
            if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
            return res.json();
          }
          retries++;
          assert.ok(attempt < 100, `${url} failed 100 times`);
          await sleep(100);
        }
      };
      const { visitorToken } = await send('/api/v1/widget/sessions', { siteKey: 'portal' });
      const headers = { 'x-visitor-token': visitorToken };
      const { conversation } = await send('/api/v1/widget/conversations', { siteKey: 'portal' }, headers);
      const sent: string[] = [];
      while (isChatting) {
        const clientMessageId = `c${n}-${sent.length}`;
        await send(`/api/v1/widget/conversations/${conversation.id}/messages`, { clientMessageId, text: questions[(n + sent.length) % questions.length] }, headers);
        sent.push(clientMessageId);
        await sleep(50);
      }
      return { conversationId: conversation.id as string, headers, sent };
    };
    const chatting = Promise.all(Array.from({ length: 6 }, (_, n) => citizen(n)));

    await sleep(2000);
    const exitCodes: (number | null)[] = [];
    for (const instance of instances) {
      const servedBefore = balancer.servedBy.get(instance.name) ?? 0;
      assert.ok(servedBefore > 0, `${instance.name} served requests before its restart`);
      exitCodes.push(await instance.stop());
      await instance.start();
      await sleep(1500); // the balancer sees it ready again and sends it citizens
    }
    isChatting = false;
    const citizens = await chatting;
    await balancer.close();

    assert.deepEqual(exitCodes, [0, 0], 'each instance drained and exited cleanly');
    for (const instance of instances) assert.equal(new Set(instance.pids).size, 2, `${instance.name} was restarted`);
    let total = 0;
    for (const { conversationId, headers, sent } of citizens) {
      // read straight from an instance (the balancer is gone), page after page
      const messages: WireMessage[] = [];
      for (;;) {
        const res = await fetch(`${instances[0].url}/api/v1/widget/conversations/${conversationId}/messages?after=${messages.at(-1)?.seq ?? 0}&limit=500`, { headers });
        const page = ((await res.json()) as { messages: WireMessage[] }).messages;
        if (page.length === 0) break;
        messages.push(...page);
      }
      const fromCitizen = messages.filter((m) => m.sender === 'customer');
      assert.deepEqual(fromCitizen.map((m) => m.clientMessageId), sent, 'each message stored once, in the order sent');
      // every question is followed by an answer before the next question
      messages.forEach((m, i) => {
        if (m.sender !== 'customer') return;
        assert.ok(messages[i + 1] && messages[i + 1].sender !== 'customer', `question ${m.clientMessageId} has its answer`);
      });
      assert.deepEqual(messages.map((m) => m.seq), messages.map((_, i) => i + 1), 'no gap in the sequence');
      total += sent.length;
    }
    console.log(`# rolling restart: ${total} messages from ${citizens.length} citizens, ${retries} sends retried, served by ${JSON.stringify(Object.fromEntries(balancer.servedBy))}`);
    assert.ok(total >= citizens.length * 5, `the citizens kept chatting (${total} messages)`);
    // draining: the balancer stopped sending to each instance before it closed, so no send failed at all
    assert.equal(retries, 0, 'sends that failed and had to be retried');
  });
});
