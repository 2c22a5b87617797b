import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isUniqueViolation } from './database';
import { AppError } from './errors';

/** The JSON body of every error answer. */
export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional(), details: z.array(z.any()).optional() }),
});

/** Standard error responses to list in a route's schema so OpenAPI shows them. */
export const errorResponses = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
};

/** One place that turns every error into an HTTP answer; 5xx never leak internals. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      const { details, retryAfterSeconds } = error as AppError & { details?: unknown[]; retryAfterSeconds?: number };
      if (retryAfterSeconds) reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterSeconds))));
      return reply.status(error.status).send({ error: { code: error.code, message: error.message, field: error.field, details } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const path = (issue?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      const where = error.validationContext ?? 'body';
      return reply.status(400).send({
        error: {
          code: 'invalid_request',
          message: `请求参数无效 / invalid ${where}${path ? ` at ${path}` : ''}: ${issue?.message ?? ''}`,
          field: path || where,
        },
      });
    }
    if (isUniqueViolation(error)) {
      return reply.status(409).send({ error: { code: 'conflict', message: '与已有记录冲突（可能已被他人同时创建） / conflicts with an existing record' } });
    }
    const status = (error as FastifyError).statusCode ?? 500;
    if (status === 413) {
      return reply.status(413).send({ error: { code: 'body_too_large', message: '请求内容过大 / request body too large' } });
    }
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'rate_limited', message: '请求过于频繁，请稍后再试 / too many requests' } });
    }
    if (status >= 400 && status < 500) {
      const code = (error as FastifyError).code === 'FST_ERR_CTP_INVALID_JSON_LENGTH' || /JSON/i.test(error.message) ? 'invalid_json' : 'bad_request';
      return reply.status(status).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: '服务器内部错误 / internal error' } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'route_not_found', message: `没有这个接口 / no route ${request.method} ${request.url}` } });
  });
}

/** Pagination query shared by list routes. */
export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
