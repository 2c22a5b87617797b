import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { invalidUrl } from './http';
import { type Bilingual, languageOf } from './language';

type ParserError = Error & { code?: string; rawPacket?: unknown };
type RawHeaders = Record<string, string | string[]>;

/** A header name as HTTP defines it (a token). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** The request line after its non-ASCII bytes were percent-encoded: nothing else may be odd about it. */
const REQUEST_LINE = /^(GET|HEAD) (\/[\x21-\x7e]*) HTTP\/1\.[01]$/;

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses never reaches a route, so it is
 * answered here in the API's error format. One refusal is served instead: curl sends the README's
 * `curl '…/kb/search?q=退休金怎么算'` with raw UTF-8 in the query, which Node rejects (browsers always
 * percent-encode). A GET or HEAD without a body is percent-encoded as a browser would, run through the
 * app like any request (same hooks, authentication and rate limit), and the connection closed after
 * the answer, so nothing that follows on it is ever parsed by this code.
 */
export function answerClientError(this: FastifyInstance, err: ParserError, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const raw = Buffer.isBuffer(err.rawPacket) ? err.rawPacket : undefined;
  const request = err.code === 'HPE_INVALID_URL' && raw ? encodedRequest(raw) : undefined;
  if (!request) return writeError(socket, err, raw);
  this.inject({ method: request.method, url: request.url, headers: request.headers, remoteAddress: socket.remoteAddress })
    .then((res) => {
      if (socket.destroyed) return;
      const body = request.method === 'HEAD' ? Buffer.alloc(0) : res.rawPayload;
      const lines = [`HTTP/1.1 ${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ''}`];
      for (const [name, value] of Object.entries(res.headers)) {
        if (['connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name) || value === undefined) continue;
        for (const one of [value].flat()) lines.push(`${name}: ${one}`);
      }
      lines.push(`content-length: ${res.rawPayload.length}`, 'connection: close');
      socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
    })
    .catch((error: Error) => {
      this.log.error({ err: error }, 'raw-URL request failed');
      writeError(socket, { code: 'internal' } as ParserError, raw);
    });
}

/**
 * The request in `raw` with its URL percent-encoded, when it is a complete GET or HEAD head with no
 * body whose only fault is non-ASCII bytes in the URL; otherwise undefined.
 */
export function encodedRequest(raw: Buffer): { method: 'GET' | 'HEAD'; url: string; headers: RawHeaders } | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [requestLine, ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const encodedLine = Array.from(Buffer.from(requestLine, 'latin1'), (byte) => (byte >= 0x80 ? `%${byte.toString(16).toUpperCase()}` : String.fromCharCode(byte))).join('');
  const match = REQUEST_LINE.exec(encodedLine);
  if (!match) return undefined;
  const headers: RawHeaders = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (colon <= 0 || !TOKEN.test(name) || /[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return undefined;
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [previous, value].flat();
  }
  const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
  if (hasBody || typeof headers.host !== 'string') return undefined;
  return { method: match[1] as 'GET' | 'HEAD', url: match[2], headers };
}

/** Writes a refusal in the API's error format and closes the connection, as Node itself would. */
function writeError(socket: Socket, err: ParserError, raw: Buffer | undefined) {
  if (!socket.writable) return void socket.destroy();
  const { status, code, message } = refusalOf(err);
  const acceptLanguage = raw ? /\r\naccept-language:([^\r]*)/i.exec(raw.toString('latin1'))?.[1] : undefined;
  const lang = languageOf({ headers: { 'accept-language': acceptLanguage } });
  const body = Buffer.from(JSON.stringify({ error: { code, message: message[lang] } }));
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
}

function refusalOf(err: ParserError): { status: number; code: string; message: Bilingual } {
  switch (err.code) {
    case 'HPE_INVALID_URL':
      return invalidUrl;
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: { zh: '请求头过大', en: 'request headers too large' } };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'request_timeout', message: { zh: '请求超时', en: 'request timed out' } };
    case 'internal':
      return { status: 500, code: 'internal_error', message: { zh: '服务器内部错误', en: 'internal error' } };
    default:
      return { status: 400, code: 'bad_request', message: { zh: '无法解析该 HTTP 请求', en: 'malformed HTTP request' } };
  }
}
