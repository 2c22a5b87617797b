import type { Audience, Role } from '../../../common/roles';

/** What an editor writes: the content of one version of an entry. */
export interface EntryContent {
  categoryId: string;
  question: string;
  similar: string[];
  answer: string;
  keywords: string[];
  references: string[];
  audience: Audience;
  /** For staff entries: narrows visibility to these roles; empty means every staff role. */
  roles: Role[];
  /** YYYY-MM-DD, inclusive; null means always. */
  effectiveFrom: string | null;
  expiresAt: string | null;
}

export type VersionStatus = 'draft' | 'in_review' | 'published' | 'superseded' | 'rejected';

export interface EntryVersion extends EntryContent {
  entryId: string;
  version: number;
  status: VersionStatus;
  changeNote: string | null;
  author: string;
  createdAt: string;
  reviewer: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
  /** The import (its job id) that wrote this version, so a reviewer can approve the whole import at once. */
  importId?: string | null;
}

export interface EntryHead {
  id: string;
  publishedVersion: number | null;
  latestVersion: number;
  isArchived: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Category {
  id: string;
  name: string;
  parentId: string | null;
  position: number;
}

export interface SynonymGroupRecord {
  id: string;
  term: string;
  synonyms: string[];
  /** Words of which one must occur in a question for the colloquial synonyms to apply; empty: everywhere. */
  context: string[];
  updatedBy: string;
  updatedAt: string;
}

export type SuggestionKind = 'correction' | 'new_entry' | 'edit' | 'similar_question' | 'new_entry_cluster';
export type SuggestionStatus = 'pending' | 'accepted' | 'rejected';

export interface Suggestion {
  id: string;
  kind: SuggestionKind;
  entryId: string | null;
  payload: Record<string, unknown>;
  status: SuggestionStatus;
  source: 'citizen' | 'agent' | 'robot_learning' | 'partner';
  submittedBy: string;
  createdAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  resultEntryId: string | null;
}

/** The lifecycle state shown for an entry, derived from its versions. */
export type EntryState = 'draft' | 'in_review' | 'published' | 'archived';
