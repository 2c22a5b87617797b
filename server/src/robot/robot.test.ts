// node --import tsx --test server/src/robot/robot.test.ts
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRobot, type Robot, type RobotModels } from './robot';
import { blindFiles, devFiles, extraHeldoutFile, loadDevFile, loadSeedKb, splitOf } from './seed';
import { normalizeText } from '../text/normalize-text';
import { questionFocus } from './tokenize';
import { STARTER_SYNONYMS } from './starter-synonyms';
import { metrics, runQuestions } from './eval-robot';
import { proposeLearning } from './propose-learning';
import type { KbEntry, Viewer } from './types';

const anon: Viewer = { canSeeStaff: false, roles: [] };
const agent: Viewer = { canSeeStaff: true, roles: ['agent'] };
const kb = loadSeedKb();
const staff = kb.entries.filter((e) => e.audience === 'staff');
let robot: Robot;
// the shipped configuration, except that the held-out split is kept out of what the ranker learns from
const tuningQuestions = devFiles().flatMap(loadDevFile).filter((d) => splitOf(d.q) === 'tune');

before(() => {
  robot = createRobot({ entries: kb.entries, categories: kb.categories, synonyms: STARTER_SYNONYMS, labeledQuestions: tuningQuestions });
});

function leaksStaff(obj: unknown): boolean {
  const blob = JSON.stringify(obj);
  return staff.some((e) => blob.includes(`"${e.id}"`) || blob.includes(e.question) || blob.includes(e.answer.slice(0, 40)));
}

describe('robot: understanding', () => {
  it('answers a question written in Traditional characters', async () => {
    const r = await robot.ask({ question: '社會保障卡丟失了怎麼掛失？', viewer: anon });
    assert.equal(r.candidates[0]?.entryId, 'sbk-002');
    assert.notEqual(r.type, 'fallback');
  });
  it('answers through a homophone typo (养老斤 / 社报卡)', async () => {
    const r1 = await robot.ask({ question: '退休以后养老斤每年涨吗', viewer: anon });
    assert.equal(r1.candidates[0]?.entryId, 'yl-025');
    const ex = robot.explain('养老斤什么时候发');
    assert.ok(ex.corrections.some((c) => c.to === '养老金'));
    const r2 = await robot.ask({ question: '社报卡丢了怎么挂失', viewer: anon });
    assert.equal(r2.candidates[0]?.entryId, 'sbk-002');
  });
  it('does not "correct" ordinary words next to a domain term (城里职工, 上了三年班, 我八几年)', () => {
    for (const q of ['想交那种城里职工的养老', '我在厂里上了三年班', '我八几年就在国营厂上班了']) {
      const ex = robot.explain(q);
      assert.deepEqual(ex.corrections, [], q);
      assert.ok(!ex.synonymsApplied.some((s) => ['辞职', '受伤', '父母'].includes(s.term)), q);
    }
  });
  it('understands Hong Kong Cantonese question words (點樣 → 怎样, 唔 → 不)', async () => {
    assert.ok(robot.explain('打12333點樣轉人工').tokens.includes('怎样'));
    const r = await robot.ask({ question: '社保卡唔見咗點樣補辦', viewer: anon });
    assert.ok(['sbk-002', 'sbk-003'].includes(r.candidates[0]?.entryId ?? ''), r.candidates[0]?.entryId);
  });
  it('maps colloquial words through synonyms (失业金 → 失业保险金)', () => {
    const ex = robot.explain('失业金怎么领');
    assert.ok(ex.synonymsApplied.some((s) => s.term === '失业保险金'));
  });
});

describe('robot: decisions', () => {
  it('hands off on 转人工 and on anger', async () => {
    for (const q of ['转人工', '我要人工客服', '找真人']) {
      const r = await robot.ask({ question: q, viewer: anon });
      assert.equal(r.type, 'handoff', q);
    }
    const angry = await robot.ask({ question: '你这破机器人答非所问，垃圾！', viewer: anon });
    assert.equal(angry.type, 'handoff');
  });
  it('does not hand off when asked HOW to reach a human', async () => {
    const r = await robot.ask({ question: '拨打12333怎么转人工', viewer: anon });
    assert.notEqual(r.type, 'handoff');
    assert.equal(r.candidates[0]?.entryId, 'fw-003');
  });
  it('公积金 is referred to 12329 (answer from KB, or fallback naming 12329 without a KB entry)', async () => {
    const r = await robot.ask({ question: '住房公积金怎么提取', viewer: anon });
    assert.ok(r.answer?.includes('12329'));
    const bare = createRobot({ entries: kb.entries.filter((e) => !e.id.startsWith('fw-')), categories: kb.categories, models: robot.models() });
    const r2 = await bare.ask({ question: '住房公积金怎么提取', viewer: anon });
    assert.notEqual(r2.type, 'answer');
    assert.ok(r2.answer?.includes('12329'));
  });
  it('falls back on chit-chat', async () => {
    for (const q of ['今天天气怎么样', 'qwertyuiop', '推荐一部好看的电影']) {
      const r = await robot.ask({ question: q, viewer: anon });
      assert.ok(r.type === 'fallback' || r.type === 'clarify', `${q} → ${r.type}`);
    }
  });
  it('human-only categories are handed off', async () => {
    const r2 = createRobot({ entries: kb.entries, categories: kb.categories, models: robot.models(), config: { humanOnlyCategories: ['shebaoka'] } });
    const r = await r2.ask({ question: '社保卡丢了怎么挂失', viewer: anon });
    assert.equal(r.type, 'handoff');
    assert.equal(r.handoffReason, 'human-only');
  });
});

describe('robot: visibility', () => {
  it('an anonymous caller never gets a staff entry in any field', async () => {
    const qs = loadDevFile(devFiles().find((f) => f.endsWith('staff.jsonl'))!);
    for (const d of qs) {
      const r = await robot.ask({ question: d.q, viewer: anon });
      assert.ok(!leaksStaff(r), `leak for ${d.q}`);
      assert.ok(!leaksStaff(robot.explain(d.q, anon)), `explain leak for ${d.q}`);
    }
    for (const e of staff) {
      const r = await robot.ask({ question: e.question, viewer: anon });
      assert.ok(!leaksStaff(r), `leak for staff question ${e.id}`);
    }
  });
  it('an agent does get staff entries', async () => {
    const r = await robot.ask({ question: '坐席如何登记和派发投诉类工单', viewer: agent });
    assert.equal(r.candidates[0]?.entryId, 'nb-002');
  });
  it('a clarify option from an agent session is not usable anonymously', async () => {
    const r = await robot.ask({ question: '坐席', viewer: agent });
    const r2 = await robot.ask({ question: '1', sessionId: r.sessionId, viewer: anon });
    assert.ok(!leaksStaff(r2));
  });
});

describe('robot: dialogue', () => {
  it('a clarify prompt can be answered with "2"', async () => {
    // find a question that produces a clarify
    const qs = ['失业保险金', '工伤', '养老保险', '社保卡', '劳动合同'];
    let done = false;
    for (const q of qs) {
      const r = await robot.ask({ question: q, viewer: anon });
      if (r.type !== 'clarify') continue;
      const r2 = await robot.ask({ question: '2', sessionId: r.sessionId, viewer: anon });
      assert.equal(r2.type, 'answer');
      assert.equal(r2.entryId, r.candidates[1].entryId);
      done = true;
      break;
    }
    assert.ok(done, 'no clarify produced');
  });
  it('a follow-up resolves against the previous topic', async () => {
    const r = await robot.ask({ question: '职工养老保险单位和个人缴费比例是多少', viewer: anon });
    assert.equal(r.entryId, 'yl-001');
    const r2 = await robot.ask({ question: '那灵活就业人员呢', sessionId: r.sessionId, viewer: anon });
    assert.equal(r2.candidates[0]?.entryId, 'yl-003');
  });
  it('two failed turns in a row hand off', async () => {
    const r = await robot.ask({ question: '今天天气怎么样', viewer: anon });
    assert.equal(r.type, 'fallback');
    const r2 = await robot.ask({ question: '讲个故事听听', sessionId: r.sessionId, viewer: anon });
    assert.equal(r2.type, 'handoff');
    assert.equal(r2.handoffReason, 'failures');
  });
});

describe('robot: accuracy floor on the held-out split', () => {
  it('held-out top-1 ≥ 80 %, top-3 ≥ 92 %, OOS rejected ≥ 85 %, answers right ≥ 93 %', async () => {
    const qs = devFiles()
      .filter((f) => !f.endsWith('staff.jsonl'))
      .flatMap(loadDevFile)
      .filter((d) => splitOf(d.q) === 'heldout');
    const m = metrics(await runQuestions(robot, qs, anon));
    assert.ok(m.top1 >= 0.8, `top1 ${m.top1}`);
    assert.ok(m.top3 >= 0.92, `top3 ${m.top3}`);
    assert.ok(m.oosRejected >= 0.85, `oos ${m.oosRejected}`);
    assert.ok(m.answerPrecision >= 0.93, `precision ${m.answerPrecision}`);
  });
});

describe('robot: learning proposals', () => {
  it('proposes a similar question for a miss and a new entry for recurring free-text answers', () => {
    const props = proposeLearning(robot, [
      { id: 'c1', turns: [{ role: 'citizen', text: '单位搬家到外省了社保咋整' }, { role: 'agent', text: '', entryId: 'zj-001' }] },
      { id: 'c2', turns: [{ role: 'citizen', text: '残疾人就业保障金怎么减免' }, { role: 'agent', text: '残保金减免请咨询当地税务和残联。' }] },
      { id: 'c3', turns: [{ role: 'citizen', text: '残疾人就业保障金能不能减免' }, { role: 'agent', text: '按规定可申请减免残保金。' }] },
    ]);
    assert.ok(props.some((p) => p.kind === 'new-entry' && p.conversationIds.length === 2));
    const sim = props.find((p) => p.kind === 'similar');
    if (sim && sim.kind === 'similar') assert.equal(sim.entryId, 'zj-001');
  });
  it('rebuild picks up a new entry', async () => {
    const extra: KbEntry = { id: 'x-1', category: 'fuwu.qudao', question: '残疾人就业保障金怎么减免？', similar: ['残保金能减免吗'], keywords: ['残疾人就业保障金', '残保金'], answer: '示例答案', audience: 'public' };
    const r2 = createRobot({ entries: kb.entries, categories: kb.categories, models: robot.models() });
    r2.rebuild({ entries: [...kb.entries, extra] });
    const r = await r2.ask({ question: '残保金怎么减免', viewer: anon });
    assert.equal(r.candidates[0]?.entryId, 'x-1');
  });
});

describe('robot: understanding long stories, fragments and patterns', () => {
  it('finds the question clause of a long story', () => {
    const story = '我在一家超市做了三年收银，最近因为家里老人生病需要照顾，跟店长商量后自己写了辞职报告走的，现在家里经济紧张，想问问我这种自己辞职的还能不能去领失业保险金';
    const focus = questionFocus(story);
    assert.ok(focus && focus.includes('失业保险金'), String(focus));
    assert.ok(!focus!.includes('收银'));
    assert.equal(questionFocus('失业金怎么领'), undefined);
  });
  it('gapped synonym patterns match colloquial word order (被*撞 → 交通事故)', () => {
    const ex = robot.explain('下班骑车被小汽车撞了能算工伤吗');
    assert.ok(ex.synonymsApplied.some((h) => h.term === '交通事故'), JSON.stringify(ex.synonymsApplied));
  });
  it('a bare topic fragment gets "did you mean", not a fallback', async () => {
    for (const q of ['工伤', '社保卡', '失业保险金']) {
      const r = await robot.ask({ question: q, viewer: anon });
      assert.ok(r.type === 'clarify' || r.type === 'answer', `${q} → ${r.type}`);
      assert.equal(r.candidates.length, 3);
    }
  });
  it('candidate scores are relative probabilities (sum ≤ 1, best first)', async () => {
    const r = await robot.ask({ question: '失业金怎么申请', viewer: anon });
    const sum = r.candidates.reduce((a, c) => a + c.score, 0);
    assert.ok(sum <= 1.0001 && sum > 0);
    for (let i = 1; i < r.candidates.length; i++) assert.ok(r.candidates[i - 1].score >= r.candidates[i].score);
  });
  it('Traditional normalisation is unchanged for Simplified text and converts Traditional text', () => {
    assert.equal(normalizeText('养老金怎么领').text, '养老金怎么领');
    assert.equal(normalizeText('養老金怎麼領').text, '养老金怎么领');
    assert.equal(normalizeText('社 保 卡, 丢了!').text, '社保卡丢了');
    assert.equal(normalizeText('ＡＢＣ１２３３３热线').text, 'abc12333热线');
  });
});

describe('robot: other agencies', () => {
  it('the substance of another agency\'s business falls back naming its hotline; "which number" gets the entry', async () => {
    const r = await robot.ask({ question: '公积金贷款买房最多能贷多少', viewer: anon });
    assert.notEqual(r.type, 'answer');
    assert.equal(r.referral?.hotline, '12329');
    assert.ok(r.answer?.includes('12329'));
    const r2 = await robot.ask({ question: '公积金的事情应该打什么电话', viewer: anon });
    assert.equal(r2.candidates[0]?.entryId, 'fw-006');
  });
});

describe('robot: models and rebuilds', () => {
  it('models learned with another feature set are not reused (retrained instead)', () => {
    const stale = JSON.parse(JSON.stringify(robot.models())) as RobotModels;
    stale.ranker.names = [...stale.ranker.names.slice(0, -1)];
    stale.ranker.w = stale.ranker.w.slice(0, -1);
    const r2 = createRobot({ entries: kb.entries.slice(0, 60), categories: kb.categories, models: stale, config: { trainingQueries: 100 } });
    assert.deepEqual(r2.models().ranker.names, robot.models().ranker.names);
  });
  it('a rebuild after editing one entry analyses only the changed texts and ranks like a fresh build', async () => {
    const models = robot.models();
    const r2 = createRobot({ entries: kb.entries, categories: kb.categories, models });
    const edited = kb.entries.map((e) => (e.id === 'sbk-002' ? { ...e, similar: [...e.similar, '社保卡让小偷偷走了怎么办'] } : e));
    r2.rebuild({ entries: edited });
    const stats = r2.buildStats();
    assert.ok(stats.analysed <= 3, `analysed ${stats.analysed}`);
    assert.ok(stats.reused > 1000, `reused ${stats.reused}`);
    const fresh = createRobot({ entries: edited, categories: kb.categories, models });
    for (const q of ['社保卡让小偷偷走了', '失业金怎么申请', '工伤认定要多久']) {
      const a = r2.rank(q, anon).scored.slice(0, 3).map((s) => s.entry);
      const b = fresh.rank(q, anon).scored.slice(0, 3).map((s) => s.entry);
      assert.deepEqual(a, b, q);
    }
    assert.equal((await r2.ask({ question: '社保卡让小偷偷走了怎么办', viewer: anon })).candidates[0]?.entryId, 'sbk-002');
  });
});

describe('robot: determinism', () => {
  it('two robots built from the same KB in one process rank and calibrate identically', () => {
    const r2 = createRobot({ entries: kb.entries, categories: kb.categories, labeledQuestions: tuningQuestions });
    for (const q of ['失业金怎么申请', '社报卡丢了怎么办', '我在工地上干了半年活老板跑了工钱一直不给该找谁']) {
      const a = robot.rank(q, anon);
      const b = r2.rank(q, anon);
      assert.deepEqual(a.scored.map((s) => s.entry), b.scored.map((s) => s.entry), q);
      assert.equal(a.confidence, b.confidence, q);
    }
  });
  it('a keyword added by an edit makes exactly the texts containing it be analysed again', () => {
    const r2 = createRobot({ entries: kb.entries, categories: kb.categories, models: robot.models() });
    const edited = kb.entries.map((e) => (e.id === 'sbk-002' ? { ...e, keywords: [...e.keywords, '卡片冻结'] } : e));
    r2.rebuild({ entries: edited });
    const st = r2.buildStats();
    assert.ok(st.analysed >= 1 && st.analysed <= 10, `analysed ${st.analysed}`);
  });
});

describe('robot: learning from caller questions', () => {
  it('a ranker that also learned from caller questions ranks unseen callers better than one learned from the KB alone', async () => {
    const kbOnly = createRobot({ entries: kb.entries, categories: kb.categories, synonyms: STARTER_SYNONYMS });
    const blind = loadDevFile(extraHeldoutFile()!);
    const learned = metrics(await runQuestions(robot, blind, anon, 'extra'));
    const plain = metrics(await runQuestions(kbOnly, blind, anon, 'extra'));
    assert.ok(learned.top1 > plain.top1, `top1 with caller questions ${learned.top1} vs KB only ${plain.top1}`);
    assert.ok(learned.answerPrecision >= 0.95, `precision ${learned.answerPrecision}`);
  });

  it('caller questions only teach the ranker: they are not indexed, and an entry not in the KB is skipped', () => {
    const labeled = [{ q: '老家的养老保险能不能转到我现在上班的城市', expect: 'yl-007' }, { q: '随便问问', expect: 'no-such-entry' }];
    const r = createRobot({ entries: kb.entries, categories: kb.categories, synonyms: STARTER_SYNONYMS, labeledQuestions: labeled });
    assert.equal(r.buildStats().entries, kb.entries.length);
    assert.notDeepEqual(r.models().ranker.w, createRobot({ entries: kb.entries, categories: kb.categories, synonyms: STARTER_SYNONYMS }).models().ranker.w);
    assert.ok(!JSON.stringify(r.explain('老家的养老保险能不能转到我现在上班的城市')).includes('no-such-entry'));
  });
});

describe('robot: blind sets (each written before a round of tuning; never learned from)', () => {
  // floors against regressions, below every set's first measurement: blind 4 (callers who avoid official
  // terms; plain MiniSearch 78.5 % top-1) was first measured at 83.5 % top-1 and 94 % top-3
  it('on every blind set: top-1 ≥ 80 %, top-3 ≥ 92 %, out-of-scope handled ≥ 85 %, direct answers right ≥ 93 %', async () => {
    const files = blindFiles();
    assert.ok(files.length >= 4, 'extra-heldout.jsonl … extra-heldout-4.jsonl present');
    for (const f of files) {
      assert.ok(!devFiles().includes(f), `${f} is not a dev file (never tuned on or learned from)`);
      const m = metrics(await runQuestions(robot, loadDevFile(f), anon, 'extra'));
      assert.ok(m.top1 >= 0.8, `${f} top1 ${m.top1}`);
      assert.ok(m.top3 >= 0.92, `${f} top3 ${m.top3}`);
      assert.ok(m.oosRejected >= 0.85, `${f} oos ${m.oosRejected}`);
      assert.ok(m.answerPrecision >= 0.93, `${f} precision ${m.answerPrecision}`);
    }
  });
});

describe('robot: gapped synonym patterns', () => {
  it('find the same matches as the lazy pattern they replace', async () => {
    const { matchGapped } = await import('./tokenize');
    const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const alphabet = ['养', '老', '保', ' ', '险'];
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let trial = 0; trial < 3000; trial++) {
      const text = Array.from({ length: 4 + random(14) }, () => alphabet[random(alphabet.length)]).join('');
      const parts = Array.from({ length: 2 + random(3) }, () => Array.from({ length: 1 + random(2) }, () => alphabet[random(3)]).join(''));
      const lazy = new RegExp(parts.map(escapeRegExp).join('[^ ]{0,4}?'), 'y');
      for (let at = 0; at < text.length; at++) {
        lazy.lastIndex = at;
        const m = lazy.exec(text);
        assert.equal(matchGapped(text, at, parts, 4), m ? at + m[0].length : -1, `${parts.join('*')} in "${text}" at ${at}`);
      }
    }
  });

  it('an editor’s pattern of many gapped parts cannot freeze the robot on a long question', async () => {
    const pathological = { term: '养老保险', synonyms: [`${Array(11).fill('养').join('*')}*保`] };
    const frozen = createRobot({ entries: kb.entries, categories: kb.categories, synonyms: [...STARTER_SYNONYMS, pathological], labeledQuestions: [] });
    const started = process.hrtime.bigint();
    const result = await frozen.ask({ question: '养'.repeat(64), viewer: anon });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(result.type, 'the robot answers');
    // the backtracking pattern took 14–18 s here; linear matching takes milliseconds
    assert.ok(ms < 2000, `asking took ${ms.toFixed(0)} ms`);
  });
});
