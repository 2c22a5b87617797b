import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createUser } from '../../server/src/identity/manage-users';
import { bearer } from '../../server/src/testing/test-app';
import { chromiumOrSkip, openBrowserTest, signIn } from './browser-support';

const { executablePath, noBrowser } = chromiumOrSkip();

describe('the live monitor (1440×900): a supervisor watches citizens arrive and complain, without reloading', { skip: noBrowser, timeout: 240_000 }, () => {
  let session: Awaited<ReturnType<typeof openBrowserTest>>;
  let browser: Browser;
  let base: string;
  let key: string;

  before(async () => {
    session = await openBrowserTest(executablePath!, async (app) => {
      await createUser(app.ctx, 'test', { username: 'sup-wang', password: 'supervisor-pass-1', roles: ['supervisor'] });
      const created = await app.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(await app.adminToken()), payload: { name: 'mini program', scopes: ['channel'] } });
      assert.equal(created.statusCode, 201, created.body);
      key = created.json().key;
    });
    ({ browser, base } = session);
  });
  after(async () => session?.close());

  /** A partner app's user, through the open channel API. */
  async function citizen(externalId: string) {
    const call = async (url: string, body: unknown) => {
      const res = await fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(key) }, body: JSON.stringify(body) });
      const text = await res.text();
      assert.ok(res.ok, `${url} → ${res.status} ${text}`);
      return JSON.parse(text);
    };
    const { conversationId } = await call('/api/v1/open/conversations', { customer: { externalId, name: '李女士' } });
    let counter = 0;
    return { id: conversationId as string, say: (text: string) => call(`/api/v1/open/conversations/${conversationId}/messages`, { clientMessageId: `m-${++counter}`, text }) };
  }

  it('a 转人工 appears as a queued conversation within a second, a complaint raises an alert on screen, and the supervisor listens in and whispers', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base, 'sup-wang', 'supervisor-pass-1');
    await page.goto(`${base}/console/monitor`);
    await page.locator('[data-testid="monitor-connected"][data-connected="true"]').waitFor();
    const general = page.locator('[data-testid="monitor-queue"][data-skill=""]');
    await general.and(page.locator('[data-waiting="0"]')).waitFor();

    // the robot first, then 转人工: the monitor shows the new citizen waiting, with no reload
    const li = await citizen('citizen-li');
    await li.say('失业金怎么领');
    await li.say('转人工');
    const handedOff = Date.now();
    await page.locator('[data-testid="monitor-queue"][data-skill=""][data-waiting="1"]').waitFor({ timeout: 1000 });
    await page.locator(`[data-testid="monitor-conversation"][data-id="${li.id}"]`).waitFor({ timeout: 1000 });
    assert.ok(Date.now() - handedOff <= 1500, `on screen ${Date.now() - handedOff} ms after the hand-off`);

    // the waiting citizen complains: an alert appears, highlighted as new
    await li.say('等了这么久还没人理，我要打12345投诉你们');
    const alert = page.locator('[data-testid="monitor-alert"][data-kind="complaint_words"]');
    await alert.waitFor({ timeout: 3000 });
    assert.equal(await alert.getAttribute('data-fresh'), 'true');
    assert.match((await alert.textContent()) ?? '', /12345/);

    // listening in: the conversation opens with its messages, and a whisper stays internal
    await page.locator(`[data-testid="monitor-conversation"][data-id="${li.id}"]`).click();
    await page.locator('[data-testid="monitor-message"][data-sender="customer"]', { hasText: '我要打12345投诉' }).waitFor();
    await li.say('还在吗？');
    await page.locator('[data-testid="monitor-message"][data-sender="customer"]', { hasText: '还在吗？' }).waitFor({ timeout: 3000 });
    await page.getByTestId('monitor-whisper-input').fill('请优先接待这位来电人，注意安抚情绪');
    await page.getByTestId('monitor-whisper-send').click();
    await page.locator('[data-testid="monitor-message"][data-private="true"]', { hasText: '注意安抚情绪' }).waitFor();
    const seen = await fetch(`${base}/api/v1/open/conversations/${li.id}/messages?after=0`, { headers: bearer(key) }).then((r) => r.json());
    assert.ok(!JSON.stringify(seen).includes('注意安抚情绪'), 'the citizen never sees the whisper');

    const shot = path.join(os.tmpdir(), `zhixun-monitor-${process.pid}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await page.keyboard.press('Escape');

    // acknowledged, the alert leaves the list
    await alert.getByTestId('monitor-alert-ack').click();
    await alert.waitFor({ state: 'detached' });
    await context.close();
  });
});
