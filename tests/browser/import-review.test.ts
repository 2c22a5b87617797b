import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUser } from '../../server/src/identity/manage-users';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

test('an editor imports a file in the background, and a second person approves the whole import', { timeout: 180_000 }, async (t) => {
  const { executablePath, noBrowser } = chromiumOrSkip();
  if (noBrowser) {
    t.skip(noBrowser);
    return;
  }
  const session = await openBrowserTest(executablePath!, async (testApp) => {
    await createUser(testApp.ctx, 'test', { username: 'importer1', password: 'importer-pass-1', roles: ['editor', 'reviewer'] });
    await createUser(testApp.ctx, 'test', { username: 'reviewer1', password: 'reviewer-pass-1', roles: ['reviewer'] });
  });
  const { browser, base } = session;
  try {
    const entries = Array.from({ length: 30 }, (_, i) => ({ id: `im-${i + 1}`, category: 'yanglao.canbao', question: `浏览器导入的问题 ${i + 1}`, answer: `浏览器导入的答案 ${i + 1}`, audience: 'public' }));
    const file = { name: 'import.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ categories: [], entries })) };

    // The importer (editor and reviewer at once) uploads the file and sees the import finish.
    const importer = await browser.newContext({ locale: 'zh-CN' });
    const importerPage = await importer.newPage();
    await signIn(importerPage, base, 'importer1', 'importer-pass-1');
    await importerPage.getByTestId('console-nav-transfer').click();
    await importerPage.locator('input[type=file]').setInputFiles(file);
    const report = importerPage.getByTestId('import-report');
    await report.waitFor({ timeout: 30_000 });
    assert.match(await report.innerText(), /新增 30/);
    // ...but may not publish it: the review queue says another reviewer must approve it
    await importerPage.getByTestId('console-nav-review').click();
    const ownBatch = importerPage.locator('[data-testid^="review-import-"]');
    await ownBatch.waitFor();
    assert.equal(await importerPage.locator('[data-testid^="review-approve-import-"]').count(), 0);
    await importer.close();
    assert.equal((await fetch(`${base}/api/v1/kb/entries/im-1`)).status, 404, 'nothing is served before review');

    // A second reviewer approves the whole import with one click.
    const reviewer = await browser.newContext({ locale: 'zh-CN' });
    const reviewerPage = await reviewer.newPage();
    await signIn(reviewerPage, base, 'reviewer1', 'reviewer-pass-1');
    await reviewerPage.getByTestId('console-nav-review').click();
    await reviewerPage.locator('[data-testid^="review-approve-import-"]').click();
    await reviewerPage.locator('[data-testid^="review-import-"]').waitFor({ state: 'detached' });
    await reviewer.close();
    const served = await fetch(`${base}/api/v1/kb/entries/im-30`).then((r) => r.json());
    assert.equal(served.answer, '浏览器导入的答案 30');
  } finally {
    await session.close();
  }
});
