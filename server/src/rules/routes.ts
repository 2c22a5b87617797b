import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorLabel } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { AppError } from '../platform/errors';
import { errorResponses, noBody, noQuery, pageQuery } from '../platform/http';
import { newId, nowIso } from '../platform/ids';
import { attachment } from '../platform/content-disposition';
import { calendarDate } from '../platform/dates';
import { publishRuleSetVersion, saveRuleSetVersion } from './manage-versions';
import * as present from './presenter';
import { replayDetermination } from './replay-determination';
import { approveParameterVersion, rejectParameterVersion, submitParameterVersions } from './review-parameter-version';
import { rulesRepo } from './repo';
import { parsePopulationCsv, runWhatIf, syntheticContributionPopulation, type WhatIfOptions } from './run-what-if';
import * as s from './schema';
import { today, type RulesService } from './service';
import { parseParametersWorkbook, parseRuleSetWorkbook, writeParametersWorkbook, writeRuleSetWorkbook } from './transfer-xlsx';
import type { Lang } from './types';
import { languageOf } from '../platform/language';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Rule-set and parameter workbooks are small; the global 1 MB limit is too tight for some with notes. */
const WORKBOOK_LIMIT = 5 * 1024 * 1024;
/** Largest generated population an HTTP what-if may ask for (bench:policy runs 1,000,000 offline). */
export const WHAT_IF_MAX_PEOPLE = 200_000;

/** The caller's language: body or query `lang`, else Accept-Language, else Chinese. */
function langOf(request: FastifyRequest, explicit?: unknown): Lang {
  if (explicit === 'en' || explicit === 'zh') return explicit;
  const q = (request.query as { lang?: string } | undefined)?.lang;
  if (q === 'en' || q === 'zh') return q;
  return languageOf(request);
}

/** Policy simulation (政策仿真): rule sets, determinations, parameters, what-if runs. */
export async function registerRules(fastify: FastifyInstance, { ctx, rules: svc }: { ctx: AppContext; rules: RulesService }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const repo = rulesRepo(ctx.db);
  const tags = ['policy'];
  const consoleTags = ['policy-console'];
  if (!fastify.hasContentTypeParser(XLSX_TYPE)) {
    fastify.addContentTypeParser([XLSX_TYPE], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  }

  // ── open API ──
  app.get('/api/v1/policy/rulesets', {
    config: { access: 'rules.determine' },
    schema: { tags, summary: '规则集列表（输入、问题、输出） / rule sets with inputs and outputs', querystring: s.langQuery, response: { 200: s.ruleSetListResponse, ...errorResponses } },
  }, async (request) => {
    return { items: svc.listRuleSets(langOf(request), request.query.date ?? today()) };
  });

  app.get('/api/v1/policy/rulesets/:id', {
    config: { access: 'rules.determine' },
    schema: { tags, summary: '规则集文档（规则、决策表、条款、测试用例） / a rule set as a document', params: s.ruleSetParams, querystring: s.langQuery, response: { 200: s.ruleSetDocumentResponse, ...errorResponses } },
  }, async (request) => {
    const lang = langOf(request);
    const summary = svc.getRuleSet(request.params.id, lang, request.query.date ?? today());
    const entry = svc.getVersion(summary.id, summary.version)!;
    return present.presentRuleSetDocument(summary, entry.def, lang);
  });

  app.post('/api/v1/policy/rulesets/:id/determine', {
    config: { access: 'rules.determine' },
    schema: {
      tags,
      summary: '测算：完成或追问下一个问题 / determine, or ask the next question',
      description: 'Body `{"inputs":{...},"goal"?:outputId,"date"?:"YYYY-MM-DD","lang"?:"zh"|"en","unknown"?:[inputId]}`. Invalid input → 400 `{"error":{"code","message","field"}}`.',
      params: s.ruleSetParams,
      body: s.determineBody,
      response: { 200: s.determineResponse, ...errorResponses },
    },
  }, async (request) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new AppError(400, 'invalid_type', langOf(request) === 'en' ? 'the body must be a JSON object with inputs' : '请求体须为包含 inputs 的 JSON 对象', 'inputs');
    }
    const b = body as Record<string, unknown>;
    const lang = langOf(request, b.lang);
    const { result, record } = svc.determineWithRecord(request.params.id, { inputs: b.inputs, goal: b.goal, date: b.date, jurisdiction: b.jurisdiction, unknown: b.unknown, lang });
    const id = newId();
    await repo.insertDetermination(id, record, actorLabel(request.actor), nowIso());
    return { ...result.toJSON(), determinationId: id };
  });

  app.get('/api/v1/policy/parameters', {
    config: { access: 'rules.determine' },
    schema: { tags, summary: '参数版本（按地区、生效日期） / parameter versions', querystring: s.jurisdictionQuery, response: { 200: s.parametersResponse, ...errorResponses } },
  }, async (request) => {
    return { jurisdictions: svc.params.listJurisdictions(), items: svc.params.listVersions(request.query.jurisdiction).map(present.presentParameterVersion) };
  });

  app.get('/api/v1/policy/parameters/in-force', {
    config: { access: 'rules.determine' },
    schema: {
      tags,
      summary: '某日生效的参数值 / parameter values in force on a date',
      querystring: z.object({ date: calendarDate.optional(), jurisdiction: z.string().optional() }),
      response: { 200: s.parametersInForceResponse, ...errorResponses },
    },
  }, async (request) => {
    const date = request.query.date ?? today();
    const j = request.query.jurisdiction ?? svc.params.defaultJurisdiction;
    if (!svc.params.hasJurisdiction(j)) throw new AppError(400, 'invalid_value', { zh: '未知的地区', en: 'unknown jurisdiction' }, 'jurisdiction');
    const r = svc.params.resolve(date, j);
    return { date, jurisdiction: j, versions: r.versionIds, values: Object.fromEntries(r.values) };
  });

  // ── console: versions, publishing, parameters, transfer, what-if, the log ──
  app.get('/api/v1/policy/rulesets/:id/versions', {
    config: { access: 'rules.simulate' },
    schema: { tags: consoleTags, summary: '规则集版本与测试结果 / versions and test results', params: s.ruleSetParams, response: { 200: s.versionListResponse, ...errorResponses } },
  }, async (request) => {
    const stored = await repo.listRuleSetVersions(request.params.id);
    const loaded = svc.listVersions(request.params.id);
    if (loaded.length === 0) throw new AppError(404, 'ruleset_not_found', { zh: `规则集不存在：${request.params.id}`, en: `no rule set ${request.params.id}` });
    return { items: loaded.map((v) => present.presentVersion(v, stored.find((x) => x.def.version === v.def.version))) };
  });

  app.post('/api/v1/policy/rulesets/:id/versions', {
    config: { access: 'rules.edit' },
    schema: { tags: consoleTags, summary: '保存新版本（草稿，运行测试用例） / save a draft version', params: s.ruleSetParams, body: s.ruleSetDocumentBody, response: { 201: s.savedVersionResponse, ...errorResponses } },
  }, async (request, reply) => {
    const doc = request.body as { id?: unknown };
    if (doc && typeof doc === 'object' && doc.id !== request.params.id) throw new AppError(400, 'invalid_value', { zh: '文档 id 与路径不一致', en: 'document id differs from the path' }, 'id');
    const saved = await saveRuleSetVersion(ctx, svc, request.actor, doc);
    return reply.status(201).send({ id: saved.def.id, version: saved.def.version, status: saved.status, tests: saved.testResults });
  });

  app.post('/api/v1/policy/rulesets/:id/versions/:version/publish', {
    config: { access: 'rules.publish' },
    schema: { tags: consoleTags, summary: '发布版本（测试用例全部通过才可发布） / publish when all tests pass', params: s.versionParams, body: noBody, response: { 200: s.savedVersionResponse, ...errorResponses } },
  }, async (request) => {
    const r = await publishRuleSetVersion(ctx, svc, request.actor, request.params.id, request.params.version);
    return { id: r.def.id, version: r.def.version, status: r.status, tests: r.testResults };
  });

  app.get('/api/v1/policy/rulesets/:id/export.xlsx', {
    config: { access: 'rules.simulate' },
    schema: { tags: consoleTags, summary: '导出规则集为 Excel / export as .xlsx', params: s.ruleSetParams, querystring: s.exportQuery, response: { 200: s.workbookFile, ...errorResponses } },
  }, async (request, reply) => {
    const v = request.query.version ? svc.getVersion(request.params.id, request.query.version) : svc.inForce(request.params.id, today());
    if (!v) throw new AppError(404, 'version_not_found', { zh: '规则集版本不存在', en: 'no such version' });
    const buf = await writeRuleSetWorkbook(v.def);
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(`${v.def.id}-${v.def.version}.xlsx`)).send(buf);
  });

  app.post('/api/v1/policy/rulesets/:id/import', {
    bodyLimit: WORKBOOK_LIMIT,
    config: { access: 'rules.edit' },
    schema: { tags: consoleTags, summary: '从 Excel 导入为新草稿版本 / import a workbook as a draft', params: s.ruleSetParams, body: s.workbookBody, response: { 201: s.savedVersionResponse, ...errorResponses } },
  }, async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) throw new AppError(400, 'invalid_workbook', { zh: `请以 ${XLSX_TYPE} 上传`, en: 'upload the .xlsx as the body' }, 'file');
    const def = await parseRuleSetWorkbook(request.body);
    if (def.id !== request.params.id) throw new AppError(400, 'invalid_value', { zh: '工作簿中的规则集 id 与路径不一致', en: 'workbook id differs from the path' }, 'id');
    const saved = await saveRuleSetVersion(ctx, svc, request.actor, def);
    return reply.status(201).send({ id: saved.def.id, version: saved.def.version, status: saved.status, tests: saved.testResults });
  });

  app.post('/api/v1/policy/parameters', {
    config: { access: 'rules.edit' },
    schema: { tags: consoleTags, summary: '提交参数版本（待审核，审核通过后自生效日期起适用） / submit a parameter version for review', body: s.parameterVersionBody, response: { 201: s.parameterReviewSchema, ...errorResponses } },
  }, async (request, reply) => {
    const [v] = await submitParameterVersions(ctx, svc, request.actor, [request.body]);
    return reply.status(201).send(present.presentParameterReview(v));
  });

  app.get('/api/v1/policy/parameters/unpublished', {
    config: { access: 'rules.simulate' },
    schema: { tags: consoleTags, summary: '待审核与已退回的参数版本 / parameter versions pending review or rejected', querystring: s.jurisdictionQuery, response: { 200: s.parameterReviewList, ...errorResponses } },
  }, async (request) => {
    const items = await repo.listParameterVersions(['pending', 'rejected']);
    return { items: items.filter((v) => !request.query.jurisdiction || v.jurisdiction === request.query.jurisdiction).map(present.presentParameterReview) };
  });

  app.post('/api/v1/policy/parameters/:id/approve', {
    config: { access: 'rules.publish' },
    schema: { tags: consoleTags, summary: '审核通过参数版本（不能审核自己提交的） / approve a pending parameter version', params: s.parameterVersionParams, body: s.approveBody, response: { 200: s.parameterReviewSchema, ...errorResponses } },
  }, async (request) => {
    return present.presentParameterReview(await approveParameterVersion(ctx, svc, request.actor, request.params.id, request.body ?? {}));
  });

  app.post('/api/v1/policy/parameters/:id/reject', {
    config: { access: 'rules.publish' },
    schema: { tags: consoleTags, summary: '退回参数版本（须填写意见） / reject a pending parameter version', params: s.parameterVersionParams, body: s.rejectBody, response: { 200: s.parameterReviewSchema, ...errorResponses } },
  }, async (request) => {
    return present.presentParameterReview(await rejectParameterVersion(ctx, request.actor, request.params.id, request.body));
  });

  app.get('/api/v1/policy/parameters/export.xlsx', {
    config: { access: 'rules.simulate' },
    schema: { tags: consoleTags, summary: '导出参数为 Excel / export parameters', querystring: noQuery, response: { 200: s.workbookFile, ...errorResponses } },
  }, async (_request, reply) => {
    const buf = await writeParametersWorkbook(svc.params.listVersions());
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment('parameters.xlsx')).send(buf);
  });

  app.post('/api/v1/policy/parameters/import', {
    bodyLimit: WORKBOOK_LIMIT,
    config: { access: 'rules.edit' },
    schema: { tags: consoleTags, summary: '从 Excel 导入新的参数版本 / import new parameter versions', body: s.workbookBody, response: { 201: s.parameterImportResponse, ...errorResponses } },
  }, async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) throw new AppError(400, 'invalid_workbook', { zh: `请以 ${XLSX_TYPE} 上传`, en: 'upload the .xlsx as the body' }, 'file');
    // versions already stored or loaded (an export read back in) are not changed by an import
    const existing = new Set([...svc.params.listVersions(), ...(await repo.listParameterVersions())].map((v) => v.id));
    const fresh = (await parseParametersWorkbook(request.body)).filter((v) => !existing.has(v.id));
    const created = await submitParameterVersions(ctx, svc, request.actor, fresh);
    return reply.status(201).send({ created: created.map(present.presentParameterReview) });
  });

  app.post('/api/v1/policy/rulesets/:id/what-if', {
    config: { access: 'rules.simulate' },
    schema: { tags: consoleTags, summary: '人群测算：两套参数下的总额对比 / population what-if', params: s.ruleSetParams, body: s.whatIfBody, response: { 200: s.whatIfResponse, ...errorResponses } },
  }, async (request) => {
    const date = request.body.date ?? today();
    const entry = svc.inForce(request.params.id, date);
    if (!entry) throw new AppError(404, 'ruleset_not_found', { zh: '规则集在该日期没有生效版本', en: 'no version in force' });
    const pop = request.body.population;
    let population: WhatIfOptions['population'];
    if ('generate' in pop) {
      if (request.params.id !== 'contribution') throw new AppError(400, 'invalid_value', { zh: '只有 contribution 规则集提供合成人群', en: 'synthetic populations exist for contribution only' }, 'population');
      if (pop.generate > WHAT_IF_MAX_PEOPLE) throw new AppError(400, 'invalid_value', { zh: `合成人群最多 ${WHAT_IF_MAX_PEOPLE} 人`, en: `at most ${WHAT_IF_MAX_PEOPLE}` }, 'population.generate');
      population = syntheticContributionPopulation(entry.compiled, pop.generate);
    } else {
      population = parsePopulationCsv(entry.compiled, pop.csv);
    }
    const result = runWhatIf({ rs: entry.compiled, params: svc.params, date, jurisdiction: request.body.jurisdiction, overrides: request.body.overrides, sum: request.body.sum, population });
    await ctx.audit.record(request.actor, { action: 'rules.whatif', subjectType: 'ruleset', subjectId: request.params.id, detail: { people: result.people, overrides: request.body.overrides } });
    return result;
  });

  app.get('/api/v1/policy/determinations', {
    config: { access: 'rules.simulate' },
    schema: { tags: consoleTags, summary: '测算记录 / determinations log', querystring: z.object({ ruleset: z.string().optional(), ...pageQuery }), response: { 200: s.determinationList, ...errorResponses } },
  }, async (request) => {
    const r = await repo.listDeterminations({ ruleSetId: request.query.ruleset, page: request.query.page, pageSize: request.query.pageSize });
    return { items: r.items.map(present.presentDetermination), total: r.total };
  });

  app.get('/api/v1/policy/determinations/:id', {
    config: { access: 'rules.simulate' },
    schema: { tags: consoleTags, summary: '一次测算的完整记录 / one determination', params: s.determinationParams, response: { 200: s.determinationSchema, ...errorResponses } },
  }, async (request) => {
    const rec = await repo.findDetermination(request.params.id);
    if (!rec) throw new AppError(404, 'not_found', { zh: '测算记录不存在', en: 'not found' });
    return present.presentDetermination(rec);
  });

  app.post('/api/v1/policy/determinations/:id/replay', {
    config: { access: 'rules.simulate' },
    schema: { tags: consoleTags, summary: '按记录的版本与参数重放 / replay with the recorded version and parameters', params: s.determinationParams, body: noBody, response: { 200: s.replayResponse, ...errorResponses } },
  }, async (request) => {
    const rec = await repo.findDetermination(request.params.id);
    if (!rec) throw new AppError(404, 'not_found', { zh: '测算记录不存在', en: 'not found' });
    return replayDetermination(svc, rec, langOf(request));
  });

  fastify.decorate('rules', svc);
}
