import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as wire from '../../../common/citizen-records';
import { authorizeCitizen } from '../identity/permissions';
import { notFound } from '../platform/errors';
import { now } from '../platform/ids';
import { errorResponses, noQuery } from '../platform/http';
import { importRecords } from './import-records';
import type { CitizenRecordsDeps } from './ports';
import { presentAccount, presentApplication, presentApplicationWithHistory, presentRecord } from './presenter';
import { ownPerson, PERSON_SUBJECT, personForService } from './read-record';
import { importRequest, importResponse, INSURANCES } from './schema';
import { contributionMonths } from './summarize-record';

const citizenTags = ['personal services (citizen)'];
const staffTags = ['personal services (staff)'];
const serviceAccess = z.object({
  conversationId: z.string().min(1).max(64).optional().describe('the conversation in which you serve this verified citizen'),
  idNumber: z.string().min(15).max(30).optional().describe('outside such a conversation: the ID number the caller gave…'),
  reason: z.string().trim().max(200).optional().describe('…and why you look it up (recorded, shown to the citizen)'),
});

/** Personal services: the citizen's own record and applications, the agent's audited view, the nightly import. */
export async function citizenRecordsRoutes(fastify: FastifyInstance, deps: CitizenRecordsDeps) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post('/api/v1/records/import', {
    bodyLimit: 64 * 1024 * 1024,
    schema: {
      tags: staffTags,
      summary: '从业务核心系统导入参保记录（先校验整个文件，有错则不导入） / import records from the core system (all validated first; nothing written on error)',
      body: importRequest,
      response: { 200: importResponse, ...errorResponses },
    },
    config: { access: 'records.import' },
  }, async (request) => {
    return importRecords(deps.ctx, request.actor, request.body.persons);
  });

  // ── the citizen's own affairs: the person comes from the session, never from the URL ──
  app.get('/api/v1/me/record', {
    schema: { tags: citizenTags, summary: '我的参保记录概览 / my social insurance record', querystring: noQuery, response: { 200: wire.myRecordSchema, ...errorResponses } },
    config: { access: 'citizen' },
  }, async (request) => {
    const person = await ownPerson(deps, request.actor, 'record');
    return presentRecord(person, await deps.source.runsOf(person), 'citizen', now());
  });

  app.get('/api/v1/me/contributions', {
    schema: {
      tags: citizenTags,
      summary: '按月的缴费明细与断缴月份 / my contribution months and gaps',
      querystring: z.object({ insurance: z.enum(INSURANCES).default('pension') }),
      response: { 200: wire.contributionMonthsSchema, ...errorResponses },
    },
    config: { access: 'citizen' },
  }, async (request) => {
    const person = await ownPerson(deps, request.actor, `contributions:${request.query.insurance}`);
    return contributionMonths(await deps.source.runsOf(person), request.query.insurance);
  });

  app.get('/api/v1/me/pension-account', {
    schema: { tags: citizenTags, summary: '养老保险个人账户及逐年计息 / my personal pension account, year by year', querystring: noQuery, response: { 200: wire.pensionAccountSchema, ...errorResponses } },
    config: { access: 'citizen' },
  }, async (request) => {
    const person = await ownPerson(deps, request.actor, 'pension-account');
    return presentAccount(await deps.source.runsOf(person), now());
  });

  app.get('/api/v1/me/applications', {
    schema: { tags: citizenTags, summary: '我的业务办理进度 / my applications', querystring: noQuery, response: { 200: wire.applicationsSchema, ...errorResponses } },
    config: { access: 'citizen' },
  }, async (request) => {
    const person = await ownPerson(deps, request.actor, 'applications');
    return { items: (await deps.source.applicationsOf(person)).map(presentApplication) };
  });

  app.get('/api/v1/me/applications/:id', {
    schema: { tags: citizenTags, summary: '一项业务的办理时间线 / one application with its timeline', params: z.object({ id: z.string().min(1).max(64) }), response: { 200: wire.applicationSchema, ...errorResponses } },
    config: { access: 'citizen' },
  }, async (request) => {
    const person = await ownPerson(deps, request.actor, 'application');
    const application = await deps.source.applicationOf(person, request.params.id);
    if (!application) throw notFound('业务', 'application_not_found');
    return presentApplicationWithHistory(application);
  });

  app.get('/api/v1/me/payments', {
    schema: { tags: citizenTags, summary: '待遇发放记录 / my benefit payments', querystring: noQuery, response: { 200: wire.paymentsSchema, ...errorResponses } },
    config: { access: 'citizen' },
  }, async (request) => {
    const person = await ownPerson(deps, request.actor, 'payments');
    return { items: await deps.source.paymentsOf(person) };
  });

  app.get('/api/v1/me/access-log', {
    schema: { tags: citizenTags, summary: '谁查看过我的记录 / who looked at my record', querystring: noQuery, response: { 200: wire.accessLogSchema, ...errorResponses } },
    config: { access: 'citizen' },
  }, async (request) => {
    const citizen = authorizeCitizen(request.actor);
    const items = [];
    for (const action of ['records.read', 'records.unmask']) {
      const { items: rows } = await deps.ctx.audit.list({ page: 1, pageSize: 200, action, subjectType: PERSON_SUBJECT, subjectId: citizen.personId });
      items.push(...rows);
    }
    items.sort((a, b) => b.at.localeCompare(a.at));
    return {
      items: items.map((row) => ({
        at: row.at,
        who: row.actor.replace(/^user:/, '工作人员 '),
        what: (row.detail.what as 'record' | 'idNumber' | 'phone' | 'name') ?? 'record',
        reason: (row.detail.reason as string | null) ?? null,
        conversationId: (row.detail.conversationId as string | null) ?? null,
      })),
    };
  });

  // ── staff serving a citizen: masked, audited, refused without a conversation or a reason ──
  app.post('/api/v1/records/lookup', {
    schema: {
      tags: staffTags,
      summary: '坐席查看市民参保记录（会话中已核验的本人，或填写原因），均记入审计 / an agent views a citizen’s record (in a conversation with that verified person, or with a reason); audited',
      body: serviceAccess,
      response: { 200: wire.myRecordSchema.extend({ applications: wire.applicationsSchema.shape.items }), ...errorResponses },
    },
    // which person, and why, is checked by personForService
    config: { access: 'records.serve' },
  }, async (request) => {
    const person = await personForService(deps, request.actor, request.body, 'record', request.ip);
    return { ...presentRecord(person, await deps.source.runsOf(person), 'staff', now()), applications: (await deps.source.applicationsOf(person)).map(presentApplication) };
  });

  app.post('/api/v1/records/unmask', {
    schema: {
      tags: staffTags,
      summary: '显示一个完整字段（须填写原因，记入审计） / show one field unmasked (a reason is required and recorded)',
      body: serviceAccess.extend({ field: z.enum(['idNumber', 'phone', 'name']), reason: z.string().trim().min(4, '请填写原因（至少4个字） / give a reason (4 characters or more)').max(200) }),
      response: { 200: z.object({ field: z.string(), value: z.string() }), ...errorResponses },
    },
    config: { access: 'records.serve' },
  }, async (request) => {
    const person = await personForService(deps, request.actor, request.body, request.body.field, request.ip);
    return { field: request.body.field, value: person[request.body.field] };
  });

}
