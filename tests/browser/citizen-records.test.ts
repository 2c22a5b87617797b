import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { boundPerson, issueBindingTicket } from '../../server/src/citizen-identity/bind-channel';
import { buildPerson } from '../../server/src/citizen-records/build-person';
import { resetClock, setClock } from '../../server/src/platform/ids';
import { bearer, type TestApp } from '../../server/src/testing/test-app';
import { chromiumOrSkip, openBrowserTest } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();

/** Paid in 2010-03…2024-11 at one base, the last 3 months owed, nothing paid in May and June 2016. */
const person = buildPerson({ sequence: 515, from: '2010-03', to: '2024-11', arrears: 3, gap: ['2016-05', '2016-06'], base: 5321.17 });
const PHONE_WIDTH = 390;

/** The newest SMS code texted to the person, read from the development outbox as an admin. */
async function latestCode(testApp: TestApp) {
  const res = await testApp.app.inject({ url: `/api/v1/sms-outbox?phone=${person.phone}`, headers: bearer(await testApp.adminToken()) });
  assert.equal(res.statusCode, 200, res.body);
  return /验证码是(\d{6})/.exec(res.json().items[0].text)![1];
}

async function assertNoSideways(page: Page, where: string) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE_WIDTH, `${where}: the page is ${width} px wide on a ${PHONE_WIDTH}-px phone`);
  // a header squeezed past the edge would not widen the page: its 我的社保 button must be whole on screen
  const entry = await page.getByTestId('nav-me').boundingBox();
  assert.ok(entry && entry.x >= 0 && entry.x + entry.width <= PHONE_WIDTH, `${where}: 我的社保 in the header is cut off (${JSON.stringify(entry)})`);
}

describe('我的社保 on a phone: sign-in with an SMS code, the record in plain words, months, applications', { skip: noBrowser, timeout: 240_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;
  let testApp: TestApp;

  before(async () => {
    session = await openBrowserTest(executablePath!, async (t) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/records/import', headers: bearer(await t.adminToken()), payload: { persons: [person] } });
      assert.equal(res.statusCode, 200, res.body);
      // an agent looked the record up on a call, with a reason: the citizen will see it
      const agent = await t.tokenFor(['agent'], 'agent-wang');
      const lookup = await t.app.inject({ method: 'POST', url: '/api/v1/records/lookup', headers: bearer(agent), payload: { idNumber: person.idNumber, reason: '来电咨询缴费年限' } });
      assert.equal(lookup.statusCode, 200, lookup.body);
    });
    ({ browser, base, testApp } = session);
  });

  after(async () => {
    resetClock();
    await session?.close();
  });

  it('a pensioner signs in, sees years paid and the months owed, a gap month marked, an application’s steps in order and who looked, all within 390 px', async () => {
    const desktop = await browser.newContext({ locale: 'zh-CN' });
    const wide = await desktop.newPage();
    await wide.goto(`${base}/`);
    assert.equal((await wide.getByTestId('nav-login').innerText()).replace(/\s/g, ''), '工作人员登录', 'the staff sign-in says it is for staff');
    assert.equal((await wide.getByTestId('nav-me').innerText()).trim(), '我的社保');
    await desktop.close();

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: PHONE_WIDTH, height: 844 }, isMobile: true, hasTouch: true });
    // a loaded test machine can take a while over a lazily loaded page: wait longer than the 30-s default
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    try {
      // the header's 我的社保 leads to the sign-in; staff have their own, named so
      await page.goto(`${base}/`);
      await page.getByTestId('nav-me').click();
      await page.waitForURL(/\/me\/login\?next=%2Fme$/);
      await assertNoSideways(page, 'sign-in');

      // a wrong check digit is caught while typing, before anything is sent
      const id = page.getByTestId('me-login-id');
      const wrongLast = person.idNumber.endsWith('0') ? '1' : '0';
      await id.fill(person.idNumber.slice(0, 17) + wrongLast);
      await page.getByText('身份证号校验位不正确').waitFor();
      await id.fill(person.idNumber);
      await page.getByText('身份证号校验位不正确').waitFor({ state: 'detached' });

      await page.getByTestId('me-login-name').fill(person.name);
      await page.getByTestId('me-login-phone').fill(person.phone);
      assert.equal(await page.getByTestId('me-login-code').getAttribute('inputmode'), 'numeric');
      assert.equal(await page.getByTestId('me-login-code').getAttribute('autocomplete'), 'one-time-code');
      await page.getByTestId('me-login-send-code').click();
      await page.getByTestId('me-login-notice').getByText(/验证码已发送到 139\*{4}\d{4}/).waitFor();
      assert.match(await page.getByTestId('me-login-send-code').innerText(), /\d+\s*秒后重新获取/, 'the button counts down before another code');
      assert.ok(await page.getByTestId('me-login-send-code').isDisabled());
      await page.getByTestId('me-login-code').fill(await latestCode(testApp));
      await page.getByTestId('me-login-submit').click();

      // the overview: years paid and the months owed, in words
      await page.waitForURL(/\/me$/);
      const pension = person.contributions!.filter((c) => c.insurance === 'pension');
      const paid = pension.filter((c) => c.status === 'paid').length;
      const headline = page.getByTestId('me-headline-pension');
      await headline.waitFor();
      assert.match(await headline.innerText(), new RegExp(`养老保险\\s+已累计缴费 ${Math.floor(paid / 12)}年${paid % 12}个月`));
      assert.equal((await headline.getByTestId('me-arrears').innerText()).trim(), '单位欠缴 3 个月，补缴后计入');
      assert.match(await headline.getByTestId('me-balance').innerText(), /个人账户余额 ¥\d{1,3}(,\d{3})*\.\d\d/);
      await assertNoSideways(page, 'overview');
      // 参保证明: a PDF downloads, and its verification code is shown for whoever needs to check it
      const downloading = page.waitForEvent('download');
      await page.getByTestId('me-statement-download').click();
      assert.match((await downloading).suggestedFilename(), /^社会保险参保缴费证明-\d{4}-\d\d-\d\d\.pdf$/);
      assert.match(await page.getByTestId('me-statement-issued').innerText(), /验证码 [A-Z2-9]{4}(-[A-Z2-9]{4}){4}/);
      const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('zhixun.citizen') ?? '', local: JSON.stringify({ ...localStorage }) }));
      assert.match(stored.session, /zxc_/, 'the token is kept for this tab');
      assert.doesNotMatch(stored.local, /zxc_/, 'and never in localStorage');

      // contributions: the gap months are marked 断缴 in words, the owed ones 欠缴; a month opens its employer and base
      await page.getByTestId('me-link-contributions').click();
      const gap = page.locator('[data-testid="me-month"][data-month="2016-05"]');
      await gap.waitFor();
      assert.equal(await gap.getAttribute('data-status'), 'gap');
      assert.match(await gap.innerText(), /5月\s*断缴/);
      assert.equal(await page.locator('[data-testid="me-month"][data-status="arrears"]').count(), 3);
      assert.match(await page.locator('[data-testid="me-month"][data-month="2024-11"]').innerText(), /欠缴/);
      await gap.click();
      assert.match(await page.getByTestId('me-month-detail').innerText(), /2016年5月\s*断缴/);
      await page.locator('[data-testid="me-month"][data-month="2016-07"]').click();
      const detail = await page.getByTestId('me-month-detail').innerText();
      assert.ok(detail.includes('杭州恒达机械有限公司') && detail.includes('¥5,321.17'), detail);
      await assertNoSideways(page, 'contributions');

      // the pension account's years fit the phone too
      await page.getByTestId('me-back').click();
      await page.getByTestId('me-link-account').click();
      await page.getByTestId('me-account-years').waitFor();
      assert.match(await page.getByTestId('me-account-balance').innerText(), /¥\d/);
      await assertNoSideways(page, 'pension account');

      // an application's steps, in the order they happened
      await page.getByTestId('me-back').click();
      await page.getByTestId('me-link-applications').click();
      const application = page.locator(`[data-testid="me-app"][data-id="${person.applications![0].id}"]`);
      await application.waitFor();
      assert.match(await application.innerText(), /退休申请[\s\S]*审核中/);
      await application.click();
      await page.getByTestId('me-app-step').first().waitFor();
      const steps = await page.getByTestId('me-app-step').allInnerTexts();
      assert.equal(steps.length, 2);
      assert.match(steps[0], /2024年11月2日 09:00\s+已受理/);
      assert.match(steps[1], /2024年11月5日 10:30\s+审核中\s+待核对视同缴费年限/);
      await assertNoSideways(page, 'application');

      // who looked: the agent, what they saw and why
      await page.goto(`${base}/me/access-log`);
      const access = page.getByTestId('me-access').first();
      await access.waitFor();
      const row = await access.innerText();
      assert.ok(row.includes('工作人员 agent-wang') && row.includes('查看了参保记录') && row.includes('原因：来电咨询缴费年限'), row);
      await assertNoSideways(page, 'access log');

      // the robot's one-time link from WeChat: confirmed here, that follower is this person from now on
      const follower = { channel: 'wechat', namespace: 'account-1', externalId: 'o_follower' };
      const ticket = await issueBindingTicket(testApp.ctx, follower);
      await page.goto(`${base}/me/bind?ticket=${ticket}`);
      await page.getByTestId('me-bind-confirm').click();
      await page.getByTestId('me-bind-done').waitFor();
      assert.match(await page.getByTestId('me-binding').first().innerText(), /微信公众号/);
      assert.ok(await boundPerson(testApp.ctx, follower), 'the follower is bound');
      await assertNoSideways(page, 'bindings');

      // 16 minutes on, records ask for a fresh code in a dialog, then show
      setClock(() => Date.now() + 16 * 60_000);
      await page.goto(`${base}/me/payments`);
      const dialog = page.getByRole('dialog');
      await dialog.getByText('请再次验证手机').waitFor();
      await page.getByTestId('me-stepup-send').click();
      await page.getByTestId('me-stepup-notice').getByText('验证码已发送到').waitFor();
      await page.getByTestId('me-stepup-code').fill(await latestCode(testApp));
      await page.getByTestId('me-stepup-confirm').click();
      await page.getByTestId('me-pay-empty').waitFor();
      await dialog.waitFor({ state: 'hidden' });

      // signing out everywhere ends the session: the records page sends to the sign-in again
      await page.getByTestId('me-logout-everywhere').click();
      await page.getByRole('button', { name: '全部退出' }).click();
      await page.waitForURL(/\/me\/login$/);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('zhixun.citizen')), null);
      await page.goto(`${base}/me/contributions`);
      await page.waitForURL(/\/me\/login\?next=%2Fme%2Fcontributions$/);
    } finally {
      await context.close();
    }
  });
});
