import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../../server/src/identity/manage-users';
import { ADMIN_PASSWORD, bearer, type TestApp } from '../../server/src/testing/test-app';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();
const EDITOR_PASSWORD = 'console-lang-pass-1';
/** What an English page must not show: full-width punctuation or Chinese characters. */
const NOT_ENGLISH = /[：（），\u3400-\u9fff]/;

async function setLanguage(page: Page, lang: 'zh' | 'en') {
  await page.evaluate((l) => localStorage.setItem('zhixun.lang', l), lang);
}

describe('the console in one language at a time', { skip: noBrowser, timeout: 240_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;
  let testApp: TestApp;
  let createdUserId: string;

  before(async () => {
    session = await openBrowserTest(executablePath!, async (app) => {
      await createUser(app.ctx, 'test', { username: 'editor-lang', password: EDITOR_PASSWORD, roles: ['editor'] });
    });
    ({ browser, base, testApp } = session);
    const created = await testApp.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(await testApp.adminToken()), payload: { username: 'li-fang', displayName: 'Li Fang', password: 'a-long-enough-pass-7', roles: ['agent'] } });
    assert.equal(created.statusCode, 201, created.body);
    createdUserId = created.json().id;
  });
  after(async () => session?.close());

  it('the audit log reads in words: action, actor and subject by name, ISO dates in English, the raw record behind Details', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, base, 'admin', ADMIN_PASSWORD);
      await setLanguage(page, 'en');
      await page.goto(`${base}/console/audit`);
      const row = page.locator('[data-testid="audit-row"][data-action="user.created"]').filter({ hasText: 'Li Fang' });
      await row.waitFor();
      assert.equal(await row.getByTestId('audit-action').innerText(), 'Created a user');
      assert.match(await row.getByTestId('audit-subject').innerText(), /User\s+Li Fang/);
      const text = await row.innerText();
      assert.ok(!text.includes(createdUserId), `the subject is named, not shown by id: ${text}`);
      assert.match(text, /\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b/, 'dates read 2026-12-07 14:05 in English');
      assert.doesNotMatch(await page.getByTestId('audit-filters').innerText(), NOT_ENGLISH);
      assert.doesNotMatch(await page.locator('.ant-table-thead').innerText(), NOT_ENGLISH);
      // the admin's display name is data (系统管理员), everything else on the row is the interface
      assert.match(await row.getByTestId('audit-actor').innerText(), /\(admin\)$/);
      assert.doesNotMatch(text.replace(await row.getByTestId('audit-actor').innerText(), ''), NOT_ENGLISH, text);

      // the raw record only on demand, pretty-printed
      assert.equal(await row.locator('xpath=following-sibling::tr[1]').getByTestId('audit-detail-json').count(), 0);
      await row.getByTestId('audit-detail-toggle').click();
      const json = await page.getByTestId('audit-detail-json').first().innerText();
      assert.equal(JSON.parse(json).username, 'li-fang');
      assert.ok(json.includes('\n'), 'pretty-printed over several lines');

      // the side menu groups the sections; every group and item in English
      const menu = page.locator('.zx-console-sider');
      for (const group of ['knowledge', 'robot', 'rules', 'channels', 'supervision', 'personal', 'system']) await menu.getByTestId(`console-group-${group}`).waitFor();
      assert.doesNotMatch(await menu.innerText(), NOT_ENGLISH);

      await setLanguage(page, 'zh');
      await page.reload();
      await row.waitFor();
      assert.equal(await row.getByTestId('audit-action').innerText(), '新建用户');
      assert.match(await row.innerText(), /\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
      assert.equal(await menu.getByTestId('console-group-system').innerText(), '系统管理');
    } finally {
      await context.close();
    }
  });

  it('the robot test box names every feature in words, the raw name only on hover', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, base, 'admin', ADMIN_PASSWORD);
      await setLanguage(page, 'en');
      await page.goto(`${base}/console/robot?tab=test`);
      await page.getByTestId('robot-test-input').locator('input').fill('退休金怎么算');
      await page.getByTestId('robot-test-input').locator('input').press('Enter');
      const features = page.getByTestId('robot-feature');
      await features.first().waitFor();
      const count = await features.count();
      assert.ok(count >= 20, `${count} features shown`);
      for (let i = 0; i < count; i++) {
        const feature = features.nth(i);
        const raw = (await feature.getAttribute('data-feature'))!;
        const shown = await feature.locator('.zx-feature-name').innerText();
        assert.notEqual(shown, raw, `${raw} is shown in words`);
        assert.doesNotMatch(shown, NOT_ENGLISH);
      }
      await features.first().locator('.zx-feature-name').hover();
      await page.locator('.ant-tooltip').filter({ hasText: `Feature name: ${await features.first().getAttribute('data-feature')}` }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('an editor sees only the groups their abilities open', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    try {
      await signIn(page, base, 'editor-lang', EDITOR_PASSWORD);
      const menu = page.locator('.zx-console-sider');
      await menu.getByTestId('console-group-knowledge').waitFor();
      await menu.getByTestId('console-nav-entries').waitFor();
      assert.equal(await menu.getByTestId('console-group-system').count(), 0);
      assert.equal(await menu.getByTestId('console-nav-audit').count(), 0);
    } finally {
      await context.close();
    }
  });
});
