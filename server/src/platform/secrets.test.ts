import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseSecretsKey, secretBoxWithKey } from './secrets';

describe('secrets stored in the database', () => {
  const box = secretBoxWithKey(randomBytes(32));

  it('a sealed secret opens with the same key, reads as nothing without it, and differs each time it is sealed', () => {
    const sealed = box.seal('wx-app-secret-0123');
    assert.equal(box.open(sealed), 'wx-app-secret-0123');
    assert.ok(!sealed.includes('wx-app-secret'));
    assert.notEqual(box.seal('wx-app-secret-0123'), sealed, 'a fresh IV each time');
    assert.throws(() => secretBoxWithKey(randomBytes(32)).open(sealed), 'another key cannot open it');
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.throws(() => box.open(tampered), 'an altered value is refused');
  });

  it('the lookup hash of a phone number is the same for the same key and value, and different for another key', () => {
    assert.equal(box.lookupHash('13800138000'), box.lookupHash('13800138000'));
    assert.notEqual(box.lookupHash('13800138000'), box.lookupHash('13800138001'));
    assert.notEqual(secretBoxWithKey(randomBytes(32)).lookupHash('13800138000'), box.lookupHash('13800138000'));
  });

  it('keys are given as 64 hex digits or base64, and must be 32 bytes', () => {
    const key = randomBytes(32);
    assert.deepEqual(parseSecretsKey(key.toString('hex')), key);
    assert.deepEqual(parseSecretsKey(key.toString('base64')), key);
    assert.throws(() => secretBoxWithKey(randomBytes(16)), /32 bytes/);
  });
});
