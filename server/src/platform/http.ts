import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isUniqueViolation } from './database';
import { AppError } from './errors';
import { type Bilingual, detailsIn, languageOf, splitBilingual } from './language';

/** The JSON body of every error answer. */
export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), details: z.array(z.any()).optional() }),
});

/** The request schema of a route that takes no query parameters (extra ones are ignored, as caches and proxies add some). */
export const noQuery = z.object({}).describe('无查询参数 / no query parameters');

/** The body schema of a POST that needs no body: none (Fastify passes null), or an empty JSON object. */
export const noBody = z.object({}).nullish().describe('无请求体 / no body');

/** Standard error responses to list in a route's schema so OpenAPI shows them. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  429: errorSchema,
  500: errorSchema,
};

/** An answer for an error the framework raised before any route ran: status, stable code, message. */
interface FrameworkAnswer {
  status: number;
  code: string;
  message: Bilingual;
}

/**
 * Fastify's own errors (body parsing, URL decoding, limits) as answers in the API's format, so a
 * client never sees Fastify's `{"error":"Bad Request","statusCode":400}` shape.
 */
export function frameworkAnswer(error: FastifyError | Error): FrameworkAnswer {
  const code = (error as FastifyError).code;
  const status = (error as FastifyError).statusCode ?? 500;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'invalid_json', message: { zh: '请求体不是有效的 JSON', en: 'the body is not valid JSON' } };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'body_too_large', message: { zh: '请求内容过大', en: 'request body too large' } };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: { zh: '不支持该请求内容类型（Content-Type）', en: 'unsupported Content-Type' } };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'invalid_content_length', message: { zh: '请求体长度与 Content-Length 不符', en: 'the body size does not match Content-Length' } };
    case 'FST_ERR_BAD_URL':
      return invalidUrl;
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, code: 'url_too_long', message: { zh: '网址中的参数过长', en: 'a path parameter is too long' } };
  }
  if (status === 413) return { status, code: 'body_too_large', message: { zh: '请求内容过大', en: 'request body too large' } };
  if (status === 429) return { status, code: 'rate_limited', message: { zh: '请求过于频繁，请稍后再试', en: 'too many requests' } };
  if (error instanceof SyntaxError) return { status: 400, code: 'invalid_json', message: { zh: '请求体不是有效的 JSON', en: 'the body is not valid JSON' } };
  if (status >= 400 && status < 500) return { status, code: 'bad_request', message: { zh: '请求无效', en: 'bad request' } };
  return { status: 500, code: 'internal_error', message: { zh: '服务器内部错误', en: 'internal error' } };
}

/** The answer to a URL that cannot be decoded (a broken %-escape, or raw bytes the server could not read). */
export const invalidUrl: FrameworkAnswer = {
  status: 400,
  code: 'invalid_url',
  message: { zh: '网址无效：查询参数中的中文等字符须经 URL 编码', en: 'invalid URL: percent-encode non-ASCII characters in the query' },
};

/** Fastify's `frameworkErrors` option: URLs the router cannot decode, answered like every other error. */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const answer = frameworkAnswer(error);
  if (answer.status >= 500) request.log.error({ err: error }, 'unhandled framework error');
  return reply.status(answer.status).send({ error: { code: answer.code, message: answer.message[languageOf(request)] } });
}

/** The conversation a route is about: a `:conversationId` parameter, or the `:id` of a `/conversations/:id` path. */
const conversationParam = (url: string) => (url.includes(':conversationId') ? 'conversationId' : /\/conversations\/:id(\/|$)/.test(url) ? 'id' : undefined);

/**
 * Log lines of a request about one conversation carry its `conversationId` beside the `reqId`, so a
 * conversation can be followed through the logs of every instance that served it.
 */
export function registerConversationLogContext(app: FastifyInstance) {
  app.addHook('preHandler', async (request, reply) => {
    const param = conversationParam(request.routeOptions.url ?? '');
    const id = param ? (request.params as Record<string, unknown>)[param] : undefined;
    if (typeof id !== 'string') return;
    request.log = request.log.child({ conversationId: id });
    reply.log = request.log;
  });
}

/** One place that turns every error into an HTTP answer, in the caller's language; 5xx never leak internals. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    const lang = languageOf(request);
    if (error instanceof AppError) {
      const { details, retryAfterSeconds } = error as AppError & { details?: unknown[]; retryAfterSeconds?: number };
      if (retryAfterSeconds) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSeconds))));
      return reply.status(error.status).send({ error: { code: error.code, message: error.messageIn(lang), field: error.field, details: detailsIn(details, lang) } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const path = (issue?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      const where = error.validationContext ?? 'body';
      // schema messages are still written `中文 / English`: the caller gets their half
      const said = splitBilingual(issue?.message ?? '')[lang];
      return reply.status(400).send({
        error: {
          code: 'invalid_request',
          message: lang === 'en' ? `invalid ${where}${path ? ` (${path})` : ''}: ${said}` : `请求参数无效${path ? `（${path}）` : ''}：${said}`,
          field: path || where,
        },
      });
    }
    if (isUniqueViolation(error)) {
      const message = { zh: '与已有记录冲突（可能已被他人同时创建）', en: 'conflicts with an existing record' };
      return reply.status(409).send({ error: { code: 'conflict', message: message[lang] } });
    }
    if (isUnstorableText(error)) {
      const message = { zh: '请求中含有无法保存的字符（如 NUL）', en: 'the request contains characters that cannot be stored (such as NUL)' };
      return reply.status(400).send({ error: { code: 'invalid_characters', message: message[lang] } });
    }
    const answer = frameworkAnswer(error);
    if (answer.status >= 500) request.log.error({ err: error }, 'unhandled error');
    return reply.status(answer.status).send({ error: { code: answer.code, message: answer.message[lang] } });
  });

  // a path that exists for other methods answers 405 with Allow, so a client learns its method is wrong
  const routes: { method: string; pattern: RegExp }[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/')) {
      for (const method of [route.method].flat()) routes.push({ method: String(method), pattern: routePattern(route.url) });
    }
  });
  app.setNotFoundHandler((request, reply) => {
    const lang = languageOf(request);
    const path = request.url.split('?')[0];
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    if (allowed.length && !allowed.includes(request.method)) {
      const message = { zh: `该接口不支持 ${request.method} 方法`, en: `${request.method} is not allowed here` };
      return reply.status(405).header('allow', allowed.join(', ')).send({ error: { code: 'method_not_allowed', message: message[lang] } });
    }
    const message = { zh: `没有这个接口：${request.method} ${path}`, en: `no route ${request.method} ${path}` };
    return reply.status(404).send({ error: { code: 'route_not_found', message: message[lang] } });
  });
}

/**
 * PostgreSQL refuses text it cannot store (a NUL character: 22021; a \u0000 escape in JSON: 22P05),
 * where SQLite accepts it: that is the caller's input at fault, not the server, so it answers 400.
 */
function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22021' || code === '22P05';
}

/** A Fastify route path (`/api/v1/kb/entries/:id`, `/files/*`) as a regular expression for concrete paths. */
function routePattern(url: string): RegExp {
  const segments = url.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.includes(':')) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${segments.join('/')}/?$`);
}

/** Pagination query shared by list routes. */
export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
