import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aesKeyOf, decryptMessage, encryptMessage, isSameSignature, pad, signatureOf, unpad } from './wechat-crypto';

// Known vectors from the message-encryption samples Tencent publishes with its documentation
// (WXBizMsgCrypt): a fixed EncodingAESKey, AppID and 16-byte random prefix give a fixed ciphertext.
const SAMPLE_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

describe('WeChat message cryptography', () => {
  it('encrypts exactly as WeChat’s sample: random prefix, big-endian length, message, AppID, 32-byte PKCS#7', () => {
    const encrypted = encryptMessage('我是中文abcd123', aesKeyOf(SAMPLE_KEY), 'wxb11529c136998cb6', Buffer.from('aaaabbbbccccdddd'));
    assert.equal(encrypted, 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
    assert.deepEqual(decryptMessage(encrypted, aesKeyOf(SAMPLE_KEY)), { xml: '我是中文abcd123', appId: 'wxb11529c136998cb6' });
  });

  it('verifies and decrypts a message WeChat encrypted (msg_signature over token, timestamp, nonce and ciphertext)', () => {
    const encrypt =
      'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';
    const expected = '5d197aaffba7e9b25a30732f161a50dee96bd5fa';
    assert.equal(signatureOf('spamtest', '1409735669', '1320562132', encrypt), expected);
    assert.ok(isSameSignature(expected, expected.toUpperCase()));
    assert.ok(!isSameSignature(expected, signatureOf('spamtest', '1409735669', '1320562133', encrypt)));
    const { xml, appId } = decryptMessage(encrypt, aesKeyOf(SAMPLE_KEY));
    assert.equal(appId, 'wx2c2769f8efd9abc2');
    assert.match(xml, /<MsgId>6054768590064713728<\/MsgId>/);
    assert.match(xml, /<Content><!\[CDATA\[abcdteT\]\]><\/Content>/);
  });

  it('pads to whole 32-byte blocks (a full block when already aligned) and refuses a damaged padding', () => {
    assert.equal(pad(Buffer.alloc(31)).length, 32);
    assert.equal(pad(Buffer.alloc(32)).length, 64);
    assert.deepEqual(unpad(pad(Buffer.from('abc'))), Buffer.from('abc'));
    const damaged = pad(Buffer.from('abc'));
    damaged[damaged.length - 2] = 0;
    assert.throws(() => unpad(damaged), /bad padding/);
    assert.throws(() => decryptMessage('bm90IGEgY2lwaGVydGV4dA==', aesKeyOf(SAMPLE_KEY)));
    assert.throws(() => aesKeyOf('too-short'));
  });
});
