import { z } from 'zod';

/** Every setting the platform reads from the environment. Nothing else reads process.env. */
const configSchema = z.object({
  /** TCP port of the web UI and API. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Folder of the embedded SQLite database and other local state. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL connection string; when set it replaces the embedded SQLite database. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
  /** Redis connection string; when set, caches, sessions and events are shared between instances. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /** Password of the `admin` user created on first start; random and printed once when unset. */
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** Requests a minute per anonymous client; 0 turns rate limiting off (load tests, benchmarks). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  /** Log level of pino. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Whether to import the demo knowledge base and rules into an empty database. */
  SEED_DEMO: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Set by CI; browser tests must run (not skip) under CI. */
  CI: z.string().optional().transform((v) => v === 'true' || v === '1'),
  /** Path of a Chromium binary for browser tests; found on PATH when unset. */
  CHROMIUM_PATH: z.string().optional(),
  /** PostgreSQL database for the second test run. */
  TEST_DATABASE_URL: z.string().optional(),
  /** Redis for the scale-out tests; they skip without it (CI sets it). */
  TEST_REDIS_URL: z.string().optional(),
  NODE_ENV: z.string().default('development'),
});

export type Config = z.infer<typeof configSchema>;

/** Parses and validates the environment; throws with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export class ConfigError extends Error {}

/** Settings the browser may see (sent by GET /api/v1/meta). */
export function publicConfig(config: Config) {
  return { locale: 'zh-CN', locales: ['zh-CN', 'en'], scaledOut: Boolean(config.REDIS_URL) };
}
