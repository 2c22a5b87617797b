#!/usr/bin/env node
// Runs every *.test.ts with node's test runner: once on SQLite, and again on PostgreSQL when
// TEST_DATABASE_URL is set. Browser tests (tests/browser) run once, on SQLite.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const filter = process.argv.slice(2);

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) find(full, out);
    else if (name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out;
}

const all = [...find(path.join(root, 'server')), ...find(path.join(root, 'tests'))]
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
const unit = all.filter((f) => !f.startsWith('tests/browser/'));
const browser = all.filter((f) => f.startsWith('tests/browser/'));

function run(label, files, env) {
  if (files.length === 0) return 0;
  console.log(`\n=== ${label}: ${files.length} test files ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

const sqliteEnv = { TEST_DATABASE_URL: '' };
let failed = 0;
failed += run('SQLite', [...unit, ...browser], sqliteEnv) ? 1 : 0;
/**
 * Each test app on PostgreSQL works in a schema of its own (t_ + 12 hex digits). They are dropped here,
 * before and after the run, not by each test file: Kysely's migrator introspects every schema of the
 * database, and a schema dropped by another test file in the middle of that query failed the migration
 * ('schema "t_…" does not exist').
 */
async function dropTestSchemas(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("select nspname from pg_namespace where nspname ~ '^t_[0-9a-f]{12}$'");
    for (const { nspname } of rows) await client.query(`DROP SCHEMA IF EXISTS ${nspname} CASCADE`);
  } finally {
    await client.end();
  }
}

if (process.env.TEST_DATABASE_URL) {
  await dropTestSchemas(process.env.TEST_DATABASE_URL);
  failed += run(`PostgreSQL (${process.env.TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//')})`, unit, {}) ? 1 : 0;
  await dropTestSchemas(process.env.TEST_DATABASE_URL);
}
process.exit(failed ? 1 : 0);
