import { isIP } from 'node:net';
import { z } from 'zod';
import { passwordWeakness } from '../identity/password-strength';

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One TRUST_PROXY item: an address, a CIDR with a prefix that is not /0, or a proxy-addr range name. */
function isTrustedProxyItem(item: string): boolean {
  if (PROXY_NAMES.has(item)) return true;
  const [address, prefix, ...rest] = item.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits >= 1 && bits <= (family === 4 ? 32 : 128);
}

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
  /** PostgreSQL schema to work in (created when missing), for a database shared with other applications; default: the connection's search_path. */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _').optional(),
  /** Redis connection string; when set, caches, sessions and events are shared between instances. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /** Password of the `admin` user created on first start; random and printed once when unset. Same strength rule as every password. */
  ADMIN_PASSWORD: z
    .string()
    .superRefine((value, check) => {
      const weakness = passwordWeakness(value, ['admin']);
      if (weakness) check.addIssue({ code: 'custom', message: weakness.en });
    })
    .optional(),
  /**
   * Reverse proxies whose X-Forwarded-For / -Proto / -Host are believed: comma-separated addresses or
   * CIDRs (`10.0.0.5,172.16.0.0/12`, or `loopback`). Off by default: the client address is the socket's.
   * "Trust everyone" (`true`, `*`, `/0`) is refused, since any client could then choose its own address.
   */
  TRUST_PROXY: z
    .string()
    .transform((value, check) => {
      if (/^(false|off|none)$/i.test(value.trim())) return false as const;
      const items = value.split(',').map((item) => item.trim()).filter(Boolean);
      const bad = items.filter((item) => !isTrustedProxyItem(item));
      if (items.length === 0 || bad.length > 0) {
        check.addIssue({ code: 'custom', message: `not an address or CIDR (and never everyone): ${bad.join(', ') || value}` });
        return z.NEVER;
      }
      return items;
    })
    .default(false),
  /**
   * Key that encrypts secrets stored in the database (channel app secrets, webhook secrets): 64 hex
   * digits or base64 of 32 bytes. Unset: a key file in DATA_DIR, made on first start. Instances that
   * share a database must share this key.
   */
  SECRETS_KEY: z
    .string()
    .refine((v) => /^[0-9a-f]{64}$/i.test(v.trim()) || Buffer.from(v.trim(), 'base64').length === 32, 'must be 64 hex digits or base64 of 32 bytes')
    .optional(),
  /**
   * The address citizens reach the portal at (https://12333.example.gov.cn), for links in answers sent
   * on channels that show plain text (WeChat, QQ). Unset: links are relative paths.
   */
  PUBLIC_URL: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) address').transform((v) => v.replace(/\/+$/, '')).optional(),
  /**
   * Speech for the phone line (channels/phone/speech.ts): `none` keeps the IVR on touch-tones (DTMF)
   * only; `http` posts recordings to SPEECH_URL for recognition and prompts for synthesis.
   */
  SPEECH_PROVIDER: z.enum(['none', 'http']).default('none'),
  /** Base address of the speech service when SPEECH_PROVIDER=http (`/recognize` and `/synthesize` under it). */
  SPEECH_URL: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) address').transform((v) => v.replace(/\/+$/, '')).optional(),
  /** Bearer token sent to the speech service, if it wants one. */
  SPEECH_API_KEY: z.string().min(1).optional(),
  /** How long one call to the speech service may take before the IVR falls back to touch-tones. */
  SPEECH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Requests a minute per anonymous client; 0 turns rate limiting off (load tests, benchmarks). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  /**
   * Bearer token that GET /metrics (Prometheus) requires. Unset: /metrics answers only to callers on
   * this machine (127.0.0.1 or ::1, with no X-Forwarded-For), so scrape it from the host or set a token.
   */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  /**
   * On SIGTERM or SIGINT, how long readiness answers 503 (draining) while the server still serves,
   * so a load balancer stops sending before the port closes; then in-flight requests finish and it exits.
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(5000),
  /** Log level of pino. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * How citizens' one-time sign-in codes are texted: `outbox` keeps them in a table admins read in the
   * console (development, demos); `http` posts {phone, text} to SMS_URL (the deployment's gateway).
   */
  SMS_PROVIDER: z.enum(['outbox', 'http']).default('outbox'),
  /** The SMS gateway's address when SMS_PROVIDER=http. */
  SMS_URL: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) address').optional(),
  /** Bearer token sent to the SMS gateway, if it wants one. */
  SMS_API_KEY: z.string().min(1).optional(),
  /**
   * Where citizens' contributions, applications and payments are read: `local`, the store fed by the
   * nightly import (POST /api/v1/records/import); `core`, the core business system asked live at
   * CORE_RECORDS_URL (GET {url}/persons/{idNumber} in the import format).
   */
  RECORDS_SOURCE: z.enum(['local', 'core']).default('local'),
  /** The core business system's address when RECORDS_SOURCE=core. */
  CORE_RECORDS_URL: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) address').transform((v) => v.replace(/\/+$/, '')).optional(),
  /** Bearer token sent to the core business system, if it wants one. */
  CORE_RECORDS_API_KEY: z.string().min(1).optional(),
  /**
   * A TrueType/OpenType font with Chinese glyphs for the PDF contribution statement (参保证明); for a
   * collection (.ttc/.otc) add the face's PostScript name after `#`
   * (`/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular`). Unset: the usual
   * Debian/Ubuntu font paths (fonts-wqy-microhei, fonts-wqy-zenhei, fonts-noto-cjk) are tried at the first download;
   * with none, PDF downloads answer 503 pdf_font_missing and the portal offers the web page instead.
   */
  PDF_FONT_FILE: z.string().min(1).optional(),
  /** Synthetic insured persons loaded into an empty records store on start when SEED_DEMO is on (0: none). */
  DEMO_PERSONS: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
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

/** Settings that only make sense together. */
const configRules = configSchema.superRefine((config, check) => {
  if (config.SPEECH_PROVIDER === 'http' && !config.SPEECH_URL) {
    check.addIssue({ code: 'custom', path: ['SPEECH_URL'], message: 'required when SPEECH_PROVIDER=http' });
  }
  if (config.RECORDS_SOURCE === 'core' && !config.CORE_RECORDS_URL) {
    check.addIssue({ code: 'custom', path: ['CORE_RECORDS_URL'], message: 'required when RECORDS_SOURCE=core' });
  }
  if (config.SMS_PROVIDER === 'http' && !config.SMS_URL) {
    check.addIssue({ code: 'custom', path: ['SMS_URL'], message: 'required when SMS_PROVIDER=http' });
  }
});

/** Parses and validates the environment; throws with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = configRules.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export class ConfigError extends Error {}

/** For command-line entry points: the configuration, or the problems printed and exit code 2. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

/** What the browser may see of the settings (sent by GET /api/v1/meta). */
export const publicConfigSchema = z.object({ locale: z.string(), locales: z.array(z.string()), scaledOut: z.boolean() });

/** The settings the browser may see: an explicit list, so no secret reaches it by accident. */
export function publicConfig(config: Config): z.infer<typeof publicConfigSchema> {
  return { locale: 'zh-CN', locales: ['zh-CN', 'en'], scaledOut: Boolean(config.REDIS_URL) };
}
