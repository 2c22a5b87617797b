import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUser } from '../../server/src/identity/manage-users';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

test('an editor changes a public answer, a reviewer approves it, and the public page shows it', { timeout: 180_000 }, async (t) => {
  const { executablePath, noBrowser } = chromiumOrSkip();
  if (noBrowser) {
    t.skip(noBrowser);
    return;
  }
  const session = await openBrowserTest(executablePath!, async (testApp) => {
    await createUser(testApp.ctx, 'test', { username: 'editor1', password: 'editor-pass-1', roles: ['editor'] });
    await createUser(testApp.ctx, 'test', { username: 'reviewer1', password: 'reviewer-pass-1', roles: ['reviewer'] });
  });
  const { browser, base } = session;
  try {
    const marker = `浏览器测试修改 ${Date.now()}`;
    const newAnswer = `养老保险缴费比例说明（已更新）。\n\n${marker}`;

    // The editor finds the entry in the console, changes its answer and submits it for review.
    const editor = await browser.newContext({ locale: 'zh-CN' });
    const editorPage = await editor.newPage();
    await signIn(editorPage, base, 'editor1', 'editor-pass-1');
    await editorPage.goto(`${base}/console/entries?q=yl-001`);
    await editorPage.getByTestId('entry-link-yl-001').click();
    await editorPage.waitForURL(/\/console\/entries\/yl-001$/);
    const answer = editorPage.getByTestId('entry-answer');
    await answer.waitFor();
    await answer.fill(newAnswer);
    await assert.doesNotReject(editorPage.getByTestId('entry-preview').getByText(marker).waitFor(), 'the Markdown preview shows the edit');
    await editorPage.getByTestId('entry-change-note').fill('浏览器测试');
    await editorPage.getByTestId('entry-submit').click();
    await editorPage.locator('[data-testid="entry-state"][data-state="in_review"]').waitFor();
    await editor.close();

    // Until approved, the public page still serves the old answer.
    const before = await fetch(`${base}/api/v1/kb/entries/yl-001`).then((r) => r.json());
    assert.ok(!String(before.answer).includes(marker), 'an unapproved edit is not served');

    // The reviewer approves it from the review queue, where the diff is shown.
    const reviewer = await browser.newContext({ locale: 'zh-CN' });
    const reviewerPage = await reviewer.newPage();
    await signIn(reviewerPage, base, 'reviewer1', 'reviewer-pass-1');
    await reviewerPage.getByTestId('console-nav-review').click();
    const item = reviewerPage.getByTestId('review-item-yl-001');
    await item.waitFor();
    await item.getByTestId('diff-view').getByText(marker).first().waitFor();
    await reviewerPage.getByTestId('review-approve-yl-001').click();
    await item.waitFor({ state: 'detached' });
    await reviewer.close();

    // A citizen (no session) sees the new answer on the public page.
    const citizen = await browser.newContext({ locale: 'zh-CN' });
    const publicPage = await citizen.newPage();
    await publicPage.goto(`${base}/kb/yl-001`);
    const html = publicPage.getByTestId('entry-answer-html');
    await html.getByText(marker).waitFor();
    assert.match(await html.innerText(), new RegExp(marker));
    await citizen.close();
  } finally {
    await session.close();
  }
});
