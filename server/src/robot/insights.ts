import { bigrams, jaccard } from './propose-learning';
import type { TurnRecord } from './repo';

export interface TopicCluster {
  label: string;
  count: number;
  decisions: Record<string, number>;
  examples: string[];
  topEntryId: string | null;
}

/**
 * Questions the robot did not answer (fallback, clarify, hand-off), grouped by topic: first by the
 * entry the robot thought closest when it had one, then by wording (character-bigram overlap).
 */
export function clusterUnanswered(turns: TurnRecord[], limit = 30): TopicCluster[] {
  const missed = turns.filter((t) => t.decision !== 'answer');
  const clusters: { label: string; grams: Set<string>; items: TurnRecord[]; topEntryId: string | null }[] = [];
  for (const turn of missed) {
    const grams = bigrams(turn.question);
    let best: (typeof clusters)[number] | undefined;
    let bestScore = 0.3;
    for (const c of clusters) {
      const sameEntry = turn.topEntryId && c.topEntryId === turn.topEntryId && turn.confidence >= 0.2 ? 0.2 : 0;
      const score = jaccard(grams, c.grams) + sameEntry;
      if (score >= bestScore) {
        bestScore = score;
        best = c;
      }
    }
    if (best) best.items.push(turn);
    else clusters.push({ label: turn.question, grams, items: [turn], topEntryId: turn.confidence >= 0.2 ? turn.topEntryId : null });
  }
  return clusters
    .map((c) => ({
      label: c.label.slice(0, 60),
      count: c.items.length,
      decisions: c.items.reduce<Record<string, number>>((acc, t) => ((acc[t.decision] = (acc[t.decision] ?? 0) + 1), acc), {}),
      examples: [...new Set(c.items.map((t) => t.question))].slice(0, 5),
      topEntryId: c.topEntryId,
    }))
    .sort((a, b) => b.count - a.count)
    .slice(0, limit);
}

/** Totals for the console: how many turns, and the share of each decision. */
export function summarize(turns: TurnRecord[]) {
  const total = turns.length;
  const count = (d: string) => turns.filter((t) => t.decision === d).length;
  const share = (n: number) => (total ? Math.round((n / total) * 1000) / 1000 : 0);
  const sessions = new Set(turns.map((t) => t.sessionId)).size;
  return {
    turns: total,
    sessions,
    answered: count('answer'),
    clarified: count('clarify'),
    handedOff: count('handoff'),
    fellBack: count('fallback'),
    answerRate: share(count('answer')),
    handoffRate: share(count('handoff')),
  };
}
