// Preloaded into the platform's process by `npm run bench:chat` with --profile or --what-if
// (node --import), so that the benchmark can look inside the server without changing its code:
// - BENCH_QUERY_COUNT_FILE: counts the SQL statements the server prepares (Kysely's SQLite driver
//   prepares every query it runs), by statement; on SIGUSR2 writes the counts so far to that file.
// - BENCH_WHAT_IF: comma-separated experiments that show what a server change would gain:
//   `sync-normal` runs SQLite with synchronous=NORMAL (WAL: no fsync per commit; a process crash
//   loses nothing, a power loss may lose the last commits); `statement-cache` reuses each prepared
//   statement instead of compiling the same SQL again on every query.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

type Statement = unknown;
interface SqliteDatabase {
  prepare(sql: string): Statement;
  pragma(source: string): unknown;
}

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as { prototype: SqliteDatabase };
const experiments = new Set((process.env.BENCH_WHAT_IF ?? '').split(',').filter(Boolean));
const countFile = process.env.BENCH_QUERY_COUNT_FILE;
const counts: Record<string, number> = {};
const caches = new WeakMap<SqliteDatabase, Map<string, Statement>>();
const prepare = Database.prototype.prepare;

Database.prototype.prepare = function (this: SqliteDatabase, sql: string) {
  if (countFile) {
    // the statement's shape: literals and placeholder lists folded, so one query is one key
    const shape = sql.replace(/\s+/g, ' ').replace(/'[^']*'/g, "'?'").replace(/\(\?(, \?)*\)/g, '(…)').slice(0, 160);
    counts[shape] = (counts[shape] ?? 0) + 1;
  }
  let cache = caches.get(this);
  if (!cache) {
    cache = new Map();
    caches.set(this, cache);
    if (experiments.has('sync-normal')) (prepare.call(this, 'PRAGMA synchronous = NORMAL') as { run(): unknown }).run();
  }
  if (!experiments.has('statement-cache')) return prepare.call(this, sql);
  let statement = cache.get(sql);
  if (!statement) {
    statement = prepare.call(this, sql);
    if (cache.size < 5000) cache.set(sql, statement);
  }
  return statement;
};

process.on('SIGUSR2', () => {
  if (countFile) writeFileSync(countFile, JSON.stringify(counts));
});
