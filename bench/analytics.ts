// npm run bench:analytics — every dashboard query of the data analysis centre, through app.inject, on a
// database of 1,000,000 messages (~100,000 conversations over a month), next to a plain
// `SELECT count(*) FROM messages` measured in the same run. SQLite in a temporary data directory, and
// PostgreSQL too when TEST_DATABASE_URL (or BENCH_DATABASE_URL) is set (a schema of its own, dropped after).
// BENCH_MESSAGES=100000 for a quick run; BENCH_RUNS (default 20) runs of each query.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { buildApp } from '../server/src/app';
import { ensureAdmin } from '../server/src/identity/manage-users';
import { seedKnowledge } from '../server/src/knowledge/seed-knowledge';
import { closeContext, createContext } from '../server/src/platform';
import { loadConfig } from '../server/src/platform/config';
import { seededRandom } from '../server/src/platform/seeded-random';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || '';
const ADMIN_PASSWORD = 'bench-admin-password';
const TARGET_MS = 200;
const DAYS = 30;
const HOUR_MS = 3600_000;

// the same data on every run
let rnd = seededRandom(12333);
const pick = <T>(items: T[]) => items[Math.floor(rnd() * items.length)];
function weighted<T>(pairs: [T, number][]): T {
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [v, w] of pairs) if ((x -= w) < 0) return v;
  return pairs[pairs.length - 1][0];
}

// a hotline's day: quiet at night, peaks at 10:00 and 15:00 (China time); weekends a third
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 20, 18, 12, 14, 18, 20, 18, 14, 10, 8, 6, 4, 3, 2];
const CHANNELS: [string, number][] = [['web', 35], ['wechat', 30], ['phone', 15], ['open', 12], ['qq', 8]];
const HANDOFF_REASONS: [string, number][] = [['request', 55], ['failures', 20], ['anger', 10], ['human-only', 10], ['robot', 5]];
const HARD_QUESTIONS = [
  '灵活就业人员医保断缴了怎么补', '异地退休养老金怎么转回老家', '社保卡丢了在外地怎么补办', '工伤认定后单位不给赔偿怎么办', '失业金领完了还能再领吗',
  '个人账户养老金继承要什么材料', '农民工被拖欠工资去哪里投诉', '退役军人的社保怎么接续', '视同缴费年限怎么认定', '港澳居民在内地怎么参保',
  '生育津贴男方能领吗', '企业年金离职后怎么处理', '高龄补贴和养老金能同时领吗', '病退需要什么条件', '档案丢了还能办退休吗',
];

interface Entry { id: string; categoryId: string; question: string }

async function buildData(db: Kysely<any>, entries: Entry[], end: number) {
  rnd = seededRandom(12333); // the same data on each database
  const conversationCount = Math.max(100, Math.round(MESSAGES / 10));
  const start = end - DAYS * 24 * HOUR_MS;
  const agents = Array.from({ length: 40 }, (_, i) => `agent-${i}`);
  const skills = ['general', 'pension', 'employment', 'insurance'];
  let messages = 0;
  let pending: { conversations: any[]; messages: any[]; events: any[]; turns: any[] } = { conversations: [], messages: [], events: [], turns: [] };
  const flush = async () => {
    await db.transaction().execute(async (trx) => {
      for (const [table, rows, size] of [['conversations', pending.conversations, 200], ['messages', pending.messages, 500], ['conversation_events', pending.events, 500], ['robot_turns', pending.turns, 500]] as const) {
        for (let i = 0; i < rows.length; i += size) await trx.insertInto(table).values(rows.slice(i, i + size)).execute();
      }
    });
    pending = { conversations: [], messages: [], events: [], turns: [] };
  };
  // messages per conversation around 10: the total lands near MESSAGES
  for (let c = 0; c < conversationCount; c++) {
    // `start` is a China midnight; Saturdays and Sundays keep a third of their draws
    let day: number;
    do day = Math.floor(rnd() * DAYS);
    while ([0, 6].includes(new Date(start + day * 24 * HOUR_MS + 8 * HOUR_MS).getUTCDay()) && rnd() > 0.33);
    const hour = weighted(HOUR_WEIGHTS.map((w, h) => [h, w] as [number, number]));
    const dayStart = start + day * 24 * HOUR_MS;
    let t = dayStart + hour * HOUR_MS + Math.floor(rnd() * HOUR_MS);
    if (t > end - HOUR_MS) t = end - HOUR_MS - Math.floor(rnd() * HOUR_MS);
    const iso = (ms: number) => new Date(ms).toISOString();
    const id = `bench-c-${String(c).padStart(7, '0')}`;
    const contact = `bench-p-${Math.floor(rnd() * conversationCount * 0.8)}`;
    const channel = weighted(CHANNELS);
    // later in the month a topic heats up
    const entry = rnd() < 0.06 * (day / DAYS) ? entries[3] : pick(entries);
    const isHandedOff = rnd() < 0.32;
    const created = t;
    let seq = 0;
    const msg = (sender: string, text: string, extra: Record<string, unknown> = {}) => {
      seq++;
      t += 5_000 + Math.floor(rnd() * 40_000);
      pending.messages.push({ id: `${id}-m${seq}`, conversation_id: id, seq, sender, sender_id: null, sender_name: null, text, format: 'text', is_private: 0, client_message_id: null, in_reply_to: null, entry_id: null, payload: '{}', created_at: iso(t), ...extra });
    };
    const event = (type: string, payload: Record<string, unknown>, at = t) => pending.events.push({ id: `${id}-e${pending.events.length}-${type}`, conversation_id: id, type, actor: 'system', payload: JSON.stringify(payload), created_at: iso(at) });
    event('created', { channel });
    msg('robot', '您好，我是智能客服', { payload: JSON.stringify({ options: [] }) });
    const turns = 2 + Math.floor(rnd() * 4);
    for (let i = 0; i < turns; i++) {
      const hard = isHandedOff && i === turns - 1;
      const question = hard ? pick(HARD_QUESTIONS) : entry.question;
      msg('customer', question);
      const decision = hard ? (rnd() < 0.6 ? 'handoff' : 'fallback') : 'answer';
      msg('robot', decision === 'answer' ? '根据政策规定……' : '抱歉，这个问题我还不会回答', { entry_id: decision === 'answer' ? entry.id : null, in_reply_to: seq - 1, payload: JSON.stringify({ decision, confidence: decision === 'answer' ? 0.9 : 0.3 }) });
      pending.turns.push({ id: `${id}-t${i}`, at: iso(t), session_id: id, channel, viewer: 'public', question, decision, entry_id: decision === 'answer' ? entry.id : null, top_entry_id: entry.id, confidence: decision === 'answer' ? 0.9 : 0.3, handoff_reason: decision === 'handoff' ? 'failures' : null });
    }
    let status = 'resolved';
    let queuedAt: string | null = null;
    let assignedAt: string | null = null;
    let firstReply: string | null = null;
    let assignee: string | null = null;
    let skill: string | null = null;
    let reason: string | null = null;
    let rating: number | null = null;
    if (isHandedOff) {
      reason = weighted(HANDOFF_REASONS);
      skill = pick(skills);
      queuedAt = iso(t);
      event('handoff', { reason, skill });
      if (rnd() < 0.9) {
        t += Math.floor(rnd() * rnd() * 300_000);
        assignee = pick(agents);
        assignedAt = iso(t);
        event('assign', { agentId: assignee });
        const replies = 4 + Math.floor(rnd() * 7);
        for (let i = 0; i < replies; i++) {
          msg(i % 2 ? 'customer' : 'agent', i % 2 ? '好的，还有一个问题' : '您好，关于您的问题……', i % 2 ? {} : { sender_id: assignee });
          if (!firstReply && i % 2 === 0) firstReply = iso(t);
        }
        if (rnd() < 0.4) rating = weighted([[5, 50], [4, 25], [3, 10], [2, 8], [1, 7]]);
      }
    }
    if (rnd() < 0.03 && !assignee) status = isHandedOff ? 'queued' : 'bot';
    const closedAt = status === 'resolved' ? iso((t += 60_000)) : null;
    if (closedAt) event('close', { category: entry.categoryId, reason: assignee ? null : 'idle' });
    if (rating) event('rating', { score: rating }, t + 30_000);
    pending.conversations.push({
      id, contact_id: contact, channel, channel_ref: null, status, is_left_message: 0, skill, assignee_id: assignee, handoff_reason: reason,
      category: assignee ? entry.categoryId : null, summary: null, rating, rating_comment: null, last_seq: seq, agent_read_seq: 0, customer_read_seq: 0,
      queued_at: queuedAt, assigned_at: assignedAt, first_agent_reply_at: firstReply, closed_at: closedAt, last_message_at: iso(t), created_at: iso(created), updated_at: iso(t),
    });
    messages += seq;
    if (pending.messages.length >= 20_000) await flush();
  }
  await flush();
  return { conversations: conversationCount, messages };
}

const percentileOf = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
async function measure(fn: () => Promise<void>) {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentileOf(times, 0.5), p99: percentileOf(times, 0.99) };
}

async function runOn(label: 'sqlite' | 'postgres') {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'zhixun-bench-analytics-'));
  const schema = label === 'postgres' ? `bench_analytics_${process.pid}` : undefined;
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: label === 'postgres' ? PG_URL : '', REDIS_URL: '', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ADMIN_PASSWORD, NODE_ENV: 'test', SECRETS_KEY: randomBytes(32).toString('hex') });
  const ctx = await createContext(config, { schema });
  try {
    await ensureAdmin(ctx);
    await seedKnowledge(ctx);
    const app = await buildApp(ctx);
    const entries = (await ctx.db.selectFrom('kb_entry_versions').select(['entry_id', 'category_id', 'question']).where('status', '=', 'published').execute()).map((r: any) => ({ id: r.entry_id, categoryId: r.category_id, question: r.question }));
    // the month ends at the last China midnight
    const end = Math.floor((Date.now() + 8 * HOUR_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS - 8 * HOUR_MS;
    let t0 = performance.now();
    const built = await buildData(ctx.db, entries, end);
    const writeS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    await app.analytics.rebuild();
    const rebuildS = (performance.now() - t0) / 1000;
    console.log(`\n[${label}] ${built.messages.toLocaleString()} messages in ${built.conversations.toLocaleString()} conversations written in ${writeS.toFixed(1)} s; analytics rebuilt in ${rebuildS.toFixed(1)} s`);

    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
    const token = login.json().token as string;
    const day = (ms: number) => new Date(ms + 8 * HOUR_MS).toISOString().slice(0, 10);
    const month = `from=${day(end - DAYS * 24 * HOUR_MS)}&to=${day(end - 1)}`;
    const half = `from=${day(end - 15 * 24 * HOUR_MS)}&to=${day(end - 1)}`;
    const queries: [string, string][] = [
      ['summary (month)', `/api/v1/analytics/summary?${month}`],
      ['summary (month, wechat, a category)', `/api/v1/analytics/summary?${month}&channel=wechat&category=yanglao`],
      ['volumes by day', `/api/v1/analytics/volumes?by=day&${month}`],
      ['volumes by hour', `/api/v1/analytics/volumes?by=hour&${month}`],
      ['volumes by weekday', `/api/v1/analytics/volumes?by=weekday&${month}`],
      ['volumes by channel', `/api/v1/analytics/volumes?by=channel&${month}`],
      ['volumes by category', `/api/v1/analytics/volumes?by=category&${month}`],
      ['hot topics (categories, 15 d vs 15 d)', `/api/v1/analytics/hot-topics?level=category&${half}`],
      ['hot topics (entries, 15 d vs 15 d)', `/api/v1/analytics/hot-topics?level=entry&${half}`],
      ['hard topics (month)', `/api/v1/analytics/hard-topics?${month}`],
      ['export summary.xlsx (month)', `/api/v1/analytics/export/summary.xlsx?${month}`],
    ];
    const baseline = await measure(async () => {
      await sql`select count(*) from messages`.execute(ctx.db);
    });
    console.log(['query'.padEnd(40), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), '×count(*)'.padStart(10), `<${TARGET_MS} ms`.padStart(8)].join(' '));
    const line = (name: string, r: { p50: number; p99: number }, ok = '') => console.log([name.padEnd(40), r.p50.toFixed(2).padStart(8), r.p99.toFixed(2).padStart(8), (r.p50 / baseline.p50).toFixed(2).padStart(10), ok.padStart(8)].join(' '));
    line('SELECT count(*) FROM messages (baseline)', baseline);
    for (const [name, url] of queries) {
      const r = await measure(async () => {
        const res = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      });
      line(name, r, r.p99 < TARGET_MS ? 'yes' : 'NO');
    }
    await app.close();
  } finally {
    if (schema) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(ctx.db).catch((err) => console.error('could not drop the bench schema', err));
    await closeContext(ctx);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`bench:analytics — ${MESSAGES.toLocaleString()} messages target, ${RUNS} runs per query (p50/p99), SELECT count(*) FROM messages as the baseline`);
await runOn('sqlite');
if (PG_URL) await runOn('postgres');
else console.log('\n(PostgreSQL skipped: set TEST_DATABASE_URL or BENCH_DATABASE_URL)');
process.exit(0);
