import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * The QQ bot platform's callback signatures (Ed25519). The platform does not hand out a key: both
 * sides derive the key pair from the bot's app secret. The seed is the secret's bytes repeated
 * until there are at least 32 of them, cut to 32; the platform signs `X-Signature-Timestamp + body`
 * of every callback with it, and the bot proves it holds the secret by signing
 * `event_ts + plain_token` when the callback address is validated (op 13).
 */
export interface QqKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const SEED_SIZE = 32;
// PKCS#8 wrapper of a bare Ed25519 seed (RFC 8410): SEQUENCE { version 0, AlgorithmIdentifier 1.3.101.112, OCTET STRING { OCTET STRING seed } }
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The 32-byte Ed25519 seed the platform derives from an app secret. */
export function seedOf(appSecret: string): Buffer {
  const bytes = Buffer.from(appSecret, 'utf8');
  if (!bytes.length) throw new Error('an empty app secret gives no key');
  let seed = bytes;
  while (seed.length < SEED_SIZE) seed = Buffer.concat([seed, seed]);
  return seed.subarray(0, SEED_SIZE);
}

/** The bot's key pair, as the platform derives it from the app secret. */
export function keyPairOf(appSecret: string): QqKeyPair {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seedOf(appSecret)]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** Hex Ed25519 signature of a message with the bot's key. */
export function signHex(keys: QqKeyPair, message: string | Buffer): string {
  return sign(null, typeof message === 'string' ? Buffer.from(message, 'utf8') : message, keys.privateKey).toString('hex');
}

/** True when `signatureHex` is the platform's signature of `timestamp + body` under the bot's public key. */
export function isSignedByPlatform(keys: QqKeyPair, timestamp: string | undefined, body: Buffer, signatureHex: string | undefined): boolean {
  if (!timestamp || !signatureHex || !/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
  const signature = Buffer.from(signatureHex, 'hex');
  // the top three bits of the last byte are always clear in a valid signature (as the platform's own check)
  if ((signature[63]! & 224) !== 0) return false;
  return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), keys.publicKey, signature);
}

/** The answer to the platform's callback-address validation (op 13). */
export function validationAnswer(keys: QqKeyPair, eventTs: string, plainToken: string): { plain_token: string; signature: string } {
  return { plain_token: plainToken, signature: signHex(keys, eventTs + plainToken) };
}
