import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { maskIdNumber, maskPersonalData, maskPhone } from '../../../common/masking';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

/** Every way citizens write an identifier that the probe found stored raw, and its bare digits. */
const WRITTEN_FORMS: { text: string; digits: string }[] = [
  { text: '110101199003074512', digits: '110101199003074512' },
  { text: '11010119900307451X', digits: '11010119900307451X' },
  { text: '110101 19900307 4512', digits: '110101199003074512' },
  { text: '110101-1990-0307-4512', digits: '110101199003074512' },
  { text: '１１０１０１１９９００３０７４５１２', digits: '110101199003074512' },
  { text: '110101900307451', digits: '110101900307451' }, // 15-digit ID
  { text: '13812345678', digits: '13812345678' },
  { text: '138 1234 5678', digits: '13812345678' },
  { text: '138-1234-5678', digits: '13812345678' },
  { text: '+86 138 1234 5678', digits: '13812345678' },
  { text: '8613812345678', digits: '13812345678' },
  { text: '(+86)13812345678', digits: '13812345678' },
  { text: '１３８１２３４５６７８', digits: '13812345678' },
  { text: '010-62345678', digits: '62345678' },
  { text: '(0755)87654321', digits: '87654321' },
  { text: '6222021234567890123', digits: '6222021234567890123' },
  { text: '6222 0212 3456 7890', digits: '6222021234567890' },
];

/** Folds full-width digits and drops separators, so a leak is found however it was written. */
const bareDigits = (text: string) =>
  text.replace(/[\uff10-\uff19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 48)).replace(/[\s\-－()（）+＋]/g, '');
const leaks = (stored: string, digits: string) => bareDigits(stored).includes(digits);

describe('masking personal identifiers in free text', () => {
  it('masks every written form of ID, mobile, landline and card numbers', () => {
    for (const { text, digits } of WRITTEN_FORMS) {
      const masked = maskPersonalData(`我的号码是${text}，请帮我查一下`);
      assert.ok(!leaks(masked, digits), `${text} → ${masked}`);
      assert.ok(masked.includes('*'), `${text} → ${masked}`);
    }
  });

  it('keeps enough to recognise the number and leaves the rest of the text as written', () => {
    assert.equal(maskPersonalData('我的身份证110101199003074512，电话13812345678'), '我的身份证1101**********4512，电话138****5678');
    assert.equal(maskPersonalData('身份证号11010119900307451x'), '身份证号1101**********451x');
    assert.equal(maskPersonalData('手机+86 138 1234 5678'), '手机+86 138 **** 5678');
    assert.equal(maskPersonalData('座机010-62345678'), '座机010-****5678');
    assert.equal(maskPersonalData('电话１３８１２３４５６７８😀'), '电话１３８****５６７８😀');
    assert.equal(maskIdNumber('110101199003074512'), '1101**********4512');
    assert.equal(maskPhone('13812345678'), '138****5678');
  });

  it('leaves years, amounts, dates and service numbers alone', () => {
    for (const text of ['交了15年，每月4500元，2025年退休', '打12333或12345', '2019 2020 2021 2022年都断缴了', '2020-2025年交了社保', '1990-03-07出生', '基数 8000-12000 元']) {
      assert.equal(maskPersonalData(text), text);
    }
  });
});

describe('no path stores or logs an identifier unmasked', () => {
  let t: TestApp;
  const logLines: string[] = [];
  before(async () => {
    const logStream = new PassThrough();
    logStream.on('data', (chunk) => logLines.push(String(chunk)));
    t = await startTestApp({ env: { LOG_LEVEL: 'info' }, logStream });
  });
  after(async () => t?.close());

  it('robot turns, robot sessions and chat interviews keep questions masked', async () => {
    let sessionId: string | undefined;
    for (const { text } of WRITTEN_FORMS) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: `我的号码${text}查一下养老保险交了多少年`, sessionId } });
      assert.equal(res.statusCode, 200);
      sessionId = res.json().sessionId;
    }
    await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '我什么时候能退休', sessionId } });
    await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '身份证110101199003074512', sessionId } });
    const turns = JSON.stringify(await t.ctx.db.selectFrom('robot_turns').selectAll().execute());
    const sessions = JSON.stringify(await t.ctx.db.selectFrom('robot_sessions').selectAll().execute());
    const supervisor = await t.tokenFor(['supervisor']);
    const insights = (await t.app.inject({ url: '/api/v1/robot/insights?days=1', headers: bearer(supervisor) })).body;
    for (const { text, digits } of WRITTEN_FORMS) {
      assert.ok(!leaks(turns, digits), `robot_turns keeps ${text}`);
      assert.ok(!leaks(sessions, digits), `robot_sessions keeps ${text}`);
      assert.ok(!leaks(insights, digits), `insights show ${text}`);
    }
  });

  it('citizens’ suggestions (text and contact) and feedback comments are stored and listed masked', async () => {
    for (const { text } of WRITTEN_FORMS) {
      const suggested = await t.app.inject({
        method: 'POST',
        url: '/api/v1/kb/suggestions',
        payload: { kind: 'correction', entryId: 'yl-001', payload: { text: `答案过时了，我的身份证${text}`, contact: text } },
      });
      assert.equal(suggested.statusCode, 201, suggested.body);
      const rated = await t.app.inject({ method: 'POST', url: '/api/v1/kb/entries/yl-001/feedback', payload: { helpful: false, comment: `联系我${text}` } });
      assert.equal(rated.statusCode, 200, rated.body);
    }
    const listed = (await t.app.inject({ url: '/api/v1/kb/suggestions?pageSize=200', headers: bearer(await t.adminToken()) })).body;
    const stored = JSON.stringify(await t.ctx.db.selectFrom('kb_suggestions').selectAll().execute());
    const feedback = JSON.stringify(await t.ctx.db.selectFrom('kb_feedback').selectAll().execute());
    for (const { text, digits } of WRITTEN_FORMS) {
      assert.ok(!leaks(listed, digits), `suggestion list shows ${text}`);
      assert.ok(!leaks(stored, digits), `kb_suggestions keeps ${text}`);
      assert.ok(!leaks(feedback, digits), `kb_feedback keeps ${text}`);
    }
  });

  it('request log lines record search URLs with identifiers masked', async () => {
    for (const { text } of WRITTEN_FORMS) {
      const res = await t.app.inject({ url: `/api/v1/kb/search?q=${encodeURIComponent(`${text}养老金`)}` });
      assert.equal(res.statusCode, 200);
    }
    const logged = logLines.join('');
    assert.ok(logged.includes('/api/v1/kb/search'), 'request lines are logged');
    for (const { text, digits } of WRITTEN_FORMS) assert.ok(!leaks(logged, digits), `the log keeps ${text}`);
  });
});

describe('expired robot sessions', () => {
  it('are deleted by the periodic sweep, not only ignored', async () => {
    const t = await startTestApp();
    try {
      const asked = await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '失业金怎么领' } });
      assert.equal(asked.statusCode, 200);
      const past = new Date(Date.now() - 60_000).toISOString();
      await t.ctx.db.insertInto('robot_sessions').values({ id: 'session:expired', data: '{"question":"我的电话是138****5678"}', expires_at: past }).execute();
      await t.ctx.jobs.runNow('robot.sweep-sessions');
      const left = await t.ctx.db.selectFrom('robot_sessions').select('id').execute();
      assert.ok(!left.some((r) => r.id === 'session:expired'), 'the expired session is gone');
      assert.ok(left.length >= 1, 'live sessions stay');
    } finally {
      await t.close();
    }
  });
});
