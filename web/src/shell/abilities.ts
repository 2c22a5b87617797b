/** Any of these abilities opens the admin console. */
export const CONSOLE_ABILITIES = ['kb.viewDrafts', 'kb.suggestions', 'robot.insights', 'rules.edit', 'rules.simulate', 'users.manage', 'apiKeys.manage', 'audit.read', 'conversations.supervise', 'conversations.configure', 'records.import', 'sms.outbox'];

/** The area a user lands in after sign-in, from what they may do. */
export function homeFor(abilities: string[]) {
  if (CONSOLE_ABILITIES.some((a) => abilities.includes(a))) return '/console';
  if (abilities.includes('kb.readStaff')) return '/workspace';
  return '/';
}
