import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { statementCodePattern } from '../../../common/record-statements';
import { resetClock, setClock } from '../platform/ids';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { buildPerson } from './build-person';
import type { ImportPerson } from './schema';

let clockOffset = 0;
/** Moves the platform's clock (SMS codes to one phone are limited to one a minute). */
function advanceClock(ms: number) {
  clockOffset += ms;
  setClock(() => Date.now() + clockOffset);
}

/** Signs a person in through the real SMS flow, reading the code from the development outbox. */
async function signIn(t: TestApp, person: ImportPerson) {
  advanceClock(20 * 60_000);
  const sent = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: person.phone } });
  assert.equal(sent.statusCode, 202, sent.body);
  const outbox = await t.app.inject({ url: `/api/v1/sms-outbox?phone=${person.phone}`, headers: bearer(await t.adminToken()) });
  assert.equal(outbox.statusCode, 200, outbox.body);
  const code = /验证码是(\d{6})/.exec(outbox.json().items[0].text)![1];
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { idNumber: person.idNumber, name: person.name, phone: person.phone, code } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().token as string;
}

async function importPersons(t: TestApp, persons: ImportPerson[]) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/records/import', headers: bearer(await t.adminToken()), payload: { persons } });
  assert.equal(res.statusCode, 200, res.body);
}

/**
 * The text a PDF shows, read the way a viewer would: content streams (inflated) decoded through the
 * font's ToUnicode map, one line per text run. Enough for pdfkit's output, not a general PDF reader.
 */
function pdfText(pdf: Buffer): string {
  // latin1 keeps one character per byte, so string positions are buffer positions
  const raw = pdf.toString('latin1');
  const streams: string[] = [];
  for (let at = raw.indexOf('stream\n'); at >= 0; at = raw.indexOf('stream\n', at + 1)) {
    if (raw.slice(at - 3, at) === 'end') continue;
    const dictionary = raw.slice(raw.lastIndexOf(' obj', at), at);
    const end = raw.indexOf('\nendstream', at);
    const body = pdf.subarray(at + 'stream\n'.length, end);
    streams.push((dictionary.includes('/FlateDecode') ? inflateSync(body) : body).toString('latin1'));
    at = end;
  }
  const toUnicode = new Map<number, string>();
  for (const s of streams) {
    for (const range of s.matchAll(/<([0-9a-f]+)>\s*<[0-9a-f]+>\s*\[([^\]]*)\]/gi)) {
      for (const [i, u] of [...range[2].matchAll(/<([0-9a-f]+)>/gi)].entries()) toUnicode.set(parseInt(range[1], 16) + i, String.fromCodePoint(parseInt(u[1], 16)));
    }
  }
  const lines: string[] = [];
  for (const s of streams) {
    for (const run of s.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...run[1].matchAll(/<([0-9a-f]*)>/gi)].map((h) => h[1]).join('');
      lines.push(hex.match(/.{4}/g)!.map((g) => toUnicode.get(parseInt(g, 16)) ?? '?').join(''));
    }
  }
  return lines.join('\n');
}

describe('the contribution statement (参保证明): a PDF with a verification code, checked publicly', () => {
  let t: TestApp;
  const alice = buildPerson({ sequence: 521, from: '2010-03', to: '2024-11', arrears: 3, gap: ['2016-05', '2016-06'], base: 5321.17 });
  const bob = buildPerson({ sequence: 642, from: '2018-01', to: '2024-06', base: 8000 });
  const dave = buildPerson({ sequence: 884 });
  before(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://12333.example.gov.cn' } });
    await importPersons(t, [alice, bob, dave]);
  });
  after(async () => {
    resetClock();
    await t?.close();
  });

  const issue = async (token: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/me/statements', headers: bearer(token) });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { code: string; issuedAt: string; expiresAt: string; pdfUrl: string };
  };
  const check = (code: string) => t.app.inject({ url: `/api/v1/statements/${encodeURIComponent(code)}` });

  it('a citizen issues a statement and downloads it as a PDF with their name, the figures, the code and the address to check it', async () => {
    const aliceToken = await signIn(t, alice);
    const issued = await issue(aliceToken);
    assert.match(issued.code, statementCodePattern, 'five groups of four unambiguous characters');
    assert.equal(new Date(issued.expiresAt).getTime() - new Date(issued.issuedAt).getTime(), 90 * 86_400_000);
    assert.equal(issued.pdfUrl, `/api/v1/me/statements/${issued.code}.pdf`);

    const res = await t.app.inject({ url: issued.pdfUrl, headers: bearer(aliceToken) });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename=".*\.pdf"; filename\*=UTF-8''%E7%A4%BE%E4%BC%9A/, 'a Chinese file name: 社会保险参保缴费证明-….pdf');
    const pdf = res.rawPayload;
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.ok((pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length >= 1, 'has a page');
    assert.ok(pdf.length < 200_000, `the font is subset: ${pdf.length} bytes`);

    const text = pdfText(pdf);
    const record = (await t.app.inject({ url: '/api/v1/me/record', headers: bearer(aliceToken) })).json();
    for (const shown of ['社会保险参保缴费证明（示例）', `参保人姓名：${alice.name}`, `公民身份号码：${record.person.idNumberMasked}`, `验证码：${issued.code}`, `https://12333.example.gov.cn/verify/${issued.code}`, '演示数据']) {
      assert.ok(text.includes(shown), `the PDF shows ${shown}:\n${text}`);
    }
    assert.ok(text.includes(`${record.pension.paidMonths} 个月`), `paid pension months ${record.pension.paidMonths}:\n${text}`);
    assert.ok(text.includes('2010年3月 至 2024年11月'), 'first and last month');
    assert.ok(!text.includes(alice.idNumber) && !text.includes(alice.phone), 'ID number masked, no phone');

    const audit = (await t.app.inject({ url: '/api/v1/audit?action=records.statement_issued&pageSize=50', headers: bearer(await t.adminToken()) })).json().items;
    assert.ok(audit.some((row: any) => row.actor.startsWith('citizen:') && row.subjectType === 'record_person'), 'issuing is audited');
  });

  it('another citizen gets 404 for the statement; the public check shows masked data equal to the record’s figures', async () => {
    const issued = await issue(await signIn(t, alice));
    const bobToken = await signIn(t, bob);
    const others = await t.app.inject({ url: issued.pdfUrl, headers: bearer(bobToken) });
    assert.equal(others.statusCode, 404);
    assert.equal(others.json().error.code, 'statement_not_found');

    const res = await check(issued.code);
    assert.equal(res.statusCode, 200, res.body);
    const shown = res.json();
    for (const secret of [alice.name, alice.idNumber, alice.phone, alice.phone.slice(-4), alice.idNumber.slice(4, 14)]) assert.ok(!res.body.includes(secret), `the public check leaks ${secret}`);
    assert.equal(shown.nameMasked, '测***1');
    assert.match(shown.idNumberMasked, /^3301\*{10}\d{3}[\dX]$/);
    assert.equal(shown.code, issued.code);
    assert.equal(shown.expiresAt, issued.expiresAt);
    // a stranger's own computation from the import file: pension months, arrears, gap months by year
    const pension = alice.contributions!.filter((c) => c.insurance === 'pension');
    const record = (await t.app.inject({ url: '/api/v1/me/record', headers: bearer(await signIn(t, alice)) })).json();
    for (const insurance of ['pension', 'medical', 'unemployment', 'injury', 'maternity']) {
      const { paidMonths, arrearsMonths, firstMonth, lastMonth } = record[insurance];
      assert.deepEqual(shown[insurance], { paidMonths, arrearsMonths, firstMonth, lastMonth }, insurance);
    }
    assert.equal(shown.pension.paidMonths, pension.filter((c) => c.status === 'paid').length);
    assert.equal(shown.pension.arrearsMonths, 3);
    const year2016 = shown.pensionYears.find((y: { year: number }) => y.year === 2016);
    assert.deepEqual(year2016, { year: 2016, paidMonths: 10, arrearsMonths: 0, gapMonths: 2 });
    assert.equal(shown.pensionYears.reduce((sum: number, y: { paidMonths: number }) => sum + y.paidMonths, 0), shown.pension.paidMonths);

    const typed = await check(issued.code.replace(/-/g, ' ').toLowerCase());
    assert.equal(typed.statusCode, 200, 'a code typed in lower case with spaces is found');
  });

  it('an unknown code and an expired one answer the same 404; the citizen cannot download an expired one either', async () => {
    // issued 91 days ago (staff sign-in reads the wall clock, so the clock goes back rather than forward;
    // and to someone who has not signed in since, as codes sent "later" would count against them)
    advanceClock(-91 * 86_400_000);
    const issued = await issue(await signIn(t, dave));
    advanceClock(91 * 86_400_000);
    const unknown = await check('K7QM-2XD9-ABCD-EFGH-JKMN');
    const expired = await check(issued.code);
    for (const res of [unknown, expired]) assert.equal(res.statusCode, 404);
    assert.equal(expired.body, unknown.body, 'the same body: nothing tells an expired code from one never issued');
    assert.equal(expired.json().error.code, 'statement_not_found');
    const token = await signIn(t, dave);
    const fresh = await issue(token);
    assert.equal((await check(fresh.code)).statusCode, 200, 'a statement issued today is still valid');
    assert.equal((await t.app.inject({ url: issued.pdfUrl, headers: bearer(token) })).statusCode, 404);
  });

  it('anonymous callers cannot issue or download statements', async () => {
    const issue = await t.app.inject({ method: 'POST', url: '/api/v1/me/statements' });
    assert.equal(issue.statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/v1/me/statements/K7QM-2XD9-ABCD-EFGH-JKMN.pdf' })).statusCode, 401);
  });
});

describe('the statement without a Chinese font, and the public check’s rate limit', () => {
  let t: TestApp;
  const carol = buildPerson({ sequence: 763 });
  before(async () => {
    t = await startTestApp({ env: { PDF_FONT_FILE: '/nonexistent/fonts/cjk.ttf', RATE_LIMIT_PER_MINUTE: '300' } });
    await importPersons(t, [carol]);
  });
  after(async () => {
    resetClock();
    await t?.close();
  });

  it('the PDF answers 503 pdf_font_missing telling the operator what to install; the statement itself is still issued', async () => {
    const token = await signIn(t, carol);
    const issued = await t.app.inject({ method: 'POST', url: '/api/v1/me/statements', headers: bearer(token) });
    assert.equal(issued.statusCode, 201, issued.body);
    const pdf = await t.app.inject({ url: issued.json().pdfUrl, headers: bearer(token) });
    assert.equal(pdf.statusCode, 503);
    assert.equal(pdf.json().error.code, 'pdf_font_missing');
    assert.match(pdf.json().error.message, /fonts-wqy-microhei/);
    assert.match(pdf.json().error.message, /PDF_FONT_FILE/);
  });

  it('one client may check 20 codes a minute, then gets 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await t.app.inject({ url: `/api/v1/statements/AAAA-BBBB-CCCC-DDDD-${String(i).padStart(4, '2')}` })).statusCode);
    assert.deepEqual(statuses, [...Array(20).fill(404), 429]);
  });
});
