import { checkSynonymGroup, type SynonymGroupInput } from './manage-synonyms';
import type { SynonymPreview } from './schema';
import type { KnowledgeService } from './service';

/** A synonym group as the robot reads it. */
export interface SynonymGroupData {
  term: string;
  synonyms: string[];
  context?: string[];
}

/**
 * What the knowledge domain needs from the robot to preview a change (composed in app.ts): the
 * questions whose synonyms would differ under this library, and how the robot's best entry changes.
 */
export interface SynonymReach {
  compare(groups: SynonymGroupData[]): Promise<SynonymPreview>;
}

const dataOf = (g: SynonymGroupData): SynonymGroupData => ({ term: g.term, synonyms: g.synonyms, ...(g.context?.length ? { context: g.context } : {}) });

/**
 * The reach of a synonym group before it is saved: the library with this group added (no id) or
 * replacing the group it edits, compared with the library the robot answers with now.
 */
export async function previewSynonymGroup(knowledge: KnowledgeService, reach: SynonymReach, input: SynonymGroupInput): Promise<SynonymPreview> {
  const all = knowledge.synonyms();
  const changed = dataOf(checkSynonymGroup(input, all));
  const groups = input.id ? all.map((g) => (g.id === input.id ? changed : dataOf(g))) : [...all.map(dataOf), changed];
  return reach.compare(groups);
}
