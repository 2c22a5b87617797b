import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { maskName } from '../citizen-records/presenter';
import type { SecretBox } from '../platform/secrets';
import type { AuditEntry } from './audit';
import type { auditEntrySchema } from './schema';

/** Who did it, as the audit log page shows it. */
export type AuditActorKind = 'user' | 'apiKey' | 'citizen' | 'anonymous' | 'other';

/** A subject kind whose records have a name, and where that name is kept. Kinds not listed are shown by id. */
const NAMED_SUBJECTS: Record<string, { table: string; nameColumn: string; idColumn?: string }> = {
  user: { table: 'users', nameColumn: 'display_name' },
  api_key: { table: 'api_keys', nameColumn: 'name' },
  category: { table: 'kb_categories', nameColumn: 'name' },
  synonym_group: { table: 'kb_synonyms', nameColumn: 'term' },
  skill: { table: 'skills', nameColumn: 'name' },
  wechat_account: { table: 'wechat_accounts', nameColumn: 'name' },
  qq_bot: { table: 'qq_bots', nameColumn: 'name' },
  widget_site: { table: 'widget_sites', nameColumn: 'name', idColumn: 'key' },
  quality_rule: { table: 'quality_rules', nameColumn: 'name' },
};

/** "user:agent-li" → kind and key; the actor label is written by permissions.actorLabel. */
function parseActor(actor: string): { kind: AuditActorKind; key: string } {
  const at = actor.indexOf(':');
  const prefix = at < 0 ? '' : actor.slice(0, at);
  const key = at < 0 ? actor : actor.slice(at + 1);
  if (prefix === 'user') return { kind: 'user', key };
  if (prefix === 'apikey') return { kind: 'apiKey', key };
  if (prefix === 'citizen') return { kind: 'citizen', key };
  if (prefix === 'anonymous') return { kind: 'anonymous', key };
  return { kind: 'other', key: actor };
}

const unique = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => Boolean(v)))];

/**
 * The log rows with readable names: staff by their display name and username, API keys by name,
 * citizens by their masked name (张*华, never in full: the log is read by supervisors), and the
 * subject by its name where its kind has one. The raw actor and subject stay for filters and export.
 * Names are read at display time, so a renamed category shows its current name; a deleted one has none.
 */
export async function presentAuditEntries(db: Kysely<any>, secrets: SecretBox, rows: AuditEntry[]) {
  const actors = rows.map((row) => parseActor(row.actor));
  const usernames = unique(actors.filter((a) => a.kind === 'user').map((a) => a.key));
  const personIds = unique([...actors.filter((a) => a.kind === 'citizen').map((a) => a.key), ...rows.filter((r) => r.subjectType === 'record_person').map((r) => r.subjectId)]);

  const [users, personNames, subjectNames, entryQuestions] = await Promise.all([
    usernames.length ? db.selectFrom('users').select(['username', 'display_name']).where('username', 'in', usernames).execute() : [],
    namesOfPersons(db, secrets, personIds),
    namesOfSubjects(db, rows),
    entryQuestionsOf(db, unique(rows.filter((r) => r.subjectType === 'entry').map((r) => r.subjectId))),
  ]);
  const displayNames = new Map(users.map((u: any) => [u.username as string, u.display_name as string]));

  return rows.map((row, i) => {
    const { kind, key } = actors[i];
    const actorName =
      kind === 'user' ? (displayNames.get(key) ?? null) : kind === 'apiKey' ? key : kind === 'citizen' ? (personNames.get(key) ?? null) : null;
    const subjectName =
      row.subjectType === 'record_person'
        ? (personNames.get(row.subjectId ?? '') ?? null)
        : row.subjectType === 'entry'
          ? (entryQuestions.get(row.subjectId ?? '') ?? null)
          : (subjectNames.get(`${row.subjectType}:${row.subjectId}`) ?? null);
    return {
      ...row,
      actorKind: kind,
      actorName,
      // a staff member's username beside the display name, so two people of the same name are told apart
      actorUsername: kind === 'user' ? key : null,
      subjectName,
    } satisfies z.infer<typeof auditEntrySchema>;
  });
}

export type PresentedAuditEntry = Awaited<ReturnType<typeof presentAuditEntries>>[number];

async function namesOfSubjects(db: Kysely<any>, rows: AuditEntry[]) {
  const names = new Map<string, string>();
  await Promise.all(
    Object.entries(NAMED_SUBJECTS).map(async ([type, { table, nameColumn, idColumn = 'id' }]) => {
      const ids = unique(rows.filter((r) => r.subjectType === type).map((r) => r.subjectId));
      if (!ids.length) return;
      const found = await db.selectFrom(table).select([`${idColumn} as id`, `${nameColumn} as name`]).where(idColumn, 'in', ids).execute();
      for (const f of found as { id: string; name: string }[]) names.set(`${type}:${f.id}`, f.name);
    }),
  );
  return names;
}

/** An entry is named by its latest question: what an editor last saw. */
async function entryQuestionsOf(db: Kysely<any>, ids: string[]) {
  if (!ids.length) return new Map<string, string>();
  const found = await db
    .selectFrom('kb_entries as e')
    .innerJoin('kb_entry_versions as v', (join) => join.onRef('v.entry_id', '=', 'e.id').onRef('v.version', '=', 'e.latest_version'))
    .select(['e.id as id', 'v.question as question'])
    .where('e.id', 'in', ids)
    .execute();
  return new Map(found.map((f: any) => [f.id as string, f.question as string]));
}

/** Citizens' names are sealed at rest; here they are opened only to be masked. */
async function namesOfPersons(db: Kysely<any>, secrets: SecretBox, ids: string[]) {
  const names = new Map<string, string>();
  if (!ids.length) return names;
  const found = await db.selectFrom('record_persons').select(['id', 'name_sealed']).where('id', 'in', ids).execute();
  for (const f of found as { id: string; name_sealed: string }[]) {
    try {
      names.set(f.id, maskName(secrets.open(f.name_sealed)));
    } catch {
      // sealed with an earlier key: the row keeps its id, unnamed
    }
  }
  return names;
}
