import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../platform/context';
import { newId, nowIso } from '../platform/ids';
import { STARTER_SYNONYMS } from '../robot/starter-synonyms';
import { importKnowledge } from './import-knowledge';
import { knowledgeRepo } from './repo';
import { parseJsonBundle, type TransferBundle } from './transfer-format';

export const SEED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../seed/kb');

/** Reads the demo knowledge base shipped in server/seed/kb. */
export function readSeedBundle(): TransferBundle {
  const bundle: TransferBundle = { categories: [], entries: [] };
  for (const file of readdirSync(SEED_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const { bundle: part, errors } = parseJsonBundle(JSON.parse(readFileSync(path.join(SEED_DIR, file), 'utf8')));
    if (errors.length) throw new Error(`seed file ${file} is invalid: ${JSON.stringify(errors.slice(0, 3))}`);
    bundle.categories.push(...part.categories);
    bundle.entries.push(...part.entries);
  }
  return bundle;
}

/** On first start, loads the demo knowledge base (published, ids kept) and the starter synonym library. */
export async function seedKnowledge(ctx: AppContext): Promise<boolean> {
  const repo = knowledgeRepo(ctx.db);
  if ((await repo.listHeads()).length > 0) return false;
  await importKnowledge(ctx, 'system', readSeedBundle(), { publish: true });
  if ((await repo.listSynonyms()).length === 0) {
    // groups of one term are merged; their context too, unless one of them applies everywhere
    const merged = new Map<string, { synonyms: Set<string>; context: Set<string> | null }>();
    for (const group of STARTER_SYNONYMS) {
      const context = group.context?.length ? group.context : null;
      const prior = merged.get(group.term);
      const into = prior ?? { synonyms: new Set<string>(), context: context && new Set<string>() };
      for (const s of group.synonyms) if (s !== group.term) into.synonyms.add(s);
      if (!context) into.context = null;
      else for (const w of context) into.context?.add(w);
      merged.set(group.term, into);
    }
    for (const [term, { synonyms, context }] of merged) {
      await repo.upsertSynonymGroup({ id: newId(), term, synonyms: [...synonyms], context: [...(context ?? [])], updatedBy: 'system', updatedAt: nowIso() });
    }
  }
  return true;
}
