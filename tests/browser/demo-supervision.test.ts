import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { generateTraffic, type TrafficSummary } from '../../server/src/demo/generate-traffic';
import { createUser } from '../../server/src/identity/manage-users';
import { bearer } from '../../server/src/testing/test-app';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();
const shot = (name: string) => path.join(os.tmpdir(), `zhixun-demo-${name}-${process.pid}.png`);

/** China's calendar day, offset by days. */
const chinaDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/**
 * The supervisor's screens on what `npm run demo:traffic` makes (a short stretch of it): the data
 * analysis centre, quality inspection and the live monitor all hold data from the demo service.
 */
describe('supervision on demo traffic (1440×900)', { skip: noBrowser, timeout: 300_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;
  let made: TrafficSummary;

  before(async () => {
    session = await openBrowserTest(executablePath!, async (app) => {
      await createUser(app.ctx, 'test', { username: 'sup-demo', password: 'sup-demo-pass-1', roles: ['supervisor'] });
      made = await generateTraffic({ app: app.app, ctx: app.ctx }, { days: 7, perDay: 14, seed: 20261207 });
      // the rollups and inspections are kept by consumers after each commit: wait until they caught up
      const admin = await app.adminToken();
      for (let i = 0; i < 150; i++) {
        const summary = await app.app.inject({ url: `/api/v1/analytics/summary?from=${chinaDay(-6)}&to=${chinaDay()}`, headers: bearer(admin) });
        if (summary.statusCode === 200 && summary.json().conversations >= made.conversations) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });
    ({ browser, base } = session);
  });
  after(async () => session?.close());

  async function supervisorPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base, 'sup-demo', 'sup-demo-pass-1');
    return page;
  }

  it('the dashboards: every chart holds data from the demo week', async () => {
    assert.ok(made.conversations > 40 && made.handoffs > 0 && made.ratings > 0, JSON.stringify(made));
    const page = await supervisorPage();
    try {
      await page.goto(`${base}/console/analytics?period=7d`);
      await page.getByTestId('analytics-stat-conversations').waitFor();
      const charts = page.locator('[data-testid^="analytics-chart-"]');
      await charts.first().waitFor();
      const names = (await charts.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!))).map((id) => id.replace('analytics-chart-', ''));
      assert.ok(names.length >= 7, names.join());
      for (const name of names) {
        await page.locator(`[data-testid="analytics-chart-${name}"]:not([data-points="0"])`).waitFor({ timeout: 15_000 });
      }
      await page.waitForTimeout(600); // ECharts animates in
      await page.screenshot({ path: shot('dashboards'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });

  it('quality inspection lists the demo’s inspected conversations, some flagged', async () => {
    const page = await supervisorPage();
    try {
      await page.goto(`${base}/console/quality`);
      await page.getByTestId('quality-conversations').waitFor();
      await page.getByTestId('quality-row').first().waitFor({ timeout: 15_000 });
      assert.ok((await page.getByTestId('quality-row').count()) > 0);
      await page.screenshot({ path: shot('quality'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });

  it('the live monitor shows a new 转人工 within a second, without a reload', async () => {
    const t = session.testApp;
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(await t.adminToken()), payload: { name: 'demo monitor app', scopes: ['channel'] } });
    const key = created.json().key as string;
    const page = await supervisorPage();
    try {
      await page.goto(`${base}/console/monitor`);
      await page.locator('[data-testid="monitor-connected"][data-connected="true"]').waitFor();
      const open = await t.app.inject({ method: 'POST', url: '/api/v1/open/conversations', headers: bearer(key), payload: { customer: { externalId: 'demo-monitor-citizen' } } });
      const id = open.json().conversationId as string;
      await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${id}/messages`, headers: bearer(key), payload: { clientMessageId: 'd-1', text: '转人工' } });
      const handedOff = Date.now();
      await page.locator(`[data-testid="monitor-conversation"][data-id="${id}"]`).waitFor({ timeout: 1000 });
      assert.ok(Date.now() - handedOff <= 1500);
      await page.screenshot({ path: shot('monitor'), fullPage: true });
    } finally {
      await page.context().close();
    }
  });
});
