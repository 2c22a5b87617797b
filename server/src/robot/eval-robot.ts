// npm run eval:robot [file ...] [--staff] [--perturb] [--misses] [--kb-only] [--cv] | --dialogues [--misses]
// Accuracy of the robot on development questions, reported on the tuning and held-out splits.
// The ranker learns from the tuning split's caller questions (as production learns from all seed caller
// questions), never from the held-out split or a blind set; --kb-only learns from the KB alone;
// --cv adds 5-fold cross-validation over every development question (each fold learned without it).
// --dialogues runs the development dialogues instead, each as one conversation, beside the same robot
// with the context switched off.
import fs from 'node:fs';
import path from 'node:path';
import * as OpenCC from 'opencc-js/cn2t';
import { pinyin } from 'pinyin-pro';
import { createRobot, type Robot } from './robot';
import { DIALOGUE_DIR, dialogueMetrics, dialogueSplitOf, formatDialogueMetrics, loadDialogues, runDialogues, type Dialogue } from './eval-dialogues';
import { blindFiles, blindLabel, devFiles, hash32, loadDevFile, loadSeedKb, splitOf, type DevQuestion } from './seed';
import { STARTER_SYNONYMS } from './starter-synonyms';
import { referralFor } from './intents';
import { normalizeText } from '../text/normalize-text';
import type { KbEntry, Viewer } from './types';

export interface EvalRow {
  q: string;
  expect: string | null;
  split: 'tune' | 'heldout' | 'extra';
  type: string;
  top: string[];
  confidence: number;
  entryId?: string;
  /** out-of-scope question answered with an entry naming the responsible hotline (12329 / 12366 / 12393) */
  referred?: boolean;
}

export interface EvalMetrics {
  n: number;
  inScope: number;
  top1: number;
  top3: number;
  oos: number;
  oosRejected: number;
  answers: number;
  answerPrecision: number;
  /** out-of-scope questions given fallback/clarify, or an answer that refers the caller to the responsible hotline */
  oosHandled: number;
  answerRate: number;
  handoffRate: number;
  clarifyRate: number;
}

export async function runQuestions(robot: Robot, qs: DevQuestion[], viewer: Viewer, split?: EvalRow['split']): Promise<EvalRow[]> {
  const rows: EvalRow[] = [];
  for (const d of qs) {
    const r = await robot.ask({ question: d.q, viewer });
    const ref = d.expect ? undefined : referralFor(normalizeText(d.q).text);
    rows.push({
      q: d.q,
      expect: d.expect,
      split: split ?? splitOf(d.q),
      type: r.type,
      top: r.candidates.map((c) => c.entryId),
      confidence: r.confidence,
      entryId: r.entryId,
      referred: r.type === 'answer' && !!ref && !!r.answer?.includes(ref.hotline),
    });
  }
  return rows;
}

export function metrics(rows: EvalRow[]): EvalMetrics {
  const ins = rows.filter((r) => r.expect);
  const oos = rows.filter((r) => !r.expect);
  const answers = rows.filter((r) => r.type === 'answer');
  const pct = (a: number, b: number) => (b ? a / b : NaN);
  return {
    n: rows.length,
    inScope: ins.length,
    top1: pct(ins.filter((r) => r.top[0] === r.expect).length, ins.length),
    top3: pct(ins.filter((r) => r.top.slice(0, 3).includes(r.expect!)).length, ins.length),
    oos: oos.length,
    oosRejected: pct(oos.filter((r) => r.type === 'fallback' || r.type === 'clarify').length, oos.length),
    answers: answers.length,
    answerPrecision: pct(answers.filter((r) => r.entryId === r.expect).length, answers.length),
    oosHandled: pct(oos.filter((r) => r.type === 'fallback' || r.type === 'clarify' || r.referred).length, oos.length),
    answerRate: pct(ins.filter((r) => r.type === 'answer').length, ins.length),
    handoffRate: pct(rows.filter((r) => r.type === 'handoff').length, rows.length),
    clarifyRate: pct(rows.filter((r) => r.type === 'clarify').length, rows.length),
  };
}

export function formatMetrics(label: string, m: EvalMetrics): string {
  const p = (x: number) => (Number.isNaN(x) ? '  n/a ' : (100 * x).toFixed(1).padStart(5) + '%');
  return `${label.padEnd(22)} n=${String(m.n).padStart(4)}  top1 ${p(m.top1)}  top3 ${p(m.top3)}  oos-reject ${p(m.oosRejected)} (${m.oos}; incl. referral answers ${p(m.oosHandled)})  answer-precision ${p(m.answerPrecision)} (${m.answers})  answer-rate ${p(m.answerRate)}  clarify ${p(m.clarifyRate)}  handoff ${p(m.handoffRate)}`;
}

// ── perturbations for robustness checks (Traditional script, homophone typos) ──
const toTrad = (OpenCC as unknown as { Converter: (o: { from: string; to: string }) => (s: string) => string }).Converter({ from: 'cn', to: 'tw' });
export function traditional(q: string): string {
  return toTrad(q);
}
/** Replaces one Han char inside a 2+-char word with a same-pinyin char drawn from a pool. */
export function homophoneTypo(q: string, pool: Map<string, string[]>): string {
  const chars = [...q];
  const idx = chars.map((c, i) => (/[\u4e00-\u9fff]/.test(c) ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) return q;
  const h = hash32(q);
  for (let t = 0; t < idx.length; t++) {
    const i = idx[(h + t * 7) % idx.length];
    const c = chars[i];
    const py = pinyin(c, { toneType: 'none' });
    const alts = (pool.get(py) ?? []).filter((x) => x !== c);
    if (!alts.length) continue;
    chars[i] = alts[(h >>> 8) % alts.length];
    return chars.join('');
  }
  return q;
}
export function homophonePool(entries: KbEntry[]): Map<string, string[]> {
  const pool = new Map<string, Set<string>>();
  for (const e of entries) {
    for (const c of e.answer + e.question) {
      if (!/[\u4e00-\u9fff]/.test(c)) continue;
      const py = pinyin(c, { toneType: 'none' });
      if (!pool.has(py)) pool.set(py, new Set());
      pool.get(py)!.add(c);
    }
  }
  return new Map([...pool].map(([k, v]) => [k, [...v]]));
}

/** k-fold cross-validation: each fold is asked of a robot whose ranker learned from the other folds. */
async function crossValidate(kb: ReturnType<typeof loadSeedKb>, qs: DevQuestion[], k = 5) {
  const fold = (q: string) => (hash32('cv:' + q) >>> 4) % k;
  const rows: EvalRow[] = [];
  for (let f = 0; f < k; f++) {
    const robot = createRobot({ entries: kb.entries, categories: kb.categories, synonyms: STARTER_SYNONYMS, labeledQuestions: qs.filter((d) => fold(d.q) !== f) });
    rows.push(...(await runQuestions(robot, qs.filter((d) => fold(d.q) === f), { canSeeStaff: false, roles: [] })));
  }
  console.log(formatMetrics(`${k}-fold CV all`, metrics(rows)));
  // the held-out split's rows were never looked at while designing features: the fairest of these figures
  console.log(formatMetrics(`${k}-fold CV held-out`, metrics(rows.filter((r) => r.split === 'heldout'))));
}

async function main() {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const files = args.filter((a) => !a.startsWith('--'));
  const kb = loadSeedKb();
  const t0 = performance.now();
  const devQuestions = devFiles().flatMap(loadDevFile);
  const labeledQuestions = flags.has('--kb-only') ? [] : devQuestions.filter((d) => splitOf(d.q) === 'tune');
  const robot = createRobot({ entries: kb.entries, categories: kb.categories, synonyms: STARTER_SYNONYMS, labeledQuestions });
  console.log(`built robot over ${kb.entries.length} entries in ${(performance.now() - t0).toFixed(0)} ms; ranker learned from the KB${labeledQuestions.length ? ` and ${labeledQuestions.length} tuning-split caller questions` : ' only'}`);
  if (flags.has('--dialogues')) return evaluateDialogues(robot, flags.has('--misses'));
  if (flags.has('--cv')) await crossValidate(kb, devQuestions.filter((d) => !path.basename(d.file).startsWith('staff')));
  const staffIds = new Set(kb.entries.filter((e) => e.audience === 'staff').map((e) => e.id));
  const list = files.length ? files : devFiles();
  const anon: Viewer = { canSeeStaff: false, roles: [] };
  const agent: Viewer = { canSeeStaff: true, roles: ['agent'] };
  const publicQs: DevQuestion[] = [];
  const staffQs: DevQuestion[] = [];
  for (const f of list) {
    const qs = loadDevFile(f);
    if (flags.has('--staff') || path.basename(f).startsWith('staff')) staffQs.push(...qs);
    else publicQs.push(...qs);
  }
  const report = (label: string, rows: EvalRow[]) => {
    console.log(formatMetrics(`${label} tune`, metrics(rows.filter((r) => r.split === 'tune'))));
    console.log(formatMetrics(`${label} held-out`, metrics(rows.filter((r) => r.split === 'heldout'))));
    console.log(formatMetrics(`${label} all`, metrics(rows)));
  };
  const allRows: EvalRow[] = [];
  if (publicQs.length) {
    const rows = await runQuestions(robot, publicQs, anon);
    allRows.push(...rows);
    report('public (anonymous)', rows);
    if (flags.has('--perturb')) {
      const pool = homophonePool(kb.entries);
      const trad = await runQuestions(robot, publicQs.map((d) => ({ ...d, q: traditional(d.q) })), anon);
      report('traditional', trad.map((r, i) => ({ ...r, split: splitOf(publicQs[i].q) })));
      const typo = await runQuestions(robot, publicQs.map((d) => ({ ...d, q: homophoneTypo(d.q, pool) })), anon);
      report('homophone typo', typo.map((r, i) => ({ ...r, split: splitOf(publicQs[i].q) })));
    }
  }
  // blind sets: each reported on its own; their misses are never printed (they must not steer tuning)
  if (!files.length) {
    for (const f of blindFiles()) {
      const rows = await runQuestions(robot, loadDevFile(f), anon, 'extra');
      console.log(formatMetrics(blindLabel(f), metrics(rows)));
    }
  }
  if (staffQs.length) {
    const rows = await runQuestions(robot, staffQs, agent);
    allRows.push(...rows);
    report('staff (agent)', rows);
    // leak check: the same questions asked anonymously must never surface a staff entry
    let leaks = 0;
    for (const d of staffQs) {
      const r = await robot.ask({ question: d.q, viewer: anon });
      const blob = JSON.stringify(r);
      if ([...staffIds].some((id) => blob.includes(`"${id}"`)) || kb.entries.some((e) => e.audience === 'staff' && blob.includes(e.question))) leaks++;
    }
    console.log(`staff questions asked anonymously: ${staffQs.length}, leaks of staff entries: ${leaks}`);
  }
  // worst confusions and misses: tuning split only (held-out and blind rows must not steer tuning)
  const tuneRows = allRows.filter((r) => r.split === 'tune');
  const conf = new Map<string, number>();
  for (const r of tuneRows) {
    const got = r.type === 'answer' ? r.entryId : r.top[0];
    if (r.expect === (r.top[0] ?? null)) continue;
    if (!r.expect && r.type !== 'answer' && r.type !== 'handoff') continue;
    const k = `${r.expect ?? 'OOS'} → ${got ?? '-'} (${r.type})`;
    conf.set(k, (conf.get(k) ?? 0) + 1);
  }
  console.log('\nworst confusions (tuning split):');
  for (const [k, v] of [...conf].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${v}× ${k}`);
  if (flags.has('--misses')) {
    console.log('\nmisses (tuning split):');
    for (const r of tuneRows) {
      const bad = r.expect ? r.top[0] !== r.expect || (r.type === 'answer' && r.entryId !== r.expect) : r.type === 'answer' || r.type === 'handoff';
      if (bad) console.log(`  ${r.q}  expect=${r.expect} got=${r.type}:${r.top.join(',')} conf=${r.confidence}`);
    }
  }
}

/** Follow-up and whole-dialogue accuracy, with and without the conversation's context. */
async function evaluateDialogues(robot: Robot, showMisses: boolean) {
  const files = fs.readdirSync(DIALOGUE_DIR).filter((f) => f.endsWith('.jsonl')).sort();
  const dev = files.filter((f) => !f.startsWith('extra-heldout')).flatMap((f) => loadDialogues(path.join(DIALOGUE_DIR, f)));
  const sets: [string, Dialogue[]][] = [
    ['dialogues tune', dev.filter((d) => dialogueSplitOf(d) === 'tune')],
    ['dialogues held-out', dev.filter((d) => dialogueSplitOf(d) === 'heldout')],
    ...files
      .filter((f) => f.startsWith('extra-heldout'))
      .sort((a, b) => blindLabel(a).localeCompare(blindLabel(b), 'en', { numeric: true }))
      .map((f) => [`dialogues ${blindLabel(f)}`, loadDialogues(path.join(DIALOGUE_DIR, f))] as [string, Dialogue[]]),
  ];
  for (const [label, dialogues] of sets) {
    const withContext = await runDialogues(robot, dialogues, { context: true });
    const without = await runDialogues(robot, dialogues, { context: false });
    console.log(formatDialogueMetrics(label, dialogueMetrics(withContext)));
    console.log(formatDialogueMetrics(`${label} (no context)`, dialogueMetrics(without)));
    // misses of the tuning split only: held-out and blind dialogues must not steer tuning
    if (showMisses && label === 'dialogues tune') {
      for (const d of withContext) {
        if (d.every((t) => t.right)) continue;
        console.log('  ' + d.map((t) => `${t.right ? '✓' : '✗'} ${t.q} [${t.expect}] → ${t.type}:${t.entryId ?? t.top ?? '-'}${t.right ? '' : ` (${t.reasoning ?? ''})`}`).join('\n    '));
      }
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('eval-robot.ts')) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
