// npm run bench:chat [-- --quick] [--connections N] [--rate N] [--workers N] [--profile]
// End-to-end delivery over Socket.IO: simulated widget citizens and agents against the platform, and
// the same pattern against a bare Socket.IO echo server (bench/chat-echo-server.ts) in the same run.
// Scenarios: (c) thousands of idle widget connections with a steady rate of questions to the robot,
// and the server's memory per connection; (a) citizens asking the robot, at a steady rate and flat
// out; (b) citizens handed to agents, messages both ways. The servers and the load generators
// (bench/chat-load.ts) each run in their own process. Loopback only; every phase is bounded.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PhaseResult } from './chat-load';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const isQuick = args.includes('--quick');
const isProfiling = args.includes('--profile');
/** server changes tried without changing the server (bench/chat-server-preload.ts): sync-normal, statement-cache */
const whatIf = args.includes('--what-if') ? args[args.indexOf('--what-if') + 1] : '';
const flag = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const ADMIN_PASSWORD = 'bench-admin-password-2026';
/** The platform's log (warnings and errors) during the run. */
const SERVER_LOG = path.join(os.tmpdir(), 'zhixun-bench-chat-server.log');

/** The run's size: `--quick` is a smoke check (< 1 minute); the defaults are sized for the issue's targets. */
const plan = {
  connections: flag('--connections', isQuick ? 300 : 5000),
  /** citizen questions per second to the robot across all idle connections (each gets a robot reply): the target, half and a fifth of it */
  rates: [0.2, 0.5, 1].map((f) => Math.round(f * flag('--rate', isQuick ? 100 : 500))),
  seconds: isQuick ? 2 : 20,
  warmup: isQuick ? 1 : 3,
  /** pauses to let the server settle (memory, queued work) between steps */
  settleMs: isQuick ? 300 : 2000,
  workers: flag('--workers', 2),
  robot: { citizens: isQuick ? 30 : 200, rate: isQuick ? 30 : 100, seconds: isQuick ? 2 : 20, flatOutSeconds: isQuick ? 2 : 10 },
  human: { citizens: isQuick ? 40 : 200, agents: isQuick ? 4 : 20, rate: isQuick ? 20 : 100, seconds: isQuick ? 2 : 20 },
  setupConcurrency: 32,
  connectConcurrency: 50,
};
const TARGETS = { connections: 5000, rate: 500, p99Ms: 100, ratio: 2 };

// ───────── processes ─────────

interface Server {
  kind: 'zhixun' | 'echo';
  port: number;
  child: ChildProcess;
  dataDir?: string;
  profileDir?: string;
  queryCountFile?: string;
}

async function waitForHealth(port: number, child: ChildProcess) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  throw new Error('server did not start');
}

async function startZhixun(port: number): Promise<Server> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zhixun-bench-chat-'));
  const profileDir = isProfiling ? mkdtempSync(path.join(os.tmpdir(), 'zhixun-chat-prof-')) : undefined;
  const queryCountFile = profileDir ? path.join(profileDir, 'query-counts.json') : undefined;
  const preload = profileDir || whatIf ? ['--import', './bench/chat-server-preload.ts'] : [];
  const profiling = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', ...preload];
  const child = spawn(process.execPath, [...profiling, 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, BENCH_QUERY_COUNT_FILE: queryCountFile ?? '', BENCH_WHAT_IF: whatIf, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', ADMIN_PASSWORD, SEED_DEMO: 'true', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', openSync(SERVER_LOG, 'w'), 'inherit'],
  });
  await waitForHealth(port, child);
  // the robot builds its index after the server listens: wait for its first answer
  await fetch(`http://127.0.0.1:${port}/api/v1/robot/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '养老保险交多少' }) });
  return { kind: 'zhixun', port, child, dataDir, profileDir, queryCountFile };
}

async function startEcho(port: number): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/chat-echo-server.ts', String(port)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForHealth(port, child);
  return { kind: 'echo', port, child };
}

async function stopServer(server: Server) {
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  if (server.dataDir) rmSync(server.dataDir, { recursive: true, force: true });
}

/** A load generator process, driven by request/response over IPC. */
class LoadWorker {
  private child: ChildProcess;
  private nextId = 0;
  private waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  constructor(index: number) {
    this.child = fork(path.join(root, 'bench/chat-load.ts'), [String(index)], { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.error) w?.reject(new Error(msg.error));
      else w?.resolve(msg.result);
    });
    this.child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`load generator exited (${code})`));
      this.waiting.clear();
    });
  }
  call<T = any>(cmd: string, input: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ id, cmd, input });
    });
  }
  async stop() {
    await this.call('exit').catch(() => undefined);
  }
}

// ───────── measurements of the server process ─────────

/** Resident memory of a process (bytes), from /proc. */
function rssOf(pid: number): number {
  const kb = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)?.[1] ?? NaN);
  return kb * 1024;
}

/** The main (JavaScript) thread's time on a CPU and time runnable but waiting for one, in seconds. */
function schedOf(pid: number): { onCpu: number; waiting: number } {
  const [onCpu, waiting] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
  return { onCpu: onCpu / 1e9, waiting: waiting / 1e9 };
}

interface Usage {
  /** the process's CPU seconds, all threads */
  cpu: number;
  /** its main thread's seconds on a CPU, and runnable but waiting for one (other processes had the cores) */
  onCpu: number;
  waiting: number;
  /** wall-clock seconds: the phase and the wait for its last deliveries */
  wall: number;
}
const probe = (pid: number): Usage => ({ cpu: cpuOf(pid), ...schedOf(pid), wall: performance.now() / 1000 });
const since = (before: Usage, pid: number): Usage => {
  const now = probe(pid);
  return { cpu: now.cpu - before.cpu, onCpu: now.onCpu - before.onCpu, waiting: now.waiting - before.waiting, wall: now.wall - before.wall };
};

/** CPU seconds (user + system) a process has used so far. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

/** Waits (at most 60 s) until the server has worked off any backlog: under a fifth of a core for a second. */
async function untilQuiet(pid: number) {
  for (let i = 0; i < 60; i++) {
    const before = cpuOf(pid);
    await sleep(1000);
    if (cpuOf(pid) - before < 0.2) return;
  }
}

// ───────── results ─────────

interface Row {
  /** matches a platform row with the echo server's */
  key: string;
  scenario: string;
  server: string;
  direction: string;
  sentPerSecond: number;
  deliveredPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  lost: number;
  errors: number;
  serverCpu: number;
  /** the server's main thread: % of the phase on a CPU, and % runnable but kept off one by other processes */
  mainOnCpu: number;
  mainWaiting: number;
  /** server CPU time per message sent, ms */
  cpuPerMessage: number;
  clientLoopP99: number;
  note: string;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Merges the workers' results of one phase into a row per direction. */
function rowsOf(key: string, scenario: string, server: string, phases: PhaseResult[], usage: Usage, note = ''): Row[] {
  const seconds = Math.max(...phases.map((p) => p.seconds));
  const directions = [...new Set(phases.flatMap((p) => [...Object.keys(p.latencies), ...Object.keys(p.lostBy)]))];
  const sent = phases.reduce((n, p) => n + p.sent, 0);
  const delivered = phases.reduce((n, p) => n + Object.values(p.latencies).reduce((m, l) => m + l.length, 0), 0);
  const handedOff = phases.reduce((n, p) => n + p.handedOff, 0);
  const skipped = phases.reduce((n, p) => n + p.skipped, 0);
  const notes = [note, handedOff ? `${handedOff} handed off by the robot` : '', skipped ? `${skipped} sends skipped (no idle citizen)` : ''].filter(Boolean).join('; ');
  return (directions.length ? directions : ['—']).map((direction) => {
    // a message lost (no delivery within the time-out) counts as slower than any delivered one
    const lost = phases.reduce((n, p) => n + (p.lostBy[direction] ?? 0), 0);
    const all = [...phases.flatMap((p) => p.latencies[direction] ?? []), ...Array<number>(lost).fill(Infinity)].sort((a, b) => a - b);
    return {
      key: `${key} ${direction}`,
      scenario,
      server,
      direction,
      sentPerSecond: round(sent / seconds, 0),
      deliveredPerSecond: round(delivered / seconds, 0),
      p50: round(percentile(all, 50)),
      p99: round(percentile(all, 99)),
      max: round(all.filter(Number.isFinite).pop() ?? NaN),
      lost,
      errors: phases.reduce((n, p) => n + p.errors, 0),
      // over the whole window, the wait for the last deliveries included
      serverCpu: round((usage.cpu / usage.wall) * 100, 0),
      mainOnCpu: round((usage.onCpu / usage.wall) * 100, 0),
      mainWaiting: round((usage.waiting / usage.wall) * 100, 0),
      cpuPerMessage: round((usage.cpu * 1000) / Math.max(1, sent), 2),
      clientLoopP99: Math.max(...phases.map((p) => p.clientLoopP99)),
      note: notes,
    };
  });
}

/** A percentile; one that falls among the lost messages is shown as "lost". */
const ms = (x: number) => (Number.isFinite(x) ? x : 'lost');

function printRows(rows: Row[]) {
  const cols: [string, number, (r: Row) => string | number][] = [
    ['scenario', 30, (r) => r.scenario],
    ['server', 7, (r) => r.server],
    ['delivery', 17, (r) => r.direction],
    ['sent/s', 7, (r) => r.sentPerSecond],
    ['recv/s', 7, (r) => r.deliveredPerSecond],
    ['p50 ms', 8, (r) => ms(r.p50)],
    ['p99 ms', 8, (r) => ms(r.p99)],
    ['max ms', 8, (r) => r.max],
    ['lost', 5, (r) => r.lost],
    ['err', 4, (r) => r.errors],
    ['srv CPU%', 8, (r) => r.serverCpu],
    ['main%', 6, (r) => r.mainOnCpu],
    ['wait%', 6, (r) => r.mainWaiting],
    ['ms/msg', 7, (r) => r.cpuPerMessage],
    ['gen lag', 7, (r) => r.clientLoopP99],
  ];
  console.log(cols.map(([h, w], i) => (i < 3 ? h.padEnd(w) : h.padStart(w))).join(' '));
  for (const r of rows) console.log(cols.map(([, w, f], i) => (i < 3 ? String(f(r)).padEnd(w) : String(f(r)).padStart(w))).join(' ') + (r.note ? `  (${r.note})` : ''));
}

// ───────── one server, all scenarios ─────────

interface ServerReport {
  kind: string;
  rows: Row[];
  setupSeconds: number;
  connectSeconds: number;
  connected: number;
  rssBefore: number;
  rssConnected: number;
  rssAfterLoad: number;
  humanAssigned: number;
  /** conversations left in the queue with seats free until something else started assignment */
  humanMissed: number;
  handOffSeconds: number;
}

async function runAgainst(server: Server, workers: LoadWorker[]): Promise<ServerReport> {
  const pid = server.child.pid!;
  const target = { kind: server.kind, port: server.port, adminPassword: ADMIN_PASSWORD };
  const share = (total: number, i: number) => Math.floor(total / workers.length) + (i < total % workers.length ? 1 : 0);
  const label = server.kind;
  const rows: Row[] = [];
  const log = (text: string) => console.log(`  [${label}] ${text}`);

  // setup: visitors and conversations through the HTTP API, concurrently with a cap
  let started = performance.now();
  await Promise.all(
    workers.map((w, i) =>
      w.call('setup', {
        target,
        groups: { idle: share(plan.connections, i), ...(i === 0 ? { robot: plan.robot.citizens, human: plan.human.citizens } : {}) },
        agents: i === 0 ? plan.human.agents : 0,
        concurrency: plan.setupConcurrency,
      }),
    ),
  );
  const setupSeconds = (performance.now() - started) / 1000;
  const citizens = plan.connections + plan.robot.citizens + plan.human.citizens;
  log(`setup: ${citizens} visitors with a conversation and ${plan.human.agents} agents in ${round(setupSeconds)} s`);

  // (a) robot: a steady rate, then flat out
  const lead = workers[0];
  await lead.call('connect', { group: 'robot', concurrency: plan.connectConcurrency });
  await lead.call<PhaseResult>('robotAtRate', { group: 'robot', rate: plan.robot.rate, seconds: plan.warmup });
  let usage = probe(pid);
  let phases = await timed(server, '(a) robot at a steady rate', async () => [await lead.call<PhaseResult>('robotAtRate', { group: 'robot', rate: plan.robot.rate, seconds: plan.robot.seconds })]);
  rows.push(...rowsOf('a', `(a) robot, ${plan.robot.citizens} citizens, ${plan.robot.rate}/s`, label, phases, since(usage, pid)));
  usage = probe(pid);
  phases = await timed(server, '(a) robot flat out', async () => [await lead.call<PhaseResult>('robotFlatOut', { group: 'robot', seconds: plan.robot.flatOutSeconds })]);
  rows.push(...rowsOf('a-flat', `(a) robot, flat out`, label, phases, since(usage, pid), `${plan.robot.citizens} citizens, closed loop`));
  await lead.call('disconnect', { group: 'robot' });

  // (b) human: citizens ask for a person, agents get them, messages both ways
  await lead.call('agentsOnline', { maxChats: Math.ceil(plan.human.citizens / plan.human.agents) + 2, group: 'human' });
  await sleep(plan.settleMs); // the robot's earlier hand-offs reach the agents, who close them
  await lead.call('connect', { group: 'human', concurrency: plan.connectConcurrency });
  const handOff = await lead.call<{ ms: number; assigned: number; afterNudge: number; staleViews: number; staleShown: number; missing: Record<string, number> }>('handOff', { group: 'human', concurrency: 20, waitSeconds: isQuick ? 15 : 30 });
  log(`${handOff.assigned}/${plan.human.citizens} conversations handed to ${plan.human.agents} agents in ${round(handOff.ms / 1000)} s; ${handOff.staleViews} conversation views arrived after a newer one, ${handOff.staleShown} citizens served by an agent were last told another status${Object.keys(handOff.missing).length ? `; not assigned: ${JSON.stringify(handOff.missing)}, assigned once an agent set their status again: ${handOff.afterNudge - handOff.assigned}` : ''}`);
  await lead.call<PhaseResult>('humanAtRate', { group: 'human', rate: plan.human.rate, seconds: plan.warmup });
  usage = probe(pid);
  phases = await timed(server, '(b) human', async () => [await lead.call<PhaseResult>('humanAtRate', { group: 'human', rate: plan.human.rate, seconds: plan.human.seconds })]);
  rows.push(...rowsOf('b', `(b) human, ${handOff.afterNudge} chats, ${plan.human.agents} agents`, label, phases, since(usage, pid)));
  await lead.call('disconnect', { group: 'human' });
  await lead.call('agentsOffline'); // (c) is the robot's alone

  // (c) connections: hold them, measure memory, then steady rates of questions over all of them. Last,
  // because an overload leaves a queue of hand-offs and a backlog behind that would skew (a) and (b).
  await sleep(plan.settleMs);
  const rssBefore = rssOf(pid);
  started = performance.now();
  const connects = await Promise.all(workers.map((w) => w.call<{ connected: number; failed: number }>('connect', { group: 'idle', concurrency: plan.connectConcurrency })));
  const connectSeconds = (performance.now() - started) / 1000;
  const connected = connects.reduce((n, c) => n + c.connected, 0);
  await sleep(plan.settleMs * 1.5);
  const rssConnected = rssOf(pid);
  log(`${connected}/${plan.connections} widget connections open in ${round(connectSeconds)} s; server RSS ${mb(rssBefore)} → ${mb(rssConnected)} MB`);
  // warm-up (JIT, caches), not measured; then the rates from low to high, so an overload leaves no backlog behind
  await Promise.all(workers.map((w, i) => w.call<PhaseResult>('robotAtRate', { group: 'idle', rate: share(plan.rates[0], i), seconds: plan.warmup })));
  for (const rate of plan.rates) {
    usage = probe(pid);
    phases = await timed(server, `(c) ${rate}/s over all connections`, () => Promise.all(workers.map((w, i) => w.call<PhaseResult>('robotAtRate', { group: 'idle', rate: share(rate, i), seconds: plan.seconds }))));
    rows.push(...rowsOf(`c${rate}`, `(c) ${connected} conns, ${rate}/s`, label, phases, since(usage, pid)));
    await untilQuiet(pid); // an overload leaves work behind: the next rate starts on an idle server
  }
  const rssAfterLoad = rssOf(pid);
  await Promise.all(workers.map((w) => w.call('disconnect', { group: 'idle' })));

  return { kind: label, rows, setupSeconds, connectSeconds, connected, rssBefore, rssConnected, rssAfterLoad, humanAssigned: handOff.assigned, humanMissed: handOff.afterNudge - handOff.assigned, handOffSeconds: handOff.ms / 1000 };
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Microseconds on the monotonic clock, the clock V8 stamps profile samples with. */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
/** The measured phases' time windows, to cut the server's CPU profile to them. */
const windows: { label: string; from: number; to: number; queries?: Record<string, number>; messages: number }[] = [];
async function timed(server: Server, label: string, work: () => Promise<PhaseResult[]>): Promise<PhaseResult[]> {
  const before = server.queryCountFile ? await queryCounts(server) : undefined;
  const from = monotonicMicros();
  const phases = await work();
  const to = monotonicMicros();
  const after = server.queryCountFile ? await queryCounts(server) : undefined;
  const queries = after && before ? Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => (v as number) > 0)) : undefined;
  windows.push({ label, from, to, queries, messages: phases.reduce((n, p) => n + p.sent, 0) });
  return phases;
}

/** The server's SQL statement counts so far (bench/chat-query-counter.ts, preloaded with --profile). */
async function queryCounts(server: Server): Promise<Record<string, number>> {
  rmSync(server.queryCountFile!, { force: true });
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 50; i++) {
    await sleep(20);
    try {
      return JSON.parse(readFileSync(server.queryCountFile!, 'utf8')) as Record<string, number>;
    } catch {
      /* not written yet */
    }
  }
  return {};
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where the server spent its CPU during each measured phase, from its .cpuprofile (self and inclusive time). */
function summariseProfile(dir: string) {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return console.log(`no CPU profile in ${dir}`);
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const whereOf = (id: number) => byId.get(id)!.callFrame.url.replace(/^file:\/\//, '').replace(root + '/', '');
  const placeOf = (id: number) => {
    const where = whereOf(id);
    if (where.startsWith('node_modules/')) return where.split('/').slice(0, where.split('/')[1].startsWith('@') ? 3 : 2).join('/');
    if (where.startsWith('server/') || where.startsWith('common/')) return where;
    return where.startsWith('node:') ? 'node internals' : byId.get(id)!.callFrame.functionName || '(native)';
  };
  let t = profile.startTime;
  const times = profile.timeDeltas.map((d) => (t += d));
  console.log(`\nserver CPU profile: ${path.join(dir, file)}`);
  for (const w of windows) {
    const picked = profile.samples.filter((_, i) => times[i] >= w.from && times[i] <= w.to);
    const busy = picked.filter((id) => byId.get(id)!.callFrame.functionName !== '(idle)');
    const self = new Map<string, number>();
    const inclusive = new Map<string, number>();
    for (const id of busy) {
      const f = byId.get(id)!.callFrame;
      const fn = `${f.functionName || '(anonymous)'} ${whereOf(id) ? `${whereOf(id)}:${f.lineNumber + 1}` : ''}`;
      self.set(fn, (self.get(fn) ?? 0) + 1);
      const seen = new Set<string>();
      for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) seen.add(placeOf(n));
      for (const place of seen) inclusive.set(place, (inclusive.get(place) ?? 0) + 1);
    }
    const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `    ${((v / busy.length) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n');
    if (w.queries) {
      const total = Object.values(w.queries).reduce((a, b) => a + b, 0);
      const rows = Object.entries(w.queries).sort((a, b) => b[1] - a[1]).slice(0, 20);
      console.log(`  ${w.label}: ${total} SQL statements for ${w.messages} messages sent = ${round(total / Math.max(1, w.messages))} per message; the most frequent (per message sent):`);
      for (const [sql, n] of rows) console.log(`    ${String(round(n / Math.max(1, w.messages), 2)).padStart(6)}  ${sql}`);
    }
    console.log(`  ${w.label}: busy ${((busy.length / Math.max(1, picked.length)) * 100).toFixed(0)}% of ${picked.length} samples; share of busy time, inclusive (a file counts when it is anywhere on the stack):\n${top(inclusive, 22)}\n  self time by function:\n${top(self, 18)}`);
  }
}

async function main() {
  const fdLimit = Number(readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+\d+\s+(\d+)/)?.[1] ?? 0);
  if (fdLimit && fdLimit < plan.connections * 2 + 1000) console.warn(`warning: the open-file limit (${fdLimit}) is below what ${plan.connections} connections need (server + client side): raise it with ulimit -n`);
  console.log(
    `bench:chat — ${plan.connections} widget connections with ${plan.rates.join(', ')} questions/s to the robot for ${plan.seconds} s each; robot: ${plan.robot.citizens} citizens at ${plan.robot.rate}/s, then flat out; ` +
      `human: ${plan.human.citizens} citizens and ${plan.human.agents} agents at ${plan.human.rate} citizen messages/s, each answered by its agent; ${plan.workers} load-generator processes; ${os.cpus().length} cores${isQuick ? ' (quick)' : ''}${whatIf ? `; the platform runs with the experiment(s) ${whatIf} (bench/chat-server-preload.ts)` : ''}`,
  );
  const runStarted = performance.now();
  const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`machine load average (1, 5, 15 min) before the run: ${loadAverage()} — other work on these ${os.cpus().length} cores skews every figure below`);
  const workers = Array.from({ length: plan.workers }, (_, i) => new LoadWorker(i));
  const reports: ServerReport[] = [];
  try {
    for (const kind of ['echo', 'zhixun'] as const) {
      const server = kind === 'echo' ? await startEcho(3950) : await startZhixun(3951);
      windows.length = 0;
      try {
        reports.push(await runAgainst(server, workers));
      } finally {
        await stopServer(server);
      }
      if (server.profileDir) summariseProfile(server.profileDir);
    }
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }

  console.log(`machine load average after the run: ${loadAverage()}; the run took ${round((performance.now() - runStarted) / 1000, 0)} s`);
  const [echo, zhixun] = reports;
  const logLines = readFileSync(SERVER_LOG, 'utf8').split('\n').filter((l) => l.startsWith('{'));
  if (logLines.length) {
    const byMessage = new Map<string, number>();
    for (const l of logLines) {
      const entry = JSON.parse(l) as { msg?: string; err?: { message?: string } };
      const key = `${entry.msg}${entry.err?.message ? `: ${entry.err.message}` : ''}`.slice(0, 160);
      byMessage.set(key, (byMessage.get(key) ?? 0) + 1);
    }
    console.log(`\nthe platform logged ${logLines.length} warnings or errors (${SERVER_LOG}):`);
    for (const [k, n] of [...byMessage].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${String(n).padStart(6)}× ${k}`);
  }
  console.log(`\nend-to-end delivery: from the sender's emit (or the agent's HTTP POST) to the receiver's \`message\` event; lost = no delivery within 10 s;`);
  console.log(`srv CPU% = the server process's CPU over the phase (100 = one core); main% = its JavaScript thread on a core; wait% = that thread ready to run but kept waiting for a core by other processes; ms/msg = the server's CPU time per message sent; gen lag = the load generator's own event-loop delay p99 (ms)\n`);
  const echoRow = (z: Row) => echo.rows.find((e) => e.key === z.key);
  printRows(zhixun.rows.flatMap((z) => [echoRow(z), z].filter((r): r is Row => r !== undefined)));

  console.log('\nper server                         echo   zhixun');
  const line = (label: string, e: string | number, z: string | number) => console.log(`${label.padEnd(32)} ${String(e).padStart(6)} ${String(z).padStart(8)}`);
  line('setup, s (visitors via HTTP)', round(echo.setupSeconds), round(zhixun.setupSeconds));
  line(`connect ${plan.connections} sockets, s`, round(echo.connectSeconds), round(zhixun.connectSeconds));
  line('RSS before connections, MB', mb(echo.rssBefore), mb(zhixun.rssBefore));
  line('RSS with connections, MB', mb(echo.rssConnected), mb(zhixun.rssConnected));
  line('RSS after the load, MB', mb(echo.rssAfterLoad), mb(zhixun.rssAfterLoad));
  const perConnection = (r: ServerReport) => round((r.rssConnected - r.rssBefore) / 1024 / Math.max(1, r.connected), 1);
  line('memory per connection, KB', perConnection(echo), perConnection(zhixun));
  line('hand-off of all human chats, s', round(echo.handOffSeconds, 2), round(zhixun.handOffSeconds, 2));
  line('chats left queued, seats free', echo.humanMissed, zhixun.humanMissed);

  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const verdict = (z: Row) => {
    const e = echoRow(z)!;
    const ratio = z.p99 / e.p99;
    const isAtRate = z.sentPerSecond >= Number(z.key.match(/^c(\d+)/)?.[1] ?? 0) * 0.95;
    return `${mark(z.p99 < TARGETS.p99Ms && isAtRate && z.lost === 0)} p99 ${ms(z.p99)} ms < ${TARGETS.p99Ms} ms at ${z.sentPerSecond}/s${z.lost ? `, ${z.lost} lost` : ''}   ${mark(ratio <= TARGETS.ratio)} ${round(ratio, 1)}× the echo server's p99 (${e.p99} ms) ≤ ${TARGETS.ratio}×`;
  };
  const full = zhixun.rows.find((r) => r.key.startsWith(`c${plan.rates[2]} `))!;
  const half = zhixun.rows.find((r) => r.key.startsWith(`c${plan.rates[1]} `))!;
  console.log(`\ntargets (issue 10, this ${os.cpus().length}-core machine; a question to the robot stores and pushes two messages, the citizen's and the answer)`);
  console.log(`  ${mark(zhixun.connected >= TARGETS.connections)} ${TARGETS.connections} concurrent widget connections on one instance: ${zhixun.connected} held, ${perConnection(zhixun)} KB each (echo ${perConnection(echo)} KB)`);
  console.log(`  ${plan.rates[2]} questions/s (${plan.rates[2] * 2} messages/s): ${verdict(full)}`);
  console.log(`  ${plan.rates[1]} questions/s (${plan.rates[1] * 2} messages/s): ${verdict(half)}`);
  for (const z of zhixun.rows.filter((r) => r.key.startsWith('a ') || r.key.startsWith('b '))) console.log(`  ${z.scenario.slice(0, 3)} ${z.direction}: ${verdict(z)}`);
  if (isQuick) console.log('  (quick run: sized for a smoke check, not for the targets)');
}

main().then(
  () => process.exit(0), // keep-alive sockets of the HTTP client would hold the process a while
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
