import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../../testing/test-app';
import { defaultIvrTree } from './ivr-menu';
import type { IvrTree } from './schema';
import { heard, telephonyBridge } from './test-bridge';

const tree = (): IvrTree => defaultIvrTree();

describe('the IVR menu tree in the console', () => {
  let t: TestApp;
  let supervisor: string;
  const ivr = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, token = supervisor) =>
    t.app.inject({ method, url: `/api/v1/channels/phone${url}`, headers: bearer(token), payload: payload as any });
  before(async () => {
    t = await startTestApp();
    supervisor = await t.tokenFor(['supervisor']);
  });
  after(async () => t?.close());

  it('starts with the default tree, and only supervisors and admins edit it', async () => {
    const res = await ivr('GET', '/ivr');
    assert.equal(res.statusCode, 200, res.body);
    const current = res.json();
    assert.equal(current.version, 1);
    const root = current.tree.nodes.find((n: any) => n.id === current.tree.rootId);
    assert.deepEqual(root.options.map((o: any) => `${o.digit}:${o.label}`), ['1:养老保险', '2:失业保险', '3:劳动关系', '9:智能语音问答', '0:人工服务', '#:重听']);
    const agent = await t.tokenFor(['agent']);
    assert.equal((await ivr('GET', '/ivr', undefined, agent)).statusCode, 403);
    assert.equal((await ivr('PUT', '/ivr', { tree: tree(), baseVersion: 1 }, agent)).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/channels/phone/ivr' })).statusCode, 401);
  });

  it('refuses a broken tree with a code and the field at fault', async () => {
    const cases: [string, (t: IvrTree) => void, string][] = [
      ['duplicate_digit', (x) => (x.nodes[0].options[1].digit = '1'), 'tree.nodes.0.options.1.digit'],
      ['unknown_node', (x) => (x.nodes[0].options[0].action = { type: 'menu', nodeId: 'nowhere' }), 'tree.nodes.0.options.0.action.nodeId'],
      ['unknown_entry', (x) => (x.nodes[1].options[0].action = { type: 'entry', entryId: 'no-such-entry' }), 'tree.nodes.1.options.0.action.entryId'],
      ['menu_cycle', (x) => (x.nodes[1].options[0].action = { type: 'menu', nodeId: 'root' }), 'tree.nodes.1.options.0.action.nodeId'],
      ['menu_cycle', (x) => {
        x.nodes[1].options[0].action = { type: 'menu', nodeId: 'shiye' };
        x.nodes[2].options[0].action = { type: 'menu', nodeId: 'yanglao' };
      }, ''],
      ['unreachable_node', (x) => x.nodes.push({ id: 'orphan', prompt: '', options: [{ digit: '1', label: '孤立', keywords: [], action: { type: 'hangup' } }] }), 'tree.nodes.4.id'],
      ['too_deep', (x) => {
        for (let i = 1; i <= 5; i++) x.nodes.push({ id: `d${i}`, prompt: '', options: [{ digit: '1', label: `第${i}层`, keywords: [], action: i < 5 ? { type: 'menu', nodeId: `d${i + 1}` } : { type: 'back' } }] });
        x.nodes[1].options[0].action = { type: 'menu', nodeId: 'd1' };
      }, ''],
      ['duplicate_node', (x) => (x.nodes[2].id = 'yanglao'), 'tree.nodes.2.id'],
      ['unknown_root', (x) => (x.rootId = 'missing'), 'tree.rootId'],
    ];
    for (const [code, breakIt, field] of cases) {
      const broken = tree();
      breakIt(broken);
      const res = await ivr('PUT', '/ivr', { tree: broken, baseVersion: 1 });
      assert.equal(res.statusCode, 400, `${code}: ${res.body}`);
      assert.equal(res.json().error.code, code, res.body);
      if (field) assert.equal(res.json().error.field, field);
    }
    const shapeless = await ivr('PUT', '/ivr', { tree: { rootId: 'root', nodes: [] }, baseVersion: 1 });
    assert.equal(shapeless.statusCode, 400);
    assert.equal(shapeless.json().error.code, 'invalid_request');
    assert.equal((await ivr('GET', '/ivr')).json().version, 1, 'nothing was saved');
  });

  it('saves a new version that new calls hear; a save over a newer version is refused', async () => {
    const edited = tree();
    edited.nodes[0].prompt = '';
    edited.nodes[0].options.push({ digit: '8', label: '预约回拨', keywords: [], action: { type: 'callback' } });
    const saved = await ivr('PUT', '/ivr', { tree: edited, baseVersion: 1 });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().version, 2);
    const stale = await ivr('PUT', '/ivr', { tree: tree(), baseVersion: 1 });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'stale_version');
    const versions = (await ivr('GET', '/ivr/versions')).json().items;
    assert.deepEqual(versions.map((v: any) => v.version), [2, 1]);

    const call = (await telephonyBridge(t)).call();
    const greeting = await call.start('13100131000');
    assert.match(heard(greeting), /预约回拨请按8/, 'a blank prompt reads the options out');
  });

  it('the simulator says what a caller would hear, on a draft or the saved tree, and creates nothing', async () => {
    const count = async () => ({
      calls: Number((await t.ctx.db.selectFrom('phone_calls').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      conversations: Number((await t.ctx.db.selectFrom('conversations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      messages: Number((await t.ctx.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      callbacks: Number((await t.ctx.db.selectFrom('phone_callbacks').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    });
    const before = await count();
    const draft = tree();
    draft.greeting = '这是草稿的欢迎语。';
    const res = await ivr('POST', '/ivr/simulate', { tree: draft, inputs: [{ digits: '1' }, { digits: '2' }, { text: '返回' }, { digits: '0' }, { digits: '1' }, { digits: '3' }], waitSeconds: 900 });
    assert.equal(res.statusCode, 200, res.body);
    const turns = res.json().turns as { input: string; actions: any[]; state: string }[];
    assert.match(heard(turns[0].actions), /这是草稿的欢迎语/);
    assert.match(heard(turns[1].actions), /缴费比例请按1/);
    assert.match(heard(turns[2].actions), /延迟法定退休年龄/, 'the entry to be read is named');
    assert.equal(turns[3].state, 'menu:root', 'the spoken keyword 返回 goes back');
    assert.ok(turns[4].actions.some((a) => a.queue?.estimatedWaitSeconds === 900));
    assert.match(heard(turns[4].actions), /预约回拨请按1/, 'a 15-minute wait offers a callback');
    assert.match(heard(turns[6].actions), /明天下午/);
    assert.equal(turns[6].state, 'ended');

    const closed = await ivr('POST', '/ivr/simulate', { inputs: [{ digits: '2' }, { digits: '0' }], isClosed: true });
    const closedTurns = closed.json().turns;
    assert.match(heard(closedTurns[0].actions), /非人工服务时间/);
    assert.ok(!closedTurns.some((turn: any) => turn.actions.some((a: any) => a.queue)), 'never a queue outside hours');

    const broken = tree();
    broken.nodes[0].options[0].action = { type: 'menu', nodeId: 'nowhere' };
    assert.equal((await ivr('POST', '/ivr/simulate', { tree: broken })).statusCode, 400);
    assert.deepEqual(await count(), before, 'no call, conversation, message or callback request was created');
  });

  it('keeps agents’ extensions and the callback threshold', async () => {
    const agent = await t.tokenFor(['agent'], 'li-agent');
    const agentId = (await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(agent) })).json().id;
    assert.equal((await ivr('PUT', `/extensions/${agentId}`, { extension: '8002' })).statusCode, 200);
    assert.equal((await ivr('PUT', `/extensions/${agentId}`, { extension: 'abc' })).statusCode, 400);
    assert.deepEqual((await ivr('GET', '/extensions')).json().items, [{ userId: agentId, extension: '8002', name: 'li-agent' }]);
    assert.equal((await ivr('PUT', '/settings', { callbackThresholdSeconds: -1 })).statusCode, 400);
    assert.equal((await ivr('PUT', '/settings', { callbackThresholdSeconds: 120 })).json().callbackThresholdSeconds, 120);
    assert.equal((await ivr('GET', '/settings')).json().callbackThresholdSeconds, 120);
  });
});
