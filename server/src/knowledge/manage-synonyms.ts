import { EVENTS } from '../../../common/events';
import { actorLabel, type Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { badRequest, conflict, notFound } from '../platform/errors';
import { newId, nowIso } from '../platform/ids';
import { knowledgeRepo } from './repo';

/** Creates or edits a synonym group (colloquial words → one official term). */
export async function saveSynonymGroup(ctx: AppContext, actor: Actor, input: { id?: string; term: string; synonyms: string[] }) {
  const repo = knowledgeRepo(ctx.db);
  const term = input.term.trim();
  const synonyms = [...new Set(input.synonyms.map((s) => s.trim()).filter((s) => s && s !== term))];
  if (!term) throw badRequest('invalid_term', '标准词不能为空 / term is required', 'term');
  const all = await repo.listSynonyms();
  const clash = all.find((g) => g.term === term && g.id !== input.id);
  if (clash) throw conflict('term_exists', `标准词已存在 / term exists: ${term}`);
  if (input.id && !all.some((g) => g.id === input.id)) throw notFound('同义词组');
  const group = { id: input.id ?? newId(), term, synonyms, updatedBy: actorLabel(actor), updatedAt: nowIso() };
  await repo.upsertSynonymGroup(group);
  await ctx.audit.record(actor, { action: 'synonyms.saved', subjectType: 'synonym_group', subjectId: group.id, detail: { term, synonyms } });
  ctx.events.emit(EVENTS.synonymsChanged, { id: group.id });
  return group;
}

export async function deleteSynonymGroup(ctx: AppContext, actor: Actor, id: string) {
  if (!(await knowledgeRepo(ctx.db).deleteSynonymGroup(id))) throw notFound('同义词组');
  await ctx.audit.record(actor, { action: 'synonyms.deleted', subjectType: 'synonym_group', subjectId: id });
  ctx.events.emit(EVENTS.synonymsChanged, { id });
}
