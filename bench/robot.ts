// npm run bench:robot [-- --size 20000] [--no-train]
// Latency and accuracy of the robot on the seed KB and on a generated 20,000-entry KB,
// next to a plain MiniSearch baseline (jieba words + char bigrams + Traditional→Simplified).
import { createRequire } from 'node:module';
import os from 'node:os';
import MiniSearch from 'minisearch';
import { Jieba } from '@node-rs/jieba';
import { createRobot, type Robot } from '../server/src/robot/robot';
import { blindFiles, blindLabel, devFiles, loadDevFile, loadSeedKb, splitOf, type DevQuestion } from '../server/src/robot/seed';
import { STARTER_SYNONYMS } from '../server/src/robot/starter-synonyms';
import { toSimplified } from '../server/src/text/normalize-text';
import type { KbCategory, KbEntry, Viewer } from '../server/src/robot/types';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const bigSize = Number(args[args.indexOf('--size') + 1]) || 20000;
const anon: Viewer = { canSeeStaff: false, roles: [] };

// ───────── synthetic KB: recombine real vocabulary, keep the real entries inside ─────────
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
/**
 * The real entries plus generated ones up to `size`. A generated entry is a plausible but distinct topic:
 * it combines two KB keywords that no real entry covers together (e.g. 失业登记 × 职称评审), optionally for a
 * caller group or city, asked from one aspect (conditions, documents, procedure, time limit, amount). Its
 * similar questions vary like real ones (colloquial aspect wording, keywords sometimes replaced by a
 * colloquial synonym) but always name both parts, and its answer is several sentences written from the same parts. No real question
 * or answer is copied, so a real question still has exactly one right entry and the accuracy column
 * measures the robot, not the generator.
 */
export function syntheticKb(real: KbEntry[], categories: KbCategory[], size: number): KbEntry[] {
  const rand = rng(12333);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  const publicReal = real.filter((e) => e.audience === 'public');
  // keyword → category it comes from; pairs some real entry already covers are never combined
  const kwCat = new Map<string, string>();
  for (const e of publicReal) for (const k of e.keywords) if (k.length >= 2 && !kwCat.has(k)) kwCat.set(k, e.category);
  const keywords = [...kwCat.keys()];
  const realText = publicReal.map((e) => [e.question, ...e.similar, ...e.keywords].join(' '));
  const coveredPair = (a: string, b: string) => a.includes(b) || b.includes(a) || realText.some((t) => t.includes(a) && t.includes(b));
  // colloquial variants of a keyword from the synonym library
  const variants = new Map<string, string[]>();
  for (const g of STARTER_SYNONYMS) for (const p of [g.term, ...g.synonyms]) if (!p.includes('*')) variants.set(p, [g.term, ...g.synonyms].filter((x) => x !== p && !x.includes('*')));
  const say = (k: string) => (variants.get(k)?.length && rand() < 0.4 ? pick(variants.get(k)!) : k);
  const places = ['北京', '上海', '广州', '深圳', '成都', '杭州', '武汉', '西安', '南京', '重庆', '天津', '苏州', '长沙', '郑州', '沈阳', '青岛'];
  const groups = ['退役军人', '农民工', '残疾人', '港澳台居民', '外籍人员', '新就业形态劳动者', '高校毕业生', '退休人员', '灵活就业人员', '企业职工', '机关事业单位人员', '个体工商户'];
  const aspects = [
    { word: '条件', ask: '需要满足哪些条件', says: ['要什么条件', '有啥要求', '什么人能办', '够不够条件', '门槛高吗'], ans: '一般需同时满足参保缴费、身份类别和办理时限等要求，个别情形还需提供相应证明' },
    { word: '材料', ask: '需要准备哪些材料', says: ['要带什么', '要准备啥材料', '需要哪些证明', '带哪些东西去'], ans: '通常需提供身份证件、社会保障卡，以及能证明相关情况的书面材料' },
    { word: '流程', ask: '办理流程是怎样的', says: ['怎么弄', '去哪办', '咋办理', '在哪儿申请', '网上能办吗'], ans: '可先通过线上渠道或窗口提交申请，经办机构审核后告知结果，材料不全的一次性告知补正' },
    { word: '时限', ask: '办理时限是多久', says: ['多久能办好', '几天出结果', '啥时候办完', '要等多长时间'], ans: '经办机构一般在规定的工作日内办结，情况复杂的可以延长并告知申请人' },
    { word: '标准', ask: '标准是怎么确定的', says: ['能给多少', '能拿多少钱', '怎么算的', '标准高不高'], ans: '具体标准由各地按规定确定并向社会公布，并根据经济发展情况适时调整' },
  ];
  type Aspect = (typeof aspects)[number];
  const qTemplates = [
    (a: string, b: string, g: string, x: Aspect) => `${g}办理${a}时涉及${b}，${x.ask}？`,
    (a: string, b: string, g: string, x: Aspect) => `${g}${a}与${b}衔接，${x.ask}？`,
    (a: string, b: string, g: string, x: Aspect) => `${a}期间申请${b}${g ? `（${g}）` : ''}，${x.ask}？`,
  ];
  const sTemplates = [
    (a: string, b: string, g: string, s: string) => `${g}${a}的时候${b}${s}`,
    (a: string, b: string, _g: string, s: string) => `${a}和${b}一起办${s}`,
    (a: string, b: string, g: string, s: string) => `${g}在${a}期间${b}${s}`,
    (a: string, b: string, _g: string, s: string) => `${b}跟${a}有关系的话${s}`,
    (a: string, b: string, g: string, s: string) => `问下${g}${a}${b}${s}`,
    (a: string, b: string, g: string, s: string) => `${g}${a}碰上${b}这种情况${s}`,
    (a: string, b: string, g: string, s: string) => `我是${g || '参保人'}，${a}还涉及${b}，${s}`,
  ];
  const sentences = [
    (a: string, b: string, g: string) => `${g || '参保人员'}在办理${a}的同时涉及${b}的，两项业务分别按各自规定办理，互不替代。`,
    (a: string, b: string) => `已经办理${a}的，申请${b}时一般不需要重复提交相同材料，经办机构可通过信息系统核验。`,
    (a: string) => `${a}相关信息可以通过电子社保卡、掌上12333或当地政务服务网查询。`,
    (_a: string, b: string) => `${b}的办理结果会以短信或书面形式告知本人，请保持联系方式畅通。`,
    (a: string, b: string) => `对${a}或${b}的处理结果有异议的，可以向经办机构申请复核，也可以依法申请行政复议。`,
    (_a: string, _b: string, g: string) => `${g || '申请人'}委托他人代办的，代办人需携带双方身份证件和委托书。`,
    (a: string) => `${a}的具体经办规定各地可能不同，请以当地人社部门公布为准。`,
    () => '办理前建议先电话咨询当地经办窗口，避免材料不全往返。',
    () => '相关业务也可以拨打12333咨询。',
  ];
  const out: KbEntry[] = [...real];
  const seen = new Set<string>();
  for (let tries = 0; out.length < size && tries < size * 20; tries++) {
    const a = pick(keywords);
    const b = pick(keywords);
    if (a === b || coveredPair(a, b)) continue;
    const g = rand() < 0.35 ? '' : rand() < 0.5 ? `${pick(places)}${pick(groups)}` : pick(groups);
    const x = pick(aspects);
    const key = `${a}|${b}|${g}|${x.word}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const i = out.length;
    const sims = [...sTemplates]
      .sort(() => rand() - 0.5)
      .slice(0, 3 + Math.floor(rand() * 3))
      .map((t) => t(say(a), say(b), rand() < 0.4 ? g : '', pick(x.says)));
    const body = [...sentences].sort(() => rand() - 0.5).slice(0, 3 + Math.floor(rand() * 3)).map((f) => f(a, b, g));
    out.push({
      id: `syn-${i}`,
      category: kwCat.get(rand() < 0.7 ? a : b)!,
      question: pick(qTemplates)(a, b, g, x),
      similar: sims,
      keywords: [a, b, ...(g ? [g] : [])],
      answer: `**${g}${a}涉及${b}的${x.word}**：${x.ans}。\n\n${body.join('')}`,
      audience: rand() < 0.05 ? 'staff' : 'public',
      references: [],
    });
  }
  void categories;
  return out;
}

// ───────── MiniSearch baseline ─────────
export function baseline(entries: KbEntry[]) {
  const { dict } = require('@node-rs/jieba/dict') as { dict: Buffer };
  const jb = Jieba.withDict(dict); // plain jieba: no domain dictionary
  const tokenize = (text: string) => {
    const s = toSimplified(text.normalize('NFKC').toLowerCase());
    const words = jb.cut(s, true).filter((w) => /[\p{L}\p{N}]/u.test(w));
    const bigrams: string[] = [];
    for (const run of s.match(/[\u3400-\u9fff]+/g) ?? []) for (let i = 0; i + 2 <= run.length; i++) bigrams.push(run.slice(i, i + 2));
    return [...words, ...bigrams];
  };
  const ms = new MiniSearch<{ id: string; question: string; similar: string; keywords: string }>({
    fields: ['question', 'similar', 'keywords'],
    storeFields: ['id'],
    tokenize,
    processTerm: (t) => t,
  });
  ms.addAll(entries.filter((e) => e.audience === 'public').map((e) => ({ id: e.id, question: e.question, similar: e.similar.join('\n'), keywords: e.keywords.join(' ') })));
  return (q: string) => ms.search(q).slice(0, 3).map((r) => String(r.id));
}

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Row {
  lat: number[];
  top1: number;
  top3: number;
  ins: number;
  oos: number;
  oosOk: number;
  answers: number;
  answersRight: number;
  seconds: number;
  perQuestion?: Map<DevQuestion, string[]>;
}

async function runRobot(robot: Robot, qs: DevQuestion[]): Promise<Row> {
  const row: Row = { lat: [], top1: 0, top3: 0, ins: 0, oos: 0, oosOk: 0, answers: 0, answersRight: 0, seconds: 0 };
  const t0 = performance.now();
  for (const d of qs) {
    const s = performance.now();
    const r = await robot.ask({ question: d.q, viewer: anon });
    row.lat.push(performance.now() - s);
    if (d.expect) {
      row.ins++;
      if (r.candidates[0]?.entryId === d.expect) row.top1++;
      if (r.candidates.slice(0, 3).some((c) => c.entryId === d.expect)) row.top3++;
    } else {
      row.oos++;
      if (r.type === 'fallback' || r.type === 'clarify') row.oosOk++;
    }
    if (r.type === 'answer') {
      row.answers++;
      if (r.entryId === d.expect) row.answersRight++;
    }
  }
  row.seconds = (performance.now() - t0) / 1000;
  row.lat.sort((a, b) => a - b);
  return row;
}

function runBaseline(search: (q: string) => string[], qs: DevQuestion[]): Row {
  const row: Row = { lat: [], top1: 0, top3: 0, ins: 0, oos: 0, oosOk: 0, answers: 0, answersRight: 0, seconds: 0, perQuestion: new Map() };
  for (const d of qs) {
    const s = performance.now();
    const res = search(d.q);
    row.lat.push(performance.now() - s);
    row.perQuestion!.set(d, res);
    if (d.expect) {
      row.ins++;
      if (res[0] === d.expect) row.top1++;
      if (res.includes(d.expect)) row.top3++;
    }
  }
  row.lat.sort((a, b) => a - b);
  return row;
}

const f2 = (x: number) => x.toFixed(2).padStart(6);
const pc = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : 'n/a').padStart(5) + '%';
function latency(r: Row): string {
  return `p50 ${f2(pct(r.lat, 50))} ms  p90 ${f2(pct(r.lat, 90))} ms  p99 ${f2(pct(r.lat, 99))} ms  max ${f2(r.lat[r.lat.length - 1])} ms`;
}
function accuracy(r: Row, robot: boolean): string {
  return `top1 ${pc(r.top1, r.ins)}  top3 ${pc(r.top3, r.ins)}` + (robot ? `  oos-reject ${pc(r.oosOk, r.oos)}  answer-precision ${pc(r.answersRight, r.answers)}` : '');
}

/** Latency over all questions; accuracy per question set (dev tuning, dev held-out, each blind set). */
async function measure(label: string, robot: Robot, search: (q: string) => string[], sets: Record<string, DevQuestion[]>) {
  const all = Object.values(sets).flat();
  await runRobot(robot, all); // warm-up: one untimed pass (steady state of a running server)
  const r = await runRobot(robot, [...all, ...all]); // two timed passes
  const b = runBaseline(search, all);
  console.log(`\n## ${label}   (load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores)`);
  console.log(`robot      ${latency(r)}  ${((2 * all.length) / r.seconds).toFixed(0)} q/s`);
  console.log(`minisearch ${latency(b)}`);
  console.log(`p99 ratio minisearch / robot: ${(pct(b.lat, 99) / pct(r.lat, 99)).toFixed(1)}×`);
  for (const [name, qs] of Object.entries(sets)) {
    const rr = await runRobot(robot, qs);
    const bb = b.perQuestion ? aggregate(qs, b.perQuestion) : runBaseline(search, qs);
    const lead = (100 * (rr.top1 / rr.ins - bb.top1 / bb.ins)).toFixed(1);
    console.log(`  ${name.padEnd(14)} robot ${accuracy(rr, true)}   |  minisearch ${accuracy(bb, false)}   |  top1 lead ${lead.startsWith('-') ? lead : '+' + lead} pts`);
  }
}

/** Baseline accuracy for a subset, from the answers already computed for all questions. */
function aggregate(qs: DevQuestion[], answers: Map<DevQuestion, string[]>): Row {
  const row: Row = { lat: [0], top1: 0, top3: 0, ins: 0, oos: 0, oosOk: 0, answers: 0, answersRight: 0, seconds: 0 };
  for (const d of qs) {
    if (!d.expect) continue;
    const res = answers.get(d) ?? [];
    row.ins++;
    if (res[0] === d.expect) row.top1++;
    if (res.includes(d.expect)) row.top3++;
  }
  return row;
}

async function main() {
  const kb = loadSeedKb();
  const dev = devFiles()
    .filter((f) => !f.endsWith('staff.jsonl'))
    .flatMap(loadDevFile);
  const sets: Record<string, DevQuestion[]> = {
    'dev tuning': dev.filter((d) => splitOf(d.q) === 'tune'),
    'dev held-out': dev.filter((d) => splitOf(d.q) === 'heldout'),
    ...Object.fromEntries(blindFiles().map((f) => [blindLabel(f), loadDevFile(f)])),
  };
  console.log(`questions: ${Object.entries(sets).map(([k, v]) => `${k} ${v.length}`).join(', ')}`);
  let t = performance.now();
  // the ranker learns from the tuning split's caller questions (production: all seed caller questions)
  const small = createRobot({ entries: kb.entries, categories: kb.categories, synonyms: STARTER_SYNONYMS, labeledQuestions: dev.filter((d) => splitOf(d.q) === 'tune') });
  console.log(`seed KB: ${kb.entries.length} entries, build+train ${(performance.now() - t).toFixed(0)} ms`);
  await measure(`seed KB (${kb.entries.length} entries)`, small, baseline(kb.entries), sets);

  const big = syntheticKb(kb.entries, kb.categories, bigSize);
  // production path: models learned once (here on the seed KB) are given, a build only indexes
  t = performance.now();
  const robotBig = createRobot({ entries: big, categories: kb.categories, synonyms: STARTER_SYNONYMS, models: small.models() });
  console.log(`\ngenerated KB: ${big.length} entries, build (models given) ${(performance.now() - t).toFixed(0)} ms, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
  const edited = big.map((e, i) => (i === big.length - 1 ? { ...e, question: e.question + '（已更新）', similar: [...e.similar, '新增的相似问法'] } : e));
  t = performance.now();
  robotBig.rebuild({ entries: edited }); // one entry edited: unchanged texts are not analysed again
  console.log(`rebuild after editing one entry: ${(performance.now() - t).toFixed(0)} ms`);
  await measure(`generated KB (${big.length} entries)`, robotBig, baseline(big), sets);
  if (!args.includes('--no-train')) {
    t = performance.now();
    const trained = createRobot({ entries: big, categories: kb.categories, synonyms: STARTER_SYNONYMS, config: { trainingQueries: 1500 }, labeledQuestions: dev.filter((d) => splitOf(d.q) === 'tune') });
    console.log(`\ngenerated KB, models trained on it (KB + tuning-split caller questions, as a 20k installation learns on first start): build+train ${(performance.now() - t).toFixed(0)} ms`);
    await measure(`generated KB (${big.length} entries), models trained on the generated KB`, trained, baseline(big), sets);
  }
}

if (process.argv[1]?.endsWith('bench/robot.ts')) main().catch((e) => {
  console.error(e);
  process.exit(1);
});
