import { EVENTS } from '../../../common/events';
import { canSeeStaff, type Actor } from '../identity/permissions';

const SEARCH_CACHE_SIZE = 5000;
import type { AppContext } from '../platform/context';
import { withCyclesCut } from './category-tree';
import type { Category, EntryVersion, SynonymGroupRecord } from './model';
import { isInForce, mayServe, todayInChina } from './policy';
import { categoryPath } from './presenter';
import { knowledgeRepo } from './repo';
import { MAX_DELTA, SearchIndex } from './search-index';

/**
 * The served knowledge base held in memory: the live version of every published entry, the
 * category tree, the synonym library and the search index. Reloaded after every change
 * (events also arrive from other instances through Redis), so reads never hit the database.
 */
export class KnowledgeService {
  private entries = new Map<string, EntryVersion>();
  private categoryList: Category[] = [];
  private paths = new Map<string, string>();
  private synonymList: SynonymGroupRecord[] = [];
  private index = new SearchIndex([], []);
  private reloading: Promise<void> | null = null;
  private pendingEntries = new Set<string>();
  /** Recent search results: a hotline's searches repeat a lot (the same hot questions all day). */
  private searchCache = new Map<string, ReturnType<KnowledgeService['computeSearch']>>();
  private needsFullReload = false;
  private listeners: (() => void)[] = [];

  constructor(private ctx: AppContext) {}

  /** Loads everything from the database and rebuilds the index. */
  async reload() {
    const repo = knowledgeRepo(this.ctx.db);
    const [versions, stored, synonyms] = await Promise.all([repo.listPublishedVersions(), repo.listCategories(), repo.listSynonyms()]);
    this.entries = new Map(versions.map((v) => [v.entryId, v]));
    // A cycle stored in the table (written by an older version, or by hand) must not stop start-up:
    // it is served cut, and logged on every reload until someone mends it.
    const tree = withCyclesCut(stored);
    if (tree.cycles.length) {
      const named = tree.cycles.map((cycle) => [...cycle, cycle[0]].join(' → ')).join('; ');
      this.ctx.log.warn({ cycles: tree.cycles }, `category tree has cycles, served with those categories at the top level: ${named}`);
    }
    const categories = tree.categories;
    this.categoryList = categories;
    this.paths = new Map(categories.map((c) => [c.id, categoryPath(categories, c.id)]));
    this.synonymList = synonyms;
    this.index = new SearchIndex(versions, synonyms);
    this.searchCache.clear();
    for (const listener of this.listeners) listener();
  }

  /** Applies changes once even when several arrive together: single entries incrementally, anything else by a full reload. */
  scheduleReload(entryId?: string) {
    if (entryId) this.pendingEntries.add(entryId);
    else this.needsFullReload = true;
    if (!this.reloading) this.reloading = this.drain().finally(() => (this.reloading = null));
    return this.reloading;
  }

  /** Resolves when every change received so far is served (a route awaits it to read its own write). */
  idle(): Promise<void> {
    return this.reloading ?? Promise.resolve();
  }

  private async drain() {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.needsFullReload || this.pendingEntries.size) {
      const full = this.needsFullReload;
      const ids = [...this.pendingEntries];
      this.needsFullReload = false;
      this.pendingEntries.clear();
      try {
        if (full) await this.reload();
        else for (const id of ids) await this.refreshEntry(id);
      } catch (err) {
        this.ctx.log.error({ err }, 'knowledge reload failed');
      }
    }
  }

  /**
   * Brings one entry up to date after it was published or archived, without rebuilding the whole
   * index (which takes seconds at 20,000 entries); a full reload happens once enough have changed.
   */
  async refreshEntry(id: string) {
    if (this.index.pendingChanges >= MAX_DELTA) return this.reload();
    const repo = knowledgeRepo(this.ctx.db);
    const head = await repo.findHead(id);
    const version = head && !head.isArchived && head.publishedVersion ? await repo.findVersion(id, head.publishedVersion) : undefined;
    if (version) {
      this.entries.set(id, version);
      this.index.upsert(version);
    } else {
      this.entries.delete(id);
      this.index.remove(id);
    }
    this.searchCache.clear();
    for (const listener of this.listeners) listener();
  }

  /** Called after every reload (the robot rebuilds its own index from the same snapshot). */
  onReload(listener: () => void) {
    this.listeners.push(listener);
  }

  /** The published entry if this actor may be served it today; undefined otherwise (404 either way). */
  servable(id: string, actor: Actor, today = todayInChina()) {
    const entry = this.entries.get(id);
    if (!entry || !isInForce(entry, today) || !mayServe(actor, entry)) return undefined;
    return entry;
  }

  /** Every entry this actor may be served, optionally within a category subtree. */
  listServable(actor: Actor, categoryId?: string) {
    const today = todayInChina();
    const within = categoryId ? this.subtreeIds(categoryId) : undefined;
    return [...this.entries.values()].filter((e) => isInForce(e, today) && mayServe(actor, e) && (!within || within.has(e.categoryId)));
  }

  search(query: string, actor: Actor, options: { limit?: number; categoryId?: string } = {}) {
    return this.searchWithExpansion(query, actor, options).hits;
  }

  /** Search plus the synonyms that were applied to the query, for showing "also searched: …". */
  searchWithExpansion(query: string, actor: Actor, options: { limit?: number; categoryId?: string } = {}) {
    // Callers who see the same entries share cached results: anonymous callers and API keys see
    // public entries only; staff see by role (role-narrowed entries).
    const audience = canSeeStaff(actor) ? `staff:${[...actor.roles].sort().join(',')}` : 'public';
    const key = `${audience}|${options.categoryId ?? ''}|${options.limit ?? 10}|${todayInChina()}|${query}`;
    const cached = this.searchCache.get(key);
    if (cached) {
      this.searchCache.delete(key); // keep recently used keys at the end (LRU)
      this.searchCache.set(key, cached);
      return cached;
    }
    const result = this.computeSearch(query, actor, options);
    this.searchCache.set(key, result);
    if (this.searchCache.size > SEARCH_CACHE_SIZE) this.searchCache.delete(this.searchCache.keys().next().value!);
    return result;
  }

  private computeSearch(query: string, actor: Actor, options: { limit?: number; categoryId?: string }) {
    const today = todayInChina();
    const within = options.categoryId ? this.subtreeIds(options.categoryId) : undefined;
    const { hits, applied } = this.index.search(
      query,
      (id) => {
        const e = this.entries.get(id);
        return Boolean(e && isInForce(e, today) && mayServe(actor, e) && (!within || within.has(e.categoryId)));
      },
      options.limit ?? 10,
    );
    return { hits: hits.map((hit) => ({ ...hit, entry: this.entries.get(hit.id)! })), applied };
  }

  /** Entries of the same category, then the best search matches of the question. */
  related(id: string, actor: Actor, limit = 5) {
    const entry = this.servable(id, actor);
    if (!entry) return [];
    const found = new Map<string, EntryVersion>();
    for (const hit of this.search(entry.question, actor, { limit: limit + 1 })) if (hit.id !== id) found.set(hit.id, hit.entry);
    for (const e of this.listServable(actor, entry.categoryId)) if (e.entryId !== id && found.size < limit * 2) found.set(e.entryId, e);
    return [...found.values()].slice(0, limit);
  }

  categories() {
    return this.categoryList;
  }

  /** "养老保险 / 参保与缴费" for a category id. */
  pathOf(categoryId: string) {
    return this.paths.get(categoryId) ?? categoryId;
  }

  synonyms() {
    return this.synonymList;
  }

  /** All published versions, whatever their audience: for internal consumers such as the robot. */
  publishedSnapshot() {
    return [...this.entries.values()];
  }

  subtreeIds(rootId: string) {
    const ids = new Set([rootId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const c of this.categoryList) {
        if (c.parentId && ids.has(c.parentId) && !ids.has(c.id)) {
          ids.add(c.id);
          grew = true;
        }
      }
    }
    return ids;
  }
}

/** Creates the service, loads the knowledge base and keeps it in step with changes. */
export async function createKnowledgeService(ctx: AppContext) {
  const service = new KnowledgeService(ctx);
  await service.reload();
  for (const name of [EVENTS.entryPublished, EVENTS.entryArchived]) {
    ctx.events.on(name, (payload: { id?: string }) => void service.scheduleReload(payload?.id ?? undefined));
  }
  for (const name of [EVENTS.categoriesChanged, EVENTS.synonymsChanged, EVENTS.knowledgeImported]) {
    ctx.events.on(name, () => void service.scheduleReload());
  }
  return service;
}
