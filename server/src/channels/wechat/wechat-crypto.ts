import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The cryptography of WeChat's message callbacks, as the official account platform defines it:
 * SHA-1 signatures over sorted parts, and the "safe mode" (安全模式) message encryption — AES-256-CBC
 * with the EncodingAESKey, the key's first 16 bytes as IV, PKCS#7 padding to a 32-byte block, over
 * 16 random bytes + the message length (4 bytes, big-endian) + the message + the AppID.
 */

/** An EncodingAESKey: 43 characters of the base64 alphabet (32 bytes once "=" is appended). */
export const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;

const BLOCK = 32;

/** SHA-1 hex of the parts sorted lexicographically and joined: `signature` and `msg_signature`. */
export function signatureOf(...parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Compares a signature from a request with the expected one in constant time. */
export function isSameSignature(expected: string, given: string | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The AES key an EncodingAESKey stands for. */
export function aesKeyOf(encodingAESKey: string): Buffer {
  if (!ENCODING_AES_KEY.test(encodingAESKey)) throw new Error('EncodingAESKey must be 43 base64 characters');
  return Buffer.from(`${encodingAESKey}=`, 'base64');
}

/** PKCS#7 with WeChat's 32-byte block: 1 to 32 bytes, each holding the count. */
export function pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

export function unpad(data: Buffer): Buffer {
  const n = data[data.length - 1];
  if (!data.length || n < 1 || n > BLOCK || n > data.length) throw new Error('bad padding');
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) throw new Error('bad padding');
  return data.subarray(0, data.length - n);
}

/** Encrypts a message for WeChat (base64); `random` is fixed only by tests against known vectors. */
export function encryptMessage(xml: string, aesKey: Buffer, appId: string, random: Buffer = randomBytes(16)): string {
  const body = Buffer.from(xml, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const plain = pad(Buffer.concat([random, length, body, Buffer.from(appId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** Decrypts an `Encrypt` value; throws on anything malformed. The caller checks the AppID. */
export function decryptMessage(encrypted: string, aesKey: Buffer): { xml: string; appId: string } {
  const data = Buffer.from(encrypted, 'base64');
  if (!data.length || data.length % 16 !== 0) throw new Error('bad ciphertext length');
  const decipher = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = unpad(Buffer.concat([decipher.update(data), decipher.final()]));
  if (plain.length < 20) throw new Error('message too short');
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw new Error('bad message length');
  return { xml: plain.subarray(20, 20 + length).toString('utf8'), appId: plain.subarray(20 + length).toString('utf8') };
}
