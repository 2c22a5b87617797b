import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { generateDueReports } from '../../server/src/analytics/generate-reports';
import { analyticsRepo } from '../../server/src/analytics/repo';
import { createUser } from '../../server/src/identity/manage-users';
import { Segmenter } from '../../server/src/text/segmenter';
import { bearer, type TestApp } from '../../server/src/testing/test-app';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();

/** Screenshots go to the system's temp folder, never into the repository. */
const shot = (name: string) => path.join(os.tmpdir(), `zhixun-analytics-${name}.png`);

/** Every chart of the live dashboards (each `analytics-chart-<name>` with `data-points`). */
const CHARTS = ['handoff-reasons', 'volume-day', 'volume-hour', 'volume-weekday', 'volume-channel', 'volume-category', 'hot-topics'];

/** Questions the robot answers from the seeded knowledge base, one it cannot, and a calculator's. */
const ANSWERED = ['养老保险单位交多少个人交多少', '失业金怎么领', '工伤认定去哪里办', '灵活就业人员怎么交养老保险', '领取失业保险金需要什么条件', '劳动合同多长时间内要签'];
const UNANSWERED = ['我家的猫不吃饭怎么办', '火星上可以交社保吗'];
const HANDED_OFF = [
  { question: '失业金为什么还没到账', category: 'shiye.shenling', score: 5 },
  { question: '失业保险金断了怎么办', category: 'shiye.shenling', score: 4 },
  { question: '养老保险断缴了能补吗', category: 'yanglao.canbao', score: 2 },
  { question: '公司不给签劳动合同怎么办', category: 'laodong.hetong', score: 5 },
];

/**
 * A few dozen conversations through the open channel API, as a partner app would send them: robot
 * answers, unanswered questions, hand-offs served by an agent (greeting, answer, close with a
 * category, a rating), and two left waiting in the queue.
 */
async function makeTraffic(t: TestApp) {
  const admin = await t.adminToken();
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: 'analytics test app', scopes: ['channel'] } });
  assert.equal(created.statusCode, 201, created.body);
  const key = created.json().key as string;
  let n = 0;
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, token = key) => {
    const res = await t.app.inject({ method, url, headers: bearer(token), payload: payload as any });
    assert.ok(res.statusCode < 300, `${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.body ? res.json() : undefined;
  };
  const start = async () => (await call('POST', '/api/v1/open/conversations', { customer: { externalId: `citizen-${++n}`, name: `市民${n}` }, channel: 'mini-program' })).conversationId as string;
  const say = (id: string, text: string) => call('POST', `/api/v1/open/conversations/${id}/messages`, { clientMessageId: `m-${id}-${Math.random()}`, text });

  // two wait in the queue while no agent is online
  for (const question of ['社保卡丢了怎么补办', '医保报销比例是多少']) {
    const id = await start();
    await say(id, question);
    await say(id, '转人工');
  }

  for (let round = 0; round < 3; round++) {
    for (const question of ANSWERED) await say(await start(), question);
  }
  for (const question of UNANSWERED) await say(await start(), question);
  await say(await start(), '我什么时候能退休');

  const agent = await t.tokenFor(['agent'], 'agent-zhao');
  await call('PUT', '/api/v1/agent/status', { status: 'online', maxChats: 20 }, agent);
  const isMine = async (id: string) => ((await call('GET', '/api/v1/agent/conversations', undefined, agent)).items as { id: string }[]).some((c) => c.id === id);
  /** The online agent is normally assigned automatically (after commit, so not at once); accept it if not. */
  const serve = async (id: string) => {
    for (let i = 0; i < 40 && !(await isMine(id)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    if (await isMine(id)) return;
    const accepted = await t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${id}/accept`, headers: bearer(agent) });
    assert.ok(accepted.statusCode === 200 || (await isMine(id)), accepted.body);
  };
  for (let round = 0; round < 2; round++) {
    for (const h of HANDED_OFF) {
      const id = await start();
      await say(id, h.question);
      await say(id, '转人工');
      await serve(id);
      await call('POST', `/api/v1/agent/conversations/${id}/messages`, { text: '您好，很高兴为您服务，请稍等我帮您查询。' }, agent);
      await call('POST', `/api/v1/agent/conversations/${id}/messages`, { text: '已为您查到办理方式，请携带身份证到参保地经办机构办理。还有其他可以帮您的吗？感谢您的来电，再见。' }, agent);
      await call('POST', `/api/v1/agent/conversations/${id}/close`, { category: h.category, summary: '已解答并告知办理方式' }, agent);
      await call('POST', `/api/v1/open/conversations/${id}/rating`, { score: h.score });
    }
  }
  return { conversations: n, admin };
}

/** China's calendar day (the dashboards' days). */
const chinaDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** The rollups are kept by event consumers after each commit: wait until the summary counts every conversation. */
async function waitForRollups(t: TestApp, admin: string, expected: number) {
  const deadline = Date.now() + 20_000;
  let last = '';
  while (Date.now() < deadline) {
    const res = await t.app.inject({ url: `/api/v1/analytics/summary?from=${chinaDay(-6)}&to=${chinaDay()}`, headers: bearer(admin) });
    last = `${res.statusCode} ${res.body.slice(0, 300)}`;
    if (res.statusCode === 200 && res.json().conversations >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`the summary never counted ${expected} conversations: ${last}`);
}

const pointsOf = async (page: Page, name: string) => Number(await page.getByTestId(`analytics-chart-${name}`).getAttribute('data-points'));

describe('the data analysis centre on generated traffic (1440×900)', { skip: noBrowser, timeout: 240_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;
  let conversations = 0;

  before(async () => {
    session = await openBrowserTest(executablePath!, async (app) => {
      await createUser(app.ctx, 'test', { username: 'sup-wang', password: 'sup-pass-1', roles: ['supervisor'] });
      const traffic = await makeTraffic(app);
      conversations = traffic.conversations;
      await waitForRollups(app, traffic.admin, conversations);
      // the reports job runs hourly and reports on yesterday: run it as it will run tomorrow, so today's traffic is in a daily report
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
      await generateDueReports(analyticsRepo(app.ctx.db), new Segmenter([]), tomorrow);
    });
    ({ browser, base } = session);
  });

  after(async () => session?.close());

  it('a supervisor reads every chart, as a table too, downloads a card as Excel, drafts an entry from a hard topic and opens the reports', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    try {
      await signIn(page, base, 'sup-wang', 'sup-pass-1');
      await page.goto(`${base}/console/analytics?period=7d`);

      // the headline counts every conversation of the week
      const stat = page.getByTestId('analytics-stat-conversations');
      await stat.waitFor();
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="analytics-stat-conversations"] .ant-statistic-content-value')?.textContent?.replace(/\D/g, '')) >= n, conversations);

      // every chart draws data once loaded
      for (const name of CHARTS) {
        await page.locator(`[data-testid="analytics-chart-${name}"]:not([data-points="0"])`).waitFor({ timeout: 15_000 }).catch(() => undefined);
        assert.ok((await pointsOf(page, name)) > 0, `chart ${name} holds data`);
      }
      const drawn = await page.locator('[data-testid^="analytics-chart-"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-testid'), Number(e.getAttribute('data-points'))] as const));
      assert.equal(drawn.length, CHARTS.length, JSON.stringify(drawn));
      assert.ok(drawn.every(([, n]) => n > 0), JSON.stringify(drawn));
      // the channel chart: all of this traffic came through the open API
      assert.equal(await pointsOf(page, 'volume-channel'), 1);
      await page.waitForTimeout(600); // ECharts animates in
      await page.screenshot({ path: shot('dashboards'), fullPage: true });

      // the same data as a table
      await page.getByTestId('analytics-toggle-volume-channel').click();
      const table = page.getByTestId('analytics-table-volume-channel');
      await table.waitFor();
      assert.match(await table.innerText(), new RegExp(`合作方应用[\\s\\S]*${conversations}`));
      await page.getByTestId('analytics-toggle-hot-topics').click();
      await page.getByTestId('analytics-table-hot-topics').waitFor();
      assert.ok((await page.getByTestId('analytics-table-hot-topics').locator('tbody tr.ant-table-row').count()) > 0, 'hot topics are listed in the table');

      // one card as an Excel workbook
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('analytics-export-volume-channel').click()]);
      const file = path.join(os.tmpdir(), `zhixun-analytics-${Date.now()}.xlsx`);
      await download.saveAs(file);
      assert.match(download.suggestedFilename(), /\.xlsx$/);
      const bytes = await readFile(file);
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'an xlsx is a zip');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as any);
      const sheet = workbook.worksheets[0];
      assert.ok(sheet && sheet.rowCount >= 2, 'the workbook has a header and data');

      // a hard topic becomes a knowledge entry draft, linked to the entry editor
      const topic = page.getByTestId('hard-topic').first();
      await topic.waitFor();
      const draft = topic.getByTestId('hard-topic-draft');
      if (await draft.isDisabled()) {
        await topic.getByTestId('hard-topic-category').click();
        await page.keyboard.type('失业金申领');
        await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '失业金申领' }).first().click();
      }
      await draft.click();
      const link = topic.getByTestId('hard-topic-draft-link');
      await link.waitFor();
      const entryId = await link.getAttribute('data-entry');
      assert.ok(entryId);
      assert.equal(await link.getAttribute('href'), `/console/entries/${encodeURIComponent(entryId!)}`);

      // the filter lives in the URL: a shared link with another channel shows that channel only
      await page.goto(`${base}/console/analytics?period=30d&channel=phone`);
      await page.getByTestId('analytics-chart-volume-day').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="analytics-stat-conversations"] .ant-statistic-content-value')?.textContent?.trim() === '0');
      assert.equal(await pointsOf(page, 'volume-day'), 0, 'no phone calls in this traffic');
      await page.getByTestId('analytics-period-7d').click();
      await page.waitForURL((url) => url.searchParams.get('period') === '7d' && url.searchParams.get('channel') === 'phone');

      // the reports tab: the stored reports (a background job makes them), each opened with the same cards
      await page.getByTestId('analytics-tab-reports').click();
      await page.getByTestId('analytics-reports').waitFor();
      const daily = page.locator('[data-testid="analytics-report-row"]', { hasText: chinaDay() });
      await daily.first().waitFor();
      const reportId = await daily.first().getAttribute('data-id');
      assert.equal(await daily.first().getByTestId('analytics-report-export').getAttribute('href'), `/api/v1/analytics/reports/${reportId}.xlsx`);
      await daily.first().getByTestId('analytics-report-open').click();
      await page.locator(`[data-testid="analytics-report"][data-id="${reportId}"]`).waitFor();
      await page.waitForURL((url) => url.searchParams.get('report') === reportId);
      await page.getByTestId('analytics-card-summary').waitFor();
      assert.equal((await page.getByTestId('analytics-stat-conversations').locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''), String(conversations));
      for (const name of ['volume-day', 'volume-channel', 'volume-category']) assert.ok((await pointsOf(page, name)) > 0, `the report's ${name} chart holds data`);
      await page.waitForTimeout(600);
      await page.screenshot({ path: shot('reports'), fullPage: true });

      // the same page in English
      await page.evaluate(() => localStorage.setItem('zhixun.lang', 'en'));
      await page.goto(`${base}/console/analytics?period=7d`);
      await page.getByTestId('analytics-card-volume-day').getByText('Conversations per day').waitFor();
      await page.locator('[data-testid="analytics-chart-volume-day"]:not([data-points="0"])').waitFor();
      await page.waitForTimeout(600);
      await page.screenshot({ path: shot('dashboards-en'), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: shot('failure'), fullPage: true }).catch(() => undefined);
      throw err;
    } finally {
      await context.close();
    }
  });
});
