import { diffLines } from 'diff';
import { Marked } from 'marked';
import { cjkEmphasis } from '../../../common/markdown';
import sanitizeHtml from 'sanitize-html';
import type { z } from 'zod';
import { jobErrorIn, type JobRecord } from '../platform/jobs';
import type { Lang } from '../platform/language';
import { ancestorIds } from './category-tree';
import type { Category, EntryHead, EntryState, EntryVersion, Suggestion, SynonymGroupRecord } from './model';
import type { CategoryNode, diffSchema, entrySummarySchema, importJobSchema, managedEntrySchema, reviewItemSchema, servedEntrySchema, suggestionSchema, synonymGroupSchema, versionSchema } from './schema';

/** Markdown answers rendered to HTML with a strict allow-list: no scripts, no event handlers, no iframes. */
const markdown = new Marked({ gfm: true }, cjkEmphasis);

export function renderAnswer(text: string) {
  const html = markdown.parse(text, { async: false }) as string;
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'del'],
    allowedAttributes: { a: ['href', 'title', 'rel', 'target'] },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  });
}

const snippets = new WeakMap<EntryVersion, string>();

/** The start of an answer as plain text, for search results (computed once per version). */
export function snippetOf(v: EntryVersion) {
  let text = snippets.get(v);
  if (text === undefined) {
    text = v.answer.slice(0, 400).replace(/[#*_`>\-[\]()|]/g, '').replace(/\s+/g, ' ').trim().slice(0, 120);
    snippets.set(v, text);
  }
  return text;
}

/** "养老保险 / 参保与缴费": the names from the root down (bounded, even on a damaged tree). */
export function categoryPath(categories: Category[], id: string) {
  const byId = new Map(categories.map((c) => [c.id, c]));
  return ancestorIds(id, (at) => byId.get(at)?.parentId)
    .reverse()
    .map((at) => byId.get(at)?.name ?? at)
    .join(' / ');
}

/** An entry as callers of the open API see it: the published version they may be served. */
export function presentServedEntry(v: EntryVersion, pathOf: (categoryId: string) => string): z.infer<typeof servedEntrySchema> {
  return {
    id: v.entryId,
    category: v.categoryId,
    categoryPath: pathOf(v.categoryId),
    question: v.question,
    similar: v.similar,
    answer: v.answer,
    answerHtml: renderAnswer(v.answer),
    keywords: v.keywords,
    audience: v.audience,
    references: v.references,
    version: v.version,
    effectiveFrom: v.effectiveFrom,
    expiresAt: v.expiresAt,
    updatedAt: v.reviewedAt ?? v.createdAt,
  };
}

/** An entry in lists and search results: its id, category, question and version. */
export function presentEntrySummary(v: EntryVersion, pathOf: (categoryId: string) => string): z.infer<typeof entrySummarySchema> {
  return { id: v.entryId, category: v.categoryId, categoryPath: pathOf(v.categoryId), question: v.question, audience: v.audience, version: v.version };
}

/**
 * The tree of categories, children ordered, each with the number of entries the caller may see in
 * its subtree. With `hideEmpty`, branches with nothing to show are left out, so the public never
 * sees the names of staff-only sections.
 */
export function presentCategoryTree(categories: Category[], counts?: Map<string, number>, hideEmpty = false): CategoryNode[] {
  type Node = CategoryNode;
  const nodes = new Map<string, Node>(categories.map((c) => [c.id, { id: c.id, name: c.name, parent: c.parentId, position: c.position, entryCount: counts?.get(c.id), children: [] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.parent ? nodes.get(node.parent) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const total = (node: Node): number => {
    const own = counts?.get(node.id) ?? 0;
    node.entryCount = own + node.children.reduce((sum, child) => sum + total(child), 0);
    return node.entryCount;
  };
  if (counts) roots.forEach(total);
  const tidy = (list: Node[]): Node[] =>
    list
      .filter((n) => !hideEmpty || (n.entryCount ?? 0) > 0)
      .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id))
      .map((n) => ({ ...n, children: tidy(n.children) }));
  return tidy(roots);
}

/** One version of an entry, with its review trail, as the console shows it. */
export function presentVersion(v: EntryVersion): z.infer<typeof versionSchema> {
  return {
    version: v.version,
    status: v.status,
    category: v.categoryId,
    question: v.question,
    similar: v.similar,
    answer: v.answer,
    keywords: v.keywords,
    references: v.references,
    audience: v.audience,
    roles: v.roles,
    effectiveFrom: v.effectiveFrom,
    expiresAt: v.expiresAt,
    changeNote: v.changeNote,
    author: v.author,
    createdAt: v.createdAt,
    reviewer: v.reviewer,
    reviewedAt: v.reviewedAt,
    reviewComment: v.reviewComment,
  };
}

/** The lifecycle state of an entry, from its head and newest version. */
export function entryState(head: EntryHead, latest: EntryVersion): EntryState {
  if (head.isArchived) return 'archived';
  if (latest.status === 'in_review') return 'in_review';
  if (head.publishedVersion) return 'published';
  return 'draft';
}

/** An entry as the console shows it: lifecycle state, the live version and the working version. */
export function presentManagedEntry(head: EntryHead, latest: EntryVersion, published: EntryVersion | undefined): z.infer<typeof managedEntrySchema> {
  return {
    id: head.id,
    state: entryState(head, latest),
    publishedVersion: head.publishedVersion,
    latestVersion: head.latestVersion,
    hasPendingChange: latest.status === 'draft' || latest.status === 'in_review',
    isArchived: head.isArchived,
    createdBy: head.createdBy,
    createdAt: head.createdAt,
    updatedAt: head.updatedAt,
    latest: presentVersion(latest),
    published: published ? presentVersion(published) : null,
  };
}

/**
 * A version awaiting review as the queue shows it: the author by name (the raw actor label stays for
 * filters), whether this viewer may approve it, and whether anyone at all other than its author can.
 */
export function presentReviewItem(v: EntryVersion, view: { authorName: string | null; canApprove: boolean; reviewerAvailable: boolean; diff: ReturnType<typeof presentDiff> }): z.infer<typeof reviewItemSchema> {
  return {
    id: v.entryId,
    version: v.version,
    question: v.question,
    author: v.author,
    authorName: view.authorName,
    submittedAt: v.createdAt,
    changeNote: v.changeNote,
    importId: v.importId ?? null,
    canApprove: view.canApprove,
    reviewerAvailable: view.reviewerAvailable,
    diff: view.diff,
  };
}

const FIELDS = ['category', 'question', 'similar', 'answer', 'keywords', 'references', 'audience', 'roles', 'effectiveFrom', 'expiresAt'] as const;

/** A run of whole lines that were added, removed, or kept; `text` ends each line with a newline. */
export interface LineHunk {
  kind: 'added' | 'removed' | 'same';
  text: string;
}

/**
 * Line-by-line difference of two texts. Both are compared as complete lines: Windows and old Mac line
 * ends count as newlines, and a last line without its newline equals the same line with one (else
 * diffLines sees "b" and "b\n" as different and shows an unchanged last line as removed and re-added).
 */
export function lineHunks(before: string, after: string): LineHunk[] {
  const asLines = (text: string) => {
    const unified = text.replace(/\r\n?/g, '\n');
    return unified === '' || unified.endsWith('\n') ? unified : `${unified}\n`;
  };
  return diffLines(asLines(before), asLines(after)).map((part) => ({ kind: part.added ? 'added' : part.removed ? 'removed' : 'same', text: part.value }));
}

/** What changed between two versions, field by field; long text as line hunks. */
export function presentDiff(from: EntryVersion | undefined, to: EntryVersion): z.infer<typeof diffSchema> {
  const a = from ? presentVersion(from) : undefined;
  const b = presentVersion(to);
  const changes: z.infer<typeof diffSchema>['changes'] = [];
  for (const field of FIELDS) {
    const before = a ? (a as any)[field] : null;
    const after = (b as any)[field];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    if (Array.isArray(after) || Array.isArray(before)) {
      const was = new Set<string>(before ?? []);
      const now = new Set<string>(after ?? []);
      changes.push({ field, added: [...now].filter((x) => !was.has(x)), removed: [...was].filter((x) => !now.has(x)) });
    } else if (typeof after === 'string' && (field === 'answer' || field === 'question')) {
      const hunks = lineHunks(String(before ?? ''), after);
      changes.push({ field, before, after, hunks });
    } else {
      changes.push({ field, before, after });
    }
  }
  return { from: from?.version ?? null, to: to.version, changes };
}

/** A synonym group as the console lists it. */
export const presentSynonymGroup = (g: SynonymGroupRecord): z.infer<typeof synonymGroupSchema> => ({ id: g.id, term: g.term, synonyms: g.synonyms, context: g.context, updatedBy: g.updatedBy, updatedAt: g.updatedAt });

/** A suggestion as the review queue shows it. */
export const presentSuggestion = (s: Suggestion): z.infer<typeof suggestionSchema> => ({ ...s });

/** An import job as its importer sees it: status, progress, and the import's report or errors. */
export function presentImportJob(job: JobRecord, lang: Lang): z.infer<typeof importJobSchema> {
  return {
    id: job.id,
    status: job.status,
    progress: job.progress,
    message: job.message,
    result: (job.result ?? null) as Record<string, number | string> | null,
    error: jobErrorIn(job.error, lang),
    createdBy: job.createdBy,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
  };
}
