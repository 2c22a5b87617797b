import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { telephonyBridge } from '../../server/src/channels/phone/test-bridge';
import { createWechatAccount, fakeWechatApi, push, text } from '../../server/src/channels/wechat/wechat-test-support';
import { createUser } from '../../server/src/identity/manage-users';
import { chromiumOrSkip, openBrowserTest } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();

async function signInToWorkspace(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/login?next=/workspace`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.pathname.startsWith('/workspace'));
  await page.locator('[data-testid="ws-connection"][data-connected="true"]').waitFor();
}

/** Accepts the waiting conversation of this channel from the queue tab; returns its id. */
async function acceptFromQueue(page: Page, channel: string) {
  await page.getByTestId('ws-tab-queue').click();
  const item = page.locator(`[data-testid="ws-queue-item"][data-channel="${channel}"]`);
  await item.waitFor();
  const id = await item.getAttribute('data-id');
  assert.ok(id);
  await item.getByTestId('ws-accept').click();
  await page.locator(`[data-testid="ws-open"][data-id="${id}"][data-status="assigned"]`).waitFor();
  return id;
}

describe('one person on WeChat, then on the phone: the agent sees both', { skip: noBrowser, timeout: 240_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;
  const wechat = fakeWechatApi();

  before(async () => {
    session = await openBrowserTest(executablePath!, (app) => createUser(app.ctx, 'test', { username: 'agent-zhao', password: 'agent-pass-7', roles: ['agent'] }).then(() => undefined));
    ({ browser, base } = session);
  });
  after(async () => {
    await session?.close();
    await wechat.close();
  });

  it('a WeChat follower is served and their number recorded; their later call reaches the agent, whose workspace shows the WeChat conversation', async () => {
    const t = session.testApp;
    const accountId = await createWechatAccount(t, await wechat.listen());

    // A follower asks on WeChat (safe mode), then asks for a person.
    const openid = 'o_browser_follower_1';
    const asked = await push(t, accountId, text(openid, '失业保险金怎么申请'), { safe: true });
    assert.equal(asked.statusCode, 200, asked.body);
    await push(t, accountId, text(openid, '转人工'), { safe: true });

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    try {
      await signInToWorkspace(page, base, 'agent-zhao', 'agent-pass-7');
      const wechatId = await acceptFromQueue(page, 'wechat');
      await page.locator('[data-testid="ws-message"][data-sender="customer"]', { hasText: '失业保险金怎么申请' }).waitFor();

      // The agent records the follower's phone number and answers; the answer goes out through WeChat's API.
      await page.getByTestId('ws-tab-history').click();
      await page.getByTestId('ws-contact-phone-edit').click();
      await page.getByTestId('ws-contact-phone-input').fill('138 0013 8000');
      await page.getByTestId('ws-contact-phone-save').click();
      await page.getByTestId('ws-contact-phone-value').getByText('138****8000').waitFor();
      await page.getByTestId('ws-input').fill('您好，失业保险金可以在人社部门网上服务大厅申请。');
      await page.getByTestId('ws-send').click();
      for (let i = 0; i < 100 && !wechat.sent.some((s) => s.body.touser === openid && s.body.text.content.includes('网上服务大厅')); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(wechat.sent.some((s) => s.body.touser === openid && s.body.text.content.includes('网上服务大厅')), 'the reply reached WeChat');

      // Days later the same person calls 12333 and presses 0 for an agent.
      const bridge = await telephonyBridge(t);
      const call = bridge.call();
      await call.start('+86 138 0013 8000');
      const queued = await call.press('0');
      const place = queued.find((a) => a.queue)?.queue;
      assert.ok(place, JSON.stringify(queued));

      // The call waits in the agent's queue; accepted, its history shows the WeChat conversation.
      const phoneId = await acceptFromQueue(page, 'phone');
      assert.equal(phoneId, place.conversationId);
      await page.getByTestId('ws-tab-history').click();
      const earlier = page.locator(`[data-testid="ws-history-item"][data-id="${wechatId}"][data-channel="wechat"]`);
      await earlier.waitFor();
      assert.match(await earlier.innerText(), /微信/);
      await page.getByTestId('ws-contact-phone-value').getByText('138****8000').waitFor();

      // And the telephony bridge is told to connect the caller to this agent.
      let bridged: { agentName: string } | undefined;
      for (let i = 0; i < 100 && !bridged; i++) {
        bridged = (await call.poll()).find((a) => a.bridge)?.bridge;
        if (!bridged) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(bridged?.agentName, 'agent-zhao');
    } finally {
      await context.close();
    }
  });
});
