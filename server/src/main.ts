import { buildApp } from './app';
import { ensureAdmin } from './identity/manage-users';
import { seedKnowledge } from './knowledge/seed-knowledge';
import { loadConfigOrExit } from './platform/config';
import { closeContext, createContext } from './platform';

/** Starts the platform: configuration, storage, first-start seeding, then HTTP. */
async function main() {
  const config = loadConfigOrExit();
  const ctx = await createContext(config, { schema: config.DATABASE_SCHEMA });
  const admin = await ensureAdmin(ctx);
  if (admin.generatedPassword) {
    console.log(`\n  首次启动已创建管理员 admin，初始密码（仅显示一次）/ admin password (shown once): ${admin.generatedPassword}\n`);
  }
  if (config.SEED_DEMO && (await seedKnowledge(ctx))) ctx.log.info('demo knowledge base loaded');
  const app = await buildApp(ctx);
  await app.services.knowledge.reload();
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) {
      ctx.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    // readiness answers 503 at once; the port stays open for SHUTDOWN_DRAIN_MS so a load balancer
    // notices and stops sending before connections are refused
    app.readiness.startDraining();
    ctx.log.info({ signal, drainMs: config.SHUTDOWN_DRAIN_MS }, 'draining before shutdown');
    await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
    try {
      // stops accepting, tells widgets and workspaces to reconnect (realtime.ts), waits for in-flight requests
      await app.close();
      // stops the job worker (a running job is queued again for the next instance) and the outbox, then storage
      await closeContext(ctx);
    } catch (err) {
      ctx.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  await app.listen({ port: config.PORT, host: config.HOST });
  console.log(`  zhixun 智询 running: http://localhost:${config.PORT}  (API docs: /docs)`);
  // Build the robot now rather than on the first citizen's question.
  app.services.robot.ready().catch((err) => ctx.log.error({ err }, 'robot warm-up failed'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
