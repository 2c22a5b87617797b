import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Decimal from 'decimal.js';
import { resetClock, setClock } from '../platform/ids';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { buildIdNumber, buildPerson } from './build-person';
import { ACCOUNT_RATES, DEMO_DEFAULT_RATE } from './pension-account';
import type { ImportPerson } from './schema';

let clockOffset = 0;
/** Moves the platform's clock forward: codes to one phone are limited to one a minute and five an hour. */
function advanceClock(ms: number) {
  clockOffset += ms;
  setClock(() => Date.now() + clockOffset);
}

/** Signs a person in through the real SMS flow (20 minutes later): the code is read from the development outbox. */
async function signIn(t: TestApp, person: { idNumber: string; name: string; phone: string }) {
  advanceClock(20 * 60_000);
  const sent = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: person.phone } });
  assert.equal(sent.statusCode, 202, sent.body);
  const code = await latestCode(t, person.phone);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { ...person, code } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().token as string;
}

async function latestCode(t: TestApp, phone: string) {
  const outbox = await t.app.inject({ url: `/api/v1/sms-outbox?phone=${phone}`, headers: bearer(await t.adminToken()) });
  assert.equal(outbox.statusCode, 200, outbox.body);
  return /验证码是(\d{6})/.exec(outbox.json().items[0].text)![1];
}

async function importPersons(t: TestApp, persons: ImportPerson[]) {
  return t.app.inject({ method: 'POST', url: '/api/v1/records/import', headers: bearer(await t.adminToken()), payload: { persons } });
}

/** The record's figures worked out here from the monthly rows, without the service's code. */
function expectedFigures(person: ImportPerson, now: Date) {
  const pension = person.contributions!.filter((c) => c.insurance === 'pension');
  const paid = pension.filter((c) => c.status === 'paid');
  const byYear = new Map<number, Decimal>();
  for (const c of paid) byYear.set(Number(c.month.slice(0, 4)), (byYear.get(Number(c.month.slice(0, 4))) ?? new Decimal(0)).plus(c.personalAmount));
  let balance = new Decimal(0);
  for (let year = Math.min(...byYear.keys()); year <= now.getUTCFullYear(); year++) {
    const paidIn = byYear.get(year) ?? new Decimal(0);
    const rate = year < now.getUTCFullYear() ? new Decimal(ACCOUNT_RATES[year] ?? DEMO_DEFAULT_RATE) : new Decimal(0);
    // interest on the opening balance for the whole year, on the year's own payments for half of it (×1.083)
    const interest = balance.times(rate).plus(paidIn.times(rate).times(1.083).div(2)).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    balance = balance.plus(paidIn).plus(interest);
  }
  return {
    paidMonths: paid.length,
    arrearsMonths: pension.length - paid.length,
    personalContributions: paid.reduce((sum, c) => sum.plus(c.personalAmount), new Decimal(0)).toFixed(2),
    accountBalance: balance.toFixed(2),
  };
}

describe('personal services: records, citizen sign-in, agents’ audited access', () => {
  let t: TestApp;
  const alice = buildPerson({ sequence: 121, from: '2010-03', to: '2024-11', arrears: 3, gap: ['2016-05', '2016-06'], base: 5321.17 });
  const bob = buildPerson({ sequence: 242, from: '2018-01', to: '2024-06', base: 8000 });
  before(async () => {
    t = await startTestApp();
    const res = await importPersons(t, [alice, bob]);
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { imported: 2 });
  });
  after(async () => {
    resetClock();
    await t?.close();
  });

  it('an import with a wrong row is refused whole, with the row named, and nothing of it is written', async () => {
    const good = buildPerson({ sequence: 363 });
    const badId = { ...buildPerson({ sequence: 484 }), idNumber: buildIdNumber('19800101', 484).slice(0, 17) + 'Y' };
    const res = await importPersons(t, [good, badId]);
    assert.equal(res.statusCode, 400, res.body);
    const body = res.json();
    assert.equal(body.error.code, 'invalid_records');
    assert.equal(body.error.details[0].row, 2);
    assert.equal(body.error.details[0].field, 'idNumber');
    const duplicate = await importPersons(t, [good, good]);
    assert.equal(duplicate.json().error.details[0].row, 2, 'the same ID number twice is named on its second row');
    // the good person of the refused files was not imported: they cannot sign in
    await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: good.phone } });
    const code = await latestCode(t, good.phone);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { idNumber: good.idNumber, name: good.name, phone: good.phone, code } });
    assert.equal(login.statusCode, 401);
  });

  it('paid months, arrears, own payments and the account balance equal a computation of their own from the monthly rows', async () => {
    const token = await signIn(t, alice);
    const record = (await t.app.inject({ url: '/api/v1/me/record', headers: bearer(token) })).json();
    const expected = expectedFigures(alice, new Date());
    assert.equal(record.pension.paidMonths, expected.paidMonths);
    assert.equal(record.pension.arrearsMonths, 3);
    assert.equal(record.pension.personalContributions, expected.personalContributions);
    assert.equal(record.pension.accountBalance, expected.accountBalance);
    assert.equal(record.person.name, alice.name);
    assert.match(record.person.idNumberMasked, /^3301\*{10}\d{3}[\dX]$/);
    assert.equal(record.person.phoneMasked, `${alice.phone.slice(0, 3)}****${alice.phone.slice(-4)}`);
    const months = (await t.app.inject({ url: '/api/v1/me/contributions?insurance=pension', headers: bearer(token) })).json();
    assert.deepEqual(months.gaps, ['2016-05', '2016-06']);
    assert.equal(months.items.filter((m: { status: string }) => m.status === 'arrears').length, 3);
    const account = (await t.app.inject({ url: '/api/v1/me/pension-account', headers: bearer(token) })).json();
    assert.equal(account.balance, expected.accountBalance);
    assert.equal(account.years.find((y: { year: number }) => y.year === 2017).rate, '0.0712');
  });

  it('one answer for a wrong code, an unknown ID number and another person’s name; a code works once', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: bob.phone } });
    const code = await latestCode(t, bob.phone);
    const attempt = (body: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { idNumber: bob.idNumber, name: bob.name, phone: bob.phone, code, ...body } });
    const wrongCode = await attempt({ code: code === '000000' ? '111111' : '000000' });
    const unknownId = await attempt({ idNumber: buildIdNumber('19900101', 999) });
    const otherName = await attempt({ name: alice.name });
    for (const res of [wrongCode, unknownId, otherName]) {
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'invalid_credentials');
      assert.equal(res.json().error.message, wrongCode.json().error.message);
    }
    // the right code was spent by the attempt with another person's name: it does not work a second time
    assert.equal((await attempt({})).statusCode, 401);
    await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: bob.phone } });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: bob.phone } });
    assert.equal(again.statusCode, 429, 'a second code within a minute is refused');
    assert.ok(Number(again.headers['retry-after']) > 0);
    const malformed = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { idNumber: '12345', name: 'x', phone: bob.phone, code: '123456' } });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.code, 'invalid_id_number');
  });

  it('signed in as A, every personal endpoint answers with A’s data only, and B’s application is not found', async () => {
    const token = await signIn(t, alice);
    const bobApp = bob.applications![0].id;
    for (const url of ['/api/v1/me/record', '/api/v1/me/contributions', '/api/v1/me/pension-account', '/api/v1/me/applications', '/api/v1/me/payments', '/api/v1/me/access-log', `/api/v1/me/applications/${alice.applications![0].id}`]) {
      const res = await t.app.inject({ url, headers: bearer(token) });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      for (const secret of [bob.name, bob.phone, bob.idNumber, bob.idNumber.slice(-4) + '"', bobApp]) assert.ok(!res.body.includes(secret), `${url} leaks ${secret}`);
      assert.ok(!res.body.includes(alice.idNumber) && !res.body.includes(alice.phone), `${url} shows an unmasked number`);
    }
    assert.equal((await t.app.inject({ url: `/api/v1/me/applications/${bobApp}`, headers: bearer(token) })).statusCode, 404);
    const timeline = (await t.app.inject({ url: `/api/v1/me/applications/${alice.applications![0].id}`, headers: bearer(token) })).json();
    assert.deepEqual(timeline.history.map((h: { status: string }) => h.status), ['已受理', '审核中']);
    assert.equal((await t.app.inject({ url: '/api/v1/me/record' })).statusCode, 401, 'anonymous callers get nothing');
  });

  it('records need a recent SMS code: after 15 minutes a step-up code, and sign-out everywhere ends every session', async () => {
    const first = await signIn(t, bob);
    assert.equal((await t.app.inject({ url: '/api/v1/citizen/me', headers: bearer(first) })).statusCode, 200, 'using a session keeps it alive');
    advanceClock(16 * 60_000);
    const stale = await t.app.inject({ url: '/api/v1/me/record', headers: bearer(first) });
    assert.equal(stale.statusCode, 401);
    assert.equal(stale.json().error.code, 'step_up_required');
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/citizen/step-up/sms-code', headers: bearer(first) })).statusCode, 202);
    const stepped = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/step-up', headers: bearer(first), payload: { code: await latestCode(t, bob.phone) } });
    assert.equal(stepped.statusCode, 200, stepped.body);
    assert.equal((await t.app.inject({ url: '/api/v1/me/record', headers: bearer(first) })).statusCode, 200);
    advanceClock(31 * 60_000);
    assert.equal((await t.app.inject({ url: '/api/v1/citizen/me', headers: bearer(first) })).json().error.code, 'session_expired', 'half an hour idle ends a session');
    const third = await signIn(t, bob);
    const fourth = await signIn(t, bob);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/citizen/logout', headers: bearer(third), payload: { everywhere: true } })).statusCode, 204);
    for (const token of [third, fourth]) assert.equal((await t.app.inject({ url: '/api/v1/citizen/me', headers: bearer(token) })).statusCode, 401);
  });

  it('an agent without a conversation or a reason is refused; with a reason the read is masked, audited and shown to the citizen', async () => {
    const agent = await t.tokenFor(['agent'], 'agent-gong');
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/records/lookup', headers: bearer(agent), payload: { idNumber: alice.idNumber } });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'reason_required');
    const editor = await t.tokenFor(['editor']);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/records/lookup', headers: bearer(editor), payload: { idNumber: alice.idNumber, reason: '来电咨询缴费年限' } })).statusCode, 403);

    const seen = await t.app.inject({ method: 'POST', url: '/api/v1/records/lookup', headers: bearer(agent), payload: { idNumber: alice.idNumber, reason: '来电咨询缴费年限' } });
    assert.equal(seen.statusCode, 200, seen.body);
    assert.equal(seen.json().person.name, '测***1', 'staff see the name masked');
    assert.ok(!seen.body.includes(alice.idNumber) && !seen.body.includes(alice.phone));
    const noReason = await t.app.inject({ method: 'POST', url: '/api/v1/records/unmask', headers: bearer(agent), payload: { idNumber: alice.idNumber, field: 'phone', reason: '' } });
    assert.equal(noReason.statusCode, 400);
    const unmasked = await t.app.inject({ method: 'POST', url: '/api/v1/records/unmask', headers: bearer(agent), payload: { idNumber: alice.idNumber, field: 'phone', reason: '需回拨核实' } });
    assert.equal(unmasked.json().value, alice.phone);

    const audit = (await t.app.inject({ url: '/api/v1/audit?action=records.&pageSize=50', headers: bearer(await t.adminToken()) })).json().items;
    const read = audit.find((row: any) => row.action === 'records.read' && row.actor === 'user:agent-gong');
    assert.ok(read, 'the read is in the audit log');
    assert.equal(read.detail.reason, '来电咨询缴费年限');
    assert.equal(read.subjectType, 'record_person');
    assert.ok(read.at);

    const token = await signIn(t, alice);
    const log = (await t.app.inject({ url: '/api/v1/me/access-log', headers: bearer(token) })).json().items;
    assert.deepEqual(log.map((row: any) => [row.who, row.what, row.reason]).sort(), [['工作人员 agent-gong', 'phone', '需回拨核实'], ['工作人员 agent-gong', 'record', '来电咨询缴费年限']].sort());
  });

  it('inside a conversation with the verified citizen the serving agent sees the record; other agents and closed conversations do not', async () => {
    const token = await signIn(t, bob);
    const citizen = { ...bearer(token) };
    const session = await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', headers: citizen, payload: { siteKey: 'portal' } });
    assert.equal(session.statusCode, 200, session.body);
    const visitor = { ...citizen, 'x-visitor-token': session.json().visitorToken };
    const started = await t.app.inject({ method: 'POST', url: '/api/v1/widget/conversations', headers: visitor, payload: { siteKey: 'portal' } });
    const id = started.json().conversation.id;
    await t.app.inject({ method: 'POST', url: `/api/v1/widget/conversations/${id}/messages`, headers: visitor, payload: { clientMessageId: 'm1', text: '转人工' } });
    const serving = await t.tokenFor(['agent']);
    const other = await t.tokenFor(['agent']);
    await t.app.inject({ method: 'PUT', url: '/api/v1/agent/status', headers: bearer(serving), payload: { status: 'online', maxChats: 5 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const mine = (await t.app.inject({ url: '/api/v1/agent/conversations', headers: bearer(serving) })).json().items;
    if (!mine.some((c: { id: string }) => c.id === id)) assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${id}/accept`, headers: bearer(serving) })).statusCode, 200);

    const inConversation = await t.app.inject({ method: 'POST', url: '/api/v1/records/lookup', headers: bearer(serving), payload: { conversationId: id } });
    assert.equal(inConversation.statusCode, 200, inConversation.body);
    assert.equal(inConversation.json().pension.paidMonths, bob.contributions!.filter((c) => c.insurance === 'pension').length);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/records/lookup', headers: bearer(other), payload: { conversationId: id } })).statusCode, 403);
    await t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${id}/close`, headers: bearer(serving), payload: { category: 'yl', summary: '已答复缴费年限' } });
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/records/lookup', headers: bearer(serving), payload: { conversationId: id } })).statusCode, 403);
    const log = (await t.app.inject({ url: '/api/v1/me/access-log', headers: citizen })).json().items;
    assert.ok(log.some((row: any) => row.conversationId === id && row.what === 'record'), 'the citizen sees the look-up and the conversation it was made in');
  });

  it('the robot answers 我交了几年社保 from the record for a signed-in citizen and asks an anonymous one to sign in', async () => {
    const anonymous = (await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '我交了几年社保' } })).json();
    assert.match(anonymous.answer, /登录/);
    const token = await signIn(t, alice);
    const answered = (await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', headers: bearer(token), payload: { question: '我社保一共交了多少年了' } })).json();
    const paid = expectedFigures(alice, new Date()).paidMonths;
    assert.ok(answered.answer.includes(`共 ${paid} 个月`), answered.answer);
    assert.match(answered.answer, /3 个月单位欠缴/);
    // a calculation about oneself is still the calculator's, and how to look one's years up the knowledge base's
    const calc = (await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', headers: bearer(token), payload: { question: '我交了15年社保能领多少退休金' } })).json();
    assert.doesNotMatch(calc.answer, /累计实际缴费/);
  });

  it('a signed-in citizen’s calculators start from their record: sex and birth month from the ID number, years paid', async () => {
    const token = await signIn(t, alice);
    const ask = async (question: string, sessionId?: string) => (await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', headers: bearer(token), payload: { question, sessionId } })).json();
    const retirement = await ask('帮我算一下我什么时候退休');
    // buildPerson's ID numbers: born 1975-06, sequence odd → male
    assert.match(retirement.answer, /性别 男/);
    assert.match(retirement.answer, /出生年月 1975年6月/);
    assert.equal(retirement.interview?.status, 'complete', 'nothing left to ask');
    const pension = await ask('帮我算算养老金');
    const years = Math.floor((expectedFigures(alice, new Date()).paidMonths / 12) * 10) / 10;
    assert.ok(pension.answer.includes(`缴费年限 ${years} 年`), pension.answer);
    assert.notEqual(pension.interview?.question?.id, 'contributionYears', 'the years paid are not asked again');
  });
});
