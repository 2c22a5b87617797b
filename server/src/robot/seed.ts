// Loading the demo KB and development questions from server/seed (runtime copies).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KbCategory, KbEntry } from './types';

export const SEED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../seed');

export function loadSeedKb(dir = path.join(SEED_DIR, 'kb')): { entries: KbEntry[]; categories: KbCategory[] } {
  const entries: KbEntry[] = [];
  const categories: KbCategory[] = [];
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const d = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    entries.push(...d.entries);
    categories.push(...d.categories);
  }
  return { entries, categories };
}

export interface DevQuestion {
  q: string;
  expect: string | null;
  file: string;
}

export function loadDevFile(file: string): DevQuestion[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => ({ ...(JSON.parse(l) as { q: string; expect: string | null }), file: path.basename(file) }));
}

/** The blind sets (extra-heldout*.jsonl): each written before a round of tuning, never tuned on or learned from. */
export const EXTRA_HELDOUT = 'extra-heldout.jsonl';
const isBlind = (f: string) => f.startsWith('extra-heldout');
const questionFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl'));

/** Development files (tuning + held-out split); the blind sets are not among them. */
export function devFiles(dir = path.join(SEED_DIR, 'robot-dev')): string[] {
  return questionFiles(dir).filter((f) => !isBlind(f)).sort().map((f) => path.join(dir, f));
}

/** Every blind set, oldest first (extra-heldout.jsonl, extra-heldout-2.jsonl, …). */
export function blindFiles(dir = path.join(SEED_DIR, 'robot-dev')): string[] {
  return questionFiles(dir)
    .filter(isBlind)
    .sort((a, b) => blindLabel(a).localeCompare(blindLabel(b), 'en', { numeric: true }))
    .map((f) => path.join(dir, f));
}

/** "blind 1" for extra-heldout.jsonl, "blind 2" for extra-heldout-2.jsonl … */
export function blindLabel(file: string): string {
  return `blind ${path.basename(file, '.jsonl').replace(/^extra-heldout-?/, '') || '1'}`;
}

/**
 * Caller questions with the entry that answers them, shipped as seed data: the ranker learns from
 * them how callers word things (see createRobot's labeledQuestions). The blind sets are not among them.
 */
export function seedCallerQuestions(dir = path.join(SEED_DIR, 'robot-dev')): { q: string; expect: string | null }[] {
  return devFiles(dir).flatMap(loadDevFile).map(({ q, expect }) => ({ q, expect }));
}

export function extraHeldoutFile(dir = path.join(SEED_DIR, 'robot-dev')): string | null {
  const f = path.join(dir, EXTRA_HELDOUT);
  return fs.existsSync(f) ? f : null;
}

/** FNV-1a 32-bit */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (const ch of s) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Deterministic split by hash of the question: ~30 % held out, never used for tuning. */
export function splitOf(q: string): 'tune' | 'heldout' {
  return hash32(q) % 10 < 3 ? 'heldout' : 'tune';
}
