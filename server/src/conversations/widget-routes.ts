import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../identity/permissions';
import { errorResponses, noQuery } from '../platform/http';
import { AppError, notFound } from '../platform/errors';
import { newToken } from '../platform/ids';
import { repoOf, type ConversationDeps } from './deps';

/** The built web app: the frame page (widget.html) and the embed script come from here. */
const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');
/** Where Vite writes the embed script (web/vite.config.ts); served as /widget.js. */
export const LOADER_FILE = 'embed/widget.js';
export const FRAME_FILE = 'widget.html';

/** A page that may embed the widget: scheme, host and port only, as CSP's frame-ancestors takes it. */
const origin = z
  .string()
  .trim()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      // a plain host name: no wildcard, nothing that could end the directive
      return /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/.test(url.origin) && url.origin === value.replace(/\/$/, '');
    } catch {
      return false;
    }
  }, '来源须为 https://域名[:端口]，不含路径 / an origin is scheme://host[:port], without a path')
  .transform((value) => new URL(value).origin);

const siteSchema = z.object({ key: z.string(), name: z.string(), origins: z.array(z.string()) });
const createSiteBody = z.object({ name: z.string().trim().min(1).max(100), origins: z.array(origin).max(20).default([]) });

/** A new widget site: a random key for the embed snippet, and the pages allowed to frame it. Audited. */
export async function createWidgetSite(deps: ConversationDeps, actor: Actor, input: { name: string; origins: string[] }) {
  const site = { key: newToken(12), name: input.name, origins: [...new Set(input.origins)] };
  await repoOf(deps.ctx.db).insertWidgetSite(site);
  await deps.ctx.audit.record(actor, { action: 'widget_site.created', subjectType: 'widget_site', subjectId: site.key, detail: { name: site.name, origins: site.origins } });
  return site;
}

/** The app's own policy (set by helmet for every route) with framing allowed to 'self' and these origins. */
function allowFramingBy(reply: FastifyReply, origins: string[]) {
  const ancestors = `frame-ancestors ${["'self'", ...origins].join(' ')}`;
  const policy = String(reply.raw.getHeader('content-security-policy') ?? "default-src 'self'");
  const rewritten = /frame-ancestors [^;]*/.test(policy) ? policy.replace(/frame-ancestors [^;]*/, ancestors) : `${policy};${ancestors}`;
  reply.raw.removeHeader('content-security-policy');
  reply.header('content-security-policy', rewritten);
}

/** Files of the build, read once (they change only with a new deployment, which restarts the server). */
function builtFile(name: string) {
  let cached: Promise<{ body: Buffer; etag: string }> | undefined;
  return () => {
    cached ??= readFile(path.join(webDist, name)).then((body) => ({ body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` }));
    return cached.catch(() => {
      cached = undefined; // not built yet: try again next time
      throw new AppError(503, 'widget_not_built', { zh: '咨询窗口尚未构建（npm run build:web）', en: 'the widget is not built' });
    });
  };
}

/**
 * The web chat widget as other sites embed it: the loader script (`<script src=".../widget.js"
 * data-site-key="KEY">`), the frame page it opens, which only the site's own origins may frame,
 * and the console's list of sites.
 */
export async function widgetRoutes(fastify: FastifyInstance, deps: ConversationDeps) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const repo = repoOf(deps.ctx.db);
  const frame = builtFile(FRAME_FILE);
  const loader = builtFile(LOADER_FILE);

  app.get('/widget/frame', {
    // the policy's frame-ancestors replaces X-Frame-Options, which cannot name several origins
    helmet: { frameguard: false },
    schema: { hide: true, querystring: z.object({ siteKey: z.string().trim().min(1).max(64), mode: z.string().max(16).optional(), lang: z.string().max(8).optional() }) },
  }, async (request, reply) => {
    const site = await repo.widgetSite(request.query.siteKey);
    if (!site) throw notFound('站点', 'unknown_site');
    allowFramingBy(reply, site.origins);
    const { body } = await frame();
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(body);
  });

  app.get('/widget.js', {
    // loaded by <script> on other sites' pages
    helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' } },
    schema: { hide: true },
  }, async (request, reply) => {
    const { body, etag } = await loader();
    reply.header('cache-control', 'public, max-age=600').header('etag', etag).type('text/javascript; charset=utf-8');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.send(body);
  });

  const tags = ['conversation settings'];
  app.get('/api/v1/widget-sites', {
    config: { access: 'conversations.configure' },
    schema: { tags, summary: '嵌入咨询窗口的网站 / sites that embed the chat widget', querystring: noQuery, response: { 200: z.object({ items: z.array(siteSchema) }), ...errorResponses } },
  }, async (request) => {
    return { items: await repo.widgetSites() };
  });

  app.post('/api/v1/widget-sites', {
    config: { access: 'conversations.configure' },
    schema: { tags, summary: '新增嵌入网站（返回站点密钥） / add a site (returns its key)', body: createSiteBody, response: { 201: siteSchema, ...errorResponses } },
  }, async (request, reply) => {
    return reply.status(201).send(await createWidgetSite(deps, request.actor, request.body));
  });
}
