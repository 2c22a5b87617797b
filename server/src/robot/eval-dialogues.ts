// Multi-turn evaluation: each development dialogue runs as one conversation through the same turn
// flow the chat uses (robot + calculators), turn after turn; the same dialogues also run with the
// context switched off (every turn a fresh session), which is what a plain search engine would do.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { robotTurn, type RobotTurnPorts } from '../conversations/robot-turn';
import type { Actor } from '../identity/permissions';
import { loadSeedParameters } from '../rules/params';
import { builtinRuleSets } from '../rules/rulesets';
import { RulesService } from '../rules/service';
import { normalizeText } from '../text/normalize-text';
import { wantsHuman } from './intents';
import type { Robot } from './robot';
import { hash32, SEED_DIR } from './seed';

export interface DialogueTurn {
  q: string;
  expect: string | null;
}
export interface Dialogue {
  turns: DialogueTurn[];
  file: string;
}

export const DIALOGUE_DIR = path.join(SEED_DIR, 'robot-dialogues');

export function loadDialogues(file: string): Dialogue[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => ({ turns: (JSON.parse(l) as { turns: DialogueTurn[] }).turns, file: path.basename(file) }));
}

/** Deterministic split of the development dialogues by their first question: ~30 % held out, never tuned on. */
export function dialogueSplitOf(d: Dialogue): 'tune' | 'heldout' {
  return hash32('dialogue:' + d.turns[0].q) % 10 < 3 ? 'heldout' : 'tune';
}

export interface TurnOutcome {
  q: string;
  expect: string | null;
  type: string;
  entryId?: string;
  top?: string;
  right: boolean;
  reasoning?: string;
}

/**
 * A turn is right when the robot answers with the expected entry, or asks to clarify with it as the first
 * option (the top-1 rule of the single-question figures), or refers the caller to another agency with the
 * entry that names its hotline; a turn no entry answers is right when no
 * entry is given as the answer.
 */
export function isRight(expect: string | null, r: { type: string; entryId?: string; candidates: { entryId: string }[] }): boolean {
  if (expect === null) return !(r.type === 'answer' && r.entryId);
  // a referral to another agency's hotline (a fallback) names the entry that says so
  if (r.type === 'answer' || (r.type === 'fallback' && r.entryId)) return r.entryId === expect;
  if (r.type === 'clarify') return r.candidates[0]?.entryId === expect;
  return false;
}

const anonymous: Actor = { kind: 'anonymous', roles: [], clientKey: 'eval' };

/** The chat's turn flow over an in-memory state and the built-in rule sets: no database. */
export function evalPorts(robot: Robot): RobotTurnPorts {
  const rules = new RulesService(loadSeedParameters(), builtinRuleSets);
  const state = new Map<string, unknown>();
  return {
    robot: {
      ask: (_actor, input) => robot.ask({ ...input, viewer: { canSeeStaff: false, roles: [] } }),
      logTurn: async () => {},
      wantsHuman: (text) => wantsHuman(normalizeText(text).text),
      suggest: async () => [],
    },
    rules: {
      listRuleSets: () => rules.listRuleSets('zh'),
      determine: async (id, request) => rules.determineWithRecord(id, request).result,
    },
    state: {
      get: async (k) => structuredClone(state.get(k)),
      set: async (k, v) => void state.set(k, structuredClone(v)),
      delete: async (k) => void state.delete(k),
    },
  };
}

/** Runs each dialogue as one conversation (or, with `context: false`, every turn on its own). */
export async function runDialogues(robot: Robot, dialogues: Dialogue[], opts: { context: boolean }): Promise<TurnOutcome[][]> {
  const ports = evalPorts(robot);
  const out: TurnOutcome[][] = [];
  for (const d of dialogues) {
    const sessionId = `eval-dialogue-${randomUUID()}`;
    const turns: TurnOutcome[] = [];
    for (const [i, t] of d.turns.entries()) {
      const r = await robotTurn(ports, anonymous, { question: t.q, sessionId: opts.context ? sessionId : `${sessionId}-${i}` });
      turns.push({ q: t.q, expect: t.expect, type: r.type, entryId: r.entryId, top: r.candidates[0]?.entryId, right: isRight(t.expect, r), reasoning: (r as { reasoning?: string }).reasoning });
    }
    out.push(turns);
  }
  return out;
}

export interface DialogueMetrics {
  dialogues: number;
  firstTurns: number;
  firstRight: number;
  followUps: number;
  followUpRight: number;
  wholeRight: number;
}

export function dialogueMetrics(rows: TurnOutcome[][]): DialogueMetrics {
  const follow = rows.flatMap((d) => d.slice(1));
  const pct = (a: number, b: number) => (b ? a / b : NaN);
  return {
    dialogues: rows.length,
    firstTurns: rows.length,
    firstRight: pct(rows.filter((d) => d[0].right).length, rows.length),
    followUps: follow.length,
    followUpRight: pct(follow.filter((t) => t.right).length, follow.length),
    wholeRight: pct(rows.filter((d) => d.every((t) => t.right)).length, rows.length),
  };
}

export function formatDialogueMetrics(label: string, m: DialogueMetrics): string {
  const p = (x: number) => (Number.isNaN(x) ? '  n/a ' : (100 * x).toFixed(1).padStart(5) + '%');
  return `${label.padEnd(30)} dialogues=${String(m.dialogues).padStart(3)}  first turn ${p(m.firstRight)}  follow-ups ${p(m.followUpRight)} (${m.followUps})  whole dialogues ${p(m.wholeRight)}`;
}
