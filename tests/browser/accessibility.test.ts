import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { chromiumOrSkip, openBrowserTest } from './browser-support';
import { DESKTOP, PHONE, runCalculator, turnOnElderMode } from './portal-support';

const { executablePath, noBrowser } = chromiumOrSkip();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(root, 'test-results/a11y');
const CALCULATORS = ['retirement-age', 'pension-estimate', 'unemployment-benefit', 'contribution'];

interface Found {
  page: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** WCAG 2.1 A and AA checks of what is on screen now (frames included): the serious and critical findings. */
async function seriousViolations(page: Page, name: string): Promise<Found[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ page: name, id: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/** Every public page, loaded and settled, one after another in the same tab. */
function publicPages(base: string) {
  const settled = (page: Page, testId: string) => page.getByTestId(testId).first().waitFor();
  const withLauncher = async (page: Page) => page.getByTestId('widget-launcher').waitFor();
  return [
    { name: 'home', open: async (page: Page) => { await page.goto(`${base}/`); await page.locator('[data-testid="category-entries"] .zx-result-item').first().waitFor(); await withLauncher(page); } },
    { name: 'search', open: async (page: Page) => { await page.goto(`${base}/?q=${encodeURIComponent('养老保险')}`); await page.locator('[data-testid="search-results"] .zx-result-item').first().waitFor(); await withLauncher(page); } },
    { name: 'entry', open: async (page: Page) => { await page.goto(`${base}/kb/yl-001`); await settled(page, 'entry-answer-html'); await withLauncher(page); } },
    { name: 'calculators', open: async (page: Page) => { await page.goto(`${base}/calculators`); await settled(page, 'calc-retirement-age'); await withLauncher(page); } },
    ...CALCULATORS.map((id) => ({ name: `calc-${id}`, open: async (page: Page) => { await runCalculator(page, base, id); await withLauncher(page); } })),
    {
      name: 'chat',
      open: async (page: Page) => {
        await page.goto(`${base}/chat`);
        await page.frameLocator('[data-testid="widget-frame"]').getByTestId('widget-input').waitFor();
        await page.frameLocator('[data-testid="widget-frame"]').locator('[data-testid="widget-message"][data-sender="robot"]').first().waitFor();
      },
    },
    { name: 'me-login', open: async (page: Page) => { await page.goto(`${base}/me/login`); await settled(page, 'me-login-id'); } },
    { name: 'verify', open: async (page: Page) => { await page.goto(`${base}/verify`); await settled(page, 'verify-code-input'); } },
  ];
}

describe('accessibility of the public pages (axe-core, WCAG 2.1 AA)', { skip: noBrowser, timeout: 600_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;

  before(async () => {
    mkdirSync(shots, { recursive: true });
    session = await openBrowserTest(executablePath!);
    ({ browser, base } = session);
  });

  after(async () => session?.close());

  for (const viewport of [PHONE, DESKTOP]) {
    for (const mode of ['normal', 'elder'] as const) {
      it(`${mode === 'elder' ? '长辈版' : 'normal mode'} at ${viewport.width} px: no serious or critical violation on any public page`, async () => {
        const context = await browser.newContext({ viewport, locale: 'zh-CN', ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}) });
        context.setDefaultTimeout(30_000);
        const page = await context.newPage();
        try {
          await page.goto(`${base}/`);
          if (mode === 'elder') {
            await turnOnElderMode(page);
            // 18-px body text and 44-px targets: the answer text and the header's controls
            const sizes = await page.evaluate(() => ({
              body: parseFloat(getComputedStyle(document.body).fontSize),
              controls: [...document.querySelectorAll<HTMLElement>('header button, header a.ant-btn')].filter((e) => e.offsetParent).map((e) => [e.innerText, e.getBoundingClientRect().height] as const),
            }));
            assert.ok(sizes.body >= 18, `body text is ${sizes.body} px in 长辈版`);
            for (const [label, height] of sizes.controls) assert.ok(height >= 44, `header control "${label}" is ${height} px high in 长辈版`);
          }
          const found: Found[] = [];
          for (const { name, open } of publicPages(base)) {
            try {
              await open(page);
            } catch (err) {
              // a page that cannot be reached is a finding too; the others are still checked
              found.push({ page: name, id: 'not-reached', impact: 'critical', help: String(err).split('\n').filter((line, i) => i === 0 || /waiting for/.test(line)).join(' '), targets: [] });
              await page.screenshot({ path: path.join(shots, `${name}-${mode}-${viewport.width}-not-reached.png`), fullPage: true });
              continue;
            }
            assert.equal(await page.evaluate(() => document.documentElement.classList.contains('zx-elder')), mode === 'elder', `${name}: 长辈版 is remembered`);
            found.push(...(await seriousViolations(page, name)));
            await page.screenshot({ path: path.join(shots, `${name}-${mode}-${viewport.width}.png`), fullPage: true });
          }
          if (found.length) console.log(`axe, ${mode} at ${viewport.width} px:\n${found.map((f) => `  ${f.page}: ${f.id} (${f.impact}) ${f.help}\n      ${f.targets.join('\n      ')}`).join('\n')}`);
          assert.deepEqual(found.map((f) => `${f.page}: ${f.id}`), [], 'serious or critical accessibility violations (listed above)');
        } finally {
          await context.close();
        }
      });
    }
  }

  it('the page language follows the chosen language from the first load, and every page has one h1', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/`);
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      await page.getByTestId('lang-toggle').click();
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await page.reload();
      await page.locator('[data-testid="category-entries"] .zx-result-item').first().waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en', 'a reload keeps the saved language on <html>');
      assert.equal(await page.getByTestId('elder-toggle').innerText(), 'Large text');
      for (const { name, open } of publicPages(base).filter((p) => ['home', 'search', 'entry', 'me-login', 'verify'].includes(p.name))) {
        await open(page);
        assert.equal(await page.locator('h1').count(), 1, `${name}: one h1`);
        assert.equal(await page.locator('header').first().count(), 1, `${name}: a banner`);
        assert.equal(await page.locator('main').count(), 1, `${name}: one main`);
        assert.equal(await page.locator('footer').count(), 1, `${name}: a footer`);
        assert.ok(await page.locator('nav[aria-label]').count(), `${name}: a labelled navigation`);
      }
    } finally {
      await context.close();
    }
  });
});
