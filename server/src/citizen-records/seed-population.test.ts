import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { DEMO_PERSON } from './generate-population';
import { recordsRepo } from './repo';

describe('the demo population on a first start', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { DEMO_PERSONS: '40' } });
  });
  after(async () => t?.close());

  it('loads in the background, and the documented demo person signs in and sees her gap, arrears and retirement application', async () => {
    const repo = recordsRepo(t.ctx.db, t.ctx.secrets);
    for (let i = 0; i < 600 && (await repo.countPersons()) < 40; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await repo.countPersons(), 40);
    await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: DEMO_PERSON.phone } });
    const outbox = await t.app.inject({ url: `/api/v1/sms-outbox?phone=${DEMO_PERSON.phone}`, headers: bearer(await t.adminToken()) });
    const code = /验证码是(\d{6})/.exec(outbox.json().items[0].text)![1];
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { idNumber: DEMO_PERSON.idNumber, name: DEMO_PERSON.name, phone: DEMO_PERSON.phone, code } });
    assert.equal(login.statusCode, 200, login.body);
    const token = login.json().token;
    const record = (await t.app.inject({ url: '/api/v1/me/record', headers: bearer(token) })).json();
    assert.ok(record.pension.paidMonths > 240, 'a long career');
    assert.ok(record.pension.arrearsMonths > 0, 'recent arrears');
    assert.ok((await t.app.inject({ url: '/api/v1/me/contributions?insurance=pension', headers: bearer(token) })).json().gaps.length > 0, 'a gap');
    const applications = (await t.app.inject({ url: '/api/v1/me/applications', headers: bearer(token) })).json().items;
    assert.ok(applications.some((a: { type: string }) => a.type === 'retirement'));
  });
});
