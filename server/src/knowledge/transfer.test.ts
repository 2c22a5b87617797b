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

  it('an Excel export imports back to an identical knowledge base', async () => {
    const xlsx = (await exportAll(source, sourceAdmin, 'xlsx')) as Buffer;
    const imported = await target.app.inject({ method: 'POST', url: '/api/v1/kb/import?format=xlsx&mode=publish', headers: { ...bearer(targetAdmin), 'content-type': XLSX }, payload: xlsx });
    assert.equal(imported.statusCode, 200, imported.body);
    assert.equal(imported.json().created, 223);
    const a = await exportAll(source, sourceAdmin, 'json');
    const b = await exportAll(target, targetAdmin, 'json');
    assert.deepEqual(b, a);
    // and the imported entries are served with their ids and audience
    assert.equal((await target.app.inject({ url: '/api/v1/kb/entries/yl-001' })).statusCode, 200);
    const staffId = a.entries.find((e: any) => e.audience === 'staff').id;
    assert.equal((await target.app.inject({ url: `/api/v1/kb/entries/${staffId}` })).statusCode, 404);
    // importing the same file again changes nothing
    const again = await target.app.inject({ method: 'POST', url: '/api/v1/kb/import?format=xlsx&mode=publish', headers: { ...bearer(targetAdmin), 'content-type': XLSX }, payload: xlsx });
    assert.equal(again.json().unchanged, 223);
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
    const broken = Buffer.from(await workbook.xlsx.writeBuffer());
    const before = await exportAll(source, sourceAdmin, 'json');
    const res = await source.app.inject({ method: 'POST', url: '/api/v1/kb/import?format=xlsx&mode=publish', headers: { ...bearer(sourceAdmin), 'content-type': XLSX }, payload: broken });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'import_invalid');
    const rows = res.json().error.details.map((d: any) => d.row).sort((x: number, y: number) => x - y);
    assert.deepEqual(rows, [5, 9, 12]);
    assert.match(res.json().error.message, /第5行/);
    assert.deepEqual(await exportAll(source, sourceAdmin, 'json'), before);
  });

  it('a JSON file in the seed format imports; one with a duplicate id imports nothing', async () => {
    const fresh = await startTestApp({ seed: false });
    try {
      const admin = await fresh.adminToken();
      const bundle = await exportAll(source, sourceAdmin, 'json');
      const dup = { categories: bundle.categories, entries: [bundle.entries[0], bundle.entries[1], { ...bundle.entries[2], id: bundle.entries[0].id }] };
      const bad = await fresh.app.inject({ method: 'POST', url: '/api/v1/kb/import?format=json&mode=publish', headers: bearer(admin), payload: dup });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(bad.json().error.details.map((d: any) => d.row), [3]);
      assert.equal((await fresh.app.inject({ url: '/api/v1/kb/categories' })).json().items.length, 0, 'not even the categories were written');
      const good = await fresh.app.inject({ method: 'POST', url: '/api/v1/kb/import?format=json&mode=draft', headers: bearer(admin), payload: bundle });
      assert.equal(good.json().created, 223);
      // imported as drafts for review: nothing is served yet
      assert.equal((await fresh.app.inject({ url: '/api/v1/kb/entries/yl-001' })).statusCode, 404);
      const queue = (await fresh.app.inject({ url: '/api/v1/kb/manage/review-queue', headers: bearer(admin) })).json();
      assert.equal(queue.items.length, 223);
    } finally {
      await fresh.close();
    }
  });

  it('only editors and admins import; publishing on import also needs the review right', async () => {
    const agent = await source.tokenFor(['agent']);
    const editor = await source.tokenFor(['editor']);
    const bundle = { categories: [], entries: [] };
    assert.equal((await source.app.inject({ method: 'POST', url: '/api/v1/kb/import', headers: bearer(agent), payload: bundle })).statusCode, 403);
    const res = await source.app.inject({ method: 'POST', url: '/api/v1/kb/import?mode=publish', headers: bearer(editor), payload: bundle });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'publish_not_allowed');
  });
});
