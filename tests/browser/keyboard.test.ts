import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Frame, Page } from 'playwright-core';
import { chromiumOrSkip, openBrowserTest } from './browser-support';
import { DESKTOP } from './portal-support';

const { executablePath, noBrowser } = chromiumOrSkip();

/** What has the keyboard focus in this page or frame: its test id, tag, text and the outline it shows. */
function focused(where: Page | Frame) {
  return where.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const style = el ? getComputedStyle(el) : null;
    return {
      testId: el?.getAttribute('data-testid') ?? '',
      id: el?.id ?? '',
      tag: el?.tagName ?? '',
      type: el?.getAttribute('type') ?? '',
      text: (el?.innerText ?? '').trim().slice(0, 40),
      outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '',
    };
  });
}

/** Presses Tab until `isWanted` holds for the focused element (at most `limit` times); fails naming where focus went. */
async function tabTo(page: Page, isWanted: (f: Awaited<ReturnType<typeof focused>>) => boolean | Promise<boolean>, what: string, limit = 40, where: Page | Frame = page) {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(where);
    if (await isWanted(f)) return f;
    seen.push(f.testId || f.id || `${f.tag}:${f.text}`);
  }
  assert.fail(`Tab never reached ${what}; focus went: ${seen.join(' → ')}`);
}

describe('the portal with the keyboard alone', { skip: noBrowser, timeout: 180_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;

  before(async () => {
    session = await openBrowserTest(executablePath!);
    ({ browser, base } = session);
  });

  after(async () => session?.close());

  it('skips to the content, searches, opens an entry, runs the retirement-age calculator and asks the robot, with a visible focus ring throughout', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    context.setDefaultTimeout(20_000);
    // headless Chromium has no voices: keep what would be spoken, as a voice that is still talking
    await context.addInitScript(() => {
      const spoken: { text: string; lang: string }[] = [];
      Object.assign(window, { spoken });
      window.speechSynthesis.speak = (u: SpeechSynthesisUtterance) => void spoken.push({ text: u.text, lang: u.lang });
      window.speechSynthesis.cancel = () => undefined;
    });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/`);
      await page.locator('[data-testid="category-entries"] .zx-result-item').first().waitFor();

      // the first Tab offers 跳到主要内容, and it lands in <main>
      await page.keyboard.press('Tab');
      const skip = await focused(page);
      assert.equal(skip.testId, 'skip-link');
      assert.equal(skip.text, '跳到主要内容');
      assert.ok(await page.getByTestId('skip-link').isVisible(), 'the skip link shows when focused');
      await page.keyboard.press('Enter');
      assert.equal((await focused(page)).tag, 'MAIN');

      // search: the box has a name, takes the question, Enter runs it
      const box = await tabTo(page, (f) => f.id === 'portal-search-input', 'the search box');
      assert.match(box.outline, /solid 3px/, 'the search box shows a 3-px focus ring');
      assert.equal(await page.getByRole('searchbox', { name: '搜索政策和办事问题' }).or(page.getByRole('textbox', { name: '搜索政策和办事问题' })).count(), 1, 'the search box is named');
      await page.keyboard.type('养老保险');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="search-results"] .zx-result-item').first().waitFor();

      // open the first result
      const result = await tabTo(page, (f) => f.testId.startsWith('result-'), 'a search result');
      assert.match(result.outline, /solid 3px/, 'a result link shows a 3-px focus ring');
      await page.keyboard.press('Enter');
      await page.waitForURL(new RegExp(`/kb/${result.testId.slice('result-'.length)}$`));
      await page.getByTestId('entry-answer-html').waitFor();
      assert.equal(await page.getByTestId('entry-question').evaluate((el) => el.tagName), 'H1');

      // 朗读 speaks the answer in Chinese and turns into 停止; pressed again it stops
      await tabTo(page, (f) => f.testId === 'entry-read-aloud', '朗读');
      await page.keyboard.press('Enter');
      const spoken = await page.evaluate(() => (window as unknown as { spoken: { text: string; lang: string }[] }).spoken);
      assert.equal(spoken.length, 1);
      assert.equal(spoken[0].lang, 'zh-CN');
      assert.ok(spoken[0].text.includes((await page.getByTestId('entry-answer-html').innerText()).slice(0, 20)), 'the answer is what is read');
      assert.equal((await page.getByTestId('entry-read-aloud').innerText()).trim(), '停止');
      await page.keyboard.press('Enter');
      assert.equal((await page.getByTestId('entry-read-aloud').innerText()).replace(/\s/g, ''), '朗读');

      // the retirement-age calculator: a choice with the arrow keys and Space, a month typed in
      await page.goto(`${base}/calculators/retirement-age`);
      await page.locator('[data-testid="calc-question"][data-question="gender"]').waitFor();
      await tabTo(page, (f) => f.tag === 'INPUT' && f.type === 'radio', 'the first choice');
      await page.keyboard.press('Space');
      await tabTo(page, (f) => f.testId === 'calc-next', '下一步');
      await page.keyboard.press('Enter');
      const month = page.locator('[data-testid="calc-question"][data-question="birthYearMonth"]');
      const female = page.locator('[data-testid="calc-question"][data-question="femaleCategory"]');
      await month.or(female).waitFor();
      if (await female.isVisible()) {
        await tabTo(page, (f) => f.tag === 'INPUT' && f.type === 'radio', 'the first category');
        await page.keyboard.press('Space');
        await tabTo(page, (f) => f.testId === 'calc-next', '下一步');
        await page.keyboard.press('Enter');
        await month.waitFor();
      }
      await tabTo(page, async () => (await month.locator('input').first().evaluate((el) => el === document.activeElement)), 'the birth month');
      await page.keyboard.type('1971-06');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape'); // the month panel, if still open
      await tabTo(page, (f) => f.testId === 'calc-next', '下一步');
      await page.keyboard.press('Enter');
      const answer = page.getByTestId('calc-result');
      await answer.waitFor();
      assert.match(await answer.innerText(), /20\d\d/, 'the result names the retirement year');

      // the robot, in the chat page's frame: Tab into the message box, type, Enter
      await page.goto(`${base}/chat`);
      const frameElement = page.getByTestId('widget-frame');
      await frameElement.waitFor();
      const widget = page.frameLocator('[data-testid="widget-frame"]');
      await widget.getByTestId('widget-input').waitFor();
      const frame = (await frameElement.elementHandle())!.contentFrame();
      const chat = (await frame)!;
      await tabTo(page, async () => (await focused(chat)).testId === 'widget-input', 'the message box', 60);
      await page.keyboard.type('养老保险单位交多少个人交多少');
      await page.keyboard.press('Enter');
      const robot = widget.locator('[data-testid="widget-message"][data-sender="robot"]');
      await robot.nth(1).waitFor();
      assert.match(await robot.nth(1).innerText(), /养老|缴/, 'the robot answers about pension contributions');
    } finally {
      await context.close();
    }
  });
});

describe('read aloud where the browser cannot speak', { skip: noBrowser, timeout: 60_000 }, () => {
  it('offers no 朗读 button', async () => {
    const session = await openBrowserTest(executablePath!);
    const context = await session.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    await context.addInitScript(() => {
      // as in browsers without the Web Speech API: neither the voice nor the utterance exist
      delete (window as { SpeechSynthesisUtterance?: unknown }).SpeechSynthesisUtterance;
      Object.defineProperty(window, 'speechSynthesis', { value: undefined });
    });
    try {
      const page = await context.newPage();
      await page.goto(`${session.base}/kb/yl-001`);
      await page.getByTestId('entry-answer-html').waitFor();
      assert.equal(await page.getByTestId('entry-read-aloud').count(), 0);
    } finally {
      await context.close();
      await session.close();
    }
  });
});
