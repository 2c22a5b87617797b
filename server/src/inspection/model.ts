/** The kinds of check the inspection runs; a rule is one kind with its parameters, weight and switch. */
export const RULE_TYPES = [
  'greeting',
  'closing',
  'slow_reply',
  'forbidden_words',
  'knowledge_mismatch',
  'promise',
  'personal_data',
  'handoff_loop',
  'close_data',
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/** An inspection rule as stored: data, edited by supervisors. */
export interface QualityRule {
  id: string;
  type: RuleType;
  name: string;
  description: string;
  params: Record<string, unknown>;
  /** points deducted per flag */
  weight: number;
  isEnabled: boolean;
  position: number;
  updatedAt: string;
  updatedBy: string;
}

export type FlagStatus = 'open' | 'confirmed' | 'overturned' | 'appealed';

/** One finding of a check, before it is stored as a flag. */
export interface Finding {
  ruleId: string;
  /** the message concerned; null for whole-conversation rules */
  messageSeq: number | null;
  /** who wrote the message (or who served the conversation, for whole-conversation rules) */
  agentId: string | null;
  excerpt: string;
}

/** A stored flag with its review and appeal history. */
export interface QualityFlag extends Finding {
  id: string;
  conversationId: string;
  weight: number;
  status: FlagStatus;
  reviewNote: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  appealReason: string | null;
  appealedAt: string | null;
  /** the supervisor's answer to an appeal: confirm keeps the deduction, overturn removes it */
  appealDecision: 'confirm' | 'overturn' | null;
  createdAt: string;
}

/** One conversation's inspection. */
export interface Inspection {
  conversationId: string;
  agentId: string | null;
  score: number;
  closedAt: string;
  inspectedAt: string;
}

/** What the inspection reads of a closed conversation: what the citizen saw, plus the close data. */
export interface Transcript {
  id: string;
  assigneeId: string | null;
  category: string | null;
  summary: string | null;
  closedAt: string | null;
  messages: {
    seq: number;
    sender: string;
    senderId: string | null;
    senderName: string | null;
    text: string;
    entryId: string | null;
    createdAt: string;
  }[];
  events: { type: string; actor: string; payload: Record<string, unknown>; createdAt: string }[];
}

/** A published knowledge entry as the consistency check needs it. */
export interface PublishedEntry {
  entryId: string;
  version: number;
  question: string;
  answer: string;
}
