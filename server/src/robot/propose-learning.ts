// Learning from agents: turns closed conversations into review proposals.
//  - "similar" : the citizen's question was answered by an agent with a KB entry the robot did not
//                put first → propose it as a new similar question of that entry.
//  - "new-entry": recurring questions that agents answered with free text (no entry) → clustered,
//                 proposed as a new entry with the agents' replies as draft answers.
// Pure function: the caller supplies the robot (for its current ranking) and the transcripts.
import { normalizeText } from '../text/normalize-text';
import type { Robot } from './robot';
import type { Viewer } from './types';

export interface TranscriptTurn {
  role: 'citizen' | 'agent' | 'robot';
  text: string;
  /** set when the agent (or robot) sent a KB entry */
  entryId?: string;
}
export interface Transcript {
  id: string;
  turns: TranscriptTurn[];
}

export type LearningProposal =
  | { kind: 'similar'; entryId: string; question: string; robotTop: string | null; robotConfidence: number; conversationIds: string[] }
  | { kind: 'new-entry'; questions: string[]; draftAnswers: string[]; conversationIds: string[]; size: number };

export interface ProposeOptions {
  /** minimum cluster size for a new-entry proposal */
  minClusterSize?: number;
  /** char-bigram Jaccard similarity to join a cluster */
  clusterThreshold?: number;
  /**
   * A free-text-answered question counts as covered by the KB (no new-entry proposal) only when the
   * robot is at least this sure of an entry (default 0.8: reviewers would rather see a near-duplicate
   * proposal than miss a gap the robot answers wrongly 30–40 % of the time).
   */
  coveredConfidence?: number;
  viewer?: Viewer;
}

/** Character bigrams of a text, normalised: the wording signature used to group similar questions. */
export function bigrams(s: string): Set<string> {
  const c = normalizeText(s).compact;
  const out = new Set<string>();
  for (let i = 0; i + 2 <= c.length; i++) out.add(c.slice(i, i + 2));
  return out;
}
/** Overlap of two bigram sets (0..1). */
export function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter || 1);
}

export function proposeLearning(robot: Robot, transcripts: Transcript[], opts: ProposeOptions = {}): LearningProposal[] {
  const viewer = opts.viewer ?? { canSeeStaff: true, roles: ['agent'] };
  const minCluster = opts.minClusterSize ?? 2;
  const threshold = opts.clusterThreshold ?? 0.35;
  const covered = Math.max(opts.coveredConfidence ?? 0.8, robot.config.answerThreshold);
  const similar = new Map<string, Extract<LearningProposal, { kind: 'similar' }>>();
  const free: { q: string; answer: string; conv: string; grams: Set<string> }[] = [];

  for (const t of transcripts) {
    let pending: string[] = [];
    for (const turn of t.turns) {
      if (turn.role === 'citizen') {
        if (turn.text.trim()) pending.push(turn.text.trim());
        continue;
      }
      if (turn.role !== 'agent' || !pending.length) continue;
      // the citizen's last substantive message is taken as the question
      const question = [...pending].reverse().find((q) => normalizeText(q).compact.length >= 4) ?? pending[pending.length - 1];
      pending = [];
      if (turn.entryId) {
        const r = robot.rank(question, viewer);
        const top = r.scored[0] ? r.engine.index.entries[r.scored[0].entry].id : null;
        if (top === turn.entryId && r.confidence >= robot.config.answerThreshold) continue; // robot already gets it
        const key = `${turn.entryId}|${normalizeText(question).compact}`;
        const p = similar.get(key);
        if (p) p.conversationIds.push(t.id);
        else similar.set(key, { kind: 'similar', entryId: turn.entryId, question, robotTop: top, robotConfidence: Math.round(r.confidence * 1000) / 1000, conversationIds: [t.id] });
      } else if (turn.text.trim()) {
        const r = robot.rank(question, viewer);
        if (r.confidence >= covered) continue; // robot surely has an answer; not a KB gap
        free.push({ q: question, answer: turn.text.trim(), conv: t.id, grams: bigrams(question) });
      }
    }
  }

  // greedy single-pass clustering of free-text-answered questions
  const clusters: { items: typeof free; grams: Set<string> }[] = [];
  for (const f of free) {
    let best: (typeof clusters)[number] | null = null;
    let bestSim = threshold;
    for (const c of clusters) {
      const s = Math.max(...c.items.map((i) => jaccard(i.grams, f.grams)));
      if (s >= bestSim) {
        bestSim = s;
        best = c;
      }
    }
    if (best) best.items.push(f);
    else clusters.push({ items: [f], grams: f.grams });
  }
  const out: LearningProposal[] = [...similar.values()];
  for (const c of clusters) {
    const convs = [...new Set(c.items.map((i) => i.conv))];
    if (convs.length < minCluster) continue;
    out.push({
      kind: 'new-entry',
      questions: [...new Set(c.items.map((i) => i.q))],
      draftAnswers: [...new Set(c.items.map((i) => i.answer))].slice(0, 3),
      conversationIds: convs,
      size: c.items.length,
    });
  }
  return out.sort((a, b) => b.conversationIds.length - a.conversationIds.length);
}
