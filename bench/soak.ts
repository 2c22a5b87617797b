// npm run bench:soak [-- --minutes N] [--rate N] [--quick]
// A steady load for a long time, to find what only time shows: memory that grows, an event loop that
// slows, errors that appear after a while. The platform runs as its own process (server/src/main.ts,
// SQLite in a temporary data folder); this process offers a steady rate of work:
// - citizens asking the robot (POST /api/v1/robot/ask), and
// - widget conversations: a citizen asks the robot, asks for a person (转人工), an agent answers
//   through the workspace API, and closes the conversation; then the citizen starts anew.
// Every 10 s it reads the server's own figures from /metrics (resident memory, heap used, event-loop
// delay p99 since the last read, requests answered with 5xx). The first minute after warm-up is the
// baseline measured in the same run: the report gives the last minute against it, and the heap's
// trend over the whole run (least squares, MB per hour). Loopback only; bounded in time.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const isQuick = args.includes('--quick');
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);

const plan = {
  minutes: flag('--minutes', isQuick ? 1 : 10),
  /** operations offered per second, half robot questions and half conversation steps */
  rate: flag('--rate', 20),
  warmupSeconds: isQuick ? 10 : 30,
  sampleSeconds: 10,
  citizens: 40,
  agents: 4,
};
/** What a healthy run stays within: heap trend, event-loop delay p99, errors. */
const TARGETS = { heapGrowthMbPerHour: 50, loopP99Ms: 100, errors: 0 };
const ADMIN_PASSWORD = `soak-admin-${randomBytes(6).toString('hex')}`;
const METRICS_TOKEN = randomBytes(16).toString('hex');
const AGENT_PASSWORD = 'soak-agent-pass-2026-x';
const SERVER_LOG = path.join(os.tmpdir(), 'zhixun-bench-soak-server.log');
const TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** Development questions the knowledge base answers (the same file the robot is tuned on). */
function questions(): string[] {
  const dir = path.join(root, 'server/seed/robot-dev');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') && f !== 'staff.jsonl')
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { q: string; expect: string | null }))
    .filter((x) => x.expect !== null && !/人工/.test(x.q))
    .map((x) => x.q);
}
const QUESTIONS = questions();
let questionIndex = 0;
const nextQuestion = () => QUESTIONS[questionIndex++ % QUESTIONS.length];

// ───────── the server ─────────

async function startServer(port: number): Promise<{ child: ChildProcess; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zhixun-bench-soak-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD,
      METRICS_TOKEN,
      SEED_DEMO: 'true',
      // the 10,000 demo citizens load as a background job: not what this run measures
      DEMO_PERSONS: '0',
      SHUTDOWN_DRAIN_MS: '0',
    },
    stdio: ['ignore', openSync(SERVER_LOG, 'w'), 'inherit'],
  });
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} (log: ${SERVER_LOG})`);
    if (await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`).then((r) => r.ok, () => false)) return { child, dataDir };
    await sleep(250);
  }
  throw new Error('server did not start');
}

// ───────── the client ─────────

let base = '';
/** Failed operations by kind (`POST /api/v1/robot/ask 503`, `timeout`), over the whole run. */
const errors = new Map<string, number>();
/** Latencies (ms) of the current sample window. */
let windowLatencies: number[] = [];
let windowOps = 0;

async function call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T | undefined> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    windowLatencies.push(performance.now() - started);
    windowOps++;
    if (!res.ok) {
      const key = `${method} ${url.replace(/[0-9a-f-]{20,}/g, ':id')} ${res.status}`;
      errors.set(key, (errors.get(key) ?? 0) + 1);
      return undefined;
    }
    return (text ? JSON.parse(text) : null) as T;
  } catch (err) {
    const key = (err as Error).name === 'TimeoutError' ? `${method} timeout` : `${method} ${(err as Error).message}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
    return undefined;
  }
}

interface Citizen {
  visitorToken?: string;
  conversationId?: string;
  asked: number;
  isBusy: boolean;
}
interface Agent {
  token: string;
  /** agent replies per conversation, to close after two */
  replies: Map<string, number>;
}

/** One step of a widget citizen: start a conversation, ask the robot, or ask for a person. */
async function citizenStep(citizen: Citizen) {
  if (citizen.isBusy) return;
  citizen.isBusy = true;
  try {
    if (!citizen.visitorToken) {
      const session = await call<{ visitorToken: string }>('POST', '/api/v1/widget/sessions', { siteKey: 'portal' });
      citizen.visitorToken = session?.visitorToken;
      return;
    }
    const headers = { 'x-visitor-token': citizen.visitorToken };
    if (citizen.conversationId) {
      const view = await call<{ status: string }>('GET', `/api/v1/widget/conversations/${citizen.conversationId}`, undefined, headers);
      if (!view || view.status === 'resolved') citizen.conversationId = undefined;
      else if (view.status !== 'bot') return; // waiting for or talking with an agent: the agent side moves it on
    }
    if (!citizen.conversationId) {
      const started = await call<{ conversation: { id: string } }>('POST', '/api/v1/widget/conversations', { siteKey: 'portal' }, headers);
      citizen.conversationId = started?.conversation.id;
      citizen.asked = 0;
      return;
    }
    const text = citizen.asked >= 2 ? '转人工' : nextQuestion();
    citizen.asked++;
    await call('POST', `/api/v1/widget/conversations/${citizen.conversationId}/messages`, { clientMessageId: randomBytes(8).toString('hex'), text }, headers);
  } finally {
    citizen.isBusy = false;
  }
}

/** An agent's round: answer each assigned conversation whose last word is the citizen's; close after two answers. */
async function agentRound(agent: Agent) {
  const auth = { authorization: `Bearer ${agent.token}` };
  const mine = await call<{ items: { id: string; lastSeq: number }[] }>('GET', '/api/v1/agent/conversations', undefined, auth);
  for (const conversation of mine?.items ?? []) {
    const replies = agent.replies.get(conversation.id) ?? 0;
    if (replies >= 2) {
      await call('POST', `/api/v1/agent/conversations/${conversation.id}/close`, { category: 'other', summary: '压力测试：坐席已答复' }, auth);
      agent.replies.delete(conversation.id);
      continue;
    }
    const detail = await call<{ messages: { sender: string }[] }>('GET', `/api/v1/agent/conversations/${conversation.id}`, undefined, auth);
    if (detail?.messages.at(-1)?.sender !== 'agent') {
      await call('POST', `/api/v1/agent/conversations/${conversation.id}/messages`, { text: '您好，请带上身份证到就近的社保经办窗口办理。' }, auth);
      agent.replies.set(conversation.id, replies + 1);
    }
  }
}

async function setUp(): Promise<{ citizens: Citizen[]; agents: Agent[] }> {
  const login = async (username: string, password: string) => (await call<{ token: string }>('POST', '/api/v1/auth/login', { username, password }))?.token;
  const admin = await login('admin', ADMIN_PASSWORD);
  if (!admin) throw new Error('admin sign-in failed');
  const agents: Agent[] = [];
  for (let i = 0; i < plan.agents; i++) {
    const username = `soak-agent-${i}`;
    await call('POST', '/api/v1/users', { username, password: AGENT_PASSWORD, roles: ['agent'], displayName: `坐席${i}` }, { authorization: `Bearer ${admin}` });
    const token = await login(username, AGENT_PASSWORD);
    if (!token) throw new Error(`agent ${username} sign-in failed`);
    await call('PUT', '/api/v1/agent/status', { status: 'online', maxChats: 10 }, { authorization: `Bearer ${token}` });
    agents.push({ token, replies: new Map() });
  }
  return { citizens: Array.from({ length: plan.citizens }, () => ({ asked: 0, isBusy: false })), agents };
}

// ───────── the server's figures ─────────

interface Sample {
  atSeconds: number;
  rssMb: number;
  heapMb: number;
  loopP99Ms: number;
  server5xx: number;
  requestsPerSecond: number;
  clientP99Ms: number;
}

/** One value of a Prometheus text exposition (summed over label sets when `sum`). */
function metricValue(text: string, name: string, filter?: (line: string) => boolean): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    if (filter && !filter(line)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function sample(atSeconds: number, windowSeconds: number): Promise<Sample> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  const result: Sample = {
    atSeconds,
    rssMb: metricValue(text, 'process_resident_memory_bytes') / 2 ** 20,
    heapMb: metricValue(text, 'nodejs_heap_size_used_bytes') / 2 ** 20,
    // prom-client resets its event-loop histogram at each read: this is the p99 since the last sample
    loopP99Ms: metricValue(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
    server5xx: metricValue(text, 'http_requests_total', (line) => line.includes('status="5xx"')),
    requestsPerSecond: windowOps / windowSeconds,
    clientP99Ms: percentile(windowLatencies, 99),
  };
  windowLatencies = [];
  windowOps = 0;
  return result;
}

/** Least-squares slope of y over x. */
function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den ? num / den : 0;
}

// ───────── the run ─────────

async function main() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  base = `http://127.0.0.1:${port}`;
  console.log(`soak: ${plan.minutes} min at ${plan.rate} operations/s (half robot questions, half widget conversation steps with ${plan.agents} agents), after ${plan.warmupSeconds} s of warm-up; server log ${SERVER_LOG}`);
  const { child, dataDir } = await startServer(port);
  try {
    const { citizens, agents } = await setUp();
    // the robot builds its index on the first question
    await call('POST', '/api/v1/robot/ask', { question: '养老保险交多少' });

    let isRunning = true;
    let tick = 0;
    const offer = async () => {
      const interval = 1000 / plan.rate;
      let next = performance.now();
      while (isRunning) {
        // open loop: work is offered on schedule whether or not earlier work has finished
        tick++;
        if (tick % 2 === 0) void call('POST', '/api/v1/robot/ask', { question: nextQuestion() });
        else void citizenStep(citizens[tick % citizens.length]);
        next += interval;
        await sleep(Math.max(0, next - performance.now()));
      }
    };
    const serve = async () => {
      while (isRunning) {
        await Promise.all(agents.map(agentRound));
        await sleep(1000);
      }
    };
    const load = Promise.all([offer(), serve()]);

    await sleep(plan.warmupSeconds * 1000);
    const errorsAtWarmup = new Map(errors);
    const startedAt = performance.now();
    let last = await sample(0, plan.warmupSeconds);
    const samples: Sample[] = [];
    console.log('\n  time    RSS MB   heap MB   loop p99 ms   req/s   client p99 ms   server 5xx');
    while ((performance.now() - startedAt) / 1000 < plan.minutes * 60) {
      await sleep(plan.sampleSeconds * 1000);
      const s = await sample(Math.round((performance.now() - startedAt) / 1000), plan.sampleSeconds);
      samples.push(s);
      console.log(`  ${String(s.atSeconds).padStart(4)} s ${s.rssMb.toFixed(1).padStart(8)} ${s.heapMb.toFixed(1).padStart(9)} ${s.loopP99Ms.toFixed(1).padStart(13)} ${s.requestsPerSecond.toFixed(1).padStart(7)} ${s.clientP99Ms.toFixed(1).padStart(15)} ${String(s.server5xx - last.server5xx).padStart(12)}`);
      last = s;
    }
    isRunning = false;
    await load;

    // the baseline: the first minute after warm-up; compared with the last minute of the same run
    const perMinute = Math.max(1, Math.round(60 / plan.sampleSeconds));
    const first = samples.slice(0, perMinute);
    const final = samples.slice(-perMinute);
    const mean = (list: Sample[], pick: (s: Sample) => number) => list.reduce((sum, s) => sum + pick(s), 0) / list.length;
    const heapTrend = slope(samples.map((s) => [s.atSeconds / 3600, s.heapMb])); // MB per hour
    const loopP99 = Math.max(...samples.map((s) => s.loopP99Ms));
    const errorCount = [...errors].reduce((sum, [key, n]) => sum + n - (errorsAtWarmup.get(key) ?? 0), 0);
    const rows: [string, number, number, string][] = [
      ['RSS (MB)', mean(first, (s) => s.rssMb), mean(final, (s) => s.rssMb), ''],
      ['heap used (MB)', mean(first, (s) => s.heapMb), mean(final, (s) => s.heapMb), ''],
      ['event-loop delay p99 (ms)', mean(first, (s) => s.loopP99Ms), mean(final, (s) => s.loopP99Ms), ''],
      ['client latency p99 (ms)', mean(first, (s) => s.clientP99Ms), mean(final, (s) => s.clientP99Ms), ''],
      ['HTTP requests per second', mean(first, (s) => s.requestsPerSecond), mean(final, (s) => s.requestsPerSecond), ''],
    ];
    console.log(`\n  ${'figure'.padEnd(28)} ${'first minute'.padStart(13)} ${'last minute'.padStart(12)} ${'last/first'.padStart(11)}`);
    for (const [label, a, b] of rows) console.log(`  ${label.padEnd(28)} ${a.toFixed(1).padStart(13)} ${b.toFixed(1).padStart(12)} ${(a ? b / a : 0).toFixed(2).padStart(11)}`);
    console.log(`\n  heap trend over the run: ${heapTrend.toFixed(1)} MB/hour (target < ${TARGETS.heapGrowthMbPerHour})`);
    console.log(`  worst event-loop delay p99 of a ${plan.sampleSeconds}-s window: ${loopP99.toFixed(1)} ms (target < ${TARGETS.loopP99Ms})`);
    console.log(`  errors after warm-up: ${errorCount} (target ${TARGETS.errors}); server 5xx in the whole run: ${last.server5xx}`);
    for (const [key, n] of errors) console.log(`    ${n} × ${key}`);
    const isMet = heapTrend < TARGETS.heapGrowthMbPerHour && loopP99 < TARGETS.loopP99Ms && errorCount === TARGETS.errors;
    console.log(`\n  ${isMet ? 'targets met' : 'TARGETS MISSED'}${plan.minutes < 10 ? ` (a ${plan.minutes}-min run: the heap trend needs 10 min to mean much)` : ''}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
