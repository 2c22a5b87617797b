// node --import tsx --test server/src/robot/robot-models.routes.test.ts
// Its own file (own process): the first robot build of the process must be the one under test.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { robotRepo } from './repo';
import { MODELS_VERSION } from './robot-service';
import { createRobot, type RobotModels } from './robot';
import { loadSeedKb } from './seed';
import { STARTER_SYNONYMS } from './starter-synonyms';

describe('robot models stored by an older version', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t?.close());

  it('are learned again once, from the KB and the seed caller questions, and stored with the current version', async () => {
    const kb = loadSeedKb();
    const old: RobotModels = createRobot({ entries: kb.entries, categories: kb.categories, synonyms: STARTER_SYNONYMS }).models();
    const repo = robotRepo(t.ctx.db);
    await repo.putSetting('models', { fingerprint: 'from-an-older-version', models: old }, 'system', new Date().toISOString());

    const res = await t.app.inject({ method: 'POST', url: '/api/v1/robot/ask', payload: { question: '失业金怎么领' } });
    assert.equal(res.statusCode, 200);
    const stored = (await repo.getSetting('models')) as { version?: number; models: RobotModels };
    assert.equal(stored.version, MODELS_VERSION);
    assert.notDeepEqual(stored.models.ranker.w, old.ranker.w, 'the KB-only ranker of the older version is not kept');
  });

  it('a retrain also learns from the questions agents answered by sending an entry', async () => {
    const repo = robotRepo(t.ctx.db);
    const before = ((await repo.getSetting('models')) as { models: RobotModels }).models;
    const agent = await t.tokenFor(['agent']);
    const turns = (q: string, entryId: string) => [{ role: 'citizen', text: q }, { role: 'agent', text: '发送知识', entryId }];
    const sent = await t.app.inject({
      method: 'POST',
      url: '/api/v1/robot/transcripts',
      headers: bearer(agent),
      payload: { transcripts: [{ id: 'a1', turns: turns('厂里扣我工资里养老那块到底扣几个点', 'yl-001') }, { id: 'a2', turns: turns('单位没给我交失业险，我被辞了还能领钱吗', 'sy-001') }] },
    });
    assert.equal(sent.statusCode, 200, sent.body);
    assert.equal((await repo.entryAnsweredQuestions()).length, 2);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/robot/retrain', headers: bearer(await t.adminToken()) });
    assert.equal(res.statusCode, 200, res.body);
    const after = ((await repo.getSetting('models')) as { version: number; models: RobotModels });
    assert.equal(after.version, MODELS_VERSION);
    assert.notDeepEqual(after.models.ranker.w, before.ranker.w, 'the two confirmed questions moved the weights');
  });
});
