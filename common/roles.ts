/** Staff roles. Citizens (anonymous, or signed in with an SMS code) have none. */
export const ROLES = ['agent', 'editor', 'reviewer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Scopes an API key for a partner application can hold. */
/** `telephony`: the telephony bridge (FreeSWITCH, Asterisk) driving the IVR's call-control webhook */
/** `records:import`: the core business system's nightly feed of citizens' records */
export const API_KEY_SCOPES = ['kb:read', 'kb:feedback', 'robot:ask', 'rules:determine', 'channel', 'telephony', 'records:import'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const ENTRY_STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const AUDIENCES = ['public', 'staff'] as const;
export type Audience = (typeof AUDIENCES)[number];
