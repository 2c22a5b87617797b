import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { TestApp } from '../../server/src/testing/test-app';

/**
 * Tables left out of the "a refused request changes nothing" comparison: each records the attempt
 * itself by design, or is background machinery that moves on its own.
 */
export const EXCLUDED_TABLES: Record<string, string> = {
  audit_log: 'refusals (403, failed sign-ins, denied record access) are audited on purpose',
  login_throttles: 'a failed sign-in is counted to slow down password guessing',
  jobs: 'the job queue: workers claim and finish jobs queued by earlier accepted requests',
  job_schedules: 'periodic jobs record when they last ran, whatever the requests',
  outbox: 'event bookkeeping: dispatch marks and the sweep of old events',
  kysely_migration: 'schema history, never touched by requests',
  kysely_migration_lock: 'schema history, never touched by requests',
};

/** The SQLite digest query by table list: reading every table's columns each time would cost more than the digest. */
const sqliteQueries = new Map<string, string>();

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** One hash per table of the test app's database (all rows, all columns), to compare before and after a request. */
export async function digestDatabase(t: TestApp): Promise<Map<string, string>> {
  const db = t.ctx.db;
  let tables: string[];
  if (t.dialect === 'sqlite') {
    const rows = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
    tables = rows.rows.map((r) => r.name);
  } else {
    const rows = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${t.schema} and table_type = 'BASE TABLE'`.execute(db);
    tables = rows.rows.map((r) => r.name);
  }
  tables = tables.filter((name) => !(name in EXCLUDED_TABLES)).sort();
  const digests = new Map<string, string>();
  if (!tables.length) return digests;
  // one round trip for every table: each row as text, sorted, concatenated
  let query: string;
  if (t.dialect === 'postgres') {
    query = tables
      .map((name) => `select '${name}' as name, coalesce((select string_agg(r::text, '|' order by r::text) from ${quoteIdent(name)} r), '') as data`)
      .join(' union all ');
  } else if (sqliteQueries.has(tables.join())) {
    query = sqliteQueries.get(tables.join())!;
  } else {
    const parts: string[] = [];
    for (const name of tables) {
      const columns = (await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(db)).rows.map((c) => c.name);
      const row = columns.length ? columns.map((c) => `quote(${quoteIdent(c)})`).join(" || ',' || ") : "''";
      parts.push(`select '${name}' as name, coalesce((select group_concat(x, '|') from (select ${row} as x from ${quoteIdent(name)} order by 1)), '') as data`);
    }
    query = parts.join(' union all ');
    sqliteQueries.set(tables.join(), query);
  }
  const result = await sql<{ name: string; data: string }>`${sql.raw(query)}`.execute(db);
  for (const row of result.rows) digests.set(row.name, createHash('sha256').update(String(row.data)).digest('hex'));
  return digests;
}

/** The tables whose content differs between two digests. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}

/**
 * A cheap number that moves whenever anything was written (SQLite: rows changed on the one
 * connection; PostgreSQL: the next transaction id, which any writing transaction advances). When it
 * has not moved, nothing changed and the full digest can be skipped; when it has (an audit line, or
 * another test file writing to the same PostgreSQL server), the digest decides.
 */
export async function writeCounter(t: TestApp): Promise<string> {
  const query = t.dialect === 'sqlite' ? sql<{ n: unknown }>`select total_changes() as n` : sql<{ n: unknown }>`select txid_snapshot_xmax(txid_current_snapshot())::text as n`;
  return String((await query.execute(t.ctx.db)).rows[0].n);
}
