// The load generator of `npm run bench:chat`: widget citizens and agents over Socket.IO, in a
// process of its own (bench/chat.ts forks one or more), so that the server under test has its core
// to itself and the generator's work does not show up in the server's figures. It talks to the
// platform or to the bare echo server (bench/chat-echo-server.ts) in exactly the same way, obeys
// commands from bench/chat.ts over IPC and answers with raw latencies (ms) for the parent to merge.
// Loopback only; every phase is bounded in time and count.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';

const root = path.resolve(import.meta.dirname, '..');
const workerIndex = Number(process.argv[2] ?? 0);
/** How long a message may take before it counts as lost. */
const TIMEOUT_MS = 10_000;
const AGENT_PASSWORD = 'bench-agent-pass-2026-x';

interface Target {
  kind: 'zhixun' | 'echo';
  port: number;
  adminPassword?: string;
}

interface Pending {
  sentAt: number;
  /** replies have a higher sequence number than this */
  afterSeq: number;
  done: (latency: number | undefined) => void;
}

interface Citizen {
  visitorToken: string;
  conversationId: string;
  socket?: Socket;
  lastSeq: number;
  status: string;
  /** the lastSeq of the conversation view that set `status` (pushes can arrive out of order) */
  statusSeq: number;
  /** the status of the last view received, taken as it came (as the web widget does) */
  lastViewStatus?: string;
  /** what the citizen says next instead of a new question (a clarify choice, or leaving a calculator) */
  followUp?: string;
  pending?: Pending;
}

interface Agent {
  id: string;
  token: string;
  socket?: Socket;
}

/** What a measured phase hands back. Latencies are raw so that the parent can merge workers. */
export interface PhaseResult {
  seconds: number;
  sent: number;
  /** deliveries measured, per direction */
  latencies: Record<string, number[]>;
  timeouts: number;
  /** the time-outs per direction */
  lostBy: Record<string, number>;
  errors: number;
  /** conversations the robot handed to a person during a robot phase (they stop asking) */
  handedOff: number;
  /** sends that found no idle citizen (the offered rate was not reached) */
  skipped: number;
  /** this generator's own event-loop delay p99 (ms): high values mean the client, not the server, is slow */
  clientLoopP99: number;
}

let target: Target;
const groups = new Map<string, Citizen[]>();
let agents: Agent[] = [];
let tagCounter = 0;
/** tag in a human message's text → when it was sent, and which direction it measures */
const inFlight = new Map<string, { sentAt: number; direction: 'citizen→agent' | 'agent→citizen'; timer: NodeJS.Timeout }>();
let humanPhase: PhaseResult | undefined;
let isHumanLive = false;

const base = () => `http://127.0.0.1:${target.port}`;
const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function questions(): string[] {
  const dir = path.join(root, 'server/seed/robot-dev');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl') && f !== 'staff.jsonl') // staff-only entries are not for citizens
    .flatMap((f) => readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { q: string; expect: string | null }))
    .filter((x) => x.expect !== null && !/人工/.test(x.q)) // questions the knowledge base answers
    .map((x) => x.q);
}
const QUESTIONS = questions();
let questionIndex = workerIndex * 97;
const nextQuestion = () => QUESTIONS[questionIndex++ % QUESTIONS.length];

async function json<T>(method: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${base()}${url}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Runs `task` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, task: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i], i);
      }
    }),
  );
}

// ───────── setup ─────────

async function newCitizen(i: number): Promise<Citizen> {
  if (target.kind === 'echo') return { visitorToken: `visitor-${workerIndex}-${i}`, conversationId: `conv-${workerIndex}-${i}`, lastSeq: 0, status: 'bot', statusSeq: 0 };
  const { visitorToken } = await json<{ visitorToken: string }>('POST', '/api/v1/widget/sessions', { siteKey: 'portal' });
  const { conversation } = await json<{ conversation: { id: string } }>('POST', '/api/v1/widget/conversations', { siteKey: 'portal' }, { 'x-visitor-token': visitorToken });
  return { visitorToken, conversationId: conversation.id, lastSeq: 0, status: 'bot', statusSeq: 0 };
}

async function newAgent(i: number, adminToken: string): Promise<Agent> {
  if (target.kind === 'echo') return { id: `agent-${i}`, token: `agent-${i}` };
  const username = `bench-agent-${workerIndex}-${i}`;
  const auth = { authorization: `Bearer ${adminToken}` };
  const user = await json<{ id: string }>('POST', '/api/v1/users', { username, password: AGENT_PASSWORD, roles: ['agent'], displayName: `坐席${i}` }, auth);
  const { token } = await json<{ token: string }>('POST', '/api/v1/auth/login', { username, password: AGENT_PASSWORD });
  return { id: user.id, token };
}

const commands = {
  /** Creates the citizens of each group (visitor + conversation, through the HTTP API) and the agents. */
  async setup(input: { target: Target; groups: Record<string, number>; agents: number; concurrency: number }) {
    target = input.target;
    groups.clear();
    agents = [];
    const started = now();
    let index = 0;
    for (const [name, count] of Object.entries(input.groups)) {
      const list: Citizen[] = new Array(count);
      await pool(Array.from({ length: count }, (_, i) => i), input.concurrency, async (i) => {
        list[i] = await newCitizen(index + i);
      });
      index += count;
      groups.set(name, list);
    }
    if (input.agents) {
      const adminToken = target.kind === 'zhixun' ? (await json<{ token: string }>('POST', '/api/v1/auth/login', { username: 'admin', password: target.adminPassword })).token : '';
      agents = new Array(input.agents);
      await pool(Array.from({ length: input.agents }, (_, i) => i), 4, async (i) => {
        agents[i] = await newAgent(i, adminToken);
      });
    }
    return { ms: now() - started };
  },

  /** Opens the widget sockets of a group, at most `concurrency` handshakes at a time. */
  async connect(input: { group: string; concurrency: number }) {
    const list = groups.get(input.group)!;
    const started = now();
    let failed = 0;
    await pool(list, input.concurrency, async (c) => {
      try {
        await connectCitizen(c);
      } catch {
        failed++;
      }
    });
    return { ms: now() - started, connected: list.length - failed, failed };
  },

  async disconnect(input: { group: string }) {
    for (const c of groups.get(input.group) ?? []) {
      c.socket?.disconnect();
      c.socket = undefined;
    }
    return {};
  },

  /** Agents sign on: their workspace socket, then status online with enough seats. */
  async agentsOnline(input: { maxChats: number; group: string }) {
    for (const c of groups.get(input.group) ?? []) humanConversations.add(c.conversationId);
    for (const a of agents) {
      const socket = io(`${base()}/agent`, { auth: { token: a.token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 20_000 });
      await connected(socket);
      socket.on('message', (m: WireMessage) => onAgentMessage(a, m));
      a.socket = socket;
      if (target.kind === 'zhixun') await json('PUT', '/api/v1/agent/status', { status: 'online', maxChats: input.maxChats }, { authorization: `Bearer ${a.token}` });
    }
    return {};
  },

  async agentsOffline() {
    for (const a of agents) {
      if (target.kind === 'zhixun') await json('PUT', '/api/v1/agent/status', { status: 'offline' }, { authorization: `Bearer ${a.token}` });
      a.socket?.disconnect();
    }
    return {};
  },

  /** Every citizen of the group asks for a person (转人工) and waits until an agent has the conversation. */
  async handOff(input: { group: string; concurrency: number; waitSeconds: number }) {
    const list = groups.get(input.group)!;
    const started = now();
    await pool(list, input.concurrency, async (c) => {
      await c.socket!.emitWithAck('send', { clientMessageId: `handoff-${c.conversationId}`, text: '转人工' });
    });
    const deadline = now() + input.waitSeconds * 1000;
    while (list.some((c) => c.status !== 'assigned') && now() < deadline) await sleep(50);
    const ms = now() - started;
    const assigned = list.filter((c) => c.status === 'assigned').length;
    // where the ones that never heard of an agent stand, as the HTTP API tells
    const missing: Record<string, number> = {};
    for (const c of list.filter((x) => x.status !== 'assigned')) {
      const view = target.kind === 'zhixun' ? ((await (await fetch(`${base()}/api/v1/widget/conversations/${c.conversationId}`, { headers: { 'x-visitor-token': c.visitorToken } })).json()) as { status: string }) : { status: '?' };
      const key = `socket says ${c.status}, HTTP says ${view.status}`;
      missing[key] = (missing[key] ?? 0) + 1;
    }
    // Still waiting with seats free: one agent sets their status again, which starts assignment anew.
    // If that assigns them, the hand-offs' own assignment runs missed them.
    let afterNudge = assigned;
    if (assigned < list.length && target.kind === 'zhixun') {
      await json('PUT', '/api/v1/agent/status', { status: 'online' }, { authorization: `Bearer ${agents[0].token}` });
      const until = now() + 5000;
      while (list.some((c) => c.status !== 'assigned') && now() < until) await sleep(50);
      afterNudge = list.filter((c) => c.status === 'assigned').length;
    }
    // citizens being served whose last received view still says otherwise (a client that shows the latest view shows that)
    const staleShown = list.filter((c) => c.status === 'assigned' && c.lastViewStatus !== 'assigned').length;
    return { ms, assigned, afterNudge, staleViews, staleShown, missing };
  },

  /**
   * Citizens ask the robot at a steady offered rate (open loop: a slow answer does not slow the
   * sender down), each with at most one question outstanding. Measures send → the robot's reply
   * arriving as a `message` event.
   */
  async robotAtRate(input: { group: string; rate: number; seconds: number }) {
    return openLoop(groups.get(input.group)!, input.rate, input.seconds);
  },

  /** Citizens ask the robot flat out (closed loop: the next question as soon as the answer is in): the most it serves. */
  async robotFlatOut(input: { group: string; seconds: number }) {
    const list = groups.get(input.group)!;
    const result = emptyPhase();
    const loop = startLoopMonitor();
    const started = now();
    const deadline = started + input.seconds * 1000;
    await Promise.all(
      list.map(async (c) => {
        while (now() < deadline && c.status === 'bot') {
          result.sent++;
          await askRobot(c, result);
        }
      }),
    );
    result.seconds = (now() - started) / 1000;
    result.clientLoopP99 = loop();
    return result;
  },

  /**
   * Citizens who have an agent write at a steady rate; each agent answers every message at once
   * through the HTTP API. Measures citizen → agent and agent → citizen delivery.
   */
  async humanAtRate(input: { group: string; rate: number; seconds: number }) {
    const list = groups.get(input.group)!.filter((c) => c.status === 'assigned');
    const phase = (humanPhase = emptyPhase());
    isHumanLive = true;
    const loop = startLoopMonitor();
    const started = now();
    await paced(input.rate, input.seconds, phase, () => {
      const c = list[Math.floor(Math.random() * list.length)];
      if (!c) return false;
      const tag = newTag();
      track(tag, 'citizen→agent');
      phase.sent++;
      c.socket!.emit('send', { clientMessageId: tag, text: `我想再问一下 ${tag} 这件事怎么办` });
      return true;
    });
    phase.seconds = (now() - started) / 1000;
    await drain(() => inFlight.size === 0);
    isHumanLive = false;
    phase.clientLoopP99 = loop();
    phase.timeouts += inFlight.size;
    for (const f of inFlight.values()) {
      clearTimeout(f.timer);
      phase.lostBy[f.direction] = (phase.lostBy[f.direction] ?? 0) + 1;
    }
    inFlight.clear();
    return phase;
  },

  async exit() {
    setTimeout(() => process.exit(0), 10);
    return {};
  },
};

// ───────── citizens ─────────

interface WireMessage {
  conversationId: string;
  seq: number;
  sender: string;
  text: string;
  options?: unknown[];
  interview?: { status: string };
}

/** conversation views that arrived after a newer one (the server's pushes overtaking each other) */
let staleViews = 0;

const connected = (socket: Socket) =>
  new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });

async function connectCitizen(c: Citizen) {
  const socket = io(`${base()}/widget`, {
    auth: { visitorToken: c.visitorToken, conversationId: c.conversationId, lastSeq: c.lastSeq },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 30_000,
  });
  socket.on('message', (m: WireMessage) => onCitizenMessage(c, m));
  socket.on('conversation', (v: { status: string; lastSeq?: number }) => {
    c.lastViewStatus = v.status;
    // a view older than the one already seen is a push that overtook another: keep the newer state
    if ((v.lastSeq ?? 0) < c.statusSeq) {
      staleViews++;
      return;
    }
    c.status = v.status;
    c.statusSeq = v.lastSeq ?? 0;
  });
  c.socket = socket;
  await connected(socket);
}

function onCitizenMessage(c: Citizen, m: WireMessage) {
  c.lastSeq = Math.max(c.lastSeq, m.seq);
  if (c.pending && (m.sender === 'robot' || m.sender === 'system') && m.seq > c.pending.afterSeq) {
    const p = c.pending;
    c.pending = undefined;
    // a citizen picks the first option of a clarify prompt, and leaves a calculator's interview
    c.followUp = m.sender === 'robot' && m.options?.length ? '1' : m.interview?.status === 'need_input' ? '退出' : undefined;
    p.done(now() - p.sentAt);
  }
  if (m.sender === 'agent') arrived(m.text, 'agent→citizen');
}

/** One question to the robot; resolves when its reply arrives (or it times out). */
function askRobot(c: Citizen, result: PhaseResult | undefined): Promise<void> {
  return new Promise((resolve) => {
    let isSettled = false;
    const finish = (latency: number | undefined, outcome?: 'timeout' | 'error') => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      if (c.pending === pending) c.pending = undefined;
      if (result) {
        if (latency !== undefined) (result.latencies['send→robot reply'] ??= []).push(latency);
        else if (outcome === 'timeout') {
          result.timeouts++;
          result.lostBy['send→robot reply'] = (result.lostBy['send→robot reply'] ?? 0) + 1;
        }
        else result.errors++;
      }
      resolve();
    };
    const timer = setTimeout(() => finish(undefined, 'timeout'), TIMEOUT_MS);
    const pending: Pending = { sentAt: now(), afterSeq: c.lastSeq, done: (latency) => finish(latency) };
    c.pending = pending;
    const text = c.followUp ?? nextQuestion();
    c.followUp = undefined;
    c.socket!.emit('send', { clientMessageId: `w${workerIndex}-${newTag()}`, text }, (ack: { error?: unknown; replies?: unknown[] }) => {
      // an error, or no reply to wait for
      if (ack?.error || !ack?.replies?.length) finish(undefined, 'error');
    });
  });
}

/** Sends at `rate` per second for `seconds` to random idle citizens, then waits for the last replies. */
async function openLoop(list: Citizen[], rate: number, seconds: number) {
  const phase = emptyPhase();
  const loop = startLoopMonitor();
  const started = now();
  const outstanding = new Set<Promise<void>>();
  const wasHandedOff = (c: Citizen) => c.status !== 'bot';
  await paced(rate, seconds, phase, () => {
    const c = pickIdle(list);
    if (!c) return false;
    phase.sent++;
    const p = askRobot(c, phase).then(() => {
      outstanding.delete(p);
    });
    outstanding.add(p);
    return true;
  });
  phase.seconds = (now() - started) / 1000; // the offered rate's time; the last replies come after
  await Promise.all(outstanding);
  phase.clientLoopP99 = loop();
  phase.handedOff = list.filter(wasHandedOff).length;
  return phase;
}

function pickIdle(list: Citizen[]): Citizen | undefined {
  for (let tries = 0; tries < 32; tries++) {
    const c = list[Math.floor(Math.random() * list.length)];
    if (c.socket && !c.pending && c.status === 'bot') return c;
  }
  return list.find((c) => c.socket && !c.pending && c.status === 'bot');
}

/** Calls `fire` `rate` times a second for `seconds`, catching up if a timer fired late. */
function paced(rate: number, seconds: number, phase: PhaseResult, fire: () => boolean): Promise<void> {
  const started = now();
  const total = Math.round(rate * seconds);
  let done = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((now() - started) / 1000) * rate));
      while (done < due) {
        done++;
        if (!fire()) phase.skipped++;
      }
      if (done >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
}

// ───────── agents ─────────

/** conversations of the human scenario; any other that reaches an agent was handed off by the robot earlier */
const humanConversations = new Set<string>();
const closing = new Set<string>();

function onAgentMessage(a: Agent, m: WireMessage) {
  if (m.sender === 'system' && target.kind === 'zhixun' && !humanConversations.has(m.conversationId) && !closing.has(m.conversationId)) {
    // the agent wraps up a conversation the robot handed over in an earlier scenario, freeing the seat
    closing.add(m.conversationId);
    void json('POST', `/api/v1/agent/conversations/${m.conversationId}/close`, { category: 'other', summary: 'benchmark: robot hand-off, closed by the agent' }, { authorization: `Bearer ${a.token}` }).catch(() => undefined);
    return;
  }
  if (m.sender !== 'customer' || !isHumanLive) return;
  const tag = arrived(m.text, 'citizen→agent');
  if (!tag) return;
  // the agent answers straight away, through the workspace's HTTP API
  const reply = newTag();
  track(reply, 'agent→citizen');
  humanPhase!.sent++;
  fetch(`${base()}/api/v1/agent/conversations/${m.conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
    body: JSON.stringify({ text: `您好，关于 ${reply} 的问题，请带上身份证到窗口办理。` }),
  })
    .then(async (res) => {
      await res.arrayBuffer();
      if (!res.ok) fail(reply);
    })
    .catch(() => fail(reply));
}

const newTag = () => `k${workerIndex}x${(tagCounter++).toString(36)}q`;
const TAG = /k\d+x[0-9a-z]+q/;

function track(tag: string, direction: 'citizen→agent' | 'agent→citizen') {
  const timer = setTimeout(() => {
    if (inFlight.delete(tag) && humanPhase) {
      humanPhase.timeouts++;
      humanPhase.lostBy[direction] = (humanPhase.lostBy[direction] ?? 0) + 1;
    }
  }, TIMEOUT_MS);
  inFlight.set(tag, { sentAt: now(), direction, timer });
}

/** A tagged message arrived: records its latency; returns the tag. */
function arrived(text: string, direction: 'citizen→agent' | 'agent→citizen'): string | undefined {
  const tag = text.match(TAG)?.[0];
  const f = tag ? inFlight.get(tag) : undefined;
  if (!tag || !f || f.direction !== direction) return undefined;
  inFlight.delete(tag);
  clearTimeout(f.timer);
  (humanPhase!.latencies[direction] ??= []).push(now() - f.sentAt);
  return tag;
}

function fail(tag: string) {
  const f = inFlight.get(tag);
  if (!f) return;
  clearTimeout(f.timer);
  inFlight.delete(tag);
  if (humanPhase) humanPhase.errors++;
}

// ───────── plumbing ─────────

function emptyPhase(): PhaseResult {
  return { seconds: 0, sent: 0, latencies: {}, timeouts: 0, lostBy: {}, errors: 0, handedOff: 0, skipped: 0, clientLoopP99: 0 };
}

async function drain(isDone: () => boolean) {
  const deadline = now() + TIMEOUT_MS + 500;
  while (!isDone() && now() < deadline) await sleep(20);
}

/** Starts measuring this process's event-loop delay; the returned function stops and gives its p99 (ms). */
function startLoopMonitor() {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return () => {
    h.disable();
    return Math.round(h.percentile(99) / 1e4) / 100;
  };
}

type Command = keyof typeof commands;
process.on('message', async (msg: { id: number; cmd: Command; input: never }) => {
  try {
    const result = await commands[msg.cmd](msg.input);
    process.send!({ id: msg.id, result });
  } catch (err) {
    process.send!({ id: msg.id, error: String((err as Error)?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
