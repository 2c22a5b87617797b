/** Shapes of the API's answers, as the server's presenters write them. */

export type Audience = 'public' | 'staff';
export type EntryState = 'draft' | 'in_review' | 'published' | 'archived';
export type VersionStatus = 'draft' | 'in_review' | 'published' | 'rejected' | 'superseded';
export const ROLES = ['agent', 'editor', 'reviewer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const API_KEY_SCOPES = ['kb:read', 'kb:feedback', 'robot:ask', 'rules:determine'] as const;

export interface Me {
  kind: 'anonymous' | 'user' | 'apiKey';
  id: string | null;
  username: string | null;
  roles: string[];
  abilities: string[];
  csrfToken: string | null;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  isDisabled: boolean;
  isLocked: boolean;
  createdAt: string;
}

export interface CategoryNode {
  id: string;
  name: string;
  parent: string | null;
  position: number;
  entryCount?: number;
  children: CategoryNode[];
}

export interface EntrySummary {
  id: string;
  category: string;
  categoryPath: string;
  question: string;
  audience: Audience;
  version: number;
}

export interface SearchHit extends EntrySummary {
  score: number;
  snippet: string;
}

export interface ServedEntry extends EntrySummary {
  similar: string[];
  answer: string;
  answerHtml: string;
  keywords: string[];
  references: string[];
  effectiveFrom: string | null;
  expiresAt: string | null;
  updatedAt: string;
}

export interface Version {
  version: number;
  status: VersionStatus;
  category: string;
  question: string;
  similar: string[];
  answer: string;
  keywords: string[];
  references: string[];
  audience: Audience;
  roles: Role[];
  effectiveFrom: string | null;
  expiresAt: string | null;
  changeNote: string | null;
  author: string;
  createdAt: string;
  reviewer: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
}

export interface ManagedEntry {
  id: string;
  state: EntryState;
  publishedVersion: number | null;
  latestVersion: number;
  hasPendingChange: boolean;
  isArchived: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  latest: Version;
  published: Version | null;
  feedback?: { helpful: number; unhelpful: number };
  versions: Version[];
}

export interface ManagedSummary extends EntrySummary {
  state: EntryState;
  publishedVersion: number | null;
  latestVersion: number;
  author: string;
  updatedAt: string;
}

export interface DiffChange {
  field: string;
  before?: unknown;
  after?: unknown;
  added?: string[];
  removed?: string[];
  hunks?: { kind: 'added' | 'removed' | 'same'; text: string }[];
}
export interface Diff {
  from: number | null;
  to: number;
  changes: DiffChange[];
}

export interface ReviewItem {
  id: string;
  version: number;
  question: string;
  author: string;
  submittedAt: string;
  changeNote: string | null;
  canApprove: boolean;
  diff: Diff;
}

export interface SynonymGroup {
  id: string;
  term: string;
  synonyms: string[];
  updatedBy: string;
  updatedAt: string;
}

export interface Suggestion {
  id: string;
  kind: 'correction' | 'new_entry' | 'edit' | 'similar_question';
  entryId: string | null;
  payload: Record<string, unknown>;
  status: 'pending' | 'accepted' | 'rejected';
  source: string;
  submittedBy: string;
  createdAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  resultEntryId: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimitPerMinute: number;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface AuditRecord {
  id: string;
  at: string;
  actor: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** Robot answers (server/src/robot, built in parallel). */
export interface RobotReply {
  type: 'answer' | 'clarify' | 'handoff' | 'fallback';
  entryId?: string;
  answer?: string;
  candidates: { entryId: string; question: string; score: number }[];
  confidence: number;
  sessionId: string;
}

/** A text the rules API may send plain (it localizes with `lang`) or as {zh, en}. */
export type MaybeText = string | { zh?: string; en?: string };

export interface RuleSetOutputDef {
  id: string;
  type: string;
  label: MaybeText;
  unit?: MaybeText;
  nullable?: boolean;
  codes?: Record<string, MaybeText>;
}

/** A rule set as GET /api/v1/policy/rulesets lists it (server/src/rules). */
export interface RuleSetInfo {
  id: string;
  name?: MaybeText;
  title?: MaybeText;
  description?: MaybeText;
  version?: string | number;
  effectiveFrom?: string;
  legalBasis?: string;
  outputs?: RuleSetOutputDef[];
}

export interface InterviewQuestion {
  id: string;
  text?: MaybeText;
  question?: MaybeText;
  label?: MaybeText;
  /** enum | boolean | integer | decimal | money | yearMonth */
  type: string;
  options?: (string | { id?: string; value?: string; label?: MaybeText })[];
  unit?: MaybeText;
  min?: number | string;
  max?: number | string;
  /** answer to "why are you asking this?" */
  why?: string;
}

/** One rule that fired: its plain reason for citizens and its derivation for agents. */
export interface TraceEntry {
  rule?: string;
  title?: MaybeText;
  citation?: string;
  why?: MaybeText;
  how?: MaybeText;
}

export interface DetermineCommon {
  outputs: Record<string, unknown>;
  explanation?: TraceEntry[] | string | unknown;
  notes?: string[];
  suggestions?: { input: string; from: unknown; to: unknown; conditional?: boolean; text: string }[];
  unknownInputs?: string[];
  ruleSet?: { id: string; version: string };
  date?: string;
}

export type DetermineResult =
  | (DetermineCommon & { status: 'complete' | 'conditional' })
  | (DetermineCommon & { status: 'need_input'; question: InterviewQuestion });
