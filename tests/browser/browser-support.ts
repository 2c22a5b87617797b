import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../server/src/testing/test-app';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Flags headless Chromium needs on this network (no background connections, no sandbox as root). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Chromium from CHROMIUM_PATH or Debian's package, if installed. */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p));
}

/** The server serves web/dist only when it exists when the app is built, so build it first if needed. */
export function ensureWebBuilt() {
  if (existsSync(path.join(root, 'web/dist/index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit' });
}

/** Signs in through the login page and waits for the console. */
export async function signIn(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/console/);
}

/** Chromium's path, or why the browser tests skip; under CI a missing Chromium is an error, not a skip. */
export function chromiumOrSkip() {
  const executablePath = findChromium();
  if (!executablePath && process.env.CI === 'true') throw new Error('no Chromium found: browser tests must run in CI');
  const noBrowser: string | false = executablePath ? false : 'no Chromium found (set CHROMIUM_PATH or install /usr/bin/chromium); skipping the browser tests';
  return { executablePath, noBrowser };
}

/**
 * A fresh platform listening on a loopback port, with the web app built and headless Chromium
 * started: what every browser test begins with. `prepare` runs before the server listens (users…).
 */
export async function openBrowserTest(executablePath: string, prepare?: (testApp: TestApp) => Promise<void>) {
  ensureWebBuilt();
  const testApp = await startTestApp();
  await prepare?.(testApp);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  if (!address || typeof address !== 'object') throw new Error('the test server is not listening');
  const browser: Browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  return {
    testApp,
    browser,
    base: `http://127.0.0.1:${address.port}`,
    async close() {
      await browser.close();
      await testApp.close();
    },
  };
}
