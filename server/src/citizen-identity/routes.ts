import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { citizenSessionSchema, isFreshlyVerified, RECORDS_VERIFIED_MINUTES } from '../../../common/citizen-records';
import { authorizeCitizen } from '../identity/permissions';
import { AppError, notFound } from '../platform/errors';
import { now } from '../platform/ids';
import { bindChannel, listBindings, unbindChannel } from './bind-channel';
import { errorResponses, noBody, noQuery } from '../platform/http';
import { maskIdNumber, maskPhone } from '../../../common/masking';
import type { CitizenIdentityDeps } from './ports';
import { CITIZEN_SIGN_IN, sendSignInCode, signInCitizen, signOutCitizen, stepUp } from './sign-in-citizen';
import { readOutbox } from './sms-provider';

const tags = ['citizen sign-in'];
const phone = z.string().regex(/^1\d{10}$/, '请输入11位手机号 / an 11-digit mobile number');
const code = z.string().regex(/^\d{6}$/, '验证码为6位数字 / the code has 6 digits');
/** Sending codes costs money and can harass: tighter than the global limit, per client address. */
const smsRateLimit = { rateLimit: { max: 10, timeWindow: '1 minute' } };
/** Sign-in is open to every caller: the SMS code is the check. */
const signIn = { access: { open: 'citizen sign-in with an SMS code' } } as const;
const citizenOnly = { access: 'citizen' } as const;

/** Citizens sign in with ID number, name, phone and an SMS code; admins read the development outbox. */
export async function citizenIdentityRoutes(fastify: FastifyInstance, deps: CitizenIdentityDeps) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  const verifiedUntil = (verifiedAt: string) => new Date(new Date(verifiedAt).getTime() + RECORDS_VERIFIED_MINUTES * 60_000).toISOString();

  app.post('/api/v1/citizen/sms-codes', {
    config: { ...signIn, ...smsRateLimit },
    schema: { tags, summary: '发送登录验证码（无论手机号是否登记，均答复202） / text a sign-in code (202 whatever the phone)', body: z.object({ phone }), response: { 202: z.object({ sent: z.literal(true), expiresInSeconds: z.number() }), ...errorResponses } },
  }, async (request, reply) => {
    await sendSignInCode(deps, request.body.phone, request.actor.clientKey);
    return reply.status(202).send({ sent: true, expiresInSeconds: CITIZEN_SIGN_IN.codeMinutes * 60 });
  });

  app.post('/api/v1/citizen/login', {
    config: { ...signIn, ...smsRateLimit },
    schema: {
      tags,
      summary: '身份证号、姓名、手机号和验证码登录 / sign in with ID number, name, phone and the code',
      body: z.object({ idNumber: z.string().min(1).max(30), name: z.string().trim().min(1).max(50), phone, code }),
      response: { 200: citizenSessionSchema, ...errorResponses },
    },
  }, async (request) => {
    const { token, person, session } = await signInCitizen(deps, request.body, request.actor.clientKey);
    return {
      token,
      person: { name: person.name, idNumberMasked: maskIdNumber(person.idNumber), phoneMasked: maskPhone(person.phone) },
      expiresAt: session.expires_at,
      verifiedUntil: verifiedUntil(session.verified_at),
    };
  });

  app.get('/api/v1/citizen/me', {
    schema: { tags, summary: '当前登录的市民 / the signed-in citizen', querystring: noQuery, response: { 200: citizenSessionSchema, ...errorResponses } },
    config: citizenOnly,
  }, async (request) => {
    const citizen = authorizeCitizen(request.actor);
    const person = await deps.persons.byId(citizen.personId);
    if (!person) throw notFound('参保人', 'person_not_found');
    const session = await deps.ctx.db.selectFrom('citizen_sessions').select(['expires_at']).where('token_hash', '=', citizen.sessionId).executeTakeFirst();
    return { person: { name: person.name, idNumberMasked: maskIdNumber(person.idNumber), phoneMasked: maskPhone(person.phone) }, expiresAt: session?.expires_at ?? '', verifiedUntil: verifiedUntil(citizen.verifiedAt) };
  });

  app.post('/api/v1/citizen/step-up/sms-code', {
    config: { ...citizenOnly, ...smsRateLimit },
    schema: { tags, summary: '向本人手机发送二次验证码 / text a step-up code to the signed-in citizen’s phone', body: noBody, response: { 202: z.object({ sent: z.literal(true), expiresInSeconds: z.number() }), ...errorResponses } },
  }, async (request, reply) => {
    const citizen = authorizeCitizen(request.actor);
    const person = await deps.persons.byId(citizen.personId);
    if (!person) throw notFound('参保人', 'person_not_found');
    await sendSignInCode(deps, person.phone, request.actor.clientKey, 'step_up');
    return reply.status(202).send({ sent: true, expiresInSeconds: CITIZEN_SIGN_IN.codeMinutes * 60 });
  });

  app.post('/api/v1/citizen/step-up', {
    config: { ...citizenOnly, ...smsRateLimit },
    schema: { tags, summary: '二次验证后继续查看个人记录 / verify again before records are shown', body: z.object({ code }), response: { 200: z.object({ verifiedUntil: z.string() }), ...errorResponses } },
  }, async (request) => {
    const citizen = authorizeCitizen(request.actor);
    return { verifiedUntil: verifiedUntil(await stepUp(deps, citizen.sessionId, citizen.personId, request.body.code)) };
  });

  app.post('/api/v1/citizen/logout', {
    schema: { tags, summary: '退出登录；everywhere=true 时退出全部设备 / sign out (everywhere: every device)', body: z.object({ everywhere: z.boolean().default(false) }).default({ everywhere: false }), response: { 204: z.null(), ...errorResponses } },
    config: citizenOnly,
  }, async (request, reply) => {
    const citizen = authorizeCitizen(request.actor);
    await signOutCitizen(deps, citizen, request.body.everywhere);
    return reply.status(204).send(null);
  });

  // ── channel bindings: a WeChat follower signs in once through the robot's link, then is recognised ──
  const bindingSchema = z.object({ id: z.string(), channel: z.string(), boundAt: z.string() });
  app.post('/api/v1/citizen/bindings', {
    schema: { tags, summary: '用机器人发来的链接绑定微信等渠道身份 / bind a channel identity with the robot’s link', body: z.object({ ticket: z.string().min(16).max(100) }), response: { 201: z.object({ channel: z.string(), boundAt: z.string() }), ...errorResponses } },
    config: citizenOnly,
  }, async (request, reply) => {
    const citizen = authorizeCitizen(request.actor);
    if (!isFreshlyVerified(citizen.verifiedAt, now())) throw new AppError(401, 'step_up_required', { zh: '请再次输入短信验证码后绑定', en: 'enter a new SMS code first' });
    return reply.status(201).send(await bindChannel(deps.ctx, citizen, request.body.ticket));
  });

  app.get('/api/v1/citizen/bindings', {
    schema: { tags, summary: '我绑定的渠道身份 / my bound channel identities', querystring: noQuery, response: { 200: z.object({ items: z.array(bindingSchema) }), ...errorResponses } },
    config: citizenOnly,
  }, async (request) => ({ items: await listBindings(deps.ctx, authorizeCitizen(request.actor).personId) }));

  app.delete('/api/v1/citizen/bindings/:id', {
    schema: { tags, summary: '解除绑定 / unbind', params: z.object({ id: z.string().min(1).max(64) }), response: { 204: z.null(), ...errorResponses } },
    config: citizenOnly,
  }, async (request, reply) => {
    await unbindChannel(deps.ctx, authorizeCitizen(request.actor), request.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/sms-outbox', {
    schema: {
      tags,
      summary: '开发用短信发件箱（配置真实短信网关时为404） / the development SMS outbox (404 with a real provider)',
      querystring: z.object({ phone }),
      response: { 200: z.object({ items: z.array(z.object({ phone: z.string(), text: z.string(), sentAt: z.string() })) }), ...errorResponses },
    },
    config: { access: 'sms.outbox' },
  }, async (request) => {
    if (deps.sms.kind !== 'outbox') throw notFound('短信发件箱', 'sms_outbox_not_available');
    return { items: await readOutbox(deps.ctx, request.query.phone) };
  });
}
