import type { AppContext } from '../platform/context';
import { computeDetails, computeFacts, entriesOf, repeatedFlags } from './record-facts';
import { analyticsRepo, type AnswerRow, type FactsRow, type HardQuestionRow } from './repo';

export const REBUILD_JOB = 'analytics.rebuild';
const BATCH = 500;

/**
 * Recomputes every fact and rollup from the stored conversations: for data that existed before
 * analytics did, and after an upgrade changes how a fact is computed. Idempotent (it starts by
 * emptying the tables), so a crashed run is simply run again.
 */
export async function rebuildAnalytics(ctx: AppContext, progress?: (percent: number) => Promise<void> | void) {
  const repo = analyticsRepo(ctx.db);
  await repo.clearAll();
  let after = '';
  let done = 0;
  for (;;) {
    const ids = await repo.conversationIdsAfter(after, BATCH);
    if (!ids.length) break;
    const sources = await repo.conversationSources(ids);
    const entries = new Set<string>();
    for (const s of sources.values()) for (const e of entriesOf(s)) entries.add(e);
    const categories = await repo.entryCategories([...entries]);
    const rows: FactsRow[] = [];
    const answers: AnswerRow[] = [];
    const hard: HardQuestionRow[] = [];
    for (const s of sources.values()) {
      const facts = computeFacts(s, categories);
      rows.push(facts);
      const details = computeDetails(s, facts);
      answers.push(...details.answers);
      hard.push(...details.hard);
    }
    await repo.insertFactsBatch(rows);
    await repo.insertDetailsBatch(answers, hard);
    after = ids[ids.length - 1];
    done += ids.length;
    if (progress && done % (BATCH * 20) === 0) await progress(Math.min(90, Math.round(done / 1000)));
  }
  // first-contact resolution: a contact's conversations in time order, a day's window each
  const timeline = await repo.contactTimeline();
  const repeated: string[] = [];
  for (let i = 0; i < timeline.length; ) {
    let j = i;
    while (j < timeline.length && timeline[j].contact_id === timeline[i].contact_id) j++;
    if (j - i > 1) for (const [id, isRepeated] of repeatedFlags(timeline.slice(i, j))) if (isRepeated) repeated.push(id);
    i = j;
  }
  await repo.markRepeated(repeated);
  await repo.rebuildRollups();
  return { conversations: done };
}
