import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { EVENTS } from '../../../common/events';
import { resetClock, setClock } from '../platform/ids';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { analyticsRepo } from './repo';

/** A clock the test moves by hand, so the facts land in known hours and durations are exact. */
function manualClock(startIso: string) {
  let at = Date.parse(startIso);
  setClock(() => at);
  return {
    advance: (seconds: number) => {
      at += seconds * 1000;
    },
    set: (iso: string) => {
      at = Date.parse(iso);
    },
  };
}

async function openChannel(t: TestApp) {
  const admin = await t.adminToken();
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(admin), payload: { name: `partner ${Math.random()}`, scopes: ['channel'] } });
  assert.equal(created.statusCode, 201, created.body);
  const key = created.json().key as string;
  let counter = 0;
  return {
    key,
    async start(externalId: string) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/open/conversations', headers: bearer(key), payload: { customer: { externalId }, channel: 'mini-program' } });
      assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
      return res.json().conversationId as string;
    },
    async send(conversationId: string, text: string) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${conversationId}/messages`, headers: bearer(key), payload: { clientMessageId: `c-${++counter}-${Math.random()}`, text } });
      assert.ok(res.statusCode === 201, res.body);
      return res.json() as { replies: { sender: string; entryId?: string | null }[] };
    },
    rate: (conversationId: string, score: number) => t.app.inject({ method: 'POST', url: `/api/v1/open/conversations/${conversationId}/rating`, headers: bearer(key), payload: { score } }),
  };
}

async function agent(t: TestApp) {
  const token = await t.tokenFor(['agent']);
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({ method, url, headers: bearer(token), payload: payload as any });
  return {
    token,
    online: () => call('PUT', '/api/v1/agent/status', { status: 'online', maxChats: 5 }),
    mine: async () => (await call('GET', '/api/v1/agent/conversations')).json().items as { id: string }[],
    accept: (id: string) => call('POST', `/api/v1/agent/conversations/${id}/accept`),
    reply: (id: string, text: string) => call('POST', `/api/v1/agent/conversations/${id}/messages`, { text }),
    close: (id: string) => call('POST', `/api/v1/agent/conversations/${id}/close`, { category: 'yanglao.canbao', summary: '已解答' }),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('the data analysis centre', () => {
  let t: TestApp;
  let supervisor: string;
  const get = (url: string, token = supervisor) => t.app.inject({ url, headers: bearer(token) });
  /** Waits until the events so far are dispatched and counted. */
  const counted = async () => {
    await settle();
    await t.app.analytics.idle();
  };

  before(async () => {
    t = await startTestApp();
    supervisor = await t.tokenFor(['supervisor']);
  });
  afterEach(() => resetClock());
  after(async () => t?.close());

  // 2026-03-02 is a Monday; 10:00 China time
  const DAY = '2026-03-02';
  let served = '';

  it('summary of a known day: one conversation the robot resolved, one handed off, answered in 15 s, rated 5', async () => {
    const clock = manualClock('2026-03-02T02:00:00.000Z');
    const channel = await openChannel(t);
    const byRobot = await channel.start('citizen-a');
    const answered = await channel.send(byRobot, '养老保险单位交多少个人交多少');
    assert.equal(answered.replies[0].entryId, 'yl-001', 'the robot answers from the knowledge base');
    clock.advance(31 * 60);
    await t.ctx.jobs.runNow('conversations.close-idle'); // closed after inactivity, no human involved

    const a = await agent(t);
    served = await channel.start('citizen-b');
    await channel.send(served, '养老保险单位交多少个人交多少');
    await channel.send(served, '转人工');
    await a.online();
    await settle();
    // automatic assignment may give it to this agent at any moment; accepting it then is a 409
    if (!(await a.mine()).some((c) => c.id === served)) await a.accept(served);
    assert.ok((await a.mine()).some((c) => c.id === served), 'the agent serves the conversation');
    clock.advance(15);
    assert.equal((await a.reply(served, '您好，单位缴16%，个人缴8%。')).statusCode, 201);
    clock.advance(60);
    assert.equal((await a.close(served)).statusCode, 200);
    assert.equal((await channel.rate(served, 5)).statusCode, 204);
    await counted();

    const res = await get(`/api/v1/analytics/summary?from=${DAY}&to=${DAY}`);
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json();
    assert.equal(s.conversations, 2);
    assert.equal(s.robotResolutionRate, 0.5);
    assert.equal(s.handoffRate, 0.5);
    assert.deepEqual(s.handoffReasons, [{ reason: 'request', count: 1 }]);
    assert.deepEqual(s.satisfaction, { rated: 1, positiveShare: 1, average: 5 });
    assert.deepEqual(s.firstResponseSeconds, { p50: 15, p90: 15 });
    assert.deepEqual(s.handlingSeconds, { p50: 75, p90: 75 });
    assert.equal(s.abandonmentRate, 0);
    assert.deepEqual(s.serviceLevel, { thresholdSeconds: 20, share: 1 });
    assert.equal(s.selfService.robotAnswers, 2);
    assert.ok(s.selfService.searches >= 2, 'every question the robot decided on is a self-service search');
    assert.equal(s.firstContactResolutionRate, 1);
    // another day sees none of it
    assert.equal((await get('/api/v1/analytics/summary?from=2026-03-03&to=2026-03-03')).json().conversations, 0);
  });

  it('a redelivered event does not count twice', async () => {
    const before = (await get(`/api/v1/analytics/summary?from=${DAY}&to=${DAY}`)).json();
    t.ctx.events.emit(EVENTS.conversationClosed, { conversationId: served, hadAgent: true });
    t.ctx.events.emit(EVENTS.messageCreated, { conversationId: served, seq: 3, sender: 'agent', isPrivate: false });
    t.ctx.events.emit(EVENTS.conversationChanged, { conversationId: served, status: 'resolved', reason: 'rating' });
    await counted();
    assert.deepEqual((await get(`/api/v1/analytics/summary?from=${DAY}&to=${DAY}`)).json(), before);
  });

  it('hot topics: a category that rose from 8 to 20 ranks first, one that rose from 1 to 3 does not', async () => {
    const clock = manualClock('2026-03-09T01:00:00.000Z');
    const channel = await openChannel(t);
    const ask = async (n: number, question: string, expected: string) => {
      for (let i = 0; i < n; i++) {
        const id = await channel.start(`hot-${Math.random()}`);
        assert.equal((await channel.send(id, question)).replies[0].entryId, expected);
        clock.advance(60);
      }
    };
    await ask(8, '养老保险单位交多少个人交多少', 'yl-001'); // 2026-03-09: the previous period
    await ask(1, '如何办理就业登记', 'jy-001');
    clock.set('2026-03-10T01:00:00.000Z');
    await ask(20, '养老保险单位交多少个人交多少', 'yl-001');
    await ask(3, '如何办理就业登记', 'jy-001');
    await counted();

    const res = await get('/api/v1/analytics/hot-topics?from=2026-03-10&to=2026-03-10&level=category');
    assert.equal(res.statusCode, 200, res.body);
    const hot = res.json();
    assert.equal(hot.previousFrom, '2026-03-09');
    assert.equal(hot.previousTo, '2026-03-09');
    assert.deepEqual(hot.items.map((i: any) => [i.categoryId, i.current, i.previous]), [
      ['yanglao.canbao', 20, 8],
      ['jiuye.dengji', 3, 1],
    ]);
    assert.ok(hot.items[0].score > hot.items[1].score);
    assert.equal(hot.items[0].name, '参保与缴费');

    const byEntry = (await get('/api/v1/analytics/hot-topics?from=2026-03-10&to=2026-03-10&level=entry')).json();
    assert.equal(byEntry.items[0].entryId, 'yl-001');

    // filters: a category (with its sub-categories) and a channel
    const vol = (await get('/api/v1/analytics/volumes?by=category&from=2026-03-10&to=2026-03-10&category=jiuye')).json();
    assert.deepEqual(vol.items.map((i: any) => [i.key, i.count]), [['jiuye.dengji', 3]]);
    const byChannel = (await get('/api/v1/analytics/volumes?by=channel&from=2026-03-09&to=2026-03-10')).json();
    assert.deepEqual(byChannel.items.map((i: any) => [i.key, i.count]), [['open', 32]]);
    assert.equal((await get('/api/v1/analytics/summary?from=2026-03-09&to=2026-03-10&channel=web')).json().conversations, 0);
    const byDay = (await get('/api/v1/analytics/volumes?by=day&from=2026-03-09&to=2026-03-11')).json();
    assert.deepEqual(byDay.items.map((i: any) => i.count), [9, 23, 0]);
    const byHour = (await get('/api/v1/analytics/volumes?by=hour&from=2026-03-10&to=2026-03-10')).json();
    assert.equal(byHour.items.find((i: any) => i.key === '9').count, 23, 'started at 09:xx China time');
  });

  it('the rollups kept by the events equal a full rebuild', async () => {
    const repo = analyticsRepo(t.ctx.db);
    const incremental = await repo.allRollups();
    assert.ok(incremental.hourly.length > 0 && incremental.answers.length > 0);
    await t.app.analytics.rebuild();
    assert.deepEqual(await repo.allRollups(), incremental);
  });

  it('bad filters are 400s with a code', async () => {
    const code = async (url: string) => {
      const res = await get(url);
      assert.equal(res.statusCode, 400, res.body);
      return res.json().error.code;
    };
    assert.equal(await code('/api/v1/analytics/summary?from=2026-03-10&to=2026-03-01'), 'invalid_period');
    assert.equal(await code('/api/v1/analytics/summary?from=2025-01-01&to=2026-01-02'), 'invalid_period');
    assert.equal(await code('/api/v1/analytics/volumes?by=day&from=2026-02-30&to=2026-03-01'), 'invalid_date');
    assert.equal((await get('/api/v1/analytics/volumes?by=planet&from=2026-03-01&to=2026-03-01')).statusCode, 400);
    assert.equal((await get('/api/v1/analytics/summary?from=2026-03-01&to=2026-03-01&channel=fax')).statusCode, 400);
    assert.equal((await get('/api/v1/analytics/summary?from=2025-01-02&to=2026-01-02')).statusCode, 200, '366 days is allowed');
  });

  it('only supervisors and admins read analytics', async () => {
    const url = `/api/v1/analytics/summary?from=${DAY}&to=${DAY}`;
    assert.equal((await t.app.inject({ url })).statusCode, 401);
    assert.equal((await get(url, await t.tokenFor(['agent']))).statusCode, 403);
    assert.equal((await get(url, await t.tokenFor(['editor']))).statusCode, 403);
    assert.equal((await get(url, await t.adminToken())).statusCode, 200);
    assert.equal((await get('/api/v1/analytics/reports', await t.tokenFor(['agent']))).statusCode, 403);
  });

  it('hard topics cluster what the robot could not answer, and a cluster becomes a knowledge draft', async () => {
    const channel = await openChannel(t);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    for (const q of ['宠物狗的疫苗证明在哪里办理', '宠物狗疫苗证明丢了怎么补', '给宠物狗办疫苗证明要带什么']) {
      const id = await channel.start(`hard-${Math.random()}`);
      await channel.send(id, `${q}，我电话13812345678`);
    }
    await counted();
    const res = await get(`/api/v1/analytics/hard-topics?from=${today}&to=${today}`);
    assert.equal(res.statusCode, 200, res.body);
    const cluster = res.json().items.find((c: any) => c.examples.some((e: string) => e.includes('宠物狗')));
    assert.ok(cluster, JSON.stringify(res.json()));
    assert.equal(cluster.count, 3, JSON.stringify(cluster));
    assert.equal(cluster.reasons.handoff + cluster.reasons.unanswered, 3);
    assert.ok(cluster.examples.every((e: string) => !e.includes('13812345678')), 'examples are masked');

    const draft = await t.app.inject({ method: 'POST', url: '/api/v1/analytics/hard-topics/draft', headers: bearer(supervisor), payload: { clusterId: cluster.id, categoryId: 'jiuye.fuwu' } });
    assert.equal(draft.statusCode, 201, draft.body);
    const { entryId } = draft.json();
    const version: any = await t.ctx.db.selectFrom('kb_entry_versions').selectAll().where('entry_id', '=', entryId).executeTakeFirstOrThrow();
    assert.equal(version.status, 'draft');
    assert.equal(version.category_id, 'jiuye.fuwu');
    assert.equal(version.question, cluster.label);
    assert.equal(JSON.parse(version.similar).length, cluster.examples.length - 1);
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/analytics/hard-topics/draft', headers: bearer(supervisor), payload: { clusterId: 'bm9wZQ', categoryId: 'jiuye.fuwu' } });
    assert.equal(unknown.statusCode, 404);
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/analytics/hard-topics/draft', headers: bearer(supervisor), payload: { examples: ['某个问题'] } });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.code, 'category_required');
  });

  it('exports are valid workbooks; the daily and weekly reports are generated once and served as JSON and Excel', async () => {
    const res = await get(`/api/v1/analytics/export/summary.xlsx?from=${DAY}&to=${DAY}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-disposition']), /attachment/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as any);
    const rows = wb.worksheets[0].getSheetValues().flat().map(String);
    assert.ok(rows.some((v) => v.includes('会话量')));
    for (const file of ['volumes.xlsx?by=channel&', 'hot-topics.xlsx?', 'hard-topics.xlsx?']) {
      const r = await get(`/api/v1/analytics/export/${file}from=${DAY}&to=${DAY}`);
      assert.equal(r.statusCode, 200, r.body);
      await new ExcelJS.Workbook().xlsx.load(r.rawPayload as any);
    }

    manualClock('2026-03-03T04:00:00.000Z'); // Tuesday 12:00 China time: yesterday was the known day
    await t.ctx.jobs.runNow('analytics.reports');
    await t.ctx.jobs.runNow('analytics.reports');
    const list = (await get('/api/v1/analytics/reports')).json().items as any[];
    assert.deepEqual(list.map((r) => [r.kind, r.from, r.to]).sort(), [['daily', DAY, DAY], ['weekly', '2026-02-23', '2026-03-01']]);
    const daily = list.find((r) => r.kind === 'daily');
    const stored = (await get(`/api/v1/analytics/reports/${daily.id}`)).json();
    assert.equal(stored.data.summary.conversations, 2);
    const xlsx = await get(`/api/v1/analytics/reports/${daily.id}.xlsx`);
    assert.equal(xlsx.statusCode, 200);
    const report = new ExcelJS.Workbook();
    await report.xlsx.load(xlsx.rawPayload as any);
    assert.ok(report.worksheets.length >= 4);
    assert.equal((await get('/api/v1/analytics/reports/nope')).statusCode, 404);
  });
});
