import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { io as connect } from 'socket.io-client';
import { CHROMIUM_ARGS, findChromium } from './browser-support';
import { startTestApp, type TestApp } from '../../server/src/testing/test-app';

const executablePath = findChromium();
const noBrowser = executablePath ? false : 'no Chromium found (set CHROMIUM_PATH or install /usr/bin/chromium); skipping the browser tests';
if (!executablePath && process.env.CI === 'true') throw new Error('no Chromium found: browser tests must run in CI');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = process.env.WIDGET_SCREENSHOTS; // a folder to keep screenshots in, when set

/** The widget's frame page and embed script are built with the app; an older build lacks them. */
function ensureWidgetBuilt() {
  if (['index.html', 'widget.html', 'embed/widget.js'].every((f) => existsSync(path.join(root, 'web/dist', f)))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: root, stdio: 'inherit' });
}

/** Another site (another origin) whose page embeds the widget with the one script tag and its key. */
function hostSite(siteKey: () => string) {
  const server = createServer((_request, response) => {
    const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>某市人社局</title></head><body style="font-family:sans-serif;margin:0;padding:16px"><h1>某市人力资源和社会保障局</h1><p>办事指南、政策文件……</p>
<script src="${widgetBase}/widget.js" data-site-key="${siteKey()}" async></script></body></html>`;
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  return new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
let widgetBase = '';

/** Collects Content-Security-Policy violations and script errors of the page and its frames. */
function watchProblems(page: Page) {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to|Uncaught/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  return problems;
}

describe('the chat widget embedded in another site, on a phone', { skip: noBrowser, timeout: 240_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let host: Server;
  let hostUrl: string;
  let agentToken: string;

  const asAgent = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${agentToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const shoot = async (page: Page, name: string) => {
    if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`) });
  };

  before(async () => {
    ensureWidgetBuilt();
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    widgetBase = base;
    let siteKey = '';
    host = await hostSite(() => siteKey);
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    // the operator registers the page's origin in the console and gets the key for the snippet
    const supervisor = await t.tokenFor(['supervisor']);
    const created = await fetch(`${base}/api/v1/widget-sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${supervisor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '某市人社局', origins: [hostUrl] }),
    });
    assert.equal(created.status, 201);
    siteKey = ((await created.json()) as { key: string }).key;
    agentToken = await t.tokenFor(['agent'], 'widget-agent');
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    host?.close();
    await t?.close();
  });

  it('a citizen asks the robot, picks a starter question, waits in the queue, talks with an agent, rates the service, and finds the conversation again after a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    const problems = watchProblems(page);
    try {
      await page.goto(hostUrl);
      await page.getByTestId('widget-launcher').click();
      const frameElement = page.getByTestId('widget-frame');
      await frameElement.waitFor();
      const widget = page.frameLocator('[data-testid="widget-frame"]');
      const messages = widget.getByTestId('widget-message');
      const welcome = messages.and(widget.locator('[data-sender="robot"][data-seq="1"]'));
      await welcome.waitFor();
      const box = await frameElement.boundingBox();
      assert.deepEqual(box && [box.x, box.y, box.width, box.height], [0, 0, 390, 844], 'on a phone the chat covers the screen');
      assert.equal(await widget.getByTestId('widget-log').getAttribute('aria-live'), 'polite', 'new messages are read out');
      await shoot(page, '1-welcome');

      // A question: the robot answers from the knowledge base, in Markdown.
      await widget.getByTestId('widget-input').fill('养老保险单位交多少个人交多少');
      await widget.getByTestId('widget-send').click();
      const answer = widget.locator('[data-testid="widget-message"][data-sender="robot"][data-entry="yl-001"]');
      await answer.waitFor();
      assert.equal(await answer.locator('strong', { hasText: '16%' }).count(), 1, '**16%** is bold');
      assert.ok(!(await answer.innerText()).includes('**'));
      await shoot(page, '2-answer');

      // A starter question from the welcome, clicked: it is sent as the citizen's message and answered.
      const starter = welcome.getByTestId('widget-option').first();
      const question = (await starter.innerText()).replace(/^\d+\s*/, '').trim();
      const before = await messages.count();
      await starter.click();
      await widget.locator(`[data-testid="widget-message"][data-sender="customer"]`, { hasText: question }).waitFor();
      await widget.locator(`[data-testid="widget-message"]:nth-child(${before + 2})[data-sender="robot"]`).waitFor();

      // Someone else is already waiting: 转人工 puts the citizen second in the queue.
      const other = await startWaitingConversation();
      await widget.getByTestId('widget-input').fill('转人工');
      await widget.getByTestId('widget-send').click();
      const queue = widget.getByTestId('widget-queue');
      await queue.waitFor();
      await widget.getByText('您前面还有 1 位，预计等待约').waitFor();
      await shoot(page, '3-queue');
      const conversationId = await currentConversation(page);

      // An agent with one seat comes online and takes the first in line: the citizen moves up, live.
      assert.equal((await asAgent('PUT', '/api/v1/agent/status', { status: 'online', maxChats: 1 })).status, 200);
      await takeOrWait(other);
      await widget.getByText('您前面还有 0 位，预计等待约').waitFor();
      assert.equal((await asAgent('POST', `/api/v1/agent/conversations/${other}/close`, { category: '其他', summary: '已答复' })).status, 200);
      await takeOrWait(conversationId);
      await queue.waitFor({ state: 'detached' });
      await widget.locator('[data-testid="widget-status"][data-status="assigned"]').waitFor();

      // The agent types (the widget shows it) and replies: the reply appears live.
      const agentSocket = connect(`${base}/agent`, { auth: { token: agentToken }, transports: ['websocket'], forceNew: true });
      await new Promise<void>((resolve, reject) => agentSocket.once('connect', () => resolve()).once('connect_error', reject));
      agentSocket.emit('typing', { conversationId });
      await widget.getByTestId('widget-typing').waitFor();
      assert.equal((await asAgent('POST', `/api/v1/agent/conversations/${conversationId}/messages`, { text: '您好，我是坐席小王。请问您想咨询**养老金**的哪方面？' })).status, 201);
      assert.equal((await asAgent('POST', `/api/v1/agent/conversations/${conversationId}/messages`, { text: '内部备注：老人家，耐心些', private: true })).status, 201);
      const agentReply = widget.locator('[data-testid="widget-message"][data-sender="agent"]');
      await agentReply.waitFor();
      assert.match(await agentReply.innerText(), /坐席小王/);
      assert.equal(await agentReply.locator('strong', { hasText: '养老金' }).count(), 1);
      await shoot(page, '4-agent');

      // The citizen answers; the agent reads it, and the citizen sees 已读.
      await widget.getByTestId('widget-input').fill('我想问退休后养老金什么时候发');
      await widget.getByTestId('widget-input').press('Enter');
      const mine = widget.locator('[data-testid="widget-message"][data-sender="customer"]', { hasText: '什么时候发' });
      await mine.waitFor();
      assert.equal(await widget.getByTestId('widget-pending').count(), 0, 'confirmed by the server');
      const seq = Number(await mine.getAttribute('data-seq'));
      const detail = await asAgent('GET', `/api/v1/agent/conversations/${conversationId}`);
      assert.ok(detail.body.messages.filter((m: { text: string }) => m.text === '我想问退休后养老金什么时候发').length === 1, 'stored once');
      agentSocket.emit('read', { conversationId, seq });
      await mine.getByTestId('widget-read').waitFor();
      agentSocket.disconnect();
      assert.ok(!(await widget.getByTestId('widget-log').innerText()).includes('内部备注'), 'internal notes never reach the citizen');

      // The agent closes: the survey appears; the citizen gives five stars with a comment.
      assert.equal((await asAgent('POST', `/api/v1/agent/conversations/${conversationId}/close`, { category: '养老保险', summary: '咨询养老金发放时间' })).status, 200);
      await widget.getByTestId('widget-rate-5').waitFor();
      assert.equal(await widget.getByTestId('widget-input').count(), 0, 'nothing more can be sent to a closed conversation');
      await shoot(page, '5-survey');
      await widget.getByTestId('widget-rate-5').click();
      await widget.getByTestId('widget-rating-comment').fill('小王很耐心，谢谢');
      await widget.getByTestId('widget-rating-submit').click();
      await widget.getByTestId('widget-rating-done').waitFor();
      const rated = await asAgent('GET', `/api/v1/agent/conversations/${conversationId}`);
      assert.equal(rated.body.conversation.rating.score, 5);
      assert.equal(rated.body.conversation.rating.comment, '小王很耐心，谢谢');
      await shoot(page, '6-rated');

      // A reload of the host page: the same browser sees the earlier conversation.
      await page.reload();
      await page.getByTestId('widget-launcher').click();
      await widget.locator('[data-testid="widget-message"][data-sender="agent"]', { hasText: '坐席小王' }).waitFor();
      await widget.getByTestId('widget-rating-done').waitFor();
      await widget.getByTestId('widget-new-conversation').click();
      await widget.locator('[data-testid="widget-message"][data-seq="1"][data-sender="robot"]').waitFor();
      assert.equal(await messages.count(), 1, 'a new conversation starts with the welcome only');
      assert.notEqual(await currentConversation(page), conversationId);

      // The panel closes with its × button and the launcher is back.
      await widget.getByTestId('widget-close').click();
      await frameElement.waitFor({ state: 'hidden' });
      await page.getByTestId('widget-launcher').waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('on a desktop the widget is a panel beside the page, and the loader refuses to be framed by a site not listed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    try {
      await page.goto(hostUrl);
      await page.getByTestId('widget-launcher').click();
      const box = await page.getByTestId('widget-frame').boundingBox();
      assert.ok(box && box.width <= 420 && box.height <= 700 && box.x > 800, `a panel at the right: ${JSON.stringify(box)}`);
      await page.frameLocator('[data-testid="widget-frame"]').getByTestId('widget-input').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('widget-frame').waitFor({ state: 'hidden' });
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'widget-launcher', 'focus returns to the button');

      // the portal's key does not list this origin: the browser refuses the frame
      const refused = await fetch(`${base}/widget/frame?siteKey=portal`);
      assert.match(String(refused.headers.get('content-security-policy')), /frame-ancestors 'self'(;|$)/);
    } finally {
      await context.close();
    }
  });

  it('a message whose acknowledgement is lost on a broken connection is sent again after reconnecting, and stored once', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const sends: string[] = [];
    let isBreaking = false;
    // between the widget and the server: once armed, a send reaches the server but nothing comes back, then the line drops
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      let isBlackHole = false;
      ws.onMessage((frame) => {
        if (typeof frame === 'string' && frame.includes('["send"')) {
          sends.push(frame);
          if (isBreaking) {
            isBreaking = false;
            isBlackHole = true;
            setTimeout(() => ws.close({ code: 1006 }), 500);
          }
        }
        server.send(frame);
      });
      server.onMessage((frame) => {
        if (!isBlackHole) ws.send(frame);
      });
    });
    const page = await context.newPage();
    try {
      await page.goto(hostUrl);
      await page.getByTestId('widget-launcher').click();
      const widget = page.frameLocator('[data-testid="widget-frame"]');
      await widget.locator('[data-testid="widget-message"][data-seq="1"]').waitFor();
      isBreaking = true;
      await widget.getByTestId('widget-input').fill('失业金怎么领');
      await widget.getByTestId('widget-send').click();
      await widget.getByTestId('widget-pending').waitFor(); // shown at once, as sending
      const mine = widget.locator('[data-testid="widget-message"][data-sender="customer"]', { hasText: '失业金怎么领' });
      await mine.waitFor();
      await widget.locator('[data-testid="widget-message"][data-sender="robot"]').nth(1).waitFor();
      assert.equal(await mine.count(), 1, 'shown once');
      assert.equal(await widget.getByTestId('widget-pending').count(), 0);
      const ids = sends.map((f) => /"clientMessageId":"([^"]+)"/.exec(f)?.[1]);
      assert.ok(ids.length >= 2 && ids.every((id) => id === ids[0]), `sent again with the same id: ${sends.join(' | ')}`);
      const conversationId = await currentConversation(page);
      const stored = await t.app.inject({ url: `/api/v1/agent/conversations/${conversationId}`, headers: { authorization: `Bearer ${await t.tokenFor(['supervisor'])}` } });
      assert.equal(stored.json().messages.filter((m: { text: string }) => m.text === '失业金怎么领').length, 1, 'stored once');
    } finally {
      await context.close();
    }
  });

  /** A conversation from another channel that waits in the queue before ours. */
  async function startWaitingConversation() {
    const admin = await t.adminToken();
    const key = (await (await fetch(`${base}/api/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'app', scopes: ['channel'] }) })).json()).key as string;
    const call = (url: string, body: unknown) => fetch(`${base}${url}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
    const { conversationId } = await call('/api/v1/open/conversations', { customer: { externalId: 'waiting-1' }, channel: 'app' });
    await call(`/api/v1/open/conversations/${conversationId}/messages`, { clientMessageId: 'w-1', text: '转人工' });
    return conversationId as string;
  }

  /** The agent has the conversation: assigned automatically, or accepted from the queue. */
  async function takeOrWait(id: string) {
    for (let i = 0; i < 50; i++) {
      const mine = await asAgent('GET', '/api/v1/agent/conversations');
      if (mine.body.items.some((c: { id: string }) => c.id === id)) return;
      const accepted = await asAgent('POST', `/api/v1/agent/conversations/${id}/accept`);
      if (accepted.status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`the agent never got conversation ${id}`);
  }

  /** The conversation the widget shows, from the frame's own API. */
  async function currentConversation(page: Page) {
    const frame = page.frames().find((f) => f.url().includes('/widget/frame'));
    assert.ok(frame);
    return frame.evaluate(async () => {
      const token = localStorage.getItem('zhixun.widget.visitor')!;
      const site = new URLSearchParams(location.search).get('siteKey')!;
      const res = await fetch('/api/v1/widget/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ siteKey: site, visitorToken: token }) });
      return ((await res.json()) as { conversation: { id: string } }).conversation.id;
    });
  }
});

