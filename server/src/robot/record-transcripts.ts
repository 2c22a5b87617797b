import { maskPersonalData } from '../../../common/masking';
import { actorLabel, type Actor } from '../identity/permissions';
import { submitSuggestion } from '../knowledge/suggestions';
import type { KnowledgeService } from '../knowledge/service';
import type { AppContext } from '../platform/context';
import { newId, nowIso } from '../platform/ids';
import { proposeLearning, type Transcript } from './propose-learning';
import { robotRepo, type LearningExample } from './repo';
import type { RobotService } from './robot-service';

/**
 * Learning from agents (自动学习). Each citizen question an agent answered in a closed conversation
 * becomes a learning example. Questions the robot missed, answered by sending a KB entry, are
 * proposed as new similar questions of that entry; recurring questions answered in free text are
 * clustered (with earlier unproposed ones) and proposed as new entries. Every proposal goes to the
 * knowledge base's review queue: nothing changes the live robot without approval.
 */
export async function recordTranscripts(ctx: AppContext, knowledge: KnowledgeService, robotService: RobotService, actor: Actor, transcripts: Transcript[]) {
  const repo = robotRepo(ctx.db);
  const masked: Transcript[] = transcripts.map((t) => ({ id: t.id, turns: t.turns.map((turn) => ({ ...turn, text: maskPersonalData(turn.text) })) }));
  const now = nowIso();
  const examples: LearningExample[] = [];
  for (const t of masked) {
    let pending: string[] = [];
    for (const turn of t.turns) {
      if (turn.role === 'citizen') pending.push(turn.text);
      else if (turn.role === 'agent' && pending.length) {
        for (const question of pending) {
          examples.push({ id: newId(), conversationId: t.id, question, entryId: turn.entryId ?? null, agentAnswer: turn.entryId ? null : turn.text, status: 'new', submittedBy: actorLabel(actor), createdAt: now });
        }
        pending = [];
      }
    }
  }
  await repo.insertExamples(examples);

  // This submission's entry answers, plus every free-text answer not yet proposed (clusters grow over time).
  const freeText = await repo.examplesWithStatus('new');
  const pool = [...examples.filter((e) => e.entryId), ...freeText.filter((e) => !e.entryId)];
  const asTranscripts: Transcript[] = pool.map((e) => ({
    id: e.conversationId,
    turns: [
      { role: 'citizen', text: e.question },
      { role: 'agent', text: e.agentAnswer ?? '', entryId: e.entryId ?? undefined },
    ],
  }));
  const robot = await robotService.ready();
  const proposals = proposeLearning(robot, asTranscripts, { viewer: { canSeeStaff: true, roles: ['agent'] } });

  const proposed = new Set<string>();
  let suggestions = 0;
  for (const p of proposals) {
    if (p.kind === 'similar') {
      await submitSuggestion(ctx, knowledge, actor, {
        kind: 'similar_question',
        entryId: p.entryId,
        payload: { similar: [p.question], robotTop: p.robotTop, robotConfidence: p.robotConfidence, conversationIds: p.conversationIds },
        source: 'robot_learning',
      });
      for (const e of pool) if (e.entryId === p.entryId && e.question === p.question) proposed.add(e.id);
    } else {
      await submitSuggestion(ctx, knowledge, actor, {
        kind: 'new_entry_cluster',
        payload: { question: p.questions[0], similar: p.questions.slice(1), answer: p.draftAnswers[0], draftAnswers: p.draftAnswers, conversationIds: p.conversationIds, size: p.size },
        source: 'robot_learning',
      });
      for (const e of pool) if (!e.entryId && p.questions.includes(e.question) && p.conversationIds.includes(e.conversationId)) proposed.add(e.id);
    }
    suggestions++;
  }
  await repo.setExampleStatus([...proposed], 'proposed');
  // Entry answers the robot already gets right need nothing; free-text ones wait for their cluster.
  await repo.setExampleStatus(examples.filter((e) => e.entryId && !proposed.has(e.id)).map((e) => e.id), 'matched');
  return { examples: examples.length, proposals: suggestions };
}
