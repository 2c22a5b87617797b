import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type { Message } from '../../common/conversations';
import { createUser } from '../../server/src/identity/manage-users';
import { chromiumOrSkip, openBrowserTest } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();

/**
 * A second citizen, spoken through the widget's own HTTP API and its realtime socket (`/widget`):
 * the first one uses the widget in a phone-sized page.
 */
async function openCitizen(base: string) {
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { 'x-visitor-token': token } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const session = await call('POST', '/api/v1/widget/sessions', { siteKey: 'portal' });
  const token = session.visitorToken as string;
  const started = await call('POST', '/api/v1/widget/conversations', { siteKey: 'portal' }, token);
  const id = started.conversation.id as string;
  const socket: Socket = io(`${base}/widget`, { path: '/socket.io', transports: ['websocket'], auth: { visitorToken: token, conversationId: id, lastSeq: 0 } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  let counter = 0;
  return {
    id,
    /** Sends over HTTP and returns the robot's replies. */
    async say(text: string): Promise<Message[]> {
      return (await call('POST', `/api/v1/widget/conversations/${id}/messages`, { clientMessageId: `c-${++counter}`, text }, token)).replies;
    },
    /** Sends over the socket, as the widget does once it is connected. */
    async sayLive(text: string) {
      const ack = await socket.timeout(5000).emitWithAck('send', { clientMessageId: `live-${++counter}`, text });
      assert.ok(ack.message, JSON.stringify(ack));
    },
    close: () => socket.close(),
  };
}

async function signInToWorkspace(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/login?next=/workspace`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname.startsWith('/workspace'));
  await page.locator('[data-testid="ws-connection"][data-connected="true"]').waitFor();
}

describe('the agent workspace (1366×768) with a citizen in the web widget (390×844)', { skip: noBrowser, timeout: 240_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;

  before(async () => {
    session = await openBrowserTest(executablePath!, (app) => createUser(app.ctx, 'test', { username: 'agent-li', password: 'agent-pass-1', roles: ['agent'] }).then(() => undefined));
    ({ browser, base } = session);
  });

  after(async () => session?.close());

  it('robot answer, hand-off with a queue position, accept, live replies both ways, an internal note the citizen never sees, close and rating', async () => {
    const agentContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const citizenContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await agentContext.newPage();
    const phone = await citizenContext.newPage();
    let second: Awaited<ReturnType<typeof openCitizen>> | undefined;
    try {
      await signInToWorkspace(page, base, 'agent-li', 'agent-pass-1');

      // The citizen opens the chat widget on the portal, at phone width; the robot answers first.
      await phone.goto(`${base}/`);
      await phone.getByTestId('widget-launcher').click();
      const widget = phone.frameLocator('[data-testid="widget-frame"]');
      const fromAgent = widget.locator('[data-testid="widget-message"][data-sender="agent"]');
      await widget.locator('[data-testid="widget-message"][data-sender="robot"][data-seq="1"]').waitFor();
      await widget.getByTestId('widget-input').fill('养老保险单位交多少个人交多少');
      await widget.getByTestId('widget-send').click();
      await widget.locator('[data-testid="widget-message"][data-sender="robot"][data-entry="yl-001"]').waitFor();

      // 转人工 puts the citizen in the queue, first in line.
      await widget.getByTestId('widget-input').fill('转人工');
      await widget.getByTestId('widget-send').click();
      await widget.locator('[data-testid="widget-queue"][data-position="1"]').waitFor();

      // The agent (not online yet, so nothing is assigned automatically) sees it in the queue and accepts it.
      await page.getByTestId('ws-tab-queue').click();
      const item = page.getByTestId('ws-queue-item');
      await item.waitFor();
      const id = await item.getAttribute('data-id');
      assert.ok(id);
      await item.getByTestId('ws-accept').click();
      const open = page.locator(`[data-testid="ws-open"][data-id="${id}"][data-status="assigned"]`);
      await open.waitFor();
      await widget.locator('[data-testid="widget-status"][data-status="assigned"]').waitFor();

      // Everything the citizen did is on screen: the robot's answer with its entry, and the contact's history.
      await page.locator('[data-testid="ws-message"][data-sender="robot"][data-entry="yl-001"]').waitFor();
      await page.locator('[data-testid="ws-message"][data-sender="customer"]', { hasText: '养老保险单位交多少个人交多少' }).waitFor();
      await page.getByTestId('ws-history').waitFor();

      await page.getByTestId('ws-status-online').click();
      await page.locator('[data-testid="ws-status"][data-status="online"]').waitFor();

      // The agent types (the citizen sees it) and replies; the reply appears in the widget live.
      await page.getByTestId('ws-input').pressSequentially('您好，我是人工客服，');
      await widget.getByTestId('widget-typing').waitFor();
      await page.getByTestId('ws-input').pressSequentially('请问还有什么可以帮您？');
      await page.getByTestId('ws-send').click();
      await fromAgent.filter({ hasText: '我是人工客服' }).waitFor();

      // The citizen types and writes back; the agent sees both live, and the citizen sees 已读.
      await widget.getByTestId('widget-input').pressSequentially('失业金怎么领');
      await page.getByTestId('ws-typing').waitFor();
      await widget.getByTestId('widget-input').press('Enter');
      await page.locator('[data-testid="ws-message"][data-sender="customer"]', { hasText: '失业金怎么领' }).waitFor();
      await widget.locator('[data-testid="widget-message"][data-sender="customer"]', { hasText: '失业金怎么领' }).getByTestId('widget-read').waitFor();

      // One click inserts a knowledge answer; the reply records the entry it came from.
      // every tab of the context panel fits: none is folded into the "…" menu
      assert.equal(await page.locator('.zx-ws-right .ant-tabs-nav-operations:not(.ant-tabs-nav-operations-hidden)').count(), 0, 'a context tab overflowed into the … menu');
      await page.getByTestId('ws-tab-knowledge').click();
      await page.getByTestId('ws-kb-search').locator('input').fill('失业保险金 领取');
      await page.getByTestId('ws-kb-search').locator('input').press('Enter');
      const insert = page.getByTestId('ws-kb-insert').first();
      await insert.waitFor();
      const entryId = await insert.getAttribute('data-entry');
      assert.ok(entryId);
      await insert.click();
      await page.locator(`[data-testid="ws-draft-entry"][data-entry="${entryId}"]`).waitFor();
      assert.ok((await page.getByTestId('ws-input').inputValue()).length > 20, 'the answer is in the composer');
      await page.getByTestId('ws-send').click();
      await page.locator(`[data-testid="ws-message"][data-sender="agent"][data-entry="${entryId}"]`).waitFor();
      await widget.locator(`[data-testid="widget-message"][data-sender="agent"][data-entry="${entryId}"]`).waitFor();

      // An internal note: shown to staff as a note, never sent to the citizen.
      await page.getByTestId('ws-private').click();
      await page.getByTestId('ws-input').fill('内部备注：来电人已咨询过养老保险缴费比例');
      await page.getByTestId('ws-send').click();
      await page.locator('[data-testid="ws-message"][data-private="true"]', { hasText: '内部备注：来电人已咨询过' }).waitFor();
      await page.getByTestId('ws-private').click();
      await page.getByTestId('ws-input').fill('请问您是在哪个城市参保的？');
      await page.getByTestId('ws-send').click();
      await fromAgent.filter({ hasText: '哪个城市参保' }).waitFor();
      assert.ok(!(await widget.getByTestId('widget-log').innerText()).includes('内部备注'), 'the citizen never sees the internal note');

      // A second citizen is assigned automatically (the agent is online); their messages (转人工 and
      // one more), while another conversation is in view, show as unread and in the tab's title.
      second = await openCitizen(base);
      await second.say('转人工');
      const other = page.locator(`[data-testid="ws-conversation"][data-id="${second.id}"]`);
      await page.getByTestId('ws-tab-mine').click();
      await other.waitFor();
      await second.sayLive('我想问一下医保报销');
      await page.locator(`[data-testid="ws-conversation"][data-id="${second.id}"][data-unread="2"]`).waitFor();
      await page.waitForFunction(() => /^\(2\) 新消息/.test(document.title));
      if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/workspace-1366.png` });

      // Close with a category from the knowledge tree and a summary; the citizen is offered the survey and rates.
      await page.getByTestId('ws-close').click();
      await page.getByTestId('ws-close-category').click();
      await page.keyboard.type('养老');
      await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '养老' }).first().click();
      await page.getByTestId('ws-close-summary').fill('解答了养老保险缴费比例和失业金领取，来电人满意');
      await page.getByTestId('ws-close-submit').click();
      await page.getByTestId('ws-closed').waitFor();
      await widget.getByTestId('widget-rate-5').click();
      await widget.getByTestId('widget-rating-comment').fill('回答很清楚');
      await widget.getByTestId('widget-rating-submit').click();
      await widget.getByTestId('widget-rating-done').waitFor();
      await page.locator('[data-testid="ws-rating"][data-score="5"]').waitFor();
      if (process.env.SCREENSHOT_DIR) await phone.screenshot({ path: `${process.env.SCREENSHOT_DIR}/widget-390.png` });
    } catch (err) {
      if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/workspace-failure.png` });
      throw err;
    } finally {
      second?.close();
      await agentContext.close();
      await citizenContext.close();
    }
  });
});
