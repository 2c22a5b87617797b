import { EVENTS } from '../../../common/events';
import { actorLabel, type Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { badRequest, conflict, notFound } from '../platform/errors';
import { newId, nowIso } from '../platform/ids';
import { compileContext } from '../text/synonym-context';
import type { SynonymGroupRecord } from './model';
import { knowledgeRepo } from './repo';

/** A synonym group as an editor sends it. */
export interface SynonymGroupInput {
  id?: string;
  term: string;
  synonyms: string[];
  context?: string[];
}

/**
 * The group cleaned and checked against the library (trimmed, duplicates dropped, context words
 * that normalise to nothing refused, no second group with the same term, an edited group exists).
 */
export function checkSynonymGroup(input: SynonymGroupInput, all: SynonymGroupRecord[]): Pick<SynonymGroupRecord, 'term' | 'synonyms' | 'context'> {
  const term = input.term.trim();
  if (!term) throw badRequest('invalid_term', { zh: '标准词不能为空', en: 'term is required' }, 'term');
  const synonyms = [...new Set(input.synonyms.map((s) => s.trim()).filter((s) => s && s !== term))];
  const context = [...new Set((input.context ?? []).map((s) => s.trim()).filter(Boolean))];
  for (const word of context) {
    // a context word is looked for in the question's compact text: one that is all punctuation, or a pattern, never occurs
    if (word.includes('*') || compileContext([word]).length === 0) {
      throw badRequest('invalid_context', `语境词须是普通词语（不含 * 或纯标点）/ a context word must be a plain word: ${word}`, 'context');
    }
  }
  const clash = all.find((g) => g.term === term && g.id !== input.id);
  if (clash) throw conflict('term_exists', { zh: `标准词已存在：${term}`, en: `term exists: ${term}` });
  if (input.id && !all.some((g) => g.id === input.id)) throw notFound('同义词组');
  return { term, synonyms, context };
}

/** Creates or edits a synonym group (colloquial words → one official term, optionally only near context words). */
export async function saveSynonymGroup(ctx: AppContext, actor: Actor, input: SynonymGroupInput) {
  const repo = knowledgeRepo(ctx.db);
  const { term, synonyms, context } = checkSynonymGroup(input, await repo.listSynonyms());
  const group: SynonymGroupRecord = { id: input.id ?? newId(), term, synonyms, context, updatedBy: actorLabel(actor), updatedAt: nowIso() };
  await repo.upsertSynonymGroup(group);
  await ctx.audit.record(actor, { action: 'synonyms.saved', subjectType: 'synonym_group', subjectId: group.id, detail: { term, synonyms, context } });
  ctx.events.emit(EVENTS.synonymsChanged, { id: group.id });
  return group;
}

export async function deleteSynonymGroup(ctx: AppContext, actor: Actor, id: string) {
  if (!(await knowledgeRepo(ctx.db).deleteSynonymGroup(id))) throw notFound('同义词组');
  await ctx.audit.record(actor, { action: 'synonyms.deleted', subjectType: 'synonym_group', subjectId: id });
  ctx.events.emit(EVENTS.synonymsChanged, { id });
}
