import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { chromiumOrSkip, openBrowserTest } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(root, 'test-results/a11y');

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const QUESTION = '养老保险单位交多少个人交多少';

/** A browser whose storage says elderly mode is on (as the portal's 长辈版 switch leaves it), or not. */
async function newContext(browser: Browser, viewport: { width: number; height: number }, isElder: boolean) {
  const isPhone = viewport.width < 480;
  const context = await browser.newContext({ viewport, locale: 'zh-CN', ...(isPhone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  if (isElder) await context.addInitScript(() => localStorage.setItem('zhixun.elder', '1'));
  return context;
}

/** Serious and critical axe findings (WCAG 2.0/2.1 A and AA) of the page and its frames, printed when there are any. */
async function seriousViolations(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of serious) console.log(`[${what}] ${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`).join('\n  ')}`);
  return serious.map((v) => `${v.id} (${v.nodes.length})`);
}

/** Asks the robot a question in the widget and waits for its answer from the knowledge base. */
async function askRobot(widget: FrameLocator | Page) {
  await widget.getByTestId('widget-input').fill(QUESTION);
  await widget.getByTestId('widget-input').press('Enter');
  await widget.locator('[data-testid="widget-message"][data-sender="robot"][data-entry="yl-001"]').last().waitFor();
}

const widgetOf = (page: Page) => page.frameLocator('[data-testid="widget-frame"]');
const frameOf = (page: Page) => {
  const frame = page.frames().find((f) => f.url().includes('/widget/frame'));
  assert.ok(frame, 'the widget frame is on the page');
  return frame;
};

describe('the chat widget for everyone: elderly mode, keyboard, screen readers, read aloud', { skip: noBrowser, timeout: 420_000 }, () => {
  let env: Awaited<ReturnType<typeof openBrowserTest>>;
  let base: string;

  before(async () => {
    mkdirSync(shots, { recursive: true });
    env = await openBrowserTest(executablePath!);
    base = env.base;
  });
  after(async () => env?.close());

  for (const viewport of [PHONE, DESKTOP]) {
    for (const isElder of [false, true]) {
      const name = `${viewport.width}${isElder ? '-elder' : ''}`;
      it(`axe finds nothing serious in the chat page and in the portal with the widget open, after an answer (${viewport.width} px${isElder ? ', elderly mode' : ''})`, async () => {
        const context = await newContext(env.browser, viewport, isElder);
        const page = await context.newPage();
        try {
          await page.goto(`${base}/widget/frame?siteKey=portal&mode=page`);
          await askRobot(page);
          assert.equal(await page.evaluate(() => document.documentElement.classList.contains('zw-elder')), isElder, 'elderly mode as stored by the portal');
          assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
          await page.screenshot({ path: path.join(shots, `widget-frame-${name}.png`) });
          assert.deepEqual(await seriousViolations(page, `frame ${name}`), []);

          await page.goto(base);
          await page.getByTestId('widget-launcher').click();
          const widget = widgetOf(page);
          await askRobot(widget);
          await page.screenshot({ path: path.join(shots, `widget-portal-${name}.png`) });
          assert.deepEqual(await seriousViolations(page, `portal ${name}`), []);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('keyboard only: Tab to the launcher, Enter opens it with the cursor in the input, Enter sends, Tab stays inside, Escape closes back to the launcher', async () => {
    const context = await newContext(env.browser, DESKTOP, false);
    const page = await context.newPage();
    try {
      await page.goto(base);
      await page.getByTestId('widget-launcher').waitFor();
      const focusedTestId = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
      let presses = 0;
      while ((await focusedTestId()) !== 'widget-launcher') {
        assert.ok(++presses < 200, 'the launcher is reachable with Tab');
        await page.keyboard.press('Tab');
      }
      const launcher = page.getByTestId('widget-launcher');
      assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
      assert.equal(await page.getByRole('button', { name: '智能客服', exact: true }).getAttribute('data-testid'), 'widget-launcher', 'named by its words');
      const ring = await launcher.evaluate((el) => getComputedStyle(el).outlineStyle);
      assert.equal(ring, 'solid', 'a visible focus ring on the launcher');
      await page.keyboard.press('Enter');
      assert.equal(await launcher.getAttribute('aria-expanded'), 'true');
      assert.equal(await page.getByRole('button', { name: '关闭咨询', exact: true }).getAttribute('data-testid'), 'widget-launcher', 'and says it closes the chat while open');

      const widget = widgetOf(page);
      await widget.getByTestId('widget-input').waitFor();
      const frame = frameOf(page);
      await frame.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'widget-input');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'widget-frame', 'the focus went into the widget');
      const dialog = widget.getByRole('dialog', { name: '12333 在线咨询' });
      assert.equal(await dialog.count(), 1, 'the panel is a named dialog');
      assert.equal(await widget.getByRole('main').count(), 1, 'with a main landmark');

      await page.keyboard.type(QUESTION);
      await page.keyboard.press('Enter');
      const answer = widget.locator('[data-testid="widget-log"] [data-sender="robot"][data-entry="yl-001"]');
      await answer.waitFor();
      assert.equal(await widget.getByRole('log').getAttribute('aria-live'), 'polite');

      // Tab and Shift+Tab go round the panel's controls and never leave it
      const whereIsFocus = async () => ({
        page: await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
        inPanel: await frame.evaluate(() => {
          const el = document.activeElement;
          return !!el && el !== document.body && !!el.closest('[role="dialog"]');
        }),
        id: await frame.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return `${el?.tagName}:${el?.getAttribute('data-testid') ?? el?.textContent?.slice(0, 12)}`;
        }),
      });
      const visited = new Set<string>();
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        const where = await whereIsFocus();
        assert.equal(where.page, 'widget-frame', `Tab ${i + 1} stayed in the widget`);
        assert.ok(where.inPanel, `Tab ${i + 1} stayed in the panel (${where.id})`);
        visited.add(where.id);
      }
      assert.ok(visited.has('INPUT:widget-input') && visited.has('BUTTON:widget-close'), `the round passes the input and the close button: ${[...visited].join(', ')}`);
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press('Shift+Tab');
        assert.ok((await whereIsFocus()).inPanel, `Shift+Tab ${i + 1} stayed in the panel`);
      }

      // a quick reply (the welcome's starter question) chosen with the keyboard
      const starter = widget.getByTestId('widget-option').first();
      const starterText = (await starter.innerText()).replace(/^\d+\s*/, '').trim();
      await starter.focus();
      await page.keyboard.press('Enter');
      await widget.locator('[data-testid="widget-message"][data-sender="customer"]', { hasText: starterText }).waitFor();
      // and 转人工
      await widget.locator('[data-testid="widget-message"][data-sender="robot"]').nth(2).waitFor();
      await widget.getByTestId('widget-ask-human').focus();
      await page.keyboard.press('Enter');
      await widget.locator('[data-testid="widget-status"][data-status="queued"]').waitFor();

      await page.keyboard.press('Escape');
      await page.getByTestId('widget-frame').waitFor({ state: 'hidden' });
      assert.equal(await focusedTestId(), 'widget-launcher', 'Escape returns the focus to the launcher');
      assert.equal(await launcher.getAttribute('aria-expanded'), 'false');
      await page.screenshot({ path: path.join(shots, 'widget-keyboard-closed.png') });
    } finally {
      await context.close();
    }
  });

  it('elderly mode: large input and buttons; the widget follows the portal switch live and its own 大字 button switches the portal too', async () => {
    const context = await newContext(env.browser, PHONE, false);
    const page = await context.newPage();
    try {
      await page.goto(base);
      const launcher = page.getByTestId('widget-launcher');
      const box = await launcher.boundingBox();
      assert.ok(box && Math.round(box.height) === 56 && Math.round(PHONE.width - box.x - box.width) === 20 && Math.round(PHONE.height - box.y - box.height) === 20, `a 56-px launcher 20 px from the corner: ${JSON.stringify(box)}`);
      await launcher.click();
      const widget = widgetOf(page);
      await askRobot(widget);
      const frame = frameOf(page);
      const inputFont = () => frame.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-testid="widget-input"]')!).fontSize));
      assert.ok((await inputFont()) < 18, 'normal mode first');

      // the portal's 长辈版 switch (same origin: the frame hears the storage change)
      await page.evaluate(() => localStorage.setItem('zhixun.elder', '1'));
      await frame.waitForFunction(() => document.documentElement.classList.contains('zw-elder'));
      assert.ok((await inputFont()) >= 18, `input text ≥ 18 px in elderly mode: ${await inputFont()}`);
      const small = await frame.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('button, [data-testid="widget-input"]')]
          .filter((el) => el.getClientRects().length)
          .map((el) => ({ what: el.getAttribute('data-testid') ?? el.textContent, height: el.getBoundingClientRect().height, font: parseFloat(getComputedStyle(el).fontSize) }))
          .filter((b) => b.height < 44 || b.font < 18),
      );
      assert.deepEqual(small, [], 'every control at least 44 px tall with 18-px text');
      const elderButton = widget.getByTestId('widget-elder');
      assert.equal(await elderButton.getAttribute('aria-pressed'), 'true');
      await page.screenshot({ path: path.join(shots, 'widget-elder-phone.png') });

      // the widget's own switch turns it off here and for the portal
      await elderButton.click();
      await frame.waitForFunction(() => !document.documentElement.classList.contains('zw-elder'));
      assert.equal(await page.evaluate(() => localStorage.getItem('zhixun.elder')), null);
      assert.equal(await elderButton.getAttribute('aria-pressed'), 'false');

      // another site's own switch, through the embed script
      await page.evaluate(() => window.zhixunWidget?.setElder(true));
      await frame.waitForFunction(() => document.documentElement.classList.contains('zw-elder'));
      await page.evaluate(() => window.zhixunWidget?.setElder(false));
      await frame.waitForFunction(() => !document.documentElement.classList.contains('zw-elder'));

      // on a phone the launcher steps aside while the citizen types on the page
      await widget.getByTestId('widget-close').click();
      await page.getByTestId('widget-frame').waitFor({ state: 'hidden' });
      await launcher.waitFor();
      const field = page.locator('input[type="text"], input[type="search"], input:not([type]), textarea').first();
      await field.focus();
      await launcher.waitFor({ state: 'hidden' });
      await field.evaluate((el) => (el as HTMLElement).blur());
      await launcher.waitFor({ state: 'visible' });
    } finally {
      await context.close();
    }
  });

  it('elderly mode asked by another site (elder=1) on the frame page', async () => {
    const context = await newContext(env.browser, PHONE, false);
    const page = await context.newPage();
    try {
      await page.goto(`${base}/widget/frame?siteKey=portal&mode=page&elder=1&lang=en`);
      await page.getByTestId('widget-input').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.ok(await page.evaluate(() => document.documentElement.classList.contains('zw-elder')));
      assert.equal(await page.getByTestId('widget-elder').innerText().then((s) => s.includes('Large text')), true);
    } finally {
      await context.close();
    }
  });

  it('朗读 reads an answer aloud in the interface language and 停止 stops it; no button where the browser cannot speak', async () => {
    const context = await newContext(env.browser, DESKTOP, false);
    // a recording stand-in for the browser's voice, in every frame (a string: the test's compiler
    // would wrap named functions in a helper the page does not have)
    await context.addInitScript(`
      window.spoken = [];
      let current;
      const fake = {
        speak(u) { current = u; window.spoken.push({ text: u.text, lang: u.lang }); },
        cancel() { const u = current; current = undefined; if (u && u.onend) u.onend(new Event('end')); },
        getVoices: () => [],
        speaking: false,
      };
      Object.defineProperty(window, 'speechSynthesis', { value: fake, configurable: true });
    `);
    const page = await context.newPage();
    try {
      await page.goto(`${base}/widget/frame?siteKey=portal&mode=page`);
      await askRobot(page);
      const answer = page.locator('[data-testid="widget-message"][data-sender="robot"][data-entry="yl-001"]').last();
      const button = answer.getByTestId('widget-read-aloud');
      assert.equal(await button.innerText().then((s) => s.trim()), '朗读');
      assert.equal(await page.locator('[data-sender="customer"] [data-testid="widget-read-aloud"]').count(), 0, 'not on the citizen’s own messages');
      await button.click();
      assert.equal(await button.innerText().then((s) => s.trim()), '停止');
      const spoken = await page.evaluate(() => (window as unknown as { spoken: { text: string; lang: string }[] }).spoken);
      assert.equal(spoken.length, 1);
      assert.equal(spoken[0]!.lang, 'zh-CN');
      assert.match(spoken[0]!.text, /16%/);
      assert.ok(!spoken[0]!.text.includes('**'), 'the text as shown, without Markdown marks');
      await button.click();
      assert.equal(await button.innerText().then((s) => s.trim()), '朗读');

      // in English the button speaks English; the robot's Chinese answer is still read by a Chinese voice
      await page.getByTestId('widget-language').click();
      const englishButton = answer.getByTestId('widget-read-aloud');
      assert.equal(await englishButton.innerText().then((s) => s.trim()), 'Read aloud');
      await englishButton.click();
      assert.equal(await englishButton.innerText().then((s) => s.trim()), 'Stop');
      const voice = await page.evaluate(() => (window as unknown as { spoken: { lang: string }[] }).spoken.at(-1)?.lang);
      assert.equal(voice, 'zh-CN', 'Chinese text, Chinese voice');
      await page.screenshot({ path: path.join(shots, 'widget-read-aloud.png') });
    } finally {
      await context.close();
    }

    const silent = await newContext(env.browser, DESKTOP, false);
    await silent.addInitScript('delete window.speechSynthesis');
    const page2 = await silent.newPage();
    try {
      await page2.goto(`${base}/widget/frame?siteKey=portal&mode=page`);
      assert.equal(await page2.evaluate(() => 'speechSynthesis' in window), false);
      await askRobot(page2);
      assert.equal(await page2.getByTestId('widget-read-aloud').count(), 0);
    } finally {
      await silent.close();
    }
  });

  it('/chat?human=1 opens the conversation asking for a person', async () => {
    const context: BrowserContext = await newContext(env.browser, PHONE, false);
    const page = await context.newPage();
    try {
      await page.goto(`${base}/chat?human=1`);
      const widget = widgetOf(page);
      await widget.locator('[data-testid="widget-message"][data-sender="customer"]', { hasText: '转人工' }).waitFor();
      await widget.locator('[data-testid="widget-status"][data-status="queued"]').waitFor();
      await page.screenshot({ path: path.join(shots, 'widget-human.png') });
      // a reload does not ask twice
      await page.reload();
      await widget.locator('[data-testid="widget-status"][data-status="queued"]').waitFor();
      await widget.getByTestId('widget-message').last().waitFor();
      assert.equal(await widget.locator('[data-testid="widget-message"][data-sender="customer"]', { hasText: '转人工' }).count(), 1);
    } finally {
      await context.close();
    }
  });
});
