import { maskPersonalDataDeep } from '../../../common/masking';
import { actorLabel, type Actor } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import { badRequest, conflict, notFound } from '../platform/errors';
import { newId, nowIso } from '../platform/ids';
import type { EntryContent, Suggestion, SuggestionKind } from './model';
import { knowledgeRepo } from './repo';
import { createEntry, saveDraft } from './save-entry';
import type { KnowledgeService } from './service';

/**
 * Queues a suggestion for review: a citizen's correction, an agent's new entry or edit, or a
 * robot-learning proposal. Nothing changes the knowledge base until a reviewer accepts it.
 */
export async function submitSuggestion(
  ctx: AppContext,
  knowledge: KnowledgeService,
  actor: Actor,
  input: { kind: SuggestionKind; entryId?: string; payload: Record<string, unknown>; source?: Suggestion['source'] },
) {
  if (input.entryId && !knowledge.servable(input.entryId, actor) && actor.kind !== 'user') throw notFound('条目');
  if (input.kind !== 'new_entry' && input.kind !== 'new_entry_cluster' && !input.entryId) {
    throw badRequest('entry_required', { zh: '请指明针对哪个条目', en: 'entryId is required for this kind' }, 'entryId');
  }
  const isFromStaff = actor.kind === 'user';
  const suggestion: Suggestion = {
    id: newId(),
    kind: input.kind,
    entryId: input.entryId ?? null,
    // citizens and partner apps write their own ID and phone numbers into suggestions; staff drafts
    // may quote a service hotline, which must survive
    payload: isFromStaff ? input.payload : maskPersonalDataDeep(input.payload),
    status: 'pending',
    source: input.source ?? (actor.kind === 'user' ? 'agent' : actor.kind === 'apiKey' ? 'partner' : 'citizen'),
    submittedBy: actorLabel(actor),
    createdAt: nowIso(),
    reviewedBy: null,
    reviewedAt: null,
    reviewNote: null,
    resultEntryId: null,
  };
  await knowledgeRepo(ctx.db).insertSuggestion(suggestion);
  return suggestion;
}

const asStrings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : []);

/**
 * Accepting a suggestion turns it into a draft (which then goes through the normal review);
 * rejecting closes it with a note. The reviewer is credited in both cases.
 */
export async function reviewSuggestion(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { decision: 'accept' | 'reject'; note?: string; categoryId?: string },
) {
  const repo = knowledgeRepo(ctx.db);
  const suggestion = await repo.findSuggestion(id);
  if (!suggestion) throw notFound('建议');
  if (suggestion.status !== 'pending') throw conflict('already_reviewed', { zh: '该建议已处理', en: 'already reviewed' });
  let resultEntryId: string | null = null;
  if (input.decision === 'accept') {
    const p = suggestion.payload;
    const note = `采纳建议 ${suggestion.id}（${suggestion.submittedBy}）`;
    if (suggestion.entryId) {
      const head = await repo.findHead(suggestion.entryId);
      if (!head) throw notFound('条目');
      const base = (await repo.findVersion(suggestion.entryId, head.latestVersion))!;
      const content: EntryContent = {
        categoryId: base.categoryId,
        question: typeof p.question === 'string' && p.question.trim() ? p.question : base.question,
        similar: [...new Set([...base.similar, ...asStrings(p.similar)])],
        answer: typeof p.answer === 'string' && p.answer.trim() ? p.answer : base.answer,
        keywords: [...new Set([...base.keywords, ...asStrings(p.keywords)])],
        references: base.references,
        audience: base.audience,
        roles: base.roles,
        effectiveFrom: base.effectiveFrom,
        expiresAt: base.expiresAt,
      };
      await saveDraft(ctx, actor, suggestion.entryId, { content, changeNote: note });
      resultEntryId = suggestion.entryId;
    } else {
      const categoryId = input.categoryId ?? (typeof p.categoryId === 'string' ? p.categoryId : undefined);
      if (!categoryId) throw badRequest('category_required', { zh: '新条目需要指定分类', en: 'choose a category for the new entry' }, 'categoryId');
      const question = typeof p.question === 'string' ? p.question : asStrings(p.questions)[0];
      if (!question) throw badRequest('question_required', { zh: '建议缺少问题', en: 'the suggestion has no question' }, 'payload.question');
      const created = await createEntry(ctx, actor, {
        content: {
          categoryId,
          question,
          similar: asStrings(p.similar).concat(asStrings(p.questions).slice(1)),
          answer: typeof p.answer === 'string' ? p.answer : '',
          keywords: asStrings(p.keywords),
          references: [],
          audience: p.audience === 'staff' ? 'staff' : 'public',
          roles: [],
          effectiveFrom: null,
          expiresAt: null,
        },
        changeNote: note,
      });
      resultEntryId = created.entryId;
    }
  }
  await repo.resolveSuggestion(id, {
    status: input.decision === 'accept' ? 'accepted' : 'rejected',
    reviewedBy: actorLabel(actor),
    reviewedAt: nowIso(),
    reviewNote: input.note ?? null,
    resultEntryId,
  });
  await ctx.audit.record(actor, { action: `suggestion.${input.decision}ed`, subjectType: 'suggestion', subjectId: id, detail: { resultEntryId } });
  return { ...(await repo.findSuggestion(id))! };
}
