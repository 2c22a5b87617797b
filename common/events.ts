/** Domain event names, `resource.verb`, shared by server and web. */
export const EVENTS = {
  entryPublished: 'entry.published',
  entryArchived: 'entry.archived',
  categoriesChanged: 'category.changed',
  synonymsChanged: 'synonym.changed',
  knowledgeImported: 'knowledge.imported',
  /** a rule-set version was saved or published: instances load it from the database */
  ruleSetChanged: 'ruleset.changed',
  /** a parameter version was approved */
  parametersChanged: 'parameters.changed',
  robotSettingsChanged: 'robot.settings_changed',
  conversationCreated: 'conversation.created',
  conversationChanged: 'conversation.changed',
  conversationClosed: 'conversation.closed',
  messageCreated: 'message.created',
  agentStatusChanged: 'agent.status_changed',
  /** the live monitor raised or acknowledged an alert: every instance pushes it to its supervisors */
  alertChanged: 'alert.changed',
  /** realtime only (never stored): someone is typing, someone read up to a message */
  typing: 'conversation.typing',
  read: 'conversation.read',
} as const;
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];

/** What each event carries: ids and the little a consumer needs to decide whether to load more. */
export interface EventPayloads {
  'entry.published': { entryId?: string; version?: number; [key: string]: unknown };
  'entry.archived': { entryId?: string; [key: string]: unknown };
  'category.changed': { [key: string]: unknown };
  'synonym.changed': { id?: string; [key: string]: unknown };
  'knowledge.imported': { [key: string]: unknown };
  'ruleset.changed': { ruleSetId: string; version: string };
  'parameters.changed': { versionId: string };
  'robot.settings_changed': { by: string };
  'conversation.created': { conversationId: string; channel: string };
  /** status, assignee, skill or queue changed; `from` is the status before */
  'conversation.changed': { conversationId: string; status: string; from?: string; assigneeId?: string | null; skill?: string | null; reason?: string };
  'conversation.closed': { conversationId: string; hadAgent: boolean };
  'message.created': { conversationId: string; seq: number; sender: string; isPrivate: boolean };
  'agent.status_changed': { userId: string; status: string };
  'alert.changed': { alertId: string; isOpen: boolean };
  'conversation.typing': { conversationId: string; from: 'customer' | 'agent' };
  'conversation.read': { conversationId: string; by: 'customer' | 'agent'; seq: number };
}
