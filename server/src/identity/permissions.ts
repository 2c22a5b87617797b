import type { ApiKeyScope, Role } from '../../../common/roles';
import { forbidden, unauthorized } from '../platform/errors';

/** Who is calling: an anonymous citizen, a citizen signed in with an SMS code, a signed-in staff user, or a partner app's API key. */
export type Actor =
  /** `channelIdentity`: who wrote on an external channel (a WeChat follower's openid), not yet bound to a person */
  | { kind: 'anonymous'; roles: []; clientKey: string; channelIdentity?: ChannelIdentity }
  /** a citizen known by ID number, name and phone; `verifiedAt`: their last SMS code (sign-in or step-up) */
  | { kind: 'citizen'; personId: string; sessionId: string; roles: []; clientKey: string; verifiedAt: string }
  | { kind: 'user'; id: string; username: string; roles: Role[]; clientKey: string; csrfToken?: string; viaCookie: boolean }
  | { kind: 'apiKey'; id: string; name: string; roles: []; scopes: ApiKeyScope[]; rateLimitPerMinute: number; clientKey: string };

/** A sender on an external channel: the channel, its account (namespace) and the sender's id there. */
export interface ChannelIdentity {
  channel: string;
  namespace: string;
  externalId: string;
}

const STAFF: Role[] = ['agent', 'editor', 'reviewer', 'supervisor', 'admin'];

interface Rule {
  /** Roles that may do it; 'anyone' includes anonymous callers. */
  roles: Role[] | 'anyone';
  /** The API key scope that grants it to partner applications, if any. */
  scope?: ApiKeyScope;
}

/**
 * Every permission of the platform, in one table. Routes call authorize(actor, action);
 * the web app receives abilitiesOf(actor) instead of repeating role checks.
 */
export const PERMISSIONS = {
  'kb.read': { roles: 'anyone', scope: 'kb:read' },
  'kb.readStaff': { roles: STAFF },
  'kb.feedback': { roles: 'anyone', scope: 'kb:feedback' },
  'kb.suggest': { roles: 'anyone', scope: 'kb:feedback' },
  'kb.propose': { roles: STAFF },
  'kb.edit': { roles: ['editor', 'admin'] },
  'kb.review': { roles: ['reviewer', 'admin'] },
  'kb.viewDrafts': { roles: ['editor', 'reviewer', 'supervisor', 'admin'] },
  'kb.import': { roles: ['editor', 'admin'] },
  'kb.export': { roles: ['editor', 'reviewer', 'admin'] },
  'kb.suggestions': { roles: ['editor', 'reviewer', 'admin'] },
  'kb.synonyms': { roles: ['editor', 'admin'] },
  'rules.determine': { roles: 'anyone', scope: 'rules:determine' },
  'rules.edit': { roles: ['editor', 'admin'] },
  'rules.publish': { roles: ['reviewer', 'admin'] },
  'rules.simulate': { roles: ['editor', 'reviewer', 'supervisor', 'admin'] },
  'robot.ask': { roles: 'anyone', scope: 'robot:ask' },
  'robot.configure': { roles: ['supervisor', 'admin'] },
  'robot.insights': { roles: ['editor', 'reviewer', 'supervisor', 'admin'] },
  'robot.learn': { roles: STAFF },
  /** serve citizens: the queue, one's own conversations, replies, notes, transfers, closing */
  'conversations.handle': { roles: ['agent', 'supervisor'] },
  /** see every conversation live, take over, whisper, configure agents' skills */
  'conversations.supervise': { roles: ['supervisor', 'admin'] },
  /** service hours, skills, idle time, widget sites */
  'conversations.configure': { roles: ['supervisor', 'admin'] },
  /** partner apps open conversations for their users (open channel API) */
  'conversations.openChannel': { roles: [], scope: 'channel' },
  /** a citizen chats through the web widget */
  'conversations.chat': { roles: 'anyone' },
  /** the data analysis centre: indicators, hot and hard topics, reports, exports */
  'analytics.read': { roles: ['supervisor', 'admin'] },
  /** quality inspection results, confirming or overturning flags, deciding appeals */
  'quality.review': { roles: ['supervisor', 'admin'] },
  /** the inspection rules and their weights */
  'quality.configure': { roles: ['supervisor', 'admin'] },
  /** an agent sees their own inspections and scorecard and appeals a flag */
  'quality.appeal': { roles: ['agent'] },
  /** WeChat accounts, QQ bots: app secrets and tokens */
  'channels.configure': { roles: ['admin'] },
  /** the IVR menu tree and its simulator */
  'channels.ivr': { roles: ['supervisor', 'admin'] },
  /** the telephony bridge posts call events (API key scope `telephony`) */
  'channels.callControl': { roles: [], scope: 'telephony' },
  'users.manage': { roles: ['admin'] },
  'apiKeys.manage': { roles: ['admin'] },
  'loginThrottles.manage': { roles: ['admin'] },
  'audit.read': { roles: ['supervisor', 'admin'] },
  /** feed citizens' social insurance records from the core business system (nightly import) */
  'records.import': { roles: ['admin'], scope: 'records:import' },
  /**
   * see a citizen's record while serving them: inside an active conversation with that verified person,
   * or with a stated reason (both audited; see citizen-records/read-record-for-service.ts)
   */
  'records.serve': { roles: ['agent', 'supervisor'] },
  /** the development SMS provider's outbox (codes that would have been texted) */
  'sms.outbox': { roles: ['admin'] },
} satisfies Record<string, Rule>;

export type Action = keyof typeof PERMISSIONS;

/** Whether the actor may perform the action. */
export function can(actor: Actor, action: Action): boolean {
  const rule: Rule = PERMISSIONS[action];
  if (actor.kind === 'apiKey') return rule.scope !== undefined && actor.scopes.includes(rule.scope);
  if (rule.roles === 'anyone') return true;
  return actor.roles.some((role) => (rule.roles as Role[]).includes(role));
}

/** Throws 401 for anonymous callers and 403 for others when the actor may not act. */
export function authorize(actor: Actor, action: Action): void {
  if (can(actor, action)) return;
  if (actor.kind === 'anonymous' || actor.kind === 'citizen') throw unauthorized('unauthenticated', { zh: `请先登录（${action}）`, en: `sign-in required (${action})` });
  throw forbidden('forbidden', { zh: `无权执行此操作：${action}`, en: `not allowed: ${action}` });
}

/** The list of actions the actor may perform, for the web app to show or hide controls. */
export function abilitiesOf(actor: Actor): Action[] {
  return (Object.keys(PERMISSIONS) as Action[]).filter((action) => can(actor, action));
}

/**
 * Four-eyes: whatever changes what citizens are told (an entry, an import, a rule-set version, a
 * parameter version) is approved or published by someone other than who made it — whatever roles
 * that person holds, admin included. `authors` are the changes' actor labels.
 */
export function authorizeApproval(actor: Actor, action: Action, authors: string | string[]): void {
  authorize(actor, action);
  if ([authors].flat().includes(actorLabel(actor))) {
    throw forbidden('own_change', { zh: '不能审核或发布自己提交的修改', en: 'you cannot approve or publish your own change' });
  }
}

/**
 * Whether a user other than the author may approve the author's change (four-eyes, as in
 * authorizeApproval): an enabled user whose roles allow `action`.
 */
export function hasOtherApprover(users: { id: string; username: string; roles: Role[]; isDisabled: boolean }[], action: Action, authorLabel: string): boolean {
  return users.some((user) => {
    if (user.isDisabled) return false;
    const actor: Actor = { kind: 'user', id: user.id, username: user.username, roles: user.roles, clientKey: '', viaCookie: false };
    return actorLabel(actor) !== authorLabel && can(actor, action);
  });
}

/** What a staff member's access to one conversation depends on. */
export interface ConversationSubject {
  status: string;
  skill: string | null;
  assigneeId: string | null;
}

/**
 * Whether the actor may see a conversation: a supervisor sees every one; an agent sees those
 * assigned to them and those waiting for a skill they have (an agent without skills serves every
 * queue). Routes call this with the agent's skills; the registry stays the one place for the rule.
 */
export function canSeeConversation(actor: Actor, conversation: ConversationSubject, agentSkills: string[]): boolean {
  if (can(actor, 'conversations.supervise')) return true;
  if (actor.kind !== 'user' || !can(actor, 'conversations.handle')) return false;
  if (conversation.assigneeId === actor.id) return true;
  if (conversation.status !== 'queued') return false;
  return conversation.skill === null || agentSkills.length === 0 || agentSkills.includes(conversation.skill);
}

/** Throws 403 (404 for callers who may not know it exists) unless the actor may see the conversation. */
export function authorizeConversation(actor: Actor, conversation: ConversationSubject, agentSkills: string[]): void {
  if (!canSeeConversation(actor, conversation, agentSkills)) throw forbidden('conversation_forbidden', { zh: '无权查看该会话', en: 'not allowed to see this conversation' });
}

/**
 * A citizen's own affairs (their record, applications, who looked at them) are served to that
 * citizen only, signed in with an SMS code; nobody else reaches them through these routes.
 */
export function authorizeCitizen(actor: Actor): Extract<Actor, { kind: 'citizen' }> {
  if (actor.kind === 'citizen') return actor;
  throw unauthorized('citizen_sign_in_required', { zh: '请先用身份证号和手机验证码登录', en: 'sign in with your ID number and an SMS code' });
}

/** Whether staff-only knowledge may be shown to this actor. */
export const canSeeStaff = (actor: Actor) => can(actor, 'kb.readStaff');

/** A short name of the actor for the audit log. */
export function actorLabel(actor: Actor): string {
  if (actor.kind === 'user') return `user:${actor.username}`;
  if (actor.kind === 'apiKey') return `apikey:${actor.name}`;
  if (actor.kind === 'citizen') return `citizen:${actor.personId}`;
  return `anonymous:${actor.clientKey}`;
}
