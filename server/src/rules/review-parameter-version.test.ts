import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { createRulesService } from './create-rules-service';

/** Four-eyes for parameter versions: an editor's change waits for a reviewer who is not its author. */
describe('parameter versions go through review before they change determinations', () => {
  let t: TestApp;
  let editor: string;
  let reviewer: string;
  let both: string;
  let admin: string;
  before(async () => {
    t = await startTestApp({ seed: false });
    editor = await t.tokenFor(['editor'], 'param-editor');
    reviewer = await t.tokenFor(['reviewer'], 'param-reviewer');
    both = await t.tokenFor(['editor', 'reviewer'], 'param-both');
    admin = await t.adminToken();
  });
  after(async () => t?.close());

  const inputs = { separationReason: 'employerTerminated', contributionMonths: 75, registeredUnemployed: true, receivingPension: false };
  const monthlyAmount = async (date: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/unemployment-benefit/determine', payload: { inputs, date } })).json().outputs.monthlyAmount;
  const submit = (token: string, effectiveFrom: string, minimumMonthlyWage: number, effectiveTo?: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/policy/parameters', headers: bearer(token), payload: { jurisdiction: 'demo-city', effectiveFrom, effectiveTo, values: { 'unemploymentBenefit.minimumMonthlyWage': minimumMonthlyWage } } });
  const approve = (token: string, id: string, comment?: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/policy/parameters/${encodeURIComponent(id)}/approve`, headers: bearer(token), payload: comment ? { comment } : {} });
  const reject = (token: string, id: string, comment: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/policy/parameters/${encodeURIComponent(id)}/reject`, headers: bearer(token), payload: { comment } });

  it("an editor's new version is pending: no determination, in-force value or public list changes until a reviewer approves it", async () => {
    const res = await submit(editor, '2030-01-01', 2700, '2031-01-01');
    assert.equal(res.statusCode, 201, res.body);
    const pending = res.json();
    assert.equal(pending.status, 'pending');
    assert.equal(pending.createdBy, 'user:param-editor');
    assert.equal(await monthlyAmount('2030-06-01'), 2241);
    const inForce = (await t.app.inject({ url: '/api/v1/policy/parameters/in-force?date=2030-06-01' })).json();
    assert.equal(inForce.values['unemploymentBenefit.minimumMonthlyWage'], 2490);
    assert.ok(!inForce.versions.includes(pending.id));
    const publicList = (await t.app.inject({ url: '/api/v1/policy/parameters' })).json().items;
    assert.ok(!publicList.some((v: any) => v.id === pending.id), 'a pending version is not listed publicly');

    // reviewers and editors see it in the queue; anonymous callers do not
    assert.equal((await t.app.inject({ url: '/api/v1/policy/parameters/unpublished' })).statusCode, 401);
    const queue = (await t.app.inject({ url: '/api/v1/policy/parameters/unpublished', headers: bearer(reviewer) })).json().items;
    assert.deepEqual(queue.map((v: any) => [v.id, v.status]), [[pending.id, 'pending']]);

    // an editor cannot approve; the reviewer (not the author) can, and then it applies from its date
    assert.equal((await approve(editor, pending.id)).statusCode, 403);
    const ok = await approve(reviewer, pending.id, '核对无误');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().status, 'published');
    assert.equal(ok.json().reviewedBy, 'user:param-reviewer');
    assert.equal(await monthlyAmount('2029-12-31'), 2241);
    assert.equal(await monthlyAmount('2030-06-01'), 2430);
    assert.equal(await monthlyAmount('2031-01-01'), 2241);
    assert.equal((await approve(reviewer, pending.id)).json().error.code, 'not_pending');
  });

  it('nobody approves their own change: not an admin alone, not a user who is editor and reviewer', async () => {
    for (const [token, date] of [[admin, '2031-01-01'], [both, '2031-02-01']] as const) {
      const own = (await submit(token, date, 2800)).json();
      assert.equal(own.status, 'pending');
      const refused = await approve(token, own.id);
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, 'own_change');
      assert.equal(await monthlyAmount(date), 2241);
    }
  });

  it('a rejected version never applies, needs a comment, and cannot be approved afterwards', async () => {
    const v = (await submit(editor, '2032-01-01', 9999)).json();
    const noComment = await reject(reviewer, v.id, '  ');
    assert.equal(noComment.statusCode, 400);
    assert.equal(noComment.json().error.code, 'comment_required');
    const rejected = await reject(reviewer, v.id, '数值有误');
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal(rejected.json().status, 'rejected');
    assert.equal(rejected.json().reviewComment, '数值有误');
    assert.equal((await approve(reviewer, v.id)).statusCode, 409);
    assert.equal(await monthlyAmount('2032-06-01'), 2241);
    assert.equal((await approve(reviewer, 'no-such-version')).statusCode, 404);
  });

  it('a workbook import creates pending versions too', async () => {
    const { writeParametersWorkbook } = await import('./transfer-xlsx');
    const buf = await writeParametersWorkbook([{ id: 'demo-city-2033-import', jurisdiction: 'demo-city', effectiveFrom: '2033-01-01', effectiveTo: null, values: { 'unemploymentBenefit.minimumMonthlyWage': 3000 } }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/policy/parameters/import', payload: buf, headers: { ...bearer(editor), 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().created.map((v: any) => v.status), ['pending']);
    assert.equal(await monthlyAmount('2033-06-01'), 2241);
  });

  it('every submit, approval and rejection is in the audit log', async () => {
    const items = (await t.app.inject({ url: '/api/v1/audit?pageSize=100', headers: bearer(admin) })).json().items as { action: string; actor: string }[];
    const of = (action: string) => items.filter((i) => i.action === action).map((i) => i.actor);
    assert.ok(of('rules.parameters.submit').includes('user:param-editor'));
    assert.ok(of('rules.parameters.approve').includes('user:param-reviewer'));
    assert.ok(of('rules.parameters.reject').includes('user:param-reviewer'));
  });

  it('a restart loads approved versions only: pending and rejected ones stay out of determinations', async () => {
    const svc = await createRulesService(t.ctx);
    const amount = (date: string) => svc.determine('unemployment-benefit', { inputs, date, explain: false }).outputs.monthlyAmount;
    assert.equal(amount('2030-06-01'), 2430);
    assert.equal(amount('2031-06-01'), 2241);
    assert.equal(amount('2032-06-01'), 2241);
    assert.equal(amount('2033-06-01'), 2241);
  });
});
