import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { contribution } from './rulesets/contribution';
import { unemploymentBenefit } from './rulesets/unemployment-benefit';
import { matches } from './test-vectors.test';

const vectors = JSON.parse(readFileSync(new URL('./test-vectors.json', import.meta.url), 'utf8')) as {
  date: string;
  vectors: { id: string; ruleSet: string; request: { inputs: unknown; goal?: string }; expect: any }[];
};
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('policy simulation over HTTP', () => {
  let t: TestApp;
  let editor: string;
  let reviewer: string;
  let agent: string;
  before(async () => {
    t = await startTestApp({ seed: false });
    editor = await t.tokenFor(['editor']);
    reviewer = await t.tokenFor(['reviewer']);
    agent = await t.tokenFor(['agent']);
  });
  after(async () => t?.close());

  const determine = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1/policy/rulesets/${id}/determine`, payload: body as any, headers });

  it('lists the four rule sets with inputs, questions, options and outputs, in Chinese and English', async () => {
    const res = await t.app.inject({ url: '/api/v1/policy/rulesets' });
    assert.equal(res.statusCode, 200);
    const items = res.json().items;
    assert.deepEqual(items.map((i: any) => i.id), ['retirement-age', 'contribution', 'pension-estimate', 'unemployment-benefit']);
    const ra = items[0];
    assert.equal(ra.name, '法定退休年龄');
    assert.equal(ra.version, '2025.1');
    assert.deepEqual(ra.inputs[0], { id: 'gender', type: 'enum', label: '性别', question: '您的性别是？', options: [{ id: 'male', label: '男' }, { id: 'female', label: '女' }] });
    assert.ok(ra.outputs.some((o: any) => o.id === 'retirementYearMonth'));
    const en = await t.app.inject({ url: '/api/v1/policy/rulesets?lang=en' });
    assert.equal(en.json().items[3].inputs[0].question, 'Why did your last job end?');
    const doc = await t.app.inject({ url: '/api/v1/policy/rulesets/contribution' });
    assert.equal(doc.json().rules.find((r: any) => r.id === 'CO-2').set.base, 'min(ceiling, max(floor, monthlyWage))');
  });

  it(`all ${vectors.vectors.length} held-out vectors of the independent implementation match through HTTP`, async () => {
    const failures: string[] = [];
    for (const v of vectors.vectors) {
      const res = await determine(v.ruleSet, { ...v.request, date: vectors.date });
      const body = res.json();
      if (v.expect.status === 400) {
        if (res.statusCode !== 400 || body.error?.field !== v.expect.field) failures.push(`${v.id}: ${res.statusCode} ${body.error?.field}`);
        else if (!body.error.code || !body.error.message) failures.push(`${v.id}: error without code or message`);
      } else if (v.expect.status === 'need_input') {
        if (body.status !== 'need_input' || body.question?.id !== v.expect.question) failures.push(`${v.id}: ${body.status} ${body.question?.id}`);
        else if (!body.question.text || !body.question.type) failures.push(`${v.id}: question without text or type`);
      } else {
        const m = body.status === 'complete' ? matches(body.outputs, v.expect.outputs) : `status ${body.status}`;
        if (m) failures.push(`${v.id}: ${m}`);
        if (!Array.isArray(body.explanation)) failures.push(`${v.id}: no explanation`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('rejects a body or inputs that are not objects, and unknown rule sets', async () => {
    for (const payload of [{ inputs: [] }, { inputs: 'x' }, { inputs: null }, {}]) {
      const res = await determine('contribution', payload);
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.field, 'inputs');
    }
    const nf = await determine('nope', { inputs: {} });
    assert.equal(nf.statusCode, 404);
    const en = await determine('contribution', { inputs: { personType: 'x' }, lang: 'en' });
    assert.match(en.json().error.message, /expected one of "employee", "flexible"/);
  });

  it('an unemployment interview starting with voluntary resignation ends after one answer', async () => {
    const first = await determine('unemployment-benefit', { inputs: {} });
    assert.equal(first.json().status, 'need_input');
    assert.equal(first.json().question.id, 'separationReason');
    assert.equal(first.json().question.options.length, 5);
    const second = await determine('unemployment-benefit', { inputs: { separationReason: 'voluntaryResignation' } });
    assert.equal(second.json().status, 'complete');
    assert.deepEqual(second.json().outputs, { eligible: false, ineligibleReasons: ['voluntarySeparation'], maxMonths: null, monthlyAmount: null });
  });

  it('records every determination with version, parameters, inputs and trace, and replays it', async () => {
    const res = await determine('contribution', { inputs: { personType: 'employee', monthlyWage: 8888.88, injuryRiskClass: 2 }, date: '2025-03-01' });
    const id = res.json().determinationId;
    assert.equal((await t.app.inject({ url: `/api/v1/policy/determinations/${id}` })).statusCode, 401);
    const rec = (await t.app.inject({ url: `/api/v1/policy/determinations/${id}`, headers: bearer(reviewer) })).json();
    assert.equal(rec.ruleSet.version, '2025.1');
    assert.equal(rec.parameters.averageMonthlyWage, 7500);
    assert.equal(rec.inputs.monthlyWage, 8888.88);
    assert.equal(rec.outputs.employerTotal, 2168.89);
    assert.ok(rec.trace.some((e: any) => e.rule === 'CO-7'));
    // the log keeps the structured trace; the response carried the same entries with their texts
    const co2 = rec.trace.find((e: any) => e.rule === 'CO-2');
    assert.deepEqual(co2, { rule: 'CO-2', values: { personType: 'employee', ceiling: 22500, floor: 4500, monthlyWage: 8888.88 }, result: { base: 8888.88 } });
    const shown = res.json().explanation.find((e: any) => e.rule === 'CO-2');
    assert.deepEqual({ rule: shown.rule, values: shown.values, result: shown.result }, co2);
    assert.match(shown.why, /缴费基数按8888.88元计算/);
    const replay = (await t.app.inject({ method: 'POST', url: `/api/v1/policy/determinations/${id}/replay`, headers: bearer(reviewer) })).json();
    assert.equal(replay.matches, true);
    assert.equal(replay.traceMatches, true);
    assert.deepEqual(replay.explanation, res.json().explanation);
  });

  it('a parameter change with a new effective date applies to later dates only, once reviewed; editors only', async () => {
    const change = { jurisdiction: 'demo-city', effectiveFrom: '2026-01-01', values: { 'contribution.averageMonthlyWage': 8000 }, note: '2026年社平工资（演示）' };
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/policy/parameters', payload: change })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/policy/parameters', payload: change, headers: bearer(agent) })).statusCode, 403);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/policy/parameters', payload: { ...change, values: { 'contribution.averageWage': 1 } }, headers: bearer(editor) });
    assert.equal(bad.statusCode, 400);
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/policy/parameters', payload: change, headers: bearer(editor) });
    assert.equal(ok.statusCode, 201);
    const approved = await t.app.inject({ method: 'POST', url: `/api/v1/policy/parameters/${ok.json().id}/approve`, payload: {}, headers: bearer(reviewer) });
    assert.equal(approved.statusCode, 200, approved.body);
    const inputs = { personType: 'employee', monthlyWage: 3000, injuryRiskClass: 1 };
    assert.equal((await determine('contribution', { inputs, date: '2025-12-31' })).json().outputs.base, 4500);
    const later = (await determine('contribution', { inputs, date: '2026-01-01' })).json();
    assert.equal(later.outputs.base, 4800);
    assert.ok(later.parameterVersions.includes('demo-city-2026-01-01'));
    const inForce = (await t.app.inject({ url: '/api/v1/policy/parameters/in-force?date=2026-02-01' })).json();
    assert.equal(inForce.values['contribution.averageMonthlyWage'], 8000);
  });

  it('publishing a version whose tests fail is refused; a passing version is published and used from its date', async () => {
    const failing = { ...unemploymentBenefit, version: '2027.1', effectiveFrom: '2027-01-01', rules: unemploymentBenefit.rules.map((r) => (r.id === 'UB-3' ? { ...r, set: { monthlyAmount: 'round2(minimumMonthlyWage * 0.8)' } } : r)) };
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions', payload: failing, headers: bearer(agent) })).statusCode, 403);
    const saved = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions', payload: failing, headers: bearer(editor) });
    assert.equal(saved.statusCode, 201);
    assert.ok(saved.json().tests.some((r: any) => !r.passed));
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions/2027.1/publish', headers: bearer(reviewer) });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'tests_failed');
    const inputs = { separationReason: 'employerTerminated', contributionMonths: 75, registeredUnemployed: true, receivingPension: false };
    assert.equal((await determine('unemployment-benefit', { inputs, date: '2027-06-01' })).json().outputs.monthlyAmount, 2241);

    const fixedTests = failing.tests.map((tc) => (tc.expect?.monthlyAmount === 2241 ? { ...tc, expect: { ...tc.expect, monthlyAmount: 1992 } } : tc));
    const passing = { ...failing, version: '2027.2', tests: fixedTests };
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions', payload: passing, headers: bearer(editor) })).statusCode, 201);
    const published = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions/2027.2/publish', headers: bearer(reviewer) });
    assert.equal(published.statusCode, 200, published.body);
    assert.equal((await determine('unemployment-benefit', { inputs, date: '2026-12-31' })).json().outputs.monthlyAmount, 2241);
    const later = (await determine('unemployment-benefit', { inputs, date: '2027-06-01' })).json();
    assert.equal(later.outputs.monthlyAmount, 1992);
    assert.equal(later.ruleSet.version, '2027.2');
    // nobody publishes a version they saved themselves, not even an admin
    const admin = await t.adminToken();
    const own = { ...passing, version: '2027.4', effectiveFrom: '2028-01-01' };
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions', payload: own, headers: bearer(admin) })).statusCode, 201);
    const ownPublish = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions/2027.4/publish', headers: bearer(admin) });
    assert.equal(ownPublish.statusCode, 403);
    assert.equal(ownPublish.json().error.code, 'own_change');
    const badFeel = { ...passing, version: '2027.3', rules: passing.rules.map((r) => (r.id === 'UB-3' ? { ...r, set: { monthlyAmount: 'round2(minimumMonthlyWage *' } } : r)) };
    const rejected = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/versions', payload: badFeel, headers: bearer(editor) });
    assert.equal(rejected.statusCode, 400);
    assert.match(rejected.json().error.message, /UB-3/);
  });

  it('exports a rule set as .xlsx and imports it back as an identical draft', async () => {
    const xlsx = await t.app.inject({ url: '/api/v1/policy/rulesets/contribution/export.xlsx', headers: bearer(reviewer) });
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.headers['content-type'], XLSX);
    // the exported workbook carries version 2025.1 which exists: import it under a new version id
    const { parseRuleSetWorkbook, writeRuleSetWorkbook } = await import('./transfer-xlsx');
    const parsed = await parseRuleSetWorkbook(xlsx.rawPayload);
    assert.deepEqual(JSON.parse(JSON.stringify(parsed)), JSON.parse(JSON.stringify({ ...contribution, effectiveTo: null })));
    const renamed = await writeRuleSetWorkbook({ ...parsed, version: '2025.9', effectiveFrom: '2025-09-01' });
    const imported = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/contribution/import', payload: renamed, headers: { ...bearer(editor), 'content-type': XLSX } });
    assert.equal(imported.statusCode, 201, imported.body);
    assert.ok(imported.json().tests.every((r: any) => r.passed));
    const params = await t.app.inject({ url: '/api/v1/policy/parameters/export.xlsx', headers: bearer(reviewer) });
    assert.equal(params.statusCode, 200);
  });

  it('runs a what-if over a generated population and over a CSV', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/rulesets/contribution/what-if',
      headers: bearer(reviewer),
      payload: { date: '2025-06-01', overrides: { 'contribution.baseFloorRatio': 0.65 }, sum: ['personalTotal', 'employerTotal'], population: { generate: 2000 } },
    });
    assert.equal(res.statusCode, 200, res.body);
    const w = res.json();
    assert.equal(w.people, 2000);
    assert.ok(w.difference.personalTotal > 0);
    const csv = 'personType,monthlyWage,injuryRiskClass,baseRatio\nemployee,3000,1,\nemployee,8888.88,2,\nflexible,,,0.6\nemployee,-5,1,\n';
    const c = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy/rulesets/contribution/what-if',
      headers: bearer(reviewer),
      payload: { date: '2025-06-01', overrides: { baseFloorRatio: 0.65 }, sum: ['personalTotal'], population: { csv } },
    });
    const cw = c.json();
    assert.equal(cw.people, 4);
    assert.equal(cw.invalid.length, 1);
    // 3000 → floor 4500 → 4875; 8888.88 unchanged; flexible base 0.6 × 7500 unchanged
    assert.equal(cw.baseline.totals.personalTotal, 472.5 + 933.33 + 1260);
    assert.equal(cw.difference.personalTotal, 39.38); // 4875: 390 + 97.50 + 24.38 = 511.88 vs 472.50
    const cap = await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/contribution/what-if', headers: bearer(reviewer), payload: { overrides: {}, sum: ['base'], population: { generate: 10_000_000 } } });
    assert.equal(cap.statusCode, 400);
  });
});
