import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, ensureWebBuilt, findChromium, signIn } from './browser-support';
import { startTestApp, type TestApp } from '../../server/src/testing/test-app';

const executablePath = findChromium();
const noBrowser = executablePath ? false : 'no Chromium found (set CHROMIUM_PATH or install /usr/bin/chromium); skipping the browser tests';
if (!executablePath && process.env.CI === 'true') throw new Error('no Chromium found: browser tests must run in CI');

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
  let testApp: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    ensureWebBuilt();
    testApp = await startTestApp();
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const address = testApp.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    await testApp?.close();
  });

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
