import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../platform/database';
import type { Category, EntryContent, EntryHead, EntryVersion, Suggestion, SuggestionStatus, SynonymGroupRecord, VersionStatus } from './model';

const toVersion = (row: any): EntryVersion => ({
  entryId: row.entry_id,
  version: Number(row.version),
  status: row.status,
  categoryId: row.category_id,
  question: row.question,
  similar: fromJson(row.similar, []),
  answer: row.answer,
  keywords: fromJson(row.keywords, []),
  references: fromJson(row.refs, []),
  audience: row.audience,
  roles: fromJson(row.roles, []),
  effectiveFrom: row.effective_from,
  expiresAt: row.expires_at,
  changeNote: row.change_note,
  author: row.author,
  createdAt: row.created_at,
  reviewer: row.reviewer,
  reviewedAt: row.reviewed_at,
  reviewComment: row.review_comment,
  importId: row.import_id ?? null,
});

const toHead = (row: any): EntryHead => ({
  id: row.id,
  publishedVersion: row.published_version === null ? null : Number(row.published_version),
  latestVersion: Number(row.latest_version),
  isArchived: Boolean(Number(row.is_archived)),
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toCategory = (row: any): Category => ({ id: row.id, name: row.name, parentId: row.parent_id, position: Number(row.position) });

const toSuggestion = (row: any): Suggestion => ({
  id: row.id,
  kind: row.kind,
  entryId: row.entry_id,
  payload: fromJson(row.payload, {}),
  status: row.status,
  source: row.source,
  submittedBy: row.submitted_by,
  createdAt: row.created_at,
  reviewedBy: row.reviewed_by,
  reviewedAt: row.reviewed_at,
  reviewNote: row.review_note,
  resultEntryId: row.result_entry_id,
});

const contentColumns = (c: EntryContent) => ({
  category_id: c.categoryId,
  question: c.question,
  similar: toJson(c.similar),
  answer: c.answer,
  keywords: toJson(c.keywords),
  refs: toJson(c.references),
  audience: c.audience,
  roles: toJson(c.roles),
  effective_from: c.effectiveFrom,
  expires_at: c.expiresAt,
});

/** Every query of the knowledge base. Works the same on SQLite and PostgreSQL. */
export function knowledgeRepo(db: Kysely<any>) {
  return {
    // ── categories ──
    async listCategories() {
      const rows = await db.selectFrom('kb_categories').selectAll().orderBy('position').orderBy('id').execute();
      return rows.map(toCategory);
    },
    async findCategory(id: string) {
      const row = await db.selectFrom('kb_categories').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toCategory(row) : undefined;
    },
    async upsertCategory(c: Category, at: string) {
      const values = { id: c.id, name: c.name, parent_id: c.parentId, position: c.position, updated_at: at };
      await db
        .insertInto('kb_categories')
        .values(values)
        .onConflict((oc) => oc.column('id').doUpdateSet({ name: c.name, parent_id: c.parentId, position: c.position, updated_at: at }))
        .execute();
    },
    async deleteCategory(id: string) {
      await db.deleteFrom('kb_categories').where('id', '=', id).execute();
    },
    async countEntriesInCategory(categoryId: string) {
      const row = await db
        .selectFrom('kb_entry_versions')
        .innerJoin('kb_entries', 'kb_entries.id', 'kb_entry_versions.entry_id')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('kb_entry_versions.category_id', '=', categoryId)
        .whereRef('kb_entry_versions.version', '=', 'kb_entries.latest_version')
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    // ── entries and versions ──
    async findHead(id: string) {
      const row = await db.selectFrom('kb_entries').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toHead(row) : undefined;
    },
    async listHeads() {
      const rows = await db.selectFrom('kb_entries').selectAll().orderBy('id').execute();
      return rows.map(toHead);
    },
    async insertHead(head: EntryHead) {
      await db
        .insertInto('kb_entries')
        .values({
          id: head.id,
          published_version: head.publishedVersion,
          latest_version: head.latestVersion,
          is_archived: head.isArchived ? 1 : 0,
          created_by: head.createdBy,
          created_at: head.createdAt,
          updated_at: head.updatedAt,
        })
        .execute();
    },
    async updateHead(id: string, patch: { publishedVersion?: number | null; latestVersion?: number; isArchived?: boolean; updatedAt: string }) {
      const values: Record<string, unknown> = { updated_at: patch.updatedAt };
      if (patch.publishedVersion !== undefined) values.published_version = patch.publishedVersion;
      if (patch.latestVersion !== undefined) values.latest_version = patch.latestVersion;
      if (patch.isArchived !== undefined) values.is_archived = patch.isArchived ? 1 : 0;
      await db.updateTable('kb_entries').set(values).where('id', '=', id).execute();
    },
    async insertVersion(v: EntryVersion) {
      await db
        .insertInto('kb_entry_versions')
        .values({
          entry_id: v.entryId,
          version: v.version,
          status: v.status,
          ...contentColumns(v),
          change_note: v.changeNote,
          author: v.author,
          created_at: v.createdAt,
          reviewer: v.reviewer,
          reviewed_at: v.reviewedAt,
          review_comment: v.reviewComment,
          import_id: v.importId ?? null,
        })
        .execute();
    },
    async setVersionStatus(entryId: string, version: number, status: VersionStatus, review?: { reviewer: string; reviewedAt: string; comment: string | null }) {
      const values: Record<string, unknown> = { status };
      if (review) Object.assign(values, { reviewer: review.reviewer, reviewed_at: review.reviewedAt, review_comment: review.comment });
      await db.updateTable('kb_entry_versions').set(values).where('entry_id', '=', entryId).where('version', '=', version).execute();
    },
    async supersedeOpenDrafts(entryId: string) {
      await db
        .updateTable('kb_entry_versions')
        .set({ status: 'superseded' })
        .where('entry_id', '=', entryId)
        .where('status', 'in', ['draft', 'in_review'])
        .execute();
    },
    async findVersion(entryId: string, version: number) {
      const row = await db.selectFrom('kb_entry_versions').selectAll().where('entry_id', '=', entryId).where('version', '=', version).executeTakeFirst();
      return row ? toVersion(row) : undefined;
    },
    async listVersions(entryId: string) {
      const rows = await db.selectFrom('kb_entry_versions').selectAll().where('entry_id', '=', entryId).orderBy('version', 'desc').execute();
      return rows.map(toVersion);
    },
    /** The live version of every published, unarchived entry: what the index serves. */
    async listPublishedVersions() {
      const rows = await db
        .selectFrom('kb_entry_versions')
        .innerJoin('kb_entries', 'kb_entries.id', 'kb_entry_versions.entry_id')
        .selectAll('kb_entry_versions')
        .whereRef('kb_entry_versions.version', '=', 'kb_entries.published_version')
        .where('kb_entries.is_archived', '=', 0)
        .orderBy('kb_entry_versions.entry_id')
        .execute();
      return rows.map(toVersion);
    },
    /** The newest version of every entry, for the console's entry list. */
    async listLatestVersions() {
      const rows = await db
        .selectFrom('kb_entry_versions')
        .innerJoin('kb_entries', 'kb_entries.id', 'kb_entry_versions.entry_id')
        .selectAll('kb_entry_versions')
        .whereRef('kb_entry_versions.version', '=', 'kb_entries.latest_version')
        .orderBy('kb_entry_versions.entry_id')
        .execute();
      return rows.map(toVersion);
    },
    /** The versions one import wrote that still wait for review. */
    async listVersionsOfImportInReview(importId: string) {
      const rows = await db.selectFrom('kb_entry_versions').selectAll().where('import_id', '=', importId).where('status', '=', 'in_review').orderBy('entry_id').execute();
      return rows.map(toVersion);
    },
    async listVersionsInReview() {
      const rows = await db.selectFrom('kb_entry_versions').selectAll().where('status', '=', 'in_review').orderBy('created_at').execute();
      return rows.map(toVersion);
    },

    // ── synonyms ──
    async listSynonyms() {
      const rows = await db.selectFrom('kb_synonyms').selectAll().orderBy('term').execute();
      return rows.map((row: any): SynonymGroupRecord => ({ id: row.id, term: row.term, synonyms: fromJson(row.synonyms, []), context: fromJson(row.context, []), updatedBy: row.updated_by, updatedAt: row.updated_at }));
    },
    async upsertSynonymGroup(g: SynonymGroupRecord) {
      await db
        .insertInto('kb_synonyms')
        .values({ id: g.id, term: g.term, synonyms: toJson(g.synonyms), context: toJson(g.context), updated_by: g.updatedBy, updated_at: g.updatedAt })
        .onConflict((oc) => oc.column('id').doUpdateSet({ term: g.term, synonyms: toJson(g.synonyms), context: toJson(g.context), updated_by: g.updatedBy, updated_at: g.updatedAt }))
        .execute();
    },
    async deleteSynonymGroup(id: string) {
      const result = await db.deleteFrom('kb_synonyms').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    // ── feedback and suggestions ──
    async insertFeedback(f: { id: string; entryId: string; version: number; isHelpful: boolean; comment: string | null; channel: string | null; client: string; createdAt: string }) {
      await db
        .insertInto('kb_feedback')
        .values({ id: f.id, entry_id: f.entryId, version: f.version, is_helpful: f.isHelpful ? 1 : 0, comment: f.comment, channel: f.channel, client: f.client, created_at: f.createdAt })
        .execute();
    },
    async feedbackCounts(entryId: string) {
      const rows = await db
        .selectFrom('kb_feedback')
        .select(['is_helpful', (eb) => eb.fn.countAll().as('n')])
        .where('entry_id', '=', entryId)
        .groupBy('is_helpful')
        .execute();
      const count = (helpful: number) => Number(rows.find((r: any) => Number(r.is_helpful) === helpful)?.n ?? 0);
      return { helpful: count(1), unhelpful: count(0) };
    },
    async insertSuggestion(s: Suggestion) {
      await db
        .insertInto('kb_suggestions')
        .values({
          id: s.id,
          kind: s.kind,
          entry_id: s.entryId,
          payload: toJson(s.payload),
          status: s.status,
          source: s.source,
          submitted_by: s.submittedBy,
          created_at: s.createdAt,
          reviewed_by: null,
          reviewed_at: null,
          review_note: null,
          result_entry_id: null,
        })
        .execute();
    },
    async findSuggestion(id: string) {
      const row = await db.selectFrom('kb_suggestions').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toSuggestion(row) : undefined;
    },
    async listSuggestions(filter: { status?: SuggestionStatus; page: number; pageSize: number }) {
      let query = db.selectFrom('kb_suggestions');
      if (filter.status) query = query.where('status', '=', filter.status);
      const [rows, total] = await Promise.all([
        query.selectAll().orderBy('created_at', 'desc').limit(filter.pageSize).offset((filter.page - 1) * filter.pageSize).execute(),
        query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
      ]);
      return { items: rows.map(toSuggestion), total: Number(total?.n ?? 0) };
    },
    async resolveSuggestion(id: string, r: { status: SuggestionStatus; reviewedBy: string; reviewedAt: string; reviewNote: string | null; resultEntryId: string | null }) {
      await db
        .updateTable('kb_suggestions')
        .set({ status: r.status, reviewed_by: r.reviewedBy, reviewed_at: r.reviewedAt, review_note: r.reviewNote, result_entry_id: r.resultEntryId })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },
  };
}

export type KnowledgeRepo = ReturnType<typeof knowledgeRepo>;
