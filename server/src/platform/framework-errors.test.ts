import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../testing/test-app';
import { encodedRequest } from './client-errors';
import { splitBilingual } from './language';

/** Sends `head` byte for byte over a socket (no client library re-encoding it) and reads the whole answer. */
async function rawRequest(port: number, head: Buffer): Promise<{ status: number; headers: string; body: string }> {
  const answer = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
  const text = answer.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  return { status: Number(text.slice(9, 12)), headers: text.slice(0, split), body: text.slice(split + 4) };
}

const isApiError = (body: unknown, code: string) => {
  const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
  assert.equal(error?.code, code);
  assert.equal(typeof error?.message, 'string');
  assert.ok((error!.message as string).length > 0);
};

describe('framework errors answer in the API format, in the caller’s language', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as net.AddressInfo).port;
  });
  after(async () => t?.close());

  it('the README’s search with raw UTF-8 in the query (as curl sends it) finds answers', async () => {
    const res = await rawRequest(port, Buffer.from('GET /api/v1/kb/search?q=退休金怎么算 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n', 'utf8'));
    assert.equal(res.status, 200, res.body);
    assert.match(res.headers, /content-type: application\/json/i);
    const items = JSON.parse(res.body).items as { question: string }[];
    assert.ok(items.length > 0);
    assert.ok(items.some((item) => /退休|养老金/.test(item.question)), 'the answers are about the question asked');
  });

  it('a raw-UTF-8 request goes through the same authentication as any request', async () => {
    const res = await rawRequest(port, Buffer.from('GET /api/v1/kb/search?q=退休 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer not-a-token\r\n\r\n', 'utf8'));
    assert.equal(res.status, 401);
    isApiError(JSON.parse(res.body), 'invalid_token');
  });

  it('a request Node cannot parse gets the JSON error format, not Fastify’s', async () => {
    const res = await rawRequest(port, Buffer.from('POST /api/v1/kb/search?q=退休 HTTP/1.1\r\nHost: localhost\r\nAccept-Language: en\r\nContent-Length: 2\r\n\r\n{}', 'utf8'));
    assert.equal(res.status, 400);
    const body = JSON.parse(res.body);
    isApiError(body, 'invalid_url');
    assert.match(body.error.message, /percent-encode/);
    const garbage = await rawRequest(port, Buffer.from('NOT HTTP AT ALL\r\n\r\n'));
    assert.equal(garbage.status, 400);
    isApiError(JSON.parse(garbage.body), 'bad_request');
  });

  it('a percent-escape that decodes to nothing is 400 invalid_url', async () => {
    const res = await t.app.inject({ url: '/api/v1/kb/entries/%E9%80' });
    assert.equal(res.statusCode, 400);
    isApiError(res.json(), 'invalid_url');
  });

  it('malformed JSON, a body too large and an unsupported media type each have their code', async () => {
    const login = (payload: string, contentType: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': contentType } });
    const badJson = await login('{"username": ', 'application/json');
    assert.equal(badJson.statusCode, 400);
    isApiError(badJson.json(), 'invalid_json');
    const emptyJson = await login('', 'application/json');
    assert.equal(emptyJson.statusCode, 400);
    isApiError(emptyJson.json(), 'invalid_json');
    const huge = await login(JSON.stringify({ username: 'x'.repeat(2 * 1024 * 1024) }), 'application/json');
    assert.equal(huge.statusCode, 413);
    isApiError(huge.json(), 'body_too_large');
    const xml = await login('<login/>', 'text/xml');
    assert.equal(xml.statusCode, 415);
    isApiError(xml.json(), 'unsupported_media_type');
  });

  it('an unknown route is 404 route_not_found; a known path with the wrong method is 405 with Allow', async () => {
    const unknown = await t.app.inject({ url: '/api/v1/no-such-thing' });
    assert.equal(unknown.statusCode, 404);
    isApiError(unknown.json(), 'route_not_found');
    const wrongMethod = await t.app.inject({ method: 'DELETE', url: '/api/v1/kb/search?q=x' });
    assert.equal(wrongMethod.statusCode, 405);
    isApiError(wrongMethod.json(), 'method_not_allowed');
    assert.match(String(wrongMethod.headers.allow), /GET/);
    const withParam = await t.app.inject({ method: 'PUT', url: '/api/v1/auth/login' });
    assert.equal(withParam.statusCode, 405);
    assert.match(String(withParam.headers.allow), /POST/);
  });

  it('messages come in one language: Chinese by default, English for Accept-Language en', async () => {
    const wrongPassword = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { username: 'admin', password: 'not-the-password' } });
    const zh = (await wrongPassword({})).json().error;
    const en = (await wrongPassword({ 'accept-language': 'en-US,en;q=0.9' })).json().error;
    assert.equal(zh.code, 'invalid_credentials');
    assert.equal(zh.message, '用户名或密码错误');
    assert.equal(en.message, 'wrong username or password');
    const zhFirst = (await wrongPassword({ 'accept-language': 'zh-CN,en;q=0.8' })).json().error;
    assert.equal(zhFirst.message, '用户名或密码错误');
    const unknownEn = (await t.app.inject({ url: '/api/v1/nope', headers: { 'accept-language': 'en' } })).json().error;
    assert.doesNotMatch(unknownEn.message, /[\u4e00-\u9fff]/);
    const badJsonZh = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{', headers: { 'content-type': 'application/json' } })).json().error;
    assert.doesNotMatch(badJsonZh.message, /[a-z]{4}/, 'no English words in the Chinese message');
  });

  it('a schema message written “中文 / English” reaches the caller as one half', async () => {
    const tooLong = (lang: string) => t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', headers: { 'accept-language': lang }, payload: { question: '问'.repeat(2001) } });
    const zh = (await tooLong('zh')).json().error;
    const en = (await tooLong('en')).json().error;
    assert.equal(zh.code, 'invalid_request');
    assert.match(zh.message, /问题太长/);
    assert.doesNotMatch(zh.message, / \/ too long/);
    assert.match(en.message, /too long/);
    assert.doesNotMatch(en.message, /问题太长/);
  });
});

describe('raw request re-encoding', () => {
  it('percent-encodes the non-ASCII bytes of a bodiless GET and keeps its headers', () => {
    const request = encodedRequest(Buffer.from('GET /s?q=退 HTTP/1.1\r\nHost: h\r\nAccept: a\r\nAccept: b\r\n\r\n', 'utf8'));
    assert.deepEqual(request, { method: 'GET', url: '/s?q=%E9%80%80', headers: { host: 'h', accept: ['a', 'b'] } });
  });

  it('refuses anything with a body, another method, or a malformed head', () => {
    const refused = [
      'POST /s?q=退 HTTP/1.1\r\nHost: h\r\n\r\n',
      'GET /s?q=退 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc',
      'GET /s?q=退 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n',
      'GET /s?q=退 退 HTTP/1.1\r\nHost: h\r\n\r\n',
      'GET /s?q=退 HTTP/1.1\r\nBad Header: x\r\nHost: h\r\n\r\n',
      'GET /s?q=退 HTTP/1.1\r\nHost: h\r\n',
      'GET /s?q=退 HTTP/1.1\r\n\r\n',
    ];
    for (const head of refused) assert.equal(encodedRequest(Buffer.from(head, 'utf8')), undefined, head);
  });
});

describe('splitBilingual', () => {
  it('splits at the separator with Chinese before and none after, even when the Chinese holds a slash', () => {
    assert.deepEqual(splitBilingual('问题太长（最多2000字） / too long'), { zh: '问题太长（最多2000字）', en: 'too long' });
    assert.deepEqual(splitBilingual('EncodingAESKey 须为字母、+ 或 / / base64 letters'), { zh: 'EncodingAESKey 须为字母、+ 或 /', en: 'base64 letters' });
    assert.deepEqual(splitBilingual('养老保险 / 退休办理'), { zh: '养老保险 / 退休办理', en: '养老保险 / 退休办理' });
    assert.deepEqual(splitBilingual('Required'), { zh: 'Required', en: 'Required' });
  });
});
