import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildIdNumber, buildPerson } from '../../server/src/citizen-records/build-person';
import { createUser } from '../../server/src/identity/manage-users';
import { bearer, type TestApp } from '../../server/src/testing/test-app';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();

const PASSWORD = 'records-pass-1';

/** The citizen signs in through the API (code read from the development outbox) and asks for an agent in the widget. */
async function citizenAsksForAgent(testApp: TestApp, person: { idNumber: string; name: string; phone: string }) {
  const sent = await testApp.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: person.phone } });
  assert.equal(sent.statusCode, 202, sent.body);
  const outbox = await testApp.app.inject({ url: `/api/v1/sms-outbox?phone=${person.phone}`, headers: bearer(await testApp.adminToken()) });
  const code = /验证码是(\d{6})/.exec(outbox.json().items[0].text)![1];
  const login = await testApp.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { ...person, code } });
  assert.equal(login.statusCode, 200, login.body);
  return widgetConversation(testApp, bearer(login.json().token));
}

/** A widget conversation handed to the queue with 转人工; signed in when `citizen` carries the citizen's token. */
async function widgetConversation(testApp: TestApp, citizen: Record<string, string> = {}) {
  const session = await testApp.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', headers: citizen, payload: { siteKey: 'portal' } });
  assert.equal(session.statusCode, 200, session.body);
  const visitor = { ...citizen, 'x-visitor-token': session.json().visitorToken };
  const started = await testApp.app.inject({ method: 'POST', url: '/api/v1/widget/conversations', headers: visitor, payload: { siteKey: 'portal' } });
  const id = started.json().conversation.id as string;
  const handoff = await testApp.app.inject({ method: 'POST', url: `/api/v1/widget/conversations/${id}/messages`, headers: visitor, payload: { clientMessageId: 'h1', text: '转人工' } });
  assert.equal(handoff.statusCode, 201, handoff.body);
  return id;
}

async function auditRows(testApp: TestApp, action: string) {
  const res = await testApp.app.inject({ url: `/api/v1/audit?action=${action}&pageSize=200`, headers: bearer(await testApp.adminToken()) });
  return res.json().items as { action: string; actor: string; detail: { reason: string | null; conversationId: string | null; what: string } }[];
}

async function signInToWorkspace(page: Page, base: string, username: string) {
  await page.goto(`${base}/login?next=/workspace`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname.startsWith('/workspace'));
  await page.locator('[data-testid="ws-connection"][data-connected="true"]').waitFor();
}

/** The agent accepts the queued conversation from the queue and sees its context panel. */
async function accept(page: Page, id: string) {
  await page.getByTestId('ws-tab-queue').click();
  await page.locator(`[data-testid="ws-queue-item"][data-id="${id}"]`).getByTestId('ws-accept').click();
  await page.locator(`[data-testid="ws-open"][data-id="${id}"][data-status="assigned"]`).waitFor();
  await page.getByTestId('ws-history').waitFor();
}

describe('personal records in the agent workspace and the audit console', { skip: noBrowser, timeout: 240_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;
  let testApp: TestApp;
  const citizen = buildPerson({ sequence: 515, from: '2011-04', to: '2024-10', arrears: 2, base: 7000 });
  const caller = buildPerson({ sequence: 636, from: '2019-01', to: '2024-06', base: 5000 });
  const paidPension = citizen.contributions!.filter((c) => c.insurance === 'pension' && c.status === 'paid').length;
  const maskedPhone = `${citizen.phone.slice(0, 3)}****${citizen.phone.slice(-4)}`;

  before(async () => {
    session = await openBrowserTest(executablePath!, async (app) => {
      await createUser(app.ctx, 'test', { username: 'agent-rec', password: PASSWORD, roles: ['agent'] });
      await createUser(app.ctx, 'test', { username: 'sup-rec', password: PASSWORD, roles: ['supervisor'] });
      const imported = await app.app.inject({ method: 'POST', url: '/api/v1/records/import', headers: bearer(await app.adminToken()), payload: { persons: [citizen, caller] } });
      assert.equal(imported.statusCode, 200, imported.body);
    });
    ({ browser, base, testApp } = session);
  });

  after(async () => session?.close());

  it('the serving agent sees the verified citizen’s record once per opening, unmasks the phone with a reason, and the supervisor finds both in the audit log and its CSV', async () => {
    const id = await citizenAsksForAgent(testApp, citizen);
    const agentContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const supervisorContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    try {
      const page = await agentContext.newPage();
      await signInToWorkspace(page, base, 'agent-rec');
      await accept(page, id);
      assert.equal((await auditRows(testApp, 'records.read')).length, 0, 'accepting the conversation reads no record');

      await page.getByTestId('ws-tab-records').click();
      const pension = page.getByTestId('rec-pension');
      await pension.waitFor();
      assert.equal(await pension.getAttribute('data-paid-months'), String(paidPension));
      const years = Math.floor(paidPension / 12);
      const months = paidPension % 12;
      assert.ok((await pension.innerText()).includes(`累计缴费 ${years}年${months ? `${months}个月` : ''}`), await pension.innerText());
      assert.equal(await page.getByTestId('rec-pension-arrears').innerText(), '单位欠缴 2 个月');
      assert.equal(await page.getByTestId('rec-value-phone').innerText(), maskedPhone);
      assert.equal(await page.getByTestId('rec-value-name').innerText(), '测***5', 'the name is masked for staff');
      await page.locator('[data-testid="rec-application"]', { hasText: '退休待遇申领' }).waitFor();
      await page.getByTestId('rec-audit-note').filter({ hasText: '谁查看过我的记录' }).waitFor();

      // flipping between tabs does not read the record again; 刷新 does
      await page.getByTestId('ws-tab-history').click();
      await page.getByTestId('ws-tab-records').click();
      assert.equal((await auditRows(testApp, 'records.read')).length, 1, 'one opening, one audited read');
      await page.getByTestId('rec-refresh').click();
      await waitFor(async () => (await auditRows(testApp, 'records.read')).length === 2, 'the refresh is a second read');

      // the full phone number needs a reason of four characters or more
      await page.getByTestId('rec-unmask-phone').click();
      await page.getByTestId('rec-unmask-reason').fill('核实');
      await page.getByTestId('rec-unmask-submit').click();
      await page.locator('.ant-form-item-explain-error', { hasText: '至少 4 个字' }).waitFor();
      assert.equal((await auditRows(testApp, 'records.unmask')).length, 0, 'a short reason is refused before anything is sent');
      await page.getByTestId('rec-unmask-reason').fill('需回拨核实来电');
      await page.getByTestId('rec-unmask-submit').click();
      await page.locator('[data-testid="rec-field-phone"][data-unmasked="true"]').waitFor();
      assert.equal(await page.getByTestId('rec-value-phone').innerText(), citizen.phone);
      assert.match(await page.getByTestId('rec-value-idNumber').innerText(), /^\d{4}\*{10}\d{3}[\dX]$/, 'the ID number stays masked');

      // the supervisor searches personal-information reads and sees who, why and in which conversation
      const audit = await supervisorContext.newPage();
      await signIn(audit, base, 'sup-rec', PASSWORD);
      await audit.goto(`${base}/console/audit`);
      await audit.getByTestId('audit-preset-records').click();
      // until the filtered page arrives, the unfiltered one (sign-ins too) is on screen
      await audit.waitForFunction(() => {
        const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
        return rows.length > 0 && rows.every((row) => row.getAttribute('data-action')!.startsWith('records.'));
      });
      const unmaskRow = audit.locator('[data-testid="audit-row"][data-action="records.unmask"][data-actor="user:agent-rec"]');
      await unmaskRow.waitFor();
      assert.ok((await unmaskRow.innerText()).includes('显示完整信息（手机号）'), await unmaskRow.innerText());
      assert.equal(await unmaskRow.getByTestId('audit-reason').innerText(), '需回拨核实来电');
      assert.equal(await unmaskRow.getByTestId('audit-conversation').innerText(), id);
      const readRows = audit.locator('[data-testid="audit-row"][data-action="records.read"][data-actor="user:agent-rec"]');
      assert.equal(await readRows.count(), 2);
      assert.ok((await readRows.first().innerText()).includes('查看参保记录'));

      // the actor filter narrows to one staff member: nobody else read this record
      await audit.getByTestId('audit-filter-actor').fill('someone-else');
      await audit.getByTestId('audit-search').click();
      await audit.locator('.ant-table-placeholder').waitFor();

      await audit.getByTestId('audit-filter-actor').fill('agent-rec');
      await audit.getByTestId('audit-search').click();
      await unmaskRow.waitFor();
      const [download] = await Promise.all([audit.waitForEvent('download'), audit.getByTestId('audit-export').click()]);
      const csv = await readFile((await download.path())!, 'utf8');
      assert.ok(csv.startsWith('\uFEFF'), 'a byte-order mark, so Excel reads UTF-8');
      const lines = csv.trim().split('\r\n');
      assert.equal(lines.length, 1 + 3, 'a header and the three reads of the filter');
      assert.ok(lines.some((l) => l.includes('records.unmask') && l.includes('需回拨核实来电') && l.includes(id)), csv);
      assert.ok(lines.some((l) => l.includes('查看参保记录')), csv);
    } finally {
      await agentContext.close();
      await supervisorContext.close();
    }
  });

  it('without a signed-in citizen the agent is told so and may look a caller up by ID number with a reason', async () => {
    const id = await widgetConversation(testApp);
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    try {
      const page = await context.newPage();
      await signInToWorkspace(page, base, 'agent-rec');
      await accept(page, id);
      await page.getByTestId('ws-tab-records').click();
      await page.getByTestId('rec-not-verified').filter({ hasText: '该市民尚未登录核验身份' }).waitFor();

      const wrongCheck = caller.idNumber.slice(0, 17) + (caller.idNumber[17] === '0' ? '1' : '0');
      await page.getByTestId('rec-lookup-id').fill(wrongCheck);
      await page.getByTestId('rec-lookup-reason').fill('来电咨询缴费年限');
      await page.getByTestId('rec-lookup-submit').click();
      await page.locator('.ant-form-item-explain-error', { hasText: '校验位' }).waitFor();

      await page.getByTestId('rec-lookup-id').fill(caller.idNumber);
      await page.getByTestId('rec-lookup-submit').click();
      await page.getByTestId('rec-by-id').waitFor();
      assert.equal(await page.getByTestId('rec-pension').getAttribute('data-paid-months'), String(caller.contributions!.filter((c) => c.insurance === 'pension').length));

      // another caller, under an ID number nobody is registered with: said so, and the form stays for another try
      await page.getByTestId('rec-lookup-another').click();
      await page.getByTestId('rec-not-verified').waitFor();
      await page.getByTestId('rec-lookup-id').fill(buildIdNumber('19800101', 998));
      await page.getByTestId('rec-lookup-reason').fill('来电咨询缴费年限');
      await page.getByTestId('rec-lookup-submit').click();
      await page.getByTestId('error-alert').waitFor();
      await page.getByTestId('rec-lookup-form').waitFor();

      const reads = (await auditRows(testApp, 'records.read')).filter((r) => r.detail.conversationId === null);
      assert.equal(reads.length, 1, 'the look-up by ID number is audited');
      assert.equal(reads[0].detail.reason, '来电咨询缴费年限');
    } finally {
      await context.close();
    }
  });

  it('the admin imports records from a file (refused whole with its rows named when one is wrong) and reads the development SMS outbox', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    try {
      const page = await context.newPage();
      await signIn(page, base, 'admin', 'admin-pass-for-tests');
      await page.getByTestId('console-nav-records-import').click();
      const good = buildPerson({ sequence: 757 });
      const bad = { ...buildPerson({ sequence: 878 }), phone: '12345' };
      const upload = async (name: string, persons: unknown[]) => {
        await page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ persons })) });
        await page.getByTestId('records-import-picked').filter({ hasText: `${name}：${persons.length} 人` }).waitFor();
        await page.getByTestId('records-import-send').click();
      };
      await upload('bad.json', [good, bad]);
      const problem = page.getByTestId('records-import-problems').locator('tbody tr').first();
      await problem.waitFor();
      assert.deepEqual((await problem.locator('td').allInnerTexts()).slice(0, 2), ['2', 'phone']);

      await upload('good.json', [good]);
      await page.getByTestId('records-import-done').filter({ hasText: '已导入 1 人' }).waitFor();
      assert.equal((await testApp.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: good.phone } })).statusCode, 202);

      await page.getByTestId('console-nav-sms-outbox').click();
      await page.getByTestId('sms-phone').fill(good.phone);
      await page.getByTestId('sms-search').click();
      await page.getByTestId('sms-message').filter({ hasText: /验证码是\d{6}/ }).waitFor();
    } finally {
      await context.close();
    }
  });
});

/** Polls a condition the page brings about asynchronously (an audited request in flight). */
async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) assert.fail(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
