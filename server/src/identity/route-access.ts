import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { type Action, authorize, authorizeCitizen, can, PERMISSIONS } from './permissions';
import { forbidden, unauthorized } from '../platform/errors';

/**
 * Who may call a route, declared on the route itself (`config: { access }`) so that no route is
 * open by omission:
 * - an action of the permission table (or several, any one of which suffices);
 * - `'citizen'`: the citizen signed in with an SMS code, for their own affairs;
 * - `{ open: why }`: every caller, with the reason written down (sign-in, health probes, the widget's
 *   visitor token or a channel's signature, checked by the handler itself).
 * The app enforces it after validation and before the handler (rate limit → authenticate → validate
 * → authorize); handlers still decide finer things (which conversation, whose record).
 */
export type RouteAccess = Action | Action[] | 'citizen' | { open: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route (identity/route-access.ts). Every /api route and /metrics declares one. */
    access?: RouteAccess;
  }
}

/** Routes that must declare their access: the API and the metrics endpoint (static files and /docs are public by design). */
export const needsAccessRule = (url: string) => url.startsWith('/api/') || url === '/metrics';

/** Whether a declared access value is one the app knows how to enforce; the reason of an open route must be written. */
export function isValidAccess(access: unknown): access is RouteAccess {
  if (typeof access === 'string') return access === 'citizen' || access in PERMISSIONS;
  if (Array.isArray(access)) return access.length > 0 && access.every((a) => typeof a === 'string' && a in PERMISSIONS);
  return typeof access === 'object' && access !== null && typeof (access as { open?: unknown }).open === 'string' && (access as { open: string }).open.trim().length > 0;
}

/** The access rule in words, for the OpenAPI description of the route. */
export function describeAccess(access: RouteAccess): string {
  if (access === 'citizen') return '权限 / access: 已登录的市民本人 / the signed-in citizen';
  if (typeof access === 'object' && !Array.isArray(access)) return `权限 / access: 公开 / open — ${access.open}`;
  const actions = [access].flat();
  const who = actions.map((action) => {
    const rule = PERMISSIONS[action] as { roles: string[] | 'anyone'; scope?: string };
    const roles = rule.roles === 'anyone' ? 'anyone' : rule.roles.join(', ') || '—';
    return `${action} (roles: ${roles}${rule.scope ? `; API key scope: ${rule.scope}` : ''})`;
  });
  return `权限 / access: ${who.join(' | ')}`;
}

/** Throws 401/403 unless the request's actor passes the route's declared access rule. */
export function enforceAccess(request: FastifyRequest, access: RouteAccess | undefined): void {
  if (access === undefined) return; // static files and /docs: an API route without a rule is refused at registration
  if (access === 'citizen') {
    authorizeCitizen(request.actor);
    return;
  }
  if (typeof access === 'object' && !Array.isArray(access)) return;
  if (typeof access === 'string') {
    authorize(request.actor, access);
    return;
  }
  if (access.some((action) => can(request.actor, action))) return;
  if (request.actor.kind === 'anonymous' || request.actor.kind === 'citizen') {
    throw unauthorized('unauthenticated', { zh: `请先登录（${access.join(' / ')}）`, en: `sign-in required (${access.join(' / ')})` });
  }
  throw forbidden('forbidden', { zh: `无权执行此操作：${access.join(' / ')}`, en: `not allowed: ${access.join(' / ')}` });
}

/** What the route inventory keeps of a registered route. */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  schema: RouteOptions['schema'];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after the access hook, for the inventory test and for tooling. */
    routeInventory: RegisteredRoute[];
  }
}

/**
 * Registers the access check and the route inventory. Call after the rate limiter and before any
 * route is registered: routes added earlier are neither checked nor listed. From then on an API route
 * without an access rule cannot be registered: the app refuses to start. Each route's access rule is also written into its
 * OpenAPI description, so the published API says who may call what.
 */
export function registerRouteAccess(app: FastifyInstance) {
  const inventory: RegisteredRoute[] = [];
  app.decorate('routeInventory', inventory);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    // fail closed: an API route that says nothing about who may call it is not registered at all
    if (access === undefined && needsAccessRule(route.url)) throw new Error(`route ${route.method} ${route.url} declares no access rule (config.access, identity/route-access.ts)`);
    if (access !== undefined && !isValidAccess(access)) throw new Error(`route ${route.method} ${route.url}: unknown access rule ${JSON.stringify(access)}`);
    if (access && route.schema && !route.schema.hide) {
      const line = describeAccess(access);
      route.schema = { ...route.schema, description: route.schema.description ? `${route.schema.description}\n\n${line}` : line };
    }
    for (const method of [route.method].flat()) inventory.push({ method: String(method), url: route.url, access, schema: route.schema });
    // a route-level hook, appended after the rate limiter's (added by its own onRoute hook, registered
    // earlier), so refused callers are still counted against their limit
    const check = async (request: FastifyRequest) => enforceAccess(request, access);
    route.preHandler = [...[route.preHandler ?? []].flat(), check];
  });
}
