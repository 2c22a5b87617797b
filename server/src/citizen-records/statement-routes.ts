import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issuedStatementSchema, normalizeStatementCode, statementCheckSchema } from '../../../common/record-statements';
import { attachment } from '../platform/content-disposition';
import { AppError } from '../platform/errors';
import { errorResponses, errorSchema, noBody } from '../platform/http';
import { nowIso } from '../platform/ids';
import { chinaDate, issueStatement, statementCodeHash } from './issue-statement';
import type { CitizenRecordsDeps } from './ports';
import { ownPerson } from './read-record';
import { findStatementFont, fontMissing, renderStatementPdf } from './statement-pdf';
import { presentStatementCheck, statementPdfPath } from './statement-presenter';
import { statementRepo } from './statement-repo';

const citizenTags = ['personal services (citizen)'];
const publicTags = ['personal services (public)'];
/** Anyone may check a code: tighter than the global limit, per client, so codes cannot be tried in bulk. */
const checkRateLimit = { config: { access: { open: 'a statement is checked by whoever holds its code' }, rateLimit: { max: 20, timeWindow: '1 minute' } } } as const;
/** Issuing writes a row and a PDF costs a few hundred milliseconds of CPU: a citizen needs one now and then. */
const citizenRateLimit = { config: { access: 'citizen', rateLimit: { max: 10, timeWindow: '1 minute' } } } as const;
const codeParams = z.object({ code: z.string().min(1).max(64) });

/** One answer for a wrong code and an expired one, so neither tells which codes ever existed. */
const statementNotFound = () => new AppError(404, 'statement_not_found', { zh: '未找到该证明：验证码有误，或证明已过有效期', en: 'no such statement: the code is wrong or the statement has expired' });

/**
 * The contribution statement (参保证明): the citizen issues one and downloads it as a PDF; anyone
 * holding its verification code checks it publicly, masked.
 */
export async function statementRoutes(fastify: FastifyInstance, deps: CitizenRecordsDeps) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // looked for on the first download, not at start: parsing a CJK font costs every start ~60 ms
  let font: ReturnType<typeof findStatementFont> | null = null;
  const statementFont = () => (font ??= findStatementFont(deps.ctx.config.PDF_FONT_FILE, (message) => deps.ctx.log.warn(message)));
  const repo = statementRepo(deps.ctx.db);

  app.post('/api/v1/me/statements', {
    ...citizenRateLimit,
    schema: { tags: citizenTags, summary: '开具参保缴费证明（带验证码，有效期 90 天） / issue a contribution statement with a verification code', body: noBody, response: { 201: issuedStatementSchema, ...errorResponses } },
  }, async (request, reply) => {
    const person = await ownPerson(deps, request.actor, 'statement');
    const issued = await issueStatement(deps, request.actor, person, request.ip);
    return reply.status(201).send({ code: issued.code, issuedAt: issued.issuedAt, expiresAt: issued.expiresAt, pdfUrl: statementPdfPath(issued.code) });
  });

  app.get('/api/v1/me/statements/:code.pdf', {
    ...citizenRateLimit,
    schema: {
      tags: citizenTags,
      summary: '下载本人的参保缴费证明 PDF / download my statement as a PDF',
      params: codeParams,
      response: { 200: z.any().describe('application/pdf'), ...errorResponses, 503: errorSchema },
    },
  }, async (request, reply) => {
    const person = await ownPerson(deps, request.actor, 'statement');
    const code = normalizeStatementCode(request.params.code);
    // another person's code is simply not found
    const statement = await repo.findValid(statementCodeHash(deps.ctx.secrets, code), nowIso(), person.id);
    if (!statement) throw statementNotFound();
    const found = statementFont();
    if (!found) throw fontMissing();
    const verifyUrl = `${deps.ctx.config.PUBLIC_URL ?? `${request.protocol}://${request.host}`}/verify/${code}`;
    const pdf = await renderStatementPdf({ content: statement.content, name: person.name, code, issuedAt: statement.issuedAt, expiresAt: statement.expiresAt, verifyUrl }, found);
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', attachment(`社会保险参保缴费证明-${chinaDate(statement.issuedAt)}.pdf`))
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  app.get('/api/v1/statements/:code', {
    ...checkRateLimit,
    schema: {
      tags: publicTags,
      summary: '核验参保缴费证明（无需登录，只显示打码信息） / check a statement by its code (no sign-in; masked only)',
      security: [],
      params: codeParams,
      response: { 200: statementCheckSchema, ...errorResponses },
    },
  }, async (request) => {
    const code = normalizeStatementCode(request.params.code);
    const statement = await repo.findValid(statementCodeHash(deps.ctx.secrets, code), nowIso());
    if (!statement) throw statementNotFound();
    return presentStatementCheck(statement, code);
  });
}
