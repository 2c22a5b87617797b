// Shared types of the robot module.
import type { SynonymGroup } from './starter-synonyms';

export type { SynonymGroup };

export interface KbEntry {
  id: string;
  category: string;
  question: string;
  similar: string[];
  keywords: string[];
  answer: string;
  audience: 'public' | 'staff';
  references?: string[];
}

export interface KbCategory {
  id: string;
  name: string;
  parent: string | null;
}

export interface KbSnapshot {
  entries: KbEntry[];
  categories: KbCategory[];
  synonyms: SynonymGroup[];
}

export interface Viewer {
  /** true for signed-in agents/staff: staff-only entries become visible */
  canSeeStaff: boolean;
  roles: string[];
}

export type DecisionType = 'answer' | 'clarify' | 'handoff' | 'fallback';

export interface Candidate {
  entryId: string;
  question: string;
  /** ranking probability for this candidate (0..1) */
  score: number;
}
