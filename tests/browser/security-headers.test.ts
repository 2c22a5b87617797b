import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();

/** Collects every Content-Security-Policy violation the page reports, from the console and from the DOM event. */
async function watchViolations(page: Page) {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (load|apply|execute|frame|connect)/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Refused to load (CSP): ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return violations;
}

describe('the content security policy lets the web app and the API docs run', { skip: noBrowser, timeout: 180_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;

  before(async () => {
    session = await openBrowserTest(executablePath!);
    ({ browser, base } = session);
  });

  after(async () => session?.close());

  it('the portal, the sign-in page and the console render with no CSP violation', async () => {
    const page = await browser.newPage();
    const violations = await watchViolations(page);
    const response = await page.goto(`${base}/`);
    assert.match(String(response?.headers()['content-security-policy']), /script-src 'self'/);
    await page.waitForSelector('#root *');
    assert.ok((await page.locator('#root').innerText()).length > 0, 'the portal rendered');
    await signIn(page, base, 'admin', 'admin-pass-for-tests');
    await page.waitForLoadState('networkidle');
    assert.ok((await page.locator('#root').innerText()).length > 0, 'the console rendered');
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('Swagger UI at /docs renders the API with no CSP violation', async () => {
    const page = await browser.newPage();
    const violations = await watchViolations(page);
    await page.goto(`${base}/docs`);
    await page.waitForSelector('.swagger-ui .opblock', { timeout: 30_000 });
    assert.deepEqual(violations, []);
    await page.close();
  });
});
