import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { maskIdNumber, maskPhone } from '../../../common/masking';
import { resetClock, setClock } from '../platform/ids';
import { seededRandom } from '../platform/seeded-random';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { buildPerson } from './build-person';
import type { ImportPerson } from './schema';

/** Every route that serves a citizen's own affairs (the person comes from the session alone). */
const PERSONAL_ROUTES = ['/api/v1/me/record', '/api/v1/citizen/me', '/api/v1/me/contributions?insurance=pension', '/api/v1/me/contributions?insurance=medical', '/api/v1/me/pension-account', '/api/v1/me/applications', '/api/v1/me/payments', '/api/v1/me/access-log'];

/** What would give a person away in an answer: their name, numbers (whole or masked) and application references. */
const tracesOf = (p: ImportPerson) => [p.name, p.phone, p.idNumber, maskIdNumber(p.idNumber), maskPhone(p.phone), ...p.applications!.map((a) => a.id)];

describe('no route returns another person’s data (random pairs of persons, every personal route)', () => {
  let t: TestApp;
  const random = seededRandom(20261207);
  const persons = Array.from({ length: 8 }, (_, i) =>
    buildPerson({ sequence: 501 + i * 2, from: `20${10 + Math.floor(random() * 8)}-0${1 + Math.floor(random() * 9)}`, to: '2024-0' + (1 + Math.floor(random() * 9)), arrears: Math.floor(random() * 4), base: 3000 + Math.floor(random() * 9000) }),
  );
  const tokens: string[] = [];
  let offset = 0;
  before(async () => {
    t = await startTestApp();
    const admin = await t.adminToken();
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/records/import', headers: bearer(admin), payload: { persons } })).statusCode, 200);
    for (const p of persons) {
      // a little over a minute apart (one code a minute per phone, and from one client address), so the
      // first sign-in is still fresh (15 minutes) when the last one is made
      offset += 61_000;
      setClock(() => Date.now() + offset);
      await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: p.phone } });
      const outbox = await t.app.inject({ url: `/api/v1/sms-outbox?phone=${p.phone}`, headers: bearer(admin) });
      const code = /验证码是(\d{6})/.exec(outbox.json().items[0].text)![1];
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { idNumber: p.idNumber, name: p.name, phone: p.phone, code } });
      assert.equal(login.statusCode, 200, login.body);
      tokens.push(login.json().token);
    }
  });
  after(async () => {
    resetClock();
    await t?.close();
  });

  it('as a citizen: 24 random pairs × every personal route, and the other person’s applications by reference', async () => {
    for (let k = 0; k < 24; k++) {
      const a = Math.floor(random() * persons.length);
      let b = Math.floor(random() * persons.length);
      if (b === a) b = (a + 1) % persons.length;
      for (const url of [...PERSONAL_ROUTES, `/api/v1/me/applications/${persons[a].applications![0].id}`]) {
        const res = await t.app.inject({ url, headers: bearer(tokens[a]) });
        assert.equal(res.statusCode, 200, `${url} as person ${a}: ${res.body}`);
        for (const trace of tracesOf(persons[b])) assert.ok(!res.body.includes(trace), `${url} as person ${a} shows person ${b}'s ${trace}`);
        // one's own numbers leave the server masked only
        assert.ok(!res.body.includes(persons[a].idNumber) && !res.body.includes(persons[a].phone), `${url} shows an unmasked number`);
      }
      const other = await t.app.inject({ url: `/api/v1/me/applications/${encodeURIComponent(persons[b].applications![0].id)}`, headers: bearer(tokens[a]) });
      assert.equal(other.statusCode, 404, 'another person’s application is not found');
    }
  });

  it('as an agent: a conversation with one verified person never opens another’s record, nor one the agent does not serve', async () => {
    const agent = await t.tokenFor(['agent']);
    await t.app.inject({ method: 'PUT', url: '/api/v1/agent/status', headers: bearer(agent), payload: { status: 'online', maxChats: 20 } });
    const conversationOf: string[] = [];
    for (const [i, token] of tokens.slice(0, 4).entries()) {
      const session = await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', headers: bearer(token), payload: { siteKey: 'portal' } });
      const visitor = { ...bearer(token), 'x-visitor-token': session.json().visitorToken };
      const id = (await t.app.inject({ method: 'POST', url: '/api/v1/widget/conversations', headers: visitor, payload: { siteKey: 'portal' } })).json().conversation.id;
      await t.app.inject({ method: 'POST', url: `/api/v1/widget/conversations/${id}/messages`, headers: visitor, payload: { clientMessageId: `m-${i}`, text: '转人工' } });
      conversationOf.push(id);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
    const mine = new Set(((await t.app.inject({ url: '/api/v1/agent/conversations', headers: bearer(agent) })).json().items as { id: string }[]).map((c) => c.id));
    for (const id of conversationOf) if (!mine.has(id)) await t.app.inject({ method: 'POST', url: `/api/v1/agent/conversations/${id}/accept`, headers: bearer(agent) });
    const stranger = await t.tokenFor(['agent']);
    for (let k = 0; k < 12; k++) {
      const a = Math.floor(random() * conversationOf.length);
      const b = (a + 1 + Math.floor(random() * (persons.length - 1))) % persons.length;
      const read = await t.app.inject({ method: 'POST', url: '/api/v1/records/lookup', headers: bearer(agent), payload: { conversationId: conversationOf[a] } });
      assert.equal(read.statusCode, 200, read.body);
      for (const trace of tracesOf(persons[b])) assert.ok(!read.body.includes(trace), `conversation of ${a} shows person ${b}'s ${trace}`);
      assert.equal(read.json().person.idNumberMasked, maskIdNumber(persons[a].idNumber));
      const field = (['idNumber', 'phone', 'name'] as const)[k % 3];
      const unmasked = await t.app.inject({ method: 'POST', url: '/api/v1/records/unmask', headers: bearer(agent), payload: { conversationId: conversationOf[a], field, reason: '核实来电人身份' } });
      assert.equal(unmasked.json().value, persons[a][field]);
      // a conversation id of another agent's (or nobody's) is no way in
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/records/lookup', headers: bearer(stranger), payload: { conversationId: conversationOf[a] } })).statusCode, 403);
    }
  });
});
