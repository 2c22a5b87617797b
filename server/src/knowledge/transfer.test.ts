import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { ENTRY_SHEET } from './transfer-format';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function exportAll(t: TestApp, token: string, format: 'json' | 'xlsx') {
  const res = await t.app.inject({ url: `/api/v1/kb/export?format=${format}&which=published`, headers: bearer(token) });
  assert.equal(res.statusCode, 200);
  return format === 'xlsx' ? res.rawPayload : res.json();
}

/** Sends a file to the import and returns the job id it was queued as. */
async function startImport(t: TestApp, token: string, file: unknown, query = 'format=json') {
  const isXlsx = Buffer.isBuffer(file);
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/kb/import?${query}`, headers: { ...bearer(token), ...(isXlsx ? { 'content-type': XLSX } : {}) }, payload: file as any });
  assert.equal(res.statusCode, 202, res.body);
  return res.json().jobId as string;
}

/** Polls the import job until it ends; returns its last state. */
async function waitForJob(t: TestApp, token: string, jobId: string) {
  for (let i = 0; i < 600; i++) {
    const res = await t.app.inject({ url: `/api/v1/kb/import/jobs/${jobId}`, headers: bearer(token) });
    assert.equal(res.statusCode, 200, res.body);
    const job = res.json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`import job ${jobId} did not finish`);
}

async function importAndWait(t: TestApp, token: string, file: unknown, query = 'format=json') {
  return waitForJob(t, token, await startImport(t, token, file, query));
}

const approveImport = (t: TestApp, token: string, importId: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1/kb/import/jobs/${importId}/approve`, headers: bearer(token), payload: {} });

describe('knowledge import and export', () => {
  let source: TestApp;
  let target: TestApp;
  let sourceAdmin: string;
  let targetAdmin: string;
  before(async () => {
    source = await startTestApp();
    target = await startTestApp({ seed: false });
    sourceAdmin = await source.adminToken();
    targetAdmin = await target.adminToken();
  });
  after(async () => {
    await source?.close();
    await target?.close();
  });

  it('an Excel export, imported and approved by a second person, gives an identical knowledge base', async () => {
    const xlsx = (await exportAll(source, sourceAdmin, 'xlsx')) as Buffer;
    const job = await importAndWait(target, targetAdmin, xlsx, 'format=xlsx&mode=publish');
    assert.equal(job.status, 'done', JSON.stringify(job.error));
    assert.equal(job.progress, 100);
    assert.equal(job.result.created, 223);
    assert.equal(job.result.inReview, 223);
    // nothing is served until a reviewer other than the importer approves the import
    assert.equal((await target.app.inject({ url: '/api/v1/kb/entries/yl-001' })).statusCode, 404);
    const reviewer = await target.tokenFor(['reviewer']);
    const approved = await approveImport(target, reviewer, job.result.importId);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().approved, 223);
    const a = await exportAll(source, sourceAdmin, 'json');
    const b = await exportAll(target, targetAdmin, 'json');
    assert.deepEqual(b, a);
    // and the imported entries are served with their ids and audience
    assert.equal((await target.app.inject({ url: '/api/v1/kb/entries/yl-001' })).statusCode, 200);
    const staffId = a.entries.find((e: any) => e.audience === 'staff').id;
    assert.equal((await target.app.inject({ url: `/api/v1/kb/entries/${staffId}` })).statusCode, 404);
    // importing the same file again changes nothing
    const again = await importAndWait(target, targetAdmin, xlsx, 'format=xlsx');
    assert.equal(again.result.unchanged, 223);
    assert.equal(again.result.inReview, 0);
  });

  it('a broken Excel file is rejected with row numbers and changes nothing', async () => {
    const xlsx = (await exportAll(source, sourceAdmin, 'xlsx')) as Buffer;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as any);
    const sheet = workbook.getWorksheet(ENTRY_SHEET)!;
    sheet.getRow(2).getCell(5).value = '这一行的答案被改了，但别的行有错误，所以也不能导入';
    sheet.getRow(5).getCell(3).value = ''; // no question
    sheet.getRow(9).getCell(7).value = 'everyone'; // bad audience
    sheet.getRow(12).getCell(2).value = '不存在的分类 / 某处'; // unknown category
    sheet.getRow(14).getCell(10).value = '2025-99-99'; // not a date
    sheet.getRow(15).getCell(11).value = '2025-02-30'; // not a date either
    const broken = Buffer.from(await workbook.xlsx.writeBuffer());
    const before = await exportAll(source, sourceAdmin, 'json');
    const job = await importAndWait(source, sourceAdmin, broken, 'format=xlsx');
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'import_invalid');
    const rows = job.error.details.map((d: any) => d.row).sort((x: number, y: number) => x - y);
    assert.deepEqual(rows, [5, 9, 12, 14, 15]);
    assert.match(job.error.message, /第5行/);
    // each reader gets the problems in one language, not "中文 / English"
    const cjk = /[\u4e00-\u9fff]/;
    const problems = (j: any) => j.error.details.map((d: any) => d.message);
    assert.ok([job.error.message, ...problems(job)].every((m: string) => !/ \/ [a-z]/i.test(m)), problems(job).join('\n'));
    const inEnglish = (await source.app.inject({ url: `/api/v1/kb/import/jobs/${job.id ?? job.jobId}`, headers: { ...bearer(sourceAdmin), 'accept-language': 'en' } })).json();
    assert.match(inEnglish.error.message, /row 5/);
    // the category path is the file's own (Chinese) text; the words around it are English
    assert.ok(problems(inEnglish).every((m: string) => !cjk.test(m.replace('不存在的分类 / 某处', ''))), problems(inEnglish).join('\n'));
    assert.ok(!/ \/ [a-z]/i.test(inEnglish.error.message), inEnglish.error.message);
    assert.deepEqual(await exportAll(source, sourceAdmin, 'json'), before);
  });

  it('a JSON file in the seed format imports; one with a duplicate id or an impossible date imports nothing', async () => {
    const fresh = await startTestApp({ seed: false });
    try {
      const admin = await fresh.adminToken();
      const bundle = await exportAll(source, sourceAdmin, 'json');
      const dup = { categories: bundle.categories, entries: [bundle.entries[0], bundle.entries[1], { ...bundle.entries[2], id: bundle.entries[0].id }] };
      const bad = await importAndWait(fresh, admin, dup, 'format=json&mode=publish');
      assert.equal(bad.status, 'failed');
      assert.deepEqual(bad.error.details.map((d: any) => [d.row, d.field]), [[3, 'id']]);
      const badDates = { categories: bundle.categories, entries: [{ ...bundle.entries[0], effectiveFrom: '2025-99-99' }, { ...bundle.entries[1], expiresAt: '2025-02-30' }] };
      const refused = await importAndWait(fresh, admin, badDates);
      assert.deepEqual(refused.error.details.map((d: any) => [d.row, d.field]), [[1, 'effectiveFrom'], [2, 'expiresAt']]);
      assert.equal((await fresh.app.inject({ url: '/api/v1/kb/categories' })).json().items.length, 0, 'not even the categories were written');
      const good = await importAndWait(fresh, admin, bundle, 'format=json&mode=draft');
      assert.equal(good.result.created, 223);
      // imported for review: nothing is served yet
      assert.equal((await fresh.app.inject({ url: '/api/v1/kb/entries/yl-001' })).statusCode, 404);
      const queue = (await fresh.app.inject({ url: '/api/v1/kb/manage/review-queue', headers: bearer(admin) })).json();
      assert.equal(queue.items.length, 223);
      assert.ok(queue.items.every((i: any) => i.importId === good.result.importId));
    } finally {
      await fresh.close();
    }
  });

  it('only editors and admins import; an import job is seen by its importer and admins only', async () => {
    const agent = await source.tokenFor(['agent']);
    const editor = await source.tokenFor(['editor']);
    const otherEditor = await source.tokenFor(['editor']);
    const bundle = { categories: [], entries: [] };
    assert.equal((await source.app.inject({ method: 'POST', url: '/api/v1/kb/import', headers: bearer(agent), payload: bundle })).statusCode, 403);
    const jobId = await startImport(source, editor, bundle);
    assert.equal((await waitForJob(source, editor, jobId)).status, 'done');
    assert.equal((await waitForJob(source, sourceAdmin, jobId)).status, 'done');
    const other = await source.app.inject({ url: `/api/v1/kb/import/jobs/${jobId}`, headers: bearer(otherEditor) });
    assert.equal(other.statusCode, 404);
  });

  it('a file over the import limit (25 MB) is refused with 413', async () => {
    const huge = JSON.stringify({ entries: [], padding: 'x'.repeat(26 * 1024 * 1024) });
    const res = await source.app.inject({ method: 'POST', url: '/api/v1/kb/import', headers: { ...bearer(sourceAdmin), 'content-type': 'application/json' }, payload: huge });
    assert.equal(res.statusCode, 413);
  });

  it('a large import runs in the background with progress while other requests are answered', async () => {
    const fresh = await startTestApp({ seed: false });
    try {
      const admin = await fresh.adminToken();
      const entries = Array.from({ length: 3000 }, (_, i) => ({ id: `bg-${i}`, category: 'bg', question: `后台导入的问题 ${i}`, answer: `答案 ${i}`, audience: 'public' }));
      const started = performance.now();
      const jobId = await startImport(fresh, admin, { categories: [{ id: 'bg', name: '后台导入', parent: null }], entries });
      assert.ok(performance.now() - started < 2000, 'the import request only queues the work');
      let answeredMeanwhile = 0;
      const seen = new Set<number>();
      for (let i = 0; i < 2000; i++) {
        const [health, job] = await Promise.all([
          fresh.app.inject({ url: '/api/v1/kb/search?q=养老' }),
          fresh.app.inject({ url: `/api/v1/kb/import/jobs/${jobId}`, headers: bearer(admin) }).then((r) => r.json()),
        ]);
        assert.equal(health.statusCode, 200);
        seen.add(job.progress);
        if (job.status === 'done') break;
        answeredMeanwhile++;
      }
      const job = await waitForJob(fresh, admin, jobId);
      assert.equal(job.result.created, 3000);
      assert.ok(answeredMeanwhile > 0, 'requests were answered while the import ran');
      assert.ok([...seen].some((p) => p > 0 && p < 100), `progress between 0 and 100 was reported (saw ${[...seen]})`);
    } finally {
      await fresh.close();
    }
  });
});

describe('knowledge import: four eyes', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  const changed = { categories: [], entries: [{ id: 'yl-001', category: 'yanglao.canbao', question: '养老保险缴费比例是多少？', answer: '导入改写的答案：单位 99%', audience: 'public' }] };

  it('one person holding editor and reviewer cannot publish through an import, nor approve it', async () => {
    const both = await t.tokenFor(['editor', 'reviewer'], 'import-both');
    const job = await importAndWait(t, both, changed, 'format=json&mode=publish');
    assert.equal(job.status, 'done', JSON.stringify(job.error));
    assert.equal(job.result.inReview, 1);
    assert.doesNotMatch((await t.app.inject({ url: '/api/v1/kb/entries/yl-001' })).json().answer, /单位 99%/);
    const own = await approveImport(t, both, job.result.importId);
    assert.equal(own.statusCode, 403);
    assert.equal(own.json().error.code, 'own_change');
    const ownEntry = await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-001/approve', headers: bearer(both), payload: {} });
    assert.equal(ownEntry.statusCode, 403);
    assert.doesNotMatch((await t.app.inject({ url: '/api/v1/kb/entries/yl-001' })).json().answer, /单位 99%/);
    // someone else approves the whole import
    const reviewer = await t.tokenFor(['reviewer'], 'import-reviewer');
    const approved = await approveImport(t, reviewer, job.result.importId);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.match((await t.app.inject({ url: '/api/v1/kb/entries/yl-001' })).json().answer, /单位 99%/);
    assert.equal((await approveImport(t, reviewer, job.result.importId)).statusCode, 409, 'nothing left to approve');
  });

  it('an admin alone cannot publish an import', async () => {
    const admin = await t.adminToken();
    const job = await importAndWait(t, admin, { ...changed, entries: [{ ...changed.entries[0], id: 'yl-002', answer: '管理员独自导入的答案' }] }, 'format=json&mode=publish');
    assert.equal(job.result.inReview, 1);
    assert.equal((await approveImport(t, admin, job.result.importId)).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/kb/manage/entries/yl-002/approve', headers: bearer(admin), payload: {} })).statusCode, 403);
    assert.notEqual((await t.app.inject({ url: '/api/v1/kb/entries/yl-002' })).json().answer, '管理员独自导入的答案');
  });

  it('an import that would make categories each other\'s parent is refused, with nothing written', async () => {
    const editor = await t.tokenFor(['editor']);
    const cycle = {
      categories: [
        { id: 'loop.a', name: '循环甲', parent: 'loop.b' },
        { id: 'loop.b', name: '循环乙', parent: 'loop.a' },
        { id: 'loop.c', name: '挂在不存在的上级', parent: 'nowhere' },
      ],
      entries: [{ id: 'lp-001', category: 'loop.a', question: '循环分类里的问题', answer: '答案', audience: 'public' }],
    };
    const job = await importAndWait(t, editor, cycle);
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'import_invalid');
    assert.deepEqual(job.error.details.map((d: any) => [d.sheet, d.row, d.field]), [['categories', 1, 'parent'], ['categories', 2, 'parent'], ['categories', 3, 'parent']]);
    assert.match(job.error.message, /循环|cycle/);
    const move = await t.app.inject({ method: 'PATCH', url: '/api/v1/kb/categories/yanglao', headers: bearer(editor), payload: { parent: 'yanglao.canbao' } });
    assert.equal(move.statusCode, 400);
    assert.equal(move.json().error.code, 'cycle');
    const dangling = await t.app.inject({ method: 'POST', url: '/api/v1/kb/categories', headers: bearer(editor), payload: { id: 'dangling', name: '悬空', parent: 'nowhere' } });
    assert.equal(dangling.statusCode, 400);
    assert.equal(dangling.json().error.code, 'unknown_parent');
  });
});
