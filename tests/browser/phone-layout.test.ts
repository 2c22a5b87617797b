import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD } from '../../server/src/testing/test-app';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';
import { PHONE, runCalculator } from './portal-support';

const { executablePath, noBrowser } = chromiumOrSkip();

/**
 * Links, buttons, inputs and result rows on screen that the floating 智能客服 button overlaps and
 * the citizen cannot scroll out from under it: at the top of a long page a row may pass beneath the
 * button (scrolling brings it up), but never one the page cannot scroll far enough to uncover.
 */
async function coveredByLauncher(page: Page) {
  return page.evaluate(() => {
    const scrollLeft = document.documentElement.scrollHeight - innerHeight - scrollY;
    const launcher = document.querySelector<HTMLElement>('[data-testid="widget-launcher"]');
    if (!launcher) return ['(no launcher)'];
    const l = launcher.getBoundingClientRect();
    const targets = document.querySelectorAll<HTMLElement>('a[href], button, input, textarea, select, [role="button"], .zx-result-item, .ant-list-item, .zx-footer .ant-typography');
    const covered: string[] = [];
    for (const el of targets) {
      if (el === launcher || launcher.contains(el) || !el.offsetParent) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.bottom <= 0 || r.top >= innerHeight) continue;
      const overlaps = r.left < l.right && r.right > l.left && r.top < l.bottom && r.bottom > l.top;
      const canScrollClear = r.bottom - l.top <= scrollLeft;
      if (overlaps && !canScrollClear) covered.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`);
    }
    return covered;
  });
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe('the portal on a 390-px phone', { skip: noBrowser, timeout: 180_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;

  before(async () => {
    session = await openBrowserTest(executablePath!);
    ({ browser, base } = session);
  });

  after(async () => session?.close());

  const phone = () => browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });

  it('after a search the first result is on the first screen; the menu is a labelled button opening the links', async () => {
    const context = await phone();
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    try {
      await page.goto(`${base}/`);
      const search = page.getByTestId('portal-search');
      const input = (await search.evaluate((el) => el.tagName)) === 'INPUT' ? search : search.locator('input');
      // the hint fits the box: not cut off
      assert.ok(await input.evaluate((el: HTMLInputElement) => {
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = getComputedStyle(el).font;
        return ctx.measureText(el.placeholder).width <= el.clientWidth;
      }), 'the search placeholder fits its box');
      await input.fill('养老保险');
      await input.press('Enter');
      const first = page.locator('[data-testid="search-results"] .zx-result-item').first();
      await first.waitFor();
      const box = (await first.boundingBox())!;
      assert.ok(box.y + box.height <= PHONE.height, `the first result ends at ${box.y + box.height} px, below the 844-px screen`);
      assert.ok(await page.getByTestId('category-fold').isVisible(), 'the categories are folded under the results');
      assert.equal(await page.getByTestId('category-fold').getAttribute('open'), null);

      // the menu: a named button, a drawer with the links (the staff sign-in among them), Escape closes it
      const menu = page.getByTestId('nav-menu');
      assert.equal(await menu.getAttribute('aria-label'), '打开菜单');
      assert.equal(await menu.getAttribute('aria-expanded'), 'false');
      await menu.focus();
      await page.keyboard.press('Enter');
      const drawer = page.getByRole('dialog');
      await drawer.getByTestId('nav-calculators').waitFor();
      assert.equal(await drawer.locator('nav[aria-label="主导航"] a').count(), 3);
      assert.equal((await drawer.getByTestId('nav-login').innerText()).trim(), '工作人员登录');
      assert.equal((await page.getByTestId('nav-me').innerText()).trim(), '我的社保', '我的社保 stays in the header');
      await page.keyboard.press('Escape');
      await drawer.getByTestId('nav-calculators').waitFor({ state: 'hidden' });
      // pagination of a category does not wrap: one line
      await page.goto(`${base}/`);
      const pagination = page.getByTestId('entries-pagination');
      await pagination.waitFor();
      const lines = await pagination.locator('.ant-pagination').evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight || '32')));
      assert.ok(lines <= 2, `the pagination is ${lines} lines high`);
      const total = page.getByText('共 207 条').or(page.getByText(/^共 \d+ 条$/));
      const totalBox = (await total.first().boundingBox())!;
      assert.ok(totalBox.height < 40, `"共 … 条" is on one line (${totalBox.height} px high)`);
      // a chosen calculator comes before the list of the others: its first question on the first screen
      await page.goto(`${base}/calculators/retirement-age`);
      const answer = page.getByTestId('calc-answer').first();
      await answer.waitFor();
      const answerBox = (await answer.boundingBox())!;
      assert.ok(answerBox.y + answerBox.height <= PHONE.height, `the calculator's first question ends at ${answerBox.y + answerBox.height} px, below the 844-px screen`);
    } finally {
      await context.close();
    }
  });

  it('the floating 智能客服 button covers no link, button, input or result row for good, at the top or the bottom of any page', async () => {
    const context = await phone();
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    const problems: string[] = [];
    try {
      const pages: [string, () => Promise<unknown>][] = [
        ['home', async () => { await page.goto(`${base}/`); await page.locator('[data-testid="category-entries"] .zx-result-item').first().waitFor(); }],
        ['search', async () => { await page.goto(`${base}/?q=${encodeURIComponent('失业保险金')}`); await page.locator('[data-testid="search-results"] .zx-result-item').first().waitFor(); }],
        ['entry', async () => { await page.goto(`${base}/kb/yl-001`); await page.getByTestId('entry-answer-html').waitFor(); }],
        ['calculators', async () => { await page.goto(`${base}/calculators`); await page.getByTestId('calc-retirement-age').waitFor(); }],
        ['calculator result', () => runCalculator(page, base, 'retirement-age')],
      ];
      for (const [name, open] of pages) {
        await open();
        await page.getByTestId('widget-launcher').waitFor();
        for (const where of ['top', 'bottom'] as const) {
          await page.evaluate((to) => window.scrollTo(0, to === 'top' ? 0 : document.documentElement.scrollHeight), where);
          await page.waitForTimeout(150);
          for (const c of await coveredByLauncher(page)) problems.push(`${name} (${where}): ${c}`);
        }
        const width = await scrollWidth(page);
        if (width > PHONE.width) problems.push(`${name}: ${width} px wide`);
      }
      assert.deepEqual(problems, [], 'covered by the launcher, or wider than the phone');
    } finally {
      await context.close();
    }
  });

  it('no page is wider than the phone, the console signed in as admin included', async () => {
    const context = await phone();
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    try {
      for (const url of ['/chat', '/me/login', '/verify']) {
        await page.goto(`${base}${url}`);
        await page.locator('main').waitFor();
        await page.waitForTimeout(300);
        assert.ok((await scrollWidth(page)) <= PHONE.width, `${url} is ${await scrollWidth(page)} px wide`);
      }
      await signIn(page, base, 'admin', ADMIN_PASSWORD);
      await page.locator('main').waitFor();
      await page.waitForLoadState('networkidle'); // the console's first page has drawn its data
      // the innermost elements reaching past the screen's edge: what to fix
      const overflow = await page.evaluate((screenWidth) => {
        const wide = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.getBoundingClientRect().right > screenWidth + 1);
        return wide
          .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
          .slice(0, 8)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.innerText ?? '').slice(0, 20)}" right=${Math.round(el.getBoundingClientRect().right)}`);
      }, PHONE.width);
      assert.ok((await scrollWidth(page)) <= PHONE.width, `the console is ${await scrollWidth(page)} px wide; sticking out: ${overflow.join(', ')}`);
    } finally {
      await context.close();
    }
  });
});
