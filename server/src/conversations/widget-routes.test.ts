import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';

const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');
const isBuilt = existsSync(path.join(webDist, 'widget.html')) && existsSync(path.join(webDist, 'embed/widget.js'));

describe('widget sites and the embeddable widget', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ seed: false });
  });
  after(async () => t?.close());

  it('a supervisor adds a site with its origins and gets a key; the list shows it; the creation is audited', async () => {
    const supervisor = await t.tokenFor(['supervisor']);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/widget-sites', headers: bearer(supervisor), payload: { name: '市人社局官网', origins: ['https://rsj.example.gov.cn', 'http://localhost:8080/'] } });
    assert.equal(created.statusCode, 201, created.body);
    const site = created.json();
    assert.ok(site.key.length >= 12);
    assert.deepEqual(site.origins, ['https://rsj.example.gov.cn', 'http://localhost:8080']);

    const list = await t.app.inject({ url: '/api/v1/widget-sites', headers: bearer(supervisor) });
    assert.equal(list.statusCode, 200, list.body);
    const keys = list.json().items.map((s: { key: string }) => s.key);
    assert.ok(keys.includes('portal'), 'the portal’s own site is listed');
    assert.ok(keys.includes(site.key));

    const admin = await t.adminToken();
    const audit = await t.app.inject({ url: '/api/v1/audit?action=widget_site.created', headers: bearer(admin) });
    assert.equal(audit.statusCode, 200, audit.body);
    assert.ok(audit.json().items.some((e: { subjectId: string; subjectName: string }) => e.subjectId === site.key && e.subjectName === '市人社局官网'), audit.body);
  });

  it('an origin with a path, a wildcard or a policy separator is refused; agents and anonymous callers may not manage sites', async () => {
    const supervisor = await t.tokenFor(['supervisor']);
    for (const origin of ['https://example.com/chat', 'https://*.example.com', "https://a.com; script-src 'unsafe-inline'", 'javascript:alert(1)']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/widget-sites', headers: bearer(supervisor), payload: { name: 'x', origins: [origin] } });
      assert.equal(res.statusCode, 400, `${origin}: ${res.body}`);
    }
    const agent = await t.tokenFor(['agent']);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/widget-sites', headers: bearer(agent), payload: { name: 'x', origins: [] } })).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/widget-sites', headers: bearer(agent) })).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/widget-sites' })).statusCode, 401);
  });

  it('the frame may be embedded only by the site’s own origins; other pages stay unframeable', async () => {
    const supervisor = await t.tokenFor(['supervisor']);
    const site = (await t.app.inject({ method: 'POST', url: '/api/v1/widget-sites', headers: bearer(supervisor), payload: { name: '合作网站', origins: ['https://partner.example.com'] } })).json();

    const frame = await t.app.inject({ url: `/widget/frame?siteKey=${site.key}` });
    assert.equal(frame.statusCode, isBuilt ? 200 : 503, frame.body);
    const policy = String(frame.headers['content-security-policy']);
    assert.match(policy, /frame-ancestors 'self' https:\/\/partner\.example\.com(;|$)/);
    assert.match(policy, /script-src 'self'/, 'the rest of the app’s policy stays');
    assert.equal(frame.headers['x-frame-options'], undefined, 'X-Frame-Options cannot list origins: the policy decides');
    if (isBuilt) assert.match(frame.body, /widget-root/);

    const portal = await t.app.inject({ url: '/widget/frame?siteKey=portal' });
    assert.match(String(portal.headers['content-security-policy']), /frame-ancestors 'self'(;|$)/);

    assert.equal((await t.app.inject({ url: '/widget/frame?siteKey=nope' })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/widget/frame' })).statusCode, 400);

    const api = await t.app.inject({ url: '/api/v1/health' });
    assert.match(String(api.headers['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(api.headers['x-frame-options'], 'DENY');
  });

  it('the embed script loads from other sites’ pages and is cached', { skip: isBuilt ? false : 'web/dist not built' }, async () => {
    const res = await t.app.inject({ url: '/widget.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.match(String(res.headers['cache-control']), /max-age=\d+/);
    assert.match(res.body, /data-site-key/);
    assert.doesNotMatch(res.body, /^\s*import /m, 'a classic script: it imports nothing');
    const again = await t.app.inject({ url: '/widget.js', headers: { 'if-none-match': String(res.headers.etag) } });
    assert.equal(again.statusCode, 304);
  });
});
