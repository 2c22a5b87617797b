import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { attachRealtime } from './conversations/realtime';
import { registerConversations } from './conversations/register';
import { ChannelDelivery } from './conversations/channel-delivery';
import { createChannelFunnel } from './conversations/channel-funnel';
import { channelAdapters } from './channels';
import { registerAnalytics } from './analytics/register';
import { createEntry } from './knowledge/save-entry';
import { registerInspection } from './inspection/register';
import { registerSupervision } from './supervision/register';
import { supervisionDeps } from './supervision/compose';
import { conversationsRepo } from './conversations/repo';
import { contactOfVisitor } from './conversations/web-visitor';
import { CSRF_HEADER } from './identity/tokens';
import type { ConversationDeps } from './conversations/deps';
import { resolveActor } from './identity/authenticate';
import type { Actor } from './identity/permissions';
import { identityRepo } from './identity/repo';
import { registerIdentity } from './identity/routes';
import { registerRouteAccess } from './identity/route-access';
import { createKnowledgeService } from './knowledge/service';
import { ancestorIds } from '../../common/categories';
import { registerKnowledge } from './knowledge/routes';
import { createRulesService } from './rules/create-rules-service';
import { registerRules } from './rules/routes';
import { wantsHuman } from './robot/intents';
import { recordTranscripts } from './robot/record-transcripts';
import { RobotService, viewerOf } from './robot/robot-service';
import { synonymReach } from './robot/preview-synonyms';
import { registerRobot } from './robot/routes';
import { rulesRepo } from './rules/repo';
import type { RulesService } from './rules/service';
import type { KnowledgeService } from './knowledge/service';
import { newId, nowIso } from './platform/ids';
import { normalizeText } from './text/normalize-text';
import { publicConfig, publicConfigSchema } from './platform/config';
import type { AppContext } from './platform/context';
import { registerHealth } from './platform/health';
import { registerMetrics, watchPlatform } from './platform/metrics';
import { answerClientError } from './platform/client-errors';
import { answerFrameworkError, errorResponses, noQuery, registerConversationLogContext, registerErrorHandler } from './platform/http';
import { responseSerializer } from './platform/response-serializer';
import { personalRecordsAnswers } from './citizen-records/answer-personal-question';
import { personDirectory, registerCitizenRecords } from './citizen-records/register';
import type { ServedConversations } from './citizen-records/ports';
import { coreRecordSource, localRecordSource, type RecordSource } from './citizen-records/record-source';
import { recordsRepo } from './citizen-records/repo';
import { registerCitizenIdentity } from './citizen-identity/register';
import { citizenSession } from './citizen-identity/sign-in-citizen';
import { BINDING_TICKET_MINUTES, boundPerson, issueBindingTicket } from './citizen-identity/bind-channel';
import { httpSmsProvider, outboxSmsProvider } from './citizen-identity/sms-provider';
import { canSeeConversation as mayAgentSee, hasOtherApprover } from './identity/permissions';
import type { StaffDirectory } from './knowledge/ports';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** The whole HTTP application over an open context: used by main.ts and by tests. */
export async function buildApp(ctx: AppContext) {
  const app = Fastify({
    loggerInstance: ctx.log,
    // request.ip and request.protocol come from the socket unless the hop is a configured proxy
    trustProxy: ctx.config.TRUST_PROXY,
    // routes that take files (knowledge import) set their own larger limit
    bodyLimit: 1024 * 1024,
    // what the router or Node's parser refuse is answered in the API's error format too
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // a caller's (or proxy's) X-Request-Id is kept when it is a plain token, so log lines of one request
    // can be followed across systems; anything else gets a fresh id rather than reaching the logs
    requestIdHeader: false,
    genReqId: (raw) => requestIdOf(raw.headers['x-request-id']),
  });
  app.addHook('onRequest', async (request, reply) => void reply.header('x-request-id', request.id));
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializer({ checkDroppedFields: ctx.config.NODE_ENV === 'test' }));
  registerErrorHandler(app);
  registerConversationLogContext(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // Ant Design (cssinjs) writes <style> elements and style attributes at run time
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // no upgrade-insecure-requests: intranet installs are often served over plain HTTP
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });

  await app.register(fastifyCookie);
  app.decorateRequest('actor', null as any);
  const citizenSessions = { resolve: (token: string) => citizenSession({ ctx }, token) };
  app.addHook('onRequest', async (request) => {
    // /metrics checks its own bearer token (METRICS_TOKEN), which is no session or API key
    if (request.routeOptions.url === '/metrics') request.actor = { kind: 'anonymous', roles: [], clientKey: request.ip };
    else request.actor = await resolveActor(ctx, request, citizenSessions);
  });

  if (ctx.config.RATE_LIMIT_PER_MINUTE > 0) {
    const perMinute = ctx.config.RATE_LIMIT_PER_MINUTE;
    const redis = ctx.config.REDIS_URL ? new Redis(ctx.config.REDIS_URL, { maxRetriesPerRequest: 1 }) : undefined;
    if (redis) app.addHook('onClose', async () => void (await redis.quit()));
    await app.register(fastifyRateLimit, {
      global: true,
      hook: 'preHandler', // after onRequest, so the limit can depend on who is calling
      timeWindow: '1 minute',
      redis,
      keyGenerator: (request) => request.actor?.clientKey ?? request.ip,
      max: (request) => {
        const actor = request.actor;
        if (actor?.kind === 'apiKey') return actor.rateLimitPerMinute;
        if (actor?.kind === 'user') return perMinute * 10; // staff work all day in the console
        return perMinute;
      },
      allowList: (request) => request.url.startsWith('/assets/') || request.url.startsWith('/api/v1/health') || request.url === '/metrics',
    });
  }

  // who may call each route is declared on the route; this checks it and keeps the route inventory
  registerRouteAccess(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'zhixun 智询 open API',
        version: '1.0.0',
        description:
          '12333 智慧咨询平台开放接口。匿名调用者与合作方 API 密钥只能看到已发布、在有效期内的公开知识；' +
          '登录坐席可见内部知识。认证：`Authorization: Bearer <token 或 API 密钥>`。错误统一为 `{"error":{"code","message","field"?}}`。',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // Swagger UI replaces the app's policy on /docs with this one: it writes inline <style> elements
    // (scripts stay 'self' only), and framing stays refused
    staticCSP: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  });

  registerHealth(app, ctx);
  registerMetrics(app, ctx.metrics, ctx.config.METRICS_TOKEN);
  watchPlatform(ctx);
  const metaSchema = { tags: ['platform'], summary: '前端可见的配置 / settings for the browser', querystring: noQuery, response: { 200: publicConfigSchema, ...errorResponses } };
  app.get('/api/v1/meta', { config: { access: { open: 'what every browser needs before sign-in' } }, schema: metaSchema }, async () =>
    publicConfig(ctx.config),
  );

  // the composition root: every service is built once here and handed to the domains that need it
  const knowledge = await createKnowledgeService(ctx);
  const rules = await createRulesService(ctx);
  const robot = new RobotService(ctx, knowledge);
  app.addHook('onClose', async () => robot.close());
  const records = ctx.config.RECORDS_SOURCE === 'core' ? coreRecordSource({ url: ctx.config.CORE_RECORDS_URL!, apiKey: ctx.config.CORE_RECORDS_API_KEY }) : localRecordSource(recordsRepo(ctx.db, ctx.secrets));
  const conversations = conversationDeps(ctx, knowledge, robot, rules, records);
  await registerIdentity(app, { ctx });
  await registerKnowledge(app, { ctx, knowledge, synonymReach: synonymReach(ctx, robot), staff: knowledgeStaff(ctx) });
  await registerRules(app, { ctx, rules });
  await registerRobot(app, { ctx, knowledge, robot });
  // external channels reach the funnel through ChannelFunnel; the delivery queue sends through their adapters
  let delivery: ChannelDelivery | undefined;
  const adapters = channelAdapters(createChannelFunnel(conversations, () => delivery!));
  delivery = new ChannelDelivery(conversations, adapters);
  await registerConversations(app, conversations, delivery, adapters);
  // supervision and analytics: consumers of the conversation events, with their own storage
  await registerAnalytics(app, { ctx, drafts: { createDraft: async (actor, d) => ({ entryId: (await createEntry(ctx, actor, { content: { ...d, answer: '（待补充答案）', keywords: [], references: [], audience: 'public', roles: [], effectiveFrom: null, expiresAt: null }, changeNote: '由难点问题生成' })).entryId }) } });
  await registerInspection(app, { ctx, conversations: conversationsRepo(ctx.db), knowledge: { publishedEntry: (id) => knowledge.publishedSnapshot().find((v) => v.entryId === id) } });
  await registerSupervision(app, supervisionDeps(ctx, conversations, app));
  // personal services: citizens' records, their SMS sign-in, and agents' audited view inside a conversation
  await registerCitizenRecords(app, { ctx, conversations: servedConversations(ctx), source: records, demoPersons: ctx.config.SEED_DEMO && records.kind === 'local' ? ctx.config.DEMO_PERSONS : 0 });
  await registerCitizenIdentity(app, { ctx, persons: personDirectory({ ctx, source: records }), sms: ctx.config.SMS_PROVIDER === 'http' ? httpSmsProvider(ctx.config.SMS_URL!, ctx.config.SMS_API_KEY) : outboxSmsProvider(ctx) });
  attachRealtime(app, conversations, {
    async staffFromHandshake({ token, cookie, csrf, ip }) {
      // the same checks as an HTTP request: a session token, or the cookie with its CSRF token
      const headers: Record<string, string | undefined> = { authorization: token ? `Bearer ${token}` : undefined, [CSRF_HEADER]: csrf };
      const request = { headers, cookies: cookie ? app.parseCookie(cookie) : {}, ip, method: 'POST' } as unknown as FastifyRequest;
      return resolveActor(ctx, request).catch(() => undefined);
    },
    contactOfVisitor: (visitorToken) => contactOfVisitor(conversationsRepo(ctx.db), visitorToken),
    async citizenFromToken(token) {
      const request = { headers: { authorization: `Bearer ${token}` }, cookies: {}, ip: '', method: 'GET' } as unknown as FastifyRequest;
      const actor = await resolveActor(ctx, request, citizenSessions).catch(() => undefined);
      return actor?.kind === 'citizen' ? actor : undefined;
    },
  });

  if (existsSync(webDist)) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false });
    app.get('/*', (request, reply) => {
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
  }
  app.decorate('services', { knowledge, robot });
  return app;
}

/** The request id a caller sent, when it is ≤ 64 characters of [A-Za-z0-9._-]; otherwise a new one. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(header) ? header : randomUUID();
}

/**
 * What the conversation flow needs from the other domains, as the small interfaces it declares
 * (conversations/ports.ts, deps.ts): it never reaches into their internals.
 */
function conversationDeps(ctx: AppContext, knowledge: KnowledgeService, robot: RobotService, rules: RulesService, records: RecordSource): ConversationDeps {
  const system: Actor = { kind: 'anonymous', roles: [], clientKey: 'system' };
  const users = identityRepo(ctx.db);
  const names = new Map<string, string>();
  let starters: { entryId: string; question: string }[] | undefined;
  knowledge.onReload(() => (starters = undefined));
  return {
    ctx,
    robot: {
      robot: {
        ask: (actor, input) => robot.ask(actor, input),
        logTurn: (actor, input, outcome) => robot.logTurn(actor, input, outcome),
        wantsHuman: (text) => wantsHuman(normalizeText(text).text),
        async suggest(actor, text) {
          const ranked = (await robot.ready()).rank(text, viewerOf(actor));
          return ranked.scored.slice(0, 5).flatMap((s) => {
            const id = ranked.engine.index.entries[s.entry].id;
            const entry = knowledge.servable(id, actor);
            return entry ? [{ entryId: id, question: entry.question, answer: entry.answer, score: Math.round(s.prob * 1000) / 1000 }] : [];
          });
        },
      },
      rules: {
        listRuleSets: () => rules.listRuleSets('zh'),
        async determine(rulesetId, request, record) {
          const { result, record: trace } = rules.determineWithRecord(rulesetId, request);
          if (record) await rulesRepo(ctx.db).insertDetermination(newId(), trace, record.actorLabel, nowIso());
          return result;
        },
      },
      state: robot.keyValues,
      personal: personalRecordsAnswers(ctx, records, async (identity) => ({ url: `${ctx.config.PUBLIC_URL ?? ''}/me/bind?ticket=${await issueBindingTicket(ctx, identity)}`, minutesValid: BINDING_TICKET_MINUTES })),
    },
    staff: {
      isLiveApiKey: async (apiKeyId) => (await users.listApiKeys()).some((k) => k.id === apiKeyId && !k.revokedAt),
      async displayName(userId) {
        let name = names.get(userId);
        if (!name) {
          const user = await users.findUser(userId);
          name = user?.displayName || user?.username || '坐席';
          names.set(userId, name);
        }
        return name;
      },
    },
    knowledge: {
      categoryOfEntry: (entryId) => knowledge.publishedSnapshot().find((v) => v.entryId === entryId)?.categoryId,
      entryQuestion: (entryId) => knowledge.servable(entryId, system)?.question,
      categoryPath(categoryId) {
        const parents = new Map(knowledge.categories().map((c) => [c.id, c.parentId]));
        return ancestorIds(categoryId, (id) => parents.get(id));
      },
      starterQuestions(limit) {
        // the first public question of each top-level category: worked out once per knowledge reload,
        // not on every conversation start
        starters ??= (() => {
          const parents = new Map(knowledge.categories().map((c) => [c.id, c.parentId]));
          const firstOfRoot = new Map<string, { entryId: string; question: string }>();
          for (const e of knowledge.listServable(system)) {
            const root = ancestorIds(e.categoryId, (id) => parents.get(id)).at(-1);
            if (root && !firstOfRoot.has(root)) firstOfRoot.set(root, { entryId: e.entryId, question: e.question });
          }
          return knowledge.categories().flatMap((c) => (!c.parentId && firstOfRoot.get(c.id)) || []);
        })();
        return starters.slice(0, limit);
      },
    },
    citizens: { boundPerson: (identity) => boundPerson(ctx, identity) },
    learning: {
      async learnFrom(transcript) {
        await recordTranscripts(ctx, knowledge, robot, system, [transcript]);
      },
    },
  };
}

/** The staff the knowledge console names and counts on for review, read from the identity domain. */
function knowledgeStaff(ctx: AppContext): StaffDirectory {
  const users = identityRepo(ctx.db);
  return {
    async namesOf(actorLabels) {
      const wanted = new Set(actorLabels);
      const names = new Map<string, string>();
      for (const user of await users.listUsers()) {
        const label = `user:${user.username}`;
        if (wanted.has(label)) names.set(label, user.displayName || user.username);
      }
      return names;
    },
    hasReviewerOtherThan: async (authorLabel) => hasOtherApprover(await users.listUsers(), 'kb.review', authorLabel),
  };
}

/**
 * The verified citizen of a conversation, for the agent serving it now: assigned to this agent (or
 * watched by a supervisor) and not yet closed. Anyone else gets nothing, whatever the conversation.
 */
function servedConversations(ctx: AppContext): ServedConversations {
  const repo = conversationsRepo(ctx.db);
  return {
    async verifiedPersonIn(actor, conversationId) {
      const conversation = await repo.getConversation(conversationId);
      if (!conversation || conversation.status === 'resolved' || actor.kind !== 'user') return undefined;
      const isServing = conversation.assigneeId === actor.id || (actor.roles.includes('supervisor') && mayAgentSee(actor, conversation, []));
      return isServing ? repo.verifiedPersonOf(conversationId) : undefined;
    },
  };
}
