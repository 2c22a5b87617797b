import type { AppContext } from '../platform/context';
import type { PublishedEntry } from './model';

/**
 * The conversations domain as the inspection reads it (its repo fits this shape; app.ts passes it).
 * Only what the citizen saw is asked for: private notes stay out.
 */
export interface ConversationsPort {
  getConversation(id: string): Promise<
    { id: string; status: string; assigneeId: string | null; category: string | null; summary: string | null; closedAt: string | null; createdAt: string } | undefined
  >;
  messagesAfter(
    conversationId: string,
    afterSeq: number,
    options: { includePrivate: false; limit?: number },
  ): Promise<{ seq: number; sender: string; senderId: string | null; senderName: string | null; text: string; entryId: string | null; isPrivate: boolean; createdAt: string }[]>;
  eventsOf(conversationIds: string[]): Promise<{ conversationId: string; type: string; actor: string; payload: Record<string, unknown>; createdAt: string }[]>;
}

/** The knowledge base as the consistency check needs it: an entry's current published version. */
export interface KnowledgeLookup {
  publishedEntry(entryId: string): PublishedEntry | undefined;
}

/** What the inspection domain needs from the rest of the app. */
export interface InspectionDeps {
  ctx: AppContext;
  conversations: ConversationsPort;
  knowledge: KnowledgeLookup;
}

/** The background job inspecting one closed conversation. */
export const INSPECT_JOB = 'inspection.inspect';
/** The background job re-inspecting the last 30 days after a rule changed. */
export const REINSPECT_JOB = 'inspection.reinspect';
export const REINSPECT_DAYS = 30;
