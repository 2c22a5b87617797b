import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { ancestorIds, checkCategoryWrite, findCategoryCycles, MAX_CATEGORY_DEPTH } from './category-tree';

const link = (id: string, parentId: string | null) => ({ id, parentId });

describe('category tree checks', () => {
  const tree = [link('a', null), link('a.b', 'a'), link('a.b.c', 'a.b'), link('x', null)];

  it('accepts a new leaf and a move to another branch', () => {
    assert.deepEqual(checkCategoryWrite(tree, [link('a.d', 'a')]), []);
    assert.deepEqual(checkCategoryWrite(tree, [link('a.b', 'x')]), []);
  });

  it('refuses a move under the category’s own subtree, and categories that are each other’s parent', () => {
    assert.deepEqual(checkCategoryWrite(tree, [link('a', 'a.b.c')]).map((p) => p.code), ['cycle']);
    assert.deepEqual(checkCategoryWrite(tree, [link('a', 'a')]).map((p) => p.code), ['cycle']);
    assert.deepEqual(checkCategoryWrite([], [link('p', 'q'), link('q', 'p')]).map((p) => p.code), ['cycle', 'cycle']);
  });

  it('refuses a parent that does not exist, and a tree deeper than the limit', () => {
    assert.deepEqual(checkCategoryWrite(tree, [link('n', 'nowhere')]).map((p) => p.code), ['unknown_parent']);
    const chain = Array.from({ length: MAX_CATEGORY_DEPTH + 1 }, (_, i) => link(`d${i}`, i ? `d${i - 1}` : null));
    assert.deepEqual(checkCategoryWrite(chain.slice(0, -1), [chain.at(-1)!]).map((p) => p.code), ['too_deep']);
  });

  it('lets a write that does not lead into a stored cycle through, so a damaged tree can be mended', () => {
    const damaged = [...tree, link('p', 'q'), link('q', 'p')];
    assert.deepEqual(checkCategoryWrite(damaged, [link('a.e', 'a')]), []);
    assert.deepEqual(checkCategoryWrite(damaged, [link('p', null)]), []);
    assert.deepEqual(checkCategoryWrite(damaged, [link('a.e', 'p')]).map((p) => p.code), ['cycle']);
  });

  it('walks up a stored cycle in bounded steps and names the cycle', () => {
    const parents = new Map([['p', 'q'], ['q', 'p'], ['r', 'p']]);
    assert.deepEqual(ancestorIds('r', (id) => parents.get(id)), ['r', 'p', 'q']);
    assert.deepEqual(findCategoryCycles([link('r', 'p'), link('p', 'q'), link('q', 'p')]), [['p', 'q']]);
  });
});

describe('a category cycle stored in the database', () => {
  let dataDir: string;
  let first: TestApp;
  let restarted: TestApp | undefined;
  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'zhixun-cycle-'));
    first = await startTestApp({ env: { DATA_DIR: dataDir } });
    // written behind the application's back, as an old version or a hand edit could have:
    // yanglao ↔ yanglao.canbao, both holding published entries; plus an empty pair
    await first.ctx.db.updateTable('kb_categories').set({ parent_id: 'yanglao.canbao' }).where('id', '=', 'yanglao').execute();
    await first.ctx.db
      .insertInto('kb_categories')
      .values([
        { id: 'empty.a', name: '空循环甲', parent_id: 'empty.b', position: 0, updated_at: new Date().toISOString() },
        { id: 'empty.b', name: '空循环乙', parent_id: 'empty.a', position: 0, updated_at: new Date().toISOString() },
      ])
      .execute();
  });
  after(async () => {
    await restarted?.close();
    await first?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('does not stop the platform from starting: the robot warms up and answers, and the cycle is logged', async () => {
    const warnings: string[] = [];
    restarted = await startTestApp({ shareDatabaseWith: first, seed: false, env: { DATA_DIR: dataDir } });
    const log = restarted.ctx.log;
    const warn = log.warn.bind(log);
    log.warn = ((...args: unknown[]) => {
      warnings.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      return warn(...(args as [string]));
    }) as typeof log.warn;
    await restarted.app.services.knowledge.reload();
    assert.ok(warnings.some((w) => /cycle/.test(w) && w.includes('yanglao') && w.includes('yanglao.canbao') && w.includes('empty.a')), warnings.join('\n'));
    await restarted.app.services.robot.ready();
    const res = await restarted.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '养老保险单位交多少个人交多少' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().entryId, 'yl-001');
    // the tree is served with the looping categories at the top level, where an editor can find them
    const tree = (await restarted.app.inject({ url: '/api/v1/kb/categories', headers: bearer(await restarted.adminToken()) })).json().items;
    assert.ok(tree.some((c: any) => c.id === 'yanglao') && tree.some((c: any) => c.id === 'yanglao.canbao'));
    assert.match((await restarted.app.inject({ url: '/api/v1/kb/entries/yl-001' })).json().categoryPath, /养老保险|参保/);
  });

  it('a move into the cycle is refused at once, and moving a looping category to the top mends it', async () => {
    const app = restarted ?? first;
    const editor = await app.tokenFor(['editor']);
    await app.app.inject({ method: 'POST', url: '/api/v1/kb/categories', headers: bearer(editor), payload: { id: 'mover', name: '要移动的分类', parent: null } });
    const into = await app.app.inject({ method: 'PATCH', url: '/api/v1/kb/categories/mover', headers: bearer(editor), payload: { parent: 'empty.a' } });
    assert.equal(into.statusCode, 400);
    assert.equal(into.json().error.code, 'cycle');
    const mend = await app.app.inject({ method: 'PATCH', url: '/api/v1/kb/categories/empty.a', headers: bearer(editor), payload: { parent: null } });
    assert.equal(mend.statusCode, 200, mend.body);
    const now = await app.app.inject({ method: 'PATCH', url: '/api/v1/kb/categories/mover', headers: bearer(editor), payload: { parent: 'empty.a' } });
    assert.equal(now.statusCode, 200, now.body);
  });
});
