import { randomBytes } from 'node:crypto';
import type { Role } from '../../../common/roles';
import { buildApp } from '../app';
import { createUser, ensureAdmin } from '../identity/manage-users';
import { seedKnowledge } from '../knowledge/seed-knowledge';
import { loadConfig } from '../platform/config';
import { closeContext, createContext } from '../platform';

export const ADMIN_PASSWORD = 'admin-pass-for-tests';
/** one key per test process, so instances sharing a database in a test read each other's secrets */
const SECRETS_KEY = randomBytes(32).toString('hex');

/**
 * An in-process server on a fresh database: SQLite in memory, or (when TEST_DATABASE_URL is set)
 * a PostgreSQL schema of its own, so test files can run side by side.
 */
export async function startTestApp(options: { seed?: boolean; env?: Record<string, string>; shareDatabaseWith?: TestApp; logStream?: NodeJS.WritableStream } = {}) {
  const base = loadConfig();
  const shared = options.shareDatabaseWith;
  const schema = shared ? shared.schema : base.TEST_DATABASE_URL ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const config = loadConfig({
    DATA_DIR: shared ? shared.ctx.config.DATA_DIR : ':memory:',
    RATE_LIMIT_PER_MINUTE: '0',
    // tests import the persons they need; the 10,000 synthetic ones are for demos
    DEMO_PERSONS: '0',
    LOG_LEVEL: 'silent',
    ADMIN_PASSWORD,
    NODE_ENV: 'test',
    SECRETS_KEY,
    ...(base.TEST_DATABASE_URL ? { DATABASE_URL: base.TEST_DATABASE_URL } : {}),
    ...options.env,
  });
  const ctx = await createContext(config, { schema, logStream: options.logStream as any });
  await ensureAdmin(ctx);
  if (options.seed !== false) await seedKnowledge(ctx);
  const app = await buildApp(ctx);
  await app.services.knowledge.reload();

  let userCounter = 0;
  async function login(username: string, password: string) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.body}`);
    return res.json().token as string;
  }
  const testApp: TestApp = {
    app,
    ctx,
    schema,
    dialect: ctx.database.dialect,
    login,
    /** Creates a user with these roles and returns a Bearer token for them. */
    async tokenFor(roles: Role[], username = `${roles.join('-')}-${++userCounter}`) {
      await createUser(ctx, 'test', { username, password: 'password-123', roles });
      return login(username, 'password-123');
    },
    adminToken: () => login('admin', ADMIN_PASSWORD),
    async close() {
      await app.close();
      await closeContext(ctx);
      // the schema is left in place: scripts/test.mjs drops every test schema once no test file runs
      // (dropping it here raced with other files' migrations, which introspect every schema)
    },
  };
  return testApp;
}

export interface TestApp {
  app: Awaited<ReturnType<typeof buildApp>>;
  ctx: Awaited<ReturnType<typeof createContext>>;
  schema: string | undefined;
  dialect: 'sqlite' | 'postgres';
  login(username: string, password: string): Promise<string>;
  tokenFor(roles: Role[], username?: string): Promise<string>;
  adminToken(): Promise<string>;
  close(): Promise<void>;
}
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
