import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { buildPerson } from './build-person';
import type { ImportPerson } from './schema';

/** A stand-in for the core business system: persons in the import format, by ID number, behind a key. */
function fakeCoreSystem(persons: Map<string, ImportPerson>) {
  const calls: string[] = [];
  let isDown = false;
  const server: Server = createServer((req, res) => {
    calls.push(req.url ?? '');
    if (isDown) return void res.writeHead(500).end();
    if (req.headers.authorization !== 'Bearer core-key') return void res.writeHead(401).end();
    const person = persons.get(decodeURIComponent((req.url ?? '').replace('/persons/', '')));
    if (!person) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(person));
  });
  return { server, calls, setDown: (down: boolean) => (isDown = down) };
}

describe('records read live from the core business system (RECORDS_SOURCE=core)', () => {
  let t: TestApp;
  const carol = buildPerson({ sequence: 707, from: '2012-01', to: '2024-12', arrears: 2 });
  const persons = new Map([[carol.idNumber, carol]]);
  const core = fakeCoreSystem(persons);
  before(async () => {
    await new Promise<void>((resolve) => core.server.listen(0, '127.0.0.1', resolve));
    const { port } = core.server.address() as AddressInfo;
    t = await startTestApp({ env: { RECORDS_SOURCE: 'core', CORE_RECORDS_URL: `http://127.0.0.1:${port}`, CORE_RECORDS_API_KEY: 'core-key' } });
  });
  after(async () => {
    await t?.close();
    core.server.close();
  });

  it('a person known only to the core system signs in, sees what it holds now, and a core outage is a 503, not an empty record', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/citizen/sms-codes', payload: { phone: carol.phone } });
    const outbox = await t.app.inject({ url: `/api/v1/sms-outbox?phone=${carol.phone}`, headers: bearer(await t.adminToken()) });
    const code = /验证码是(\d{6})/.exec(outbox.json().items[0].text)![1];
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/citizen/login', payload: { idNumber: carol.idNumber, name: carol.name, phone: carol.phone, code } });
    assert.equal(login.statusCode, 200, login.body);
    const token = login.json().token;
    const months = (n: ImportPerson) => n.contributions!.filter((c) => c.insurance === 'pension' && c.status === 'paid').length;

    const first = (await t.app.inject({ url: '/api/v1/me/record', headers: bearer(token) })).json();
    assert.equal(first.pension.paidMonths, months(carol));
    assert.equal(first.pension.arrearsMonths, 2);
    // the employer pays its arrears in the core system: the next look shows it, no import needed
    persons.set(carol.idNumber, { ...carol, contributions: carol.contributions!.map((c) => ({ ...c, status: 'paid' as const })) });
    const second = (await t.app.inject({ url: '/api/v1/me/record', headers: bearer(token) })).json();
    assert.equal(second.pension.arrearsMonths, 0);
    assert.equal(second.pension.paidMonths, months(carol) + 2);
    const timeline = await t.app.inject({ url: `/api/v1/me/applications/${carol.applications![0].id}`, headers: bearer(token) });
    assert.equal(timeline.json().history.length, 2);
    assert.ok(core.calls.every((url) => url === `/persons/${carol.idNumber}`), 'the core system is asked by ID number only');

    core.setDown(true);
    const down = await t.app.inject({ url: '/api/v1/me/record', headers: bearer(token) });
    assert.equal(down.statusCode, 503);
    assert.equal(down.json().error.code, 'core_unavailable');
    core.setDown(false);
  });
});
