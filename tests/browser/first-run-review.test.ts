import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_PASSWORD } from '../../server/src/testing/test-app';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

test('on a fresh install admin is told, in a clear alert with a way out, that another reviewer must publish; the diff marks only the changed lines', { timeout: 180_000 }, async (t) => {
  const { executablePath, noBrowser } = chromiumOrSkip();
  if (noBrowser) {
    t.skip(noBrowser);
    return;
  }
  const session = await openBrowserTest(executablePath!);
  const { browser, base } = session;
  try {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await signIn(page, base, 'admin', ADMIN_PASSWORD);

    // admin, the only user, appends a line to an answer and submits it
    await page.goto(`${base}/console/entries/yl-001`);
    const answer = page.getByTestId('entry-answer');
    await answer.waitFor();
    const original = await answer.inputValue();
    const added = `新增的一行 ${Date.now()}`;
    await answer.fill(`${original.replace(/\n+$/, '')}\n${added}`);
    await page.getByTestId('entry-change-note').fill('首次安装');
    await page.getByTestId('entry-submit').click();
    await page.locator('[data-testid="entry-state"][data-state="in_review"]').waitFor();

    const alert = page.getByTestId('needs-reviewer');
    await alert.waitFor();
    assert.match(await alert.innerText(), /需要另一位具有审核权限的用户来审核发布/);
    assert.equal(await alert.getAttribute('role'), 'alert', 'an antd Alert, not grey text');

    // the review queue says so too, names admin by name, and marks only the added line
    await page.getByTestId('console-nav-review').click();
    const item = page.getByTestId('review-item-yl-001');
    await item.waitFor();
    await page.getByTestId('needs-reviewer').waitFor();
    assert.doesNotMatch(await item.innerText(), /user:admin/, 'the author by name, not the actor id');
    const diff = item.getByTestId('diff-view');
    const removed = await diff.locator('.removed').allInnerTexts();
    const addedLines = await diff.locator('.added').allInnerTexts();
    assert.deepEqual(removed, [], 'no unchanged line is shown as removed');
    assert.equal(addedLines.length, 1);
    assert.match(addedLines[0], new RegExp(added));

    // the alert's link leads to the users page
    await page.getByTestId('needs-reviewer').getByRole('link').click();
    await page.waitForURL(/\/console\/users$/);
    await page.getByTestId('user-add').waitFor();
    await context.close();
  } finally {
    await session.close();
  }
});
