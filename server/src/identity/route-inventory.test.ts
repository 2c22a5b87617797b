import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { startTestApp, type TestApp } from '../testing/test-app';
import { can } from './permissions';
import { needsAccessRule, registerRouteAccess, type RegisteredRoute, type RouteAccess } from './route-access';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const isOpen = (access: RouteAccess | undefined) => typeof access === 'object' && !Array.isArray(access);
/** Whether an anonymous caller passes the rule: open routes and actions granted to 'anyone'. */
function isForAnyone(access: RouteAccess): boolean {
  if (typeof access === 'object' && !Array.isArray(access)) return true;
  if (access === 'citizen') return false;
  return [access].flat().some((action) => can({ kind: 'anonymous', roles: [], clientKey: 'probe' }, action));
}

/** What is missing on one route, in words; empty when the route is complete. */
function gapsOf(route: RegisteredRoute): string[] {
  const gaps: string[] = [];
  const schema = (route.schema ?? {}) as Record<string, any>;
  if (!route.access) gaps.push('no access rule (config.access)');
  if (route.url.includes(':') && !schema.params) gaps.push('no params schema');
  if (WITH_BODY.has(route.method) && !schema.body) gaps.push('no body schema');
  if (!WITH_BODY.has(route.method) && !schema.querystring && !schema.params) gaps.push('no querystring or params schema');
  const statuses = Object.keys(schema.response ?? {});
  if (!statuses.some((s) => /^2/.test(s))) gaps.push('no success response schema');
  const errors = ['400', '429', '500', ...(isOpen(route.access) ? [] : ['401', '403'])];
  const missing = errors.filter((s) => !statuses.includes(s));
  if (missing.length) gaps.push(`no error responses ${missing.join(', ')}`);
  return gaps;
}

describe('route inventory: no route is open by omission, every route says what it takes and answers', () => {
  let t: TestApp;
  let routes: RegisteredRoute[];
  before(async () => {
    t = await startTestApp();
    await t.app.ready();
    routes = t.app.routeInventory.filter((r) => r.method !== 'HEAD' && needsAccessRule(r.url));
  });
  after(() => t.close());

  it('finds the API routes', () => {
    assert.ok(routes.length > 150, `only ${routes.length} routes found: is the inventory hook registered before the domains?`);
  });

  it('every API route declares an access rule, request schemas and response schemas with its error answers', () => {
    const incomplete = routes.flatMap((route) => {
      const gaps = gapsOf(route);
      return gaps.length ? [`${route.method} ${route.url}: ${gaps.join('; ')}`] : [];
    });
    console.log(`# route inventory: ${routes.length} routes, ${incomplete.length} incomplete`);
    assert.deepEqual(incomplete, []);
  });

  it('OpenAPI documents every route with each answer its schema declares, and who may call it', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const undocumented: string[] = [];
    for (const route of routes) {
      if ((route.schema as { hide?: boolean } | undefined)?.hide) continue; // /metrics: Prometheus text, not part of the API
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = spec.paths?.[path]?.[route.method.toLowerCase()];
      const declared = Object.keys((route.schema as { response?: object } | undefined)?.response ?? {});
      if (!operation) undocumented.push(`${route.method} ${route.url}: not in OpenAPI`);
      else if (declared.some((status) => !operation.responses?.[status])) undocumented.push(`${route.method} ${route.url}: answers missing from OpenAPI`);
      else if (route.access && !String(operation.description ?? '').includes('access')) undocumented.push(`${route.method} ${route.url}: access not described`);
    }
    assert.deepEqual(undocumented, []);
  });

  it('an anonymous caller gets no 2xx from any route that is not open to anyone', async () => {
    const reached: string[] = [];
    for (const route of routes) {
      if (!route.access || isForAnyone(route.access)) continue;
      const url = route.url.replace(/:(\w+)/g, 'probe-$1');
      const res = await t.app.inject({ method: route.method as 'GET', url, ...(WITH_BODY.has(route.method) ? { payload: {} } : {}) });
      if (res.statusCode < 300 || res.statusCode >= 500) reached.push(`${route.method} ${route.url}: ${res.statusCode}`);
    }
    assert.deepEqual(reached, []);
  });
});

describe('route access fails closed', () => {
  it('an API route without an access rule cannot be registered; other routes (static files) can', async () => {
    const app = Fastify();
    app.decorateRequest('actor', null as never);
    app.addHook('onRequest', async (request) => void (request.actor = { kind: 'anonymous', roles: [], clientKey: 'test' }));
    registerRouteAccess(app);
    assert.throws(() => app.get('/api/v1/forgotten', async () => ({ ok: true })), /declares no access rule/);
    assert.throws(() => app.get('/api/v1/typo', { config: { access: 'kb.reed' as never } }, async () => ({ ok: true })), /unknown access rule/);
    app.get('/api/v1/declared', { config: { access: 'kb.edit' } }, async () => ({ ok: true }));
    app.get('/logo.svg', async () => 'svg');
    assert.equal((await app.inject({ url: '/api/v1/declared' })).statusCode, 401, 'the declared rule is enforced');
    assert.equal((await app.inject({ url: '/logo.svg' })).statusCode, 200);
    await app.close();
  });
});
