// Backup and restore of the platform's database (npm run backup / npm run restore, scripts/*.ts).
//
// A backup is one file: a one-line header (`ZHIXUN-BACKUP 1 {json}` — kind, app version, migration
// level, time) followed by the database's own backup bytes: a SQLite database file made with the
// online backup API, or a `pg_dump --format=custom` archive. The header lets restore refuse a file of
// the other kind, or no backup at all, before it touches anything.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Config } from './config';

const MAGIC = 'ZHIXUN-BACKUP 1 ';
/** The header line is short; more than this before a newline means the file is not one of ours. */
const HEADER_LIMIT = 64 * 1024;
/** The table Kysely records applied migrations in (platform/migrations.ts). */
const MIGRATION_TABLE = 'kysely_migration';

export type BackupKind = 'sqlite' | 'postgres';

export interface BackupHeader {
  kind: BackupKind;
  appVersion: string;
  /** Name of the newest migration applied to the backed-up database. */
  migration: string;
  createdAt: string;
}

/** Which database to back up or restore into, as the server would open it. */
export type BackupTarget =
  | { kind: 'sqlite'; file: string }
  /** `schema`: one PostgreSQL schema only (tests keep one per test app); the whole database when absent. */
  | { kind: 'postgres'; url: string; schema?: string };

/** A refusal or failure the command line prints as is, in both languages. */
export class BackupError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

/** The database the configuration points at: DATABASE_URL (in DATABASE_SCHEMA when set), else the SQLite file in DATA_DIR (platform/database.ts). */
export function backupTarget(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DATABASE_SCHEMA'>, schema = config.DATABASE_SCHEMA): BackupTarget {
  if (config.DATABASE_URL) return { kind: 'postgres', url: config.DATABASE_URL, schema };
  if (config.DATA_DIR === ':memory:') throw new BackupError('内存数据库无法备份。', 'An in-memory database cannot be backed up.');
  return { kind: 'sqlite', file: path.join(config.DATA_DIR, 'zhixun.sqlite') };
}

/** Writes a backup of the target to `file` (replaced atomically when it exists). */
export async function backupDatabase(target: BackupTarget, file: string): Promise<BackupHeader> {
  const folder = path.dirname(path.resolve(file));
  await mkdir(folder, { recursive: true });
  const payload = path.join(folder, `.${path.basename(file)}.${randomBytes(4).toString('hex')}.part`);
  try {
    const migration = target.kind === 'sqlite' ? await sqliteBackup(target.file, payload) : await postgresBackup(target, payload);
    const header: BackupHeader = { kind: target.kind, appVersion: appVersion(), migration, createdAt: new Date().toISOString() };
    await writeAtomically(file, MAGIC + JSON.stringify(header) + '\n', payload);
    return header;
  } finally {
    await removeWithJournal(payload);
  }
}

/**
 * Replaces the target's data with the backup's. SQLite: refused while another connection (a running
 * server) has the file open. PostgreSQL: one transaction, dropping and recreating the backed-up objects;
 * the server should be stopped (its connections would hold locks and cached state).
 */
export async function restoreDatabase(target: BackupTarget, file: string): Promise<BackupHeader> {
  const { header, payloadOffset } = await readHeader(file);
  if (header.kind !== target.kind) {
    const name = (kind: BackupKind) => (kind === 'sqlite' ? 'SQLite' : 'PostgreSQL');
    throw new BackupError(
      `这是 ${name(header.kind)} 备份，当前配置的数据库是 ${name(target.kind)}，不能恢复。`,
      `This is a ${name(header.kind)} backup but the configured database is ${name(target.kind)}; nothing was restored.`,
    );
  }
  if (target.kind === 'sqlite') await sqliteRestore(target.file, file, payloadOffset);
  else await postgresRestore(target, file, payloadOffset);
  return header;
}

/** The header of a backup file; refuses anything else. */
export async function readHeader(file: string): Promise<{ header: BackupHeader; payloadOffset: number }> {
  if (!existsSync(file)) throw new BackupError(`找不到备份文件：${file}`, `Backup file not found: ${file}`);
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEADER_LIMIT);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_LIMIT, 0);
    const start = buffer.subarray(0, bytesRead);
    const newline = start.indexOf(0x0a);
    const line = newline < 0 ? '' : start.subarray(0, newline).toString('utf8');
    let header: BackupHeader | undefined;
    if (line.startsWith(MAGIC)) {
      try {
        header = JSON.parse(line.slice(MAGIC.length)) as BackupHeader;
      } catch {
        header = undefined;
      }
    }
    if (!header || (header.kind !== 'sqlite' && header.kind !== 'postgres') || typeof header.migration !== 'string') {
      throw new BackupError(`不是智询备份文件：${file}`, `Not a zhixun backup file: ${file}`);
    }
    return { header, payloadOffset: newline + 1 };
  } finally {
    await handle.close();
  }
}

function appVersion(): string {
  const packageFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../package.json');
  return (JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string }).version;
}

// ---- SQLite ----

/** Copies the live database with SQLite's online backup API; returns its migration level. */
async function sqliteBackup(databaseFile: string, payload: string): Promise<string> {
  if (!existsSync(databaseFile)) throw new BackupError(`找不到数据库文件：${databaseFile}`, `Database file not found: ${databaseFile}`);
  const source = new SQLite(databaseFile, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // After the first step, copy the rest in one step: one read transaction, so a server writing all
    // the time cannot restart the copy forever (WAL readers never block its writers).
    await source.backup(payload, { progress: ({ totalPages }) => totalPages });
  } finally {
    source.close();
  }
  return checkSqliteFile(payload);
}

/** The newest migration of a SQLite file, or a refusal when it is not a sound zhixun database. */
function checkSqliteFile(file: string): string {
  const notOurs = () => new BackupError('备份内容不是完整的智询数据库。', 'The backup does not hold a sound zhixun database.');
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { fileMustExist: true });
  } catch {
    throw notOurs();
  }
  try {
    // a copy of a WAL database is in WAL mode too; out of it, the copy is one self-contained file
    db.pragma('journal_mode = DELETE');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw notOurs();
    const row = db.prepare(`select name from ${MIGRATION_TABLE} order by name desc limit 1`).get() as { name: string } | undefined;
    if (!row) throw notOurs();
    return row.name;
  } catch (err) {
    throw err instanceof BackupError ? err : notOurs();
  } finally {
    db.close();
  }
}

async function sqliteRestore(databaseFile: string, backupFile: string, payloadOffset: number) {
  const folder = path.dirname(path.resolve(databaseFile));
  await mkdir(folder, { recursive: true });
  const incoming = path.join(folder, `.${path.basename(databaseFile)}.${randomBytes(4).toString('hex')}.restore`);
  try {
    await writeAtomically(incoming, '', backupFile, payloadOffset);
    checkSqliteFile(incoming);
    if (existsSync(databaseFile)) refuseWhenInUse(databaseFile);
    // a -wal left beside the old file would be replayed onto the restored one
    await rm(`${databaseFile}-wal`, { force: true });
    await rm(`${databaseFile}-shm`, { force: true });
    await rename(incoming, databaseFile);
    await syncFolder(folder);
  } finally {
    await removeWithJournal(incoming);
  }
}

/**
 * Leaving WAL mode needs the only connection to the file: SQLITE_BUSY means a server (or another tool)
 * has it open. Closing the sole connection also checkpoints the WAL into the file and removes it.
 */
function refuseWhenInUse(databaseFile: string) {
  const inUse = () =>
    new BackupError(
      `数据库正在使用（服务器在运行？），请先停止服务器再恢复：${databaseFile}`,
      `The database is in use (is the server running?); stop the server before restoring: ${databaseFile}`,
    );
  let db: SQLite.Database;
  try {
    db = new SQLite(databaseFile, { fileMustExist: true });
  } catch {
    return; // unreadable (damaged): nothing to protect, the restore replaces it
  }
  try {
    db.pragma('busy_timeout = 0');
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw inUse();
  } catch (err) {
    if (err instanceof BackupError || (err as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw inUse();
    // a damaged file: the restore replaces it
  } finally {
    db.close();
  }
}

// ---- PostgreSQL ----

async function postgresBackup(target: Extract<BackupTarget, { kind: 'postgres' }>, payload: string): Promise<string> {
  const migration = await postgresMigration(target);
  const args = ['--format=custom', `--file=${payload}`];
  if (target.schema) args.push(`--schema=${target.schema}`);
  await runPostgresTool('pg_dump', args, target.url);
  return migration;
}

async function postgresMigration(target: Extract<BackupTarget, { kind: 'postgres' }>): Promise<string> {
  if (target.schema && !/^[a-z_][a-z0-9_]*$/.test(target.schema)) {
    throw new BackupError(`模式名无效：${target.schema}`, `Bad schema name: ${target.schema}`);
  }
  const client = new pg.Client({ connectionString: target.url });
  try {
    await client.connect();
  } catch (err) {
    throw new BackupError(`无法连接 PostgreSQL：${(err as Error).message}`, `Cannot connect to PostgreSQL: ${(err as Error).message}`);
  }
  try {
    const table = target.schema ? `${target.schema}.${MIGRATION_TABLE}` : MIGRATION_TABLE;
    const result = await client.query(`select name from ${table} order by name desc limit 1`);
    if (!result.rows[0]) throw new Error('no migrations');
    return result.rows[0].name as string;
  } catch {
    throw new BackupError('该数据库不是智询数据库（没有迁移记录）。', 'This database is not a zhixun database (no migration records).');
  } finally {
    await client.end();
  }
}

async function postgresRestore(target: Extract<BackupTarget, { kind: 'postgres' }>, backupFile: string, payloadOffset: number) {
  const archive = path.join(tmpdir(), `zhixun-restore-${randomBytes(6).toString('hex')}.dump`);
  try {
    await writeAtomically(archive, '', backupFile, payloadOffset);
    // one transaction: a failed restore leaves the database as it was
    await runPostgresTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', archive], target.url);
  } finally {
    await rm(archive, { force: true });
  }
}

/**
 * Runs pg_dump / pg_restore against the URL. The password goes in PGPASSWORD, not on the command line,
 * where `ps` would show it to every user of the machine.
 */
function runPostgresTool(tool: 'pg_dump' | 'pg_restore', args: string[], url: string): Promise<void> {
  const address = new URL(url);
  const password = decodeURIComponent(address.password);
  address.password = '';
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  return new Promise((resolve, reject) => {
    const child = spawn(tool, [`--dbname=${address.toString()}`, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.on('error', (err) =>
      reject(
        new BackupError(
          `无法运行 ${tool}（请安装 PostgreSQL 客户端工具）：${err.message}`,
          `Cannot run ${tool} (install the PostgreSQL client tools): ${err.message}`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const detail = errors.trim().split('\n').slice(-3).join(' ').replaceAll(password || '\u0000', '***');
      reject(new BackupError(`${tool} 失败（退出码 ${code}）：${detail}`, `${tool} failed (exit code ${code}): ${detail}`));
    });
  });
}

// ---- files ----

/**
 * Writes `prefix` then the bytes of `source` from `offset` to a temporary file beside `file`, flushes
 * it to disk and renames it over `file`: a crash leaves either the old file or the whole new one.
 */
async function writeAtomically(file: string, prefix: string, source: string, offset = 0) {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    if (prefix) await handle.write(prefix);
    for await (const chunk of createReadStream(source, { start: offset })) await handle.write(chunk as Buffer);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temporary, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temporary, file);
  await syncFolder(path.dirname(path.resolve(file)));
}

/** Removes a file and any SQLite journal beside it. */
async function removeWithJournal(file: string) {
  for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(file + suffix, { force: true });
}

/** Makes a rename in the folder durable. */
async function syncFolder(folder: string) {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
