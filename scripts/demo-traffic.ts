// npm run demo:traffic — a month of synthetic 12333 service on the configured database (DATA_DIR or
// DATABASE_URL, as the server), generated through the platform's own API, so the dashboards, the live
// monitor's history and quality inspection have something to show on a fresh start.
//
//   npm run demo:traffic -- [--days 30] [--per-day 110] [--seed 12333] [--force]
//
// Runs once per database: a marker in the conversation settings refuses a second run (--force to add
// another batch anyway). Stop the server first when it runs on SQLite (one writer at a time).
import { parseArgs } from 'node:util';
import { buildApp } from '../server/src/app';
import { conversationsRepo } from '../server/src/conversations/repo';
import { generateTraffic, type TrafficSummary } from '../server/src/demo/generate-traffic';
import { ensureAdmin } from '../server/src/identity/manage-users';
import { seedKnowledge } from '../server/src/knowledge/seed-knowledge';
import { closeContext, createContext } from '../server/src/platform';
import { loadConfigOrExit } from '../server/src/platform/config';

/** The conversation setting that records a finished run. */
const MARKER = 'demo_traffic';

function options() {
  const { values } = parseArgs({
    options: {
      days: { type: 'string', default: '30' },
      'per-day': { type: 'string', default: '110' },
      seed: { type: 'string', default: '12333' },
      'end-day': { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const number = (name: string, text: string, min: number, max: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) {
      console.error(`--${name} 须为 ${min}–${max} 的整数 / --${name} must be a whole number from ${min} to ${max}`);
      process.exit(2);
    }
    return n;
  };
  const endDay = values['end-day'];
  if (endDay !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(endDay)) {
    console.error('--end-day 须为 YYYY-MM-DD / --end-day must be YYYY-MM-DD');
    process.exit(2);
  }
  return {
    days: number('days', values.days, 1, 366),
    perDay: number('per-day', values['per-day'], 1, 5000),
    seed: number('seed', values.seed, 0, 2 ** 31 - 1),
    endDay,
    isForced: values.force,
  };
}

function report(summary: TrafficSummary, seconds: number) {
  const rows = (['web', 'open', 'phone'] as const).map((channel) => {
    const c = summary.byChannel[channel];
    return { 渠道: channel, 会话: c.conversations, 机器人独立: c.robotOnly, 转人工: c.handoffs, 评价: c.ratings };
  });
  console.log(`\n演示数据已生成 / demo traffic generated: ${summary.from} … ${summary.to}, ${seconds.toFixed(0)} s`);
  console.table(rows);
  console.log(`  会话 conversations      ${summary.conversations}`);
  console.log(`  转人工 hand-offs        ${summary.handoffs}  ${JSON.stringify(summary.handoffReasons)}`);
  console.log(`  留言 left messages      ${summary.leftMessages}`);
  console.log(`  排队放弃 abandoned      ${summary.abandoned}`);
  console.log(`  计算器 calculators      ${summary.calculators}`);
  console.log(`  坐席 agents             ${summary.agents}, 回复 replies ${summary.agentReplies}`);
  console.log(`  评价 ratings            ${summary.ratings}`);
  console.log(`  质检违规 rule breaks    ${JSON.stringify(summary.violations)}`);
  console.log(`  上升分类 rising         ${summary.rising.name} (${summary.rising.category}) ×3 from ${summary.rising.fromDay}\n`);
}

async function main() {
  const args = options();
  // every request would be logged at info: quieter unless asked for. The in-process app serves only the
  // simulated citizens, who all come from one address within a few wall-clock minutes: no rate limit.
  const config = loadConfigOrExit({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL || 'warn', RATE_LIMIT_PER_MINUTE: '0' });
  const ctx = await createContext(config);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  try {
    const settings = conversationsRepo(ctx.db);
    const done = await settings.getSetting<{ at: string; from: string; to: string; conversations: number }>(MARKER);
    if (done && !args.isForced) {
      console.error(
        `这个数据库已经生成过演示数据（${done.from} … ${done.to}，${done.conversations} 个会话，生成于 ${done.at}）。再加一批请用 --force。\n` +
          `Demo traffic was generated on this database already (${done.from} … ${done.to}, ${done.conversations} conversations, at ${done.at}). Use --force to add another batch.`,
      );
      process.exitCode = 1;
      return;
    }
    const admin = await ensureAdmin(ctx);
    if (admin.generatedPassword) console.log(`\n  首次启动已创建管理员 admin，初始密码（仅显示一次）/ admin password (shown once): ${admin.generatedPassword}\n`);
    if (config.SEED_DEMO) await seedKnowledge(ctx);
    app = await buildApp(ctx);
    await app.services.knowledge.reload();
    console.log('准备机器人 / warming up the robot …');
    await app.services.robot.ready();
    const started = Date.now();
    const summary = await generateTraffic({ app, ctx }, { days: args.days, perDay: args.perDay, seed: args.seed, endDay: args.endDay, onProgress: (line) => console.log(`  ${line}`) });
    await settings.putSetting(MARKER, { at: new Date().toISOString(), from: summary.from, to: summary.to, conversations: summary.conversations, seed: args.seed }, 'system:demo-traffic');
    report(summary, (Date.now() - started) / 1000);
  } finally {
    await app?.close();
    await closeContext(ctx);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
