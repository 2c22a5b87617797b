import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';

// pg returns int8 (count(*)) as strings; counts here are small, so numbers are safe.
pg.types.setTypeParser(20, (v) => Number(v));

export type Dialect = 'sqlite' | 'postgres';

/** The open database: a Kysely instance plus the dialect, for the rare place that must know it. */
export interface Database {
  db: Kysely<any>;
  dialect: Dialect;
  /** The PostgreSQL schema in use when not the default (test isolation). */
  schema?: string;
  /** PostgreSQL's connection pool, for its gauges in /metrics (SQLite has none). */
  pool?: { readonly totalCount: number; readonly idleCount: number; readonly waitingCount: number };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL URL; SQLite in dataDir when absent. */
  url?: string;
  /** Folder of the SQLite file; ':memory:' keeps it in memory (tests). */
  dataDir: string;
  /** PostgreSQL schema to use (created when missing): lets test files share one database. */
  schema?: string;
}

/** Opens SQLite (embedded default) or PostgreSQL, as configured. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.schema);
  let file = ':memory:';
  if (options.dataDir !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true });
    file = path.join(options.dataDir, 'zhixun.sqlite');
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * Kysely prepares every query's SQL again; a chat message runs a dozen statements of the same few
 * shapes, so keeping the prepared statements halves their cost. Bounded: `in (…)` lists of varying
 * length make new shapes, and the cache simply starts over when full.
 */
function withStatementCache(sqlite: SQLite.Database, limit = 1000) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= limit) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => sqlite.close(),
  };
}

async function openPostgres(url: string, schema?: string): Promise<Database> {
  if (schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await admin.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', schema, pool, close: () => db.destroy() };
}

/** True when the database answers a trivial query. */
export async function isDatabaseUp(database: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(database.db);
    return true;
  } catch {
    return false;
  }
}

/** JSON stored as text, the same in both dialects. */
export const toJson = (value: unknown) => JSON.stringify(value ?? null);
export function fromJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * Whether a database error is a unique-key violation: SQLite (better-sqlite3) names it in `code`,
 * PostgreSQL gives SQLSTATE 23505. Two requests racing past a use case's pre-check end here.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
