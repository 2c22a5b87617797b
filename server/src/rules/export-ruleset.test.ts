import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'content-disposition';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { contribution } from './rulesets/contribution';

describe('rule-set version names and the exported file name', () => {
  let t: TestApp;
  let editor: string;
  before(async () => {
    t = await startTestApp({ seed: false });
    editor = await t.tokenFor(['editor']);
  });
  after(async () => t?.close());

  const save = (version: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/policy/rulesets/contribution/versions', headers: bearer(editor), payload: { ...contribution, version, effectiveFrom: '2099-01-01' } });
  const exportXlsx = (version: string) =>
    t.app.inject({ url: `/api/v1/policy/rulesets/contribution/export.xlsx?version=${encodeURIComponent(version)}`, headers: bearer(editor) });

  for (const version of ['二〇九九版', '2099 "final"', "v1; filename=evil.exe", '100%25 done']) {
    it(`a version named ${JSON.stringify(version)} exports with that file name, encoded (RFC 6266 / 5987)`, async () => {
      assert.equal((await save(version)).statusCode, 201);
      const res = await exportXlsx(version);
      assert.equal(res.statusCode, 200, res.body);
      const header = String(res.headers['content-disposition']);
      assert.match(header, /^attachment; filename=[\x20-\x7e]+$/);
      const parsed = parse(header);
      assert.equal(parsed.type, 'attachment');
      // filename* (UTF-8) when the name is not plain ASCII: either way it reads as the real name
      assert.equal(parsed.parameters.filename, `contribution-${version}.xlsx`);
    });
  }

  it('a version name with control characters or over 40 characters is a 400, not a 500 later', async () => {
    for (const version of ['2099\r\nSet-Cookie: a=b', '2099\u0000', '2099\u2028', 'x'.repeat(41), ' ']) {
      const res = await save(version);
      assert.equal(res.statusCode, 400, JSON.stringify(version));
      assert.equal(res.json().error.field, 'version');
    }
  });
});
