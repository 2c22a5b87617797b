import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';

/**
 * Encrypts secrets kept in the database (channel app secrets, webhook signing secrets, access
 * tokens) with AES-256-GCM, so a copy of the database or a backup does not give them away.
 * The key comes from SECRETS_KEY; without it, from a key file created in the data folder on first
 * start (fine for one instance; instances behind a load balancer must share SECRETS_KEY).
 */
export interface SecretBox {
  seal(plain: string): string;
  /** throws when the value was sealed with another key or altered */
  open(sealed: string): string;
  /**
   * A keyed hash for looking a value up without storing it (a phone or ID number): the same value
   * gives the same hash on every instance, and nobody without the key can test guesses against it.
   */
  lookupHash(value: string): string;
}

const PREFIX = 'v1:';

export function secretBoxWithKey(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes (64 hex digits or 44 base64 characters)');
  const lookupKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'zhixun lookup hash', 32));
  return {
    lookupHash: (value) => createHmac('sha256', lookupKey).update(value).digest('hex'),
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed secret');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** 64 hex digits or base64 of 32 bytes. */
export function parseSecretsKey(text: string): Buffer {
  const trimmed = text.trim();
  return /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
}

export function createSecretBox(config: Config, log: FastifyBaseLogger): SecretBox {
  if (config.SECRETS_KEY) return secretBoxWithKey(parseSecretsKey(config.SECRETS_KEY));
  if (config.DATA_DIR === ':memory:') return secretBoxWithKey(randomBytes(32));
  const file = path.join(config.DATA_DIR, 'secrets.key');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    log.info({ file }, 'secrets: a new encryption key was created for secrets stored in the database');
  }
  if (config.DATABASE_URL) log.warn({ file }, 'secrets: SECRETS_KEY is not set; every instance sharing this database needs the same key');
  return secretBoxWithKey(parseSecretsKey(readFileSync(file, 'utf8')));
}
