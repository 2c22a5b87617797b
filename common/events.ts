/** Domain event names, `resource.verb`, shared by server and web. */
export const EVENTS = {
  entryPublished: 'entry.published',
  entryArchived: 'entry.archived',
  categoriesChanged: 'category.changed',
  synonymsChanged: 'synonym.changed',
  knowledgeImported: 'knowledge.imported',
} as const;
export type EventName = (typeof EVENTS)[keyof typeof EVENTS];
