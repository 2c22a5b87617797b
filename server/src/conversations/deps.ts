import type { Kysely } from 'kysely';
import type { EventPayloads } from '../../../common/events';
import type { ChannelIdentity } from '../identity/permissions';
import type { AppContext } from '../platform/context';
import type { RobotTurnPorts } from './robot-turn';
import type { MessageRecord } from './model';
import { conversationsRepo, type ConversationsRepo } from './repo';
import { DEFAULT_SERVICE_HOURS, serviceHoursSchema, type ServiceHours } from './service-hours';

/** Staff and partner apps as the conversation flow sees them. */
export interface StaffDirectory {
  /** the name shown to citizens and colleagues */
  displayName(userId: string): Promise<string>;
  /** whether an API key exists and is not revoked (webhooks belong to keys) */
  isLiveApiKey(apiKeyId: string): Promise<boolean>;
}

/** The knowledge base as routing needs it: an answer's category and a category's ancestors. */
export interface KnowledgePort {
  categoryOfEntry(entryId: string): string | undefined;
  /** the category and its ancestors, nearest first (bounded) */
  categoryPath(categoryId: string): string[];
  /** a public entry's question (menus of external channels point to entries) */
  entryQuestion(entryId: string): string | undefined;
  /** a few popular public questions to offer before the citizen types anything */
  starterQuestions(limit: number): { entryId: string; question: string }[];
}

/** A closed conversation's citizen and agent turns, for the robot to learn from. */
export interface LearningPort {
  learnFrom(transcript: { id: string; turns: { role: 'citizen' | 'agent'; text: string; entryId?: string }[] }): Promise<void>;
}

/**
 * Channel identities bound to a verified person (a WeChat follower who signed in once through the
 * link the robot sent): their messages come from that citizen.
 */
export interface CitizenBindingsPort {
  boundPerson(identity: ChannelIdentity): Promise<string | undefined>;
}

/** Everything the conversation use cases need, built once by the composition root. */
export interface ConversationDeps {
  ctx: AppContext;
  robot: RobotTurnPorts;
  staff: StaffDirectory;
  knowledge: KnowledgePort;
  learning: LearningPort;
  citizens?: CitizenBindingsPort;
}

/** The background job that feeds a closed conversation's agent answers to robot learning. */
export const LEARN_JOB = 'conversations.learn';

export const SETTINGS = { serviceHours: 'service_hours', general: 'general' } as const;

/** Operator settings of the funnel besides service hours. */
export interface FunnelSettings {
  /** minutes without a message after which an open conversation closes itself */
  idleCloseMinutes: number;
  /** concurrent chats of an agent who did not set their own */
  defaultMaxChats: number;
  /** used for the wait estimate until there is history */
  defaultHandleSeconds: number;
}
export const DEFAULT_FUNNEL_SETTINGS: FunnelSettings = { idleCloseMinutes: 30, defaultMaxChats: 5, defaultHandleSeconds: 240 };

/** The repo on the database or inside a transaction. */
export const repoOf = (db: Kysely<any>): ConversationsRepo => conversationsRepo(db);

/** Records a domain event in the transaction of the change; it is dispatched after the commit. */
export type Emit = <N extends keyof EventPayloads>(name: N, payload: EventPayloads[N]) => Promise<void>;

/**
 * Runs a change in one transaction together with the domain events it causes (the outbox), so that
 * a committed change is always announced and an announced change always committed.
 */
export async function inTransaction<T>(deps: ConversationDeps, work: (repo: ConversationsRepo, emit: Emit) => Promise<T>): Promise<T> {
  const events = deps.ctx.outbox.batch();
  const result = await deps.ctx.db.transaction().execute((trx) => work(repoOf(trx), (name, payload) => events.add(trx, name, payload)));
  events.dispatch();
  return result;
}

/** The event announcing a stored message. */
export const messageCreated = (m: MessageRecord): EventPayloads['message.created'] => ({ conversationId: m.conversationId, seq: m.seq, sender: m.sender, isPrivate: m.isPrivate });

export async function loadServiceHours(deps: ConversationDeps): Promise<ServiceHours> {
  const stored = await repoOf(deps.ctx.db).getSetting<unknown>(SETTINGS.serviceHours);
  const parsed = serviceHoursSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_SERVICE_HOURS;
}

export async function loadFunnelSettings(deps: ConversationDeps): Promise<FunnelSettings> {
  const stored = (await repoOf(deps.ctx.db).getSetting<Partial<FunnelSettings>>(SETTINGS.general)) ?? {};
  return { ...DEFAULT_FUNNEL_SETTINGS, ...stored };
}

