import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../server/src/identity/manage-users';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

/** Types a date into an antd DatePicker (its input takes YYYY-MM-DD / YYYY-MM and Enter). */
async function typeDate(page: Page, picker: ReturnType<Page['getByTestId']>, value: string) {
  const input = (await picker.evaluate((el) => el.tagName)) === 'INPUT' ? picker : picker.locator('input');
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}

const { executablePath, noBrowser } = chromiumOrSkip();

describe('the robot chat and the policy calculator in the browser', { skip: noBrowser, timeout: 240_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;

  before(async () => {
    session = await openBrowserTest(executablePath!, async (testApp) => {
      await createUser(testApp.ctx, 'test', { username: 'policy-editor', password: 'policy-pass-1', roles: ['editor'] });
      await createUser(testApp.ctx, 'test', { username: 'policy-reviewer', password: 'policy-pass-2', roles: ['reviewer'] });
    });
    ({ browser, base } = session);
  });

  after(async () => session?.close());

  it('a citizen asks the floating 智能客服: a Markdown answer with bold text, then the retirement-age calculator offered with an answer and its interview through quick replies', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      // the portal embeds the chat widget like any other site (/widget.js with the site key `portal`)
      await page.goto(`${base}/`);
      await page.getByTestId('widget-launcher').click();
      const widget = page.frameLocator('[data-testid="widget-frame"]');
      await widget.getByTestId('widget-input').fill('养老保险单位交多少个人交多少');
      await widget.getByTestId('widget-send').click();

      // The robot answers with yl-001 (or, if unsure, offers it first among 您是不是想问 choices).
      const robot = widget.locator('[data-testid="widget-message"][data-sender="robot"]');
      await robot.nth(1).waitFor();
      const choice = widget.locator('[data-testid="widget-message"]:last-child [data-testid="widget-option"][data-entry="yl-001"]');
      if (await choice.count()) await choice.click();
      const answer = widget.locator('[data-testid="widget-message"][data-sender="robot"][data-entry="yl-001"]');
      await answer.waitFor();
      const text = await answer.innerText();
      assert.match(text, /16%/);
      assert.ok(!text.includes('**'), `no literal asterisks in the answer: ${text}`);
      assert.equal(await answer.locator('strong', { hasText: '16%' }).count(), 1, '**16%**缴纳 is rendered bold');
      assert.equal(await answer.getByTestId('widget-entry-link').getAttribute('href'), '/kb/yl-001');
      await answer.getByTestId('widget-helpful').click();
      await answer.getByTestId('widget-feedback-thanks').waitFor();

      // A personal question gets the knowledge answer with the calculator offered; the button starts
      // the retirement-age interview inside the chat.
      await widget.getByTestId('widget-input').fill('我什么时候能退休');
      await widget.getByTestId('widget-send').click();
      const offer = widget.locator('[data-testid="widget-message"]:last-child [data-testid="widget-calculate"][data-ruleset="retirement-age"]');
      await offer.waitFor();
      assert.equal(await widget.locator('[data-testid="widget-interview"]').count(), 0, 'no interview before the citizen takes the offer');
      await offer.click();
      const gender = widget.locator('[data-testid="widget-interview"][data-question="gender"]');
      await gender.getByTestId('widget-choice').first().waitFor();
      await gender.locator('[data-testid="widget-choice"][data-value="male"]').click();
      const birth = widget.locator('[data-testid="widget-interview"][data-question="birthYearMonth"]');
      await birth.getByTestId('widget-month').waitFor();
      await birth.getByTestId('widget-month').fill('1971-06');
      await birth.getByTestId('widget-month-send').click();
      const result = widget.locator('[data-testid="widget-interview"][data-status="complete"]');
      await result.waitFor();
      const message = widget.locator('[data-testid="widget-message"]', { has: result });
      assert.match(await message.innerText(), /2033-02/);
      assert.ok(!(await message.innerText()).includes('**'));
      assert.match((await result.getByTestId('widget-interview-result').getAttribute('href')) ?? '', /^\/calculators\/[\w-]+$/);
    } finally {
      await context.close();
    }
  });

  it('a citizen works out their retirement with the keyboard: the birth month picker opens in 1965, the result opens with its headline, the figures and the policy date wait in folds', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/calculators/retirement-age`);
      const question = (id: string) => page.locator(`[data-testid="calc-question"][data-question="${id}"]`);
      await question('gender').waitFor();
      // the policy date is an advanced option, closed at first
      assert.equal(await page.getByTestId('calc-date').isVisible(), false, 'no policy date field in the way');
      await page.getByRole('radio', { name: '男' }).focus();
      await page.keyboard.press('Space');
      await page.getByTestId('calc-next').focus();
      await page.keyboard.press('Enter');

      await question('birthYearMonth').waitFor();
      const birth = page.getByLabel('您的出生年月是？（例如 1975-06）');
      await birth.click();
      // the month panel opens at 1965, not at this year
      await page.locator('.ant-picker-dropdown .ant-picker-header-view').filter({ hasText: '1965' }).waitFor();
      const axe = async () => (await new AxeBuilder({ page }).withRules(['label', 'aria-allowed-attr', 'aria-valid-attr-value']).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(await axe(), [], 'every control of the question has a label');
      await birth.fill('1971-06');
      await birth.press('Enter');
      await page.getByTestId('calc-next').focus();
      await page.keyboard.press('Enter');

      const result = page.getByTestId('calc-result');
      await result.waitFor();
      assert.equal(await result.getByTestId('calc-headline').innerText(), '您的法定退休时间是2033年2月，届时年满61岁8个月。');
      assert.equal(await page.locator('[aria-live="polite"]').filter({ has: result }).count(), 1, 'the result is announced');
      assert.doesNotMatch(await result.innerText(), /未知|unknown|undefined|NaN/);
      // the eight technical rows are one click away, not in front of the answer
      assert.equal(await result.getByTestId('calc-outputs').isVisible().catch(() => false), false);
      await result.getByRole('button', { name: /详细数据/ }).click();
      await result.getByTestId('calc-outputs').getByText('2033-02').waitFor();
      assert.deepEqual(await axe(), []);
    } finally {
      await context.close();
    }
  });

  it('a policy editor raises the minimum wage from a future date; once a reviewer approves it that date gets the new benefit, today keeps 2241', async () => {
    const future = `${new Date().getFullYear() + 2}-01-01`;
    const dayBefore = `${new Date().getFullYear() + 1}-12-31`;
    const inputs = { separationReason: 'employerTerminated', contributionMonths: 75, registeredUnemployed: true, receivingPension: false };
    const determine = async (date?: string) => {
      const res = await fetch(`${base}/api/v1/policy/rulesets/unemployment-benefit/determine`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs, date }) });
      assert.equal(res.status, 200);
      return (await res.json()).outputs.monthlyAmount;
    };
    const editorContext = await browser.newContext({ locale: 'zh-CN' });
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      const editor = await editorContext.newPage();
      await signIn(editor, base, 'policy-editor', 'policy-pass-1');
      await editor.getByTestId('console-nav-rules').click();
      await editor.getByTestId('rules-tab-params').click();
      await editor.getByTestId('param-value-unemploymentBenefit.minimumMonthlyWage').getByText('2490').waitFor();
      await editor.getByTestId('param-new').click();
      const drawer = editor.getByTestId('param-drawer');
      await typeDate(editor, drawer.getByTestId('param-effective-from'), future);
      await drawer.getByText(`${future} 的现值`).waitFor();
      await drawer.getByTestId('param-input-unemploymentBenefit.minimumMonthlyWage').fill('2700');
      await drawer.getByTestId('param-preview').getByText('2490 → 2700').waitFor();
      await drawer.getByTestId('param-note').fill('浏览器测试：最低工资调整');
      await drawer.getByTestId('param-save').click();

      // Submitted for review: shown as pending, and nothing changes until a reviewer approves it.
      const submitted = editor.getByTestId('param-submitted');
      await submitted.waitFor();
      assert.equal((await submitted.getByTestId('param-proposed-unemploymentBenefit.minimumMonthlyWage').innerText()).trim(), '2700');
      await editor.getByTestId('params-pending').getByText('待审核', { exact: true }).waitFor();
      assert.equal(await editor.locator('[data-testid^="param-approve-"]').count(), 0, 'an editor has no approve button');
      assert.equal(await determine(future), 2241);

      // A reviewer approves it in the console.
      await signIn(page, base, 'policy-reviewer', 'policy-pass-2');
      await page.getByTestId('console-nav-rules').click();
      await page.getByTestId('rules-tab-params').click();
      await page.locator('[data-testid^="param-approve-"]').first().click();
      const saved = page.getByTestId('param-saved');
      await saved.waitFor();
      // the values in force load after the card appears
      await saved.getByTestId('param-after-unemploymentBenefit.minimumMonthlyWage').getByText('2700', { exact: true }).waitFor();
      await page.getByTestId('params-pending').waitFor({ state: 'detached' }); // nothing left to review

      // The unemployment calculator on the effective date uses the new minimum wage: 2700 × 90%.
      await saved.getByTestId('param-try-unemployment-benefit').click();
      await page.waitForURL(new RegExp(`/calculators/unemployment-benefit\\?date=${future}`));
      const answer = async (question: string, act: () => Promise<void>) => {
        await page.locator(`[data-testid="calc-question"][data-question="${question}"]`).waitFor();
        await act();
        await page.getByTestId('calc-next').click();
      };
      await answer('separationReason', () => page.getByTestId('calc-answer').locator('input[value="employerTerminated"]').check());
      await answer('contributionMonths', () => page.getByTestId('calc-answer').fill('75'));
      await answer('registeredUnemployed', () => page.getByTestId('calc-answer').getByText('是', { exact: true }).click());
      await answer('receivingPension', () => page.getByTestId('calc-answer').getByText('否', { exact: true }).click());
      const result = page.getByTestId('calc-result');
      await result.waitFor();
      assert.equal(await result.getByTestId('calc-headline').innerText(), '您符合领取失业保险金的条件：每月2430.00元，最长可领取18个月。');
      assert.match(await result.getByTestId('calc-result-date').innerText(), new RegExp(future));

      // Determinations dated before the change keep the old value; today's is 2490 × 90% = 2241.
      assert.equal(await determine(), 2241);
      assert.equal(await determine(dayBefore), 2241);
      assert.equal(await determine(future), 2430);
    } finally {
      await editorContext.close();
      await context.close();
    }
  });
});
