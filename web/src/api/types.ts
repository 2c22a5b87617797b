/** Shapes of the API's answers, as the server's presenters write them. */

export type Audience = 'public' | 'staff';
export type EntryState = 'draft' | 'in_review' | 'published' | 'archived';
export type VersionStatus = 'draft' | 'in_review' | 'published' | 'rejected' | 'superseded';
export const ROLES = ['agent', 'editor', 'reviewer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export { API_KEY_SCOPES } from '../../../common/roles';

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
  /** Whether someone other than the latest version's author may review it (false on a fresh install with only admin). */
  reviewerAvailable: boolean;
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
  /** The author's actor label (`user:<username>`); authorName is how to show them. */
  author: string;
  authorName: string | null;
  submittedAt: string;
  changeNote: string | null;
  /** Set when the version came from an import: the reviewer may approve that import as a whole. */
  importId: string | null;
  canApprove: boolean;
  /** Whether anyone other than the author may review it at all. */
  reviewerAvailable: boolean;
  diff: Diff;
}

/** An import running in the background (GET /api/v1/kb/import/jobs/{id}). */
export interface ImportJob {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  message: string | null;
  result: { categories: number; created: number; updated: number; unchanged: number; inReview: number; importId: string } | null;
  error: { code: string; message: string; details?: { sheet?: string; row?: number; field?: string; message: string }[] } | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
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
  kind: 'correction' | 'new_entry' | 'edit' | 'similar_question' | 'new_entry_cluster';
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
  /** who did it, named by the server: a staff member's display name, an API key's name, a citizen's masked name */
  actorKind: 'user' | 'apiKey' | 'citizen' | 'anonymous' | 'other';
  actorName: string | null;
  actorUsername: string | null;
  /** the subject's name where its kind has one (an entry's question, a user's display name …) */
  subjectName: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** A policy calculation interview the robot runs inside the chat. */
export interface ChatInterview {
  rulesetId: string;
  status: 'need_input' | 'complete' | 'conditional' | 'cancelled';
  question?: { id: string; text: string; type: string; options?: { id: string; label: string }[] };
  outputs?: Record<string, unknown>;
}

/** Robot answers (POST /api/v1/robot/ask). */
export interface RobotReply {
  type: 'answer' | 'clarify' | 'handoff' | 'fallback';
  entryId?: string;
  /** Markdown */
  answer?: string;
  candidates: { entryId: string; question: string; score: number }[];
  confidence: number;
  sessionId: string;
  /** another agency's hotline when the question belongs to it (公积金 12329, 税务 12366 …) */
  referral?: { topic: string; hotline: string; agency: string };
  handoffReason?: string;
  interview?: ChatInterview;
}

export interface RobotSettings {
  answerThreshold: number;
  clarifyThreshold: number;
  handoffAfterFailures: number;
  humanOnlyCategories: string[];
  humanOnlyEntries: string[];
  handoffOnAnger: boolean;
  /** entry id → aspects an editor set */
  entryAspects?: Record<string, string[]>;
}

/** GET /api/v1/robot/aspects */
export interface RobotAspects {
  aspects: string[];
  entries: { entryId: string; question: string; aspects: string[]; edited: boolean }[];
}

export interface RobotInsights {
  days: number;
  summary: { turns: number; sessions: number; answered: number; clarified: number; handedOff: number; fellBack: number; answerRate: number; handoffRate: number };
  unanswered: { label: string; count: number; decisions: Record<string, number>; examples: string[]; topEntryId: string | null }[];
}

/** The robot's reasoning for one question (POST /api/v1/robot/explain): the server's own type. */
export type { Explanation as RobotExplanation } from '../../../server/src/robot/robot';

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
  | (DetermineCommon & { status: 'complete' | 'conditional'; /** the key figure in one plain sentence, the rule set's */ headline?: string })
  | (DetermineCommon & { status: 'need_input'; question: InterviewQuestion });

/* ── rules console (server/src/rules/routes.ts, presenter.ts) ── */

/** A rule set as a document (GET /api/v1/policy/rulesets/:id), texts in the language asked. */
export interface RuleSetDocument {
  id: string;
  name: string;
  description: string;
  version: string;
  effectiveFrom: string;
  legalBasis: string;
  versions?: { version: string; effectiveFrom: string; effectiveTo: string | null; status: string }[];
  inputs: { id: string; type: string; label: string; question: string; options?: { id: string; label: string }[]; min?: number | string; max?: number | string; unit?: string; askedWhen?: string }[];
  outputs: { id: string; type: string; label: string; unit?: string; nullable?: boolean; codes?: Record<string, string> }[];
  parameters: { name: string; key: string; label: string }[];
  rules: {
    id: string;
    title: string;
    citation: string;
    when?: string;
    set?: Record<string, string>;
    decisionTable?: { inputs: string[]; outputs: string[]; rows: string[][] };
    why?: string;
  }[];
  notes: string[];
  tests: { name: string; inputs: Record<string, unknown>; goal?: string; date?: string; expect?: Record<string, unknown>; expectQuestion?: string; expectErrorField?: string }[];
}

export interface RuleSetTestResult {
  name: string;
  passed: boolean;
  detail?: string;
}

export interface RuleSetVersionInfo {
  version: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  status: 'draft' | 'published' | string;
  builtIn: boolean;
  tests: RuleSetTestResult[] | null;
  createdBy: string;
  createdAt: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
}

export interface SavedRuleSetVersion {
  id: string;
  version: string;
  status: string;
  tests: RuleSetTestResult[];
}

export interface Jurisdiction {
  code: string;
  name: { zh: string; en: string };
  parent?: string;
}

export interface ParameterVersion {
  id: string;
  jurisdiction: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  values: Record<string, unknown>;
  note: string | null;
}

export interface ParametersInForce {
  date: string;
  jurisdiction: string;
  versions: string[];
  values: Record<string, unknown>;
}

// what-if answers are the rules engine's own result type
export type { WhatIfResult, WhatIfTotals } from '../../../server/src/rules/run-what-if';

export interface Determination {
  id: string;
  ruleSet: { id: string; version: string };
  date: string;
  jurisdiction: string;
  parameterVersions: string[];
  parameters: Record<string, unknown>;
  inputs: Record<string, unknown>;
  unknownInputs: string[];
  goal: string | null;
  status: string;
  outputs: Record<string, unknown>;
  questionId: string | null;
  trace: { rule: string; values?: Record<string, unknown>; result?: Record<string, unknown>; row?: number }[];
  actor: string;
  createdAt: string;
}

export interface ReplayResult {
  matches: boolean;
  status: string;
  outputs: Record<string, unknown>;
  recorded: { status: string; outputs: Record<string, unknown> };
}
