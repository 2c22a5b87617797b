// npm run bench:robot [-- --size 20000]
// Latency and accuracy of the robot on the seed KB and on a generated 20,000-entry KB,
// next to a plain MiniSearch baseline (jieba words + char bigrams + Traditional→Simplified).
import { createRequire } from 'node:module';
import MiniSearch from 'minisearch';
import { Jieba } from '@node-rs/jieba';
import { createRobot, type Robot } from '../server/src/robot/robot';
import { devFiles, hash32, loadDevFile, loadSeedKb, splitOf, type DevQuestion } from '../server/src/robot/seed';
import { STARTER_SYNONYMS } from '../server/src/robot/starter-synonyms';
import { toSimplified } from '../server/src/robot/normalize-text';
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
export function syntheticKb(real: KbEntry[], categories: KbCategory[], size: number): KbEntry[] {
  const rand = rng(12333);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)];
  const keywords = [...new Set(real.flatMap((e) => e.keywords))].filter((k) => k.length >= 2);
  const places = ['北京', '上海', '广州', '深圳', '成都', '杭州', '武汉', '西安', '南京', '重庆', '天津', '苏州', '长沙', '郑州', '沈阳', '青岛'];
  const groups = ['退役军人', '农民工', '残疾人', '港澳台居民', '外籍人员', '新就业形态劳动者', '高校毕业生', '退休人员', '灵活就业人员', '企业职工', '机关事业单位人员', '个体工商户'];
  const out: KbEntry[] = [...real];
  const publicReal = real.filter((e) => e.audience === 'public');
  const qTemplates = [
    (a: string, b: string, g: string) => `${g}${a}和${b}有什么关系？`,
    (a: string, b: string, g: string) => `${g}办理${a}时${b}怎么处理？`,
    (a: string, b: string, g: string) => `${a}对${g}的${b}有什么影响？`,
    (a: string, b: string, g: string) => `${g}申请${a}需要提供${b}吗？`,
    (a: string, b: string, g: string) => `${a}和${b}可以同时享受吗（${g}）？`,
    (a: string, b: string, g: string) => `${g}的${a}在${b}方面有什么特殊规定？`,
  ];
  const sTemplates = [
    (a: string, b: string, g: string) => `${g}${a}跟${b}能一起办吗`,
    (a: string, b: string, g: string) => `${a}的${b}怎么弄`,
    (a: string, b: string, g: string) => `${g}问一下${a}${b}`,
    (a: string, b: string, g: string) => `${a}要不要${b}`,
    (a: string, b: string, g: string) => `关于${g}${a}${b}的规定`,
  ];
  for (let i = out.length; i < size; i++) {
    const t = pick(publicReal);
    const donor = pick(publicReal);
    const k1 = pick(keywords);
    const k2 = pick(keywords);
    const g = rand() < 0.6 ? `${pick(places)}${pick(groups)}` : pick(groups);
    const qt = pick(qTemplates);
    out.push({
      id: `syn-${i}`,
      category: rand() < 0.5 ? t.category : donor.category,
      question: qt(k1, k2, g),
      similar: Array.from({ length: 3 + Math.floor(rand() * 3) }, () => pick(sTemplates)(rand() < 0.5 ? k1 : pick(keywords), rand() < 0.5 ? k2 : pick(keywords), pick(groups))),
      keywords: [k1, k2, g],
      answer: `${g}${k1}：${t.answer.slice(0, 200)}\n\n${donor.answer.slice(0, 200)}`,
      audience: rand() < 0.05 ? 'staff' : 'public',
      references: [],
    });
  }
  void categories;
  return out;
}

// ───────── MiniSearch baseline ─────────
function baseline(entries: KbEntry[]) {
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

async function measure(label: string, robot: Robot, search: (q: string) => string[], qs: DevQuestion[]) {
  // warm-up
  for (const d of qs.slice(0, 30)) await robot.ask({ question: d.q, viewer: anon });
  const lat: number[] = [];
  let top1 = 0;
  let top3 = 0;
  let ins = 0;
  let oosOk = 0;
  let oos = 0;
  let answers = 0;
  let answersRight = 0;
  const t0 = performance.now();
  for (const d of qs) {
    const s = performance.now();
    const r = await robot.ask({ question: d.q, viewer: anon });
    lat.push(performance.now() - s);
    if (d.expect) {
      ins++;
      if (r.candidates[0]?.entryId === d.expect) top1++;
      if (r.candidates.slice(0, 3).some((c) => c.entryId === d.expect)) top3++;
    } else {
      oos++;
      if (r.type === 'fallback' || r.type === 'clarify') oosOk++;
    }
    if (r.type === 'answer') {
      answers++;
      if (r.entryId === d.expect) answersRight++;
    }
  }
  const total = performance.now() - t0;
  lat.sort((a, b) => a - b);
  const bl: number[] = [];
  let b1 = 0;
  let b3 = 0;
  for (const d of qs) {
    const s = performance.now();
    const res = search(d.q);
    bl.push(performance.now() - s);
    if (d.expect && res[0] === d.expect) b1++;
    if (d.expect && res.includes(d.expect)) b3++;
  }
  bl.sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(2).padStart(6);
  const p = (a: number, b: number) => ((100 * a) / b).toFixed(1).padStart(5) + '%';
  console.log(`\n## ${label}`);
  console.log(`robot      p50 ${f(pct(lat, 50))} ms  p90 ${f(pct(lat, 90))} ms  p99 ${f(pct(lat, 99))} ms  max ${f(lat[lat.length - 1])} ms  ${(qs.length / (total / 1000)).toFixed(0)} q/s  top1 ${p(top1, ins)}  top3 ${p(top3, ins)}  oos-reject ${p(oosOk, oos)}  answer-precision ${p(answersRight, answers)}`);
  console.log(`minisearch p50 ${f(pct(bl, 50))} ms  p90 ${f(pct(bl, 90))} ms  p99 ${f(pct(bl, 99))} ms  max ${f(bl[bl.length - 1])} ms  top1 ${p(b1, ins)}  top3 ${p(b3, ins)}`);
}

async function main() {
  const kb = loadSeedKb();
  const qs = devFiles()
    .filter((f) => !f.endsWith('staff.jsonl'))
    .flatMap(loadDevFile);
  console.log(`questions: ${qs.length} (${qs.filter((d) => d.expect).length} in scope; held-out ${qs.filter((d) => splitOf(d.q) === 'heldout').length})`);
  let t = performance.now();
  const small = createRobot({ entries: kb.entries, categories: kb.categories, synonyms: STARTER_SYNONYMS });
  console.log(`seed KB: ${kb.entries.length} entries, build+train ${(performance.now() - t).toFixed(0)} ms`);
  await measure(`seed KB (${kb.entries.length} entries)`, small, baseline(kb.entries), qs);

  const big = syntheticKb(kb.entries, kb.categories, bigSize);
  t = performance.now();
  const robotBig = createRobot({ entries: big, categories: kb.categories, synonyms: STARTER_SYNONYMS, config: { trainingQueries: 600 } });
  console.log(`\ngenerated KB: ${big.length} entries, build+train ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  robotBig.rebuild({ entries: big }); // rebuild keeps nothing cached; measures a KB-change rebuild
  console.log(`rebuild after KB change: ${(performance.now() - t).toFixed(0)} ms`);
  await measure(`generated KB (${big.length} entries)`, robotBig, baseline(big), qs);
  void hash32;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
