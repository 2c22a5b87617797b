import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { BackupError, backupDatabase, backupTarget, readHeader, restoreDatabase, type BackupTarget } from './backup';
import { loadConfig } from './config';

const testDatabaseUrl = loadConfig().TEST_DATABASE_URL;

/** Row ids of the tables a restore must bring back whole. */
async function snapshot(db: Kysely<any>) {
  const ids = async (table: string, column: string) => new Set((await db.selectFrom(table).select(`${column} as id`).execute()).map((r) => String(r.id)));
  const versions = await db.selectFrom('kb_entry_versions').select(['entry_id', 'version']).execute();
  return {
    conversations: await ids('conversations', 'id'),
    messages: await ids('messages', 'id'),
    entryVersions: new Set(versions.map((v) => `${v.entry_id}#${v.version}`)),
    audit: await ids('audit_log', 'id'),
  };
}

function assertContains(restored: Set<string>, expected: Set<string>, what: string) {
  const missing = [...expected].filter((id) => !restored.has(id));
  assert.deepEqual(missing, [], `every ${what} present before the backup started is restored`);
}

describe(`backup and restore (${testDatabaseUrl ? 'PostgreSQL' : 'SQLite'})`, () => {
  let t: TestApp;
  let folder: string;
  let target: BackupTarget;
  /** The fresh database restores go into (PostgreSQL: a database of its own, dropped after). */
  let restoreTarget: BackupTarget;
  let restoreEnv: Record<string, string>;
  let restoreDatabaseName: string | undefined;

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'zhixun-backup-'));
    // SQLite on a file: the backup reads it through a connection of its own, as the CLI beside a running server
    t = await startTestApp(testDatabaseUrl ? {} : { env: { DATA_DIR: path.join(folder, 'live') } });
    target = backupTarget(t.ctx.config, t.schema);
    if (testDatabaseUrl) {
      restoreDatabaseName = `zx_restore_${randomBytes(6).toString('hex')}`;
      await maintenance(testDatabaseUrl, `CREATE DATABASE ${restoreDatabaseName}`);
      const url = new URL(testDatabaseUrl);
      url.pathname = `/${restoreDatabaseName}`;
      restoreTarget = { kind: 'postgres', url: url.toString() };
      restoreEnv = { DATABASE_URL: url.toString() };
    } else {
      restoreTarget = backupTarget({ DATA_DIR: path.join(folder, 'restored') });
      restoreEnv = { DATA_DIR: path.join(folder, 'restored') };
    }
  });
  after(async () => {
    await t?.close();
    if (restoreDatabaseName) await maintenance(testDatabaseUrl!, `DROP DATABASE IF EXISTS ${restoreDatabaseName} WITH (FORCE)`);
    rmSync(folder, { recursive: true, force: true });
  });

  it('a backup taken while the instance is busy restores every conversation, entry version and audit row', async () => {
    const editor = await t.tokenFor(['editor']);
    const entryIds = ((await t.app.inject({ url: '/api/v1/kb/manage/entries?pageSize=5', headers: bearer(editor) })).json().items as { id: string }[]).map((e) => e.id);
    assert.ok(entryIds.length > 0, 'the demo knowledge base has entries to edit');

    let busy = true;
    let writes = 0;
    const traffic = (async () => {
      while (busy) {
        const session = (await t.app.inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { siteKey: 'portal' } })).json();
        const visitor = { 'x-visitor-token': session.visitorToken };
        const started = await t.app.inject({ method: 'POST', url: '/api/v1/widget/conversations', headers: visitor, payload: { siteKey: 'portal' } });
        const conversationId = started.json().conversation.id as string;
        await t.app.inject({ method: 'POST', url: `/api/v1/widget/conversations/${conversationId}/messages`, headers: visitor, payload: { clientMessageId: `m-${writes}`, text: '养老保险怎么交' } });
        // a saved draft writes an entry version and an audit row
        const id = entryIds[writes % entryIds.length];
        const current = (await t.app.inject({ url: `/api/v1/kb/manage/entries/${id}`, headers: bearer(editor) })).json();
        const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/kb/manage/entries/${id}`, headers: bearer(editor), payload: { ...current.latest, answer: `${current.latest.answer}（修订 ${writes}）`, baseVersion: current.latestVersion } });
        assert.equal(saved.statusCode, 200, saved.body);
        writes++;
      }
    })();

    while (writes < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    const beforeBackup = await snapshot(t.ctx.database.db);
    const writesBefore = writes;
    const file = path.join(folder, 'zhixun.backup');
    const header = await backupDatabase(target, file);
    const writesDuringBackup = writes - writesBefore;
    const afterBackup = await snapshot(t.ctx.database.db);
    busy = false;
    await traffic;
    assert.ok(writesDuringBackup > 0, 'the instance kept writing while the backup ran');
    assert.equal(header.kind, target.kind);
    assert.match(header.migration, /^\d{3}_/);
    assert.deepEqual((await readHeader(file)).header, header, 'the file says what it holds');

    await restoreDatabase(restoreTarget, file);
    // the restored database opens as a whole instance (migrations find themselves up to date)
    const restored = await startTestApp({ seed: false, shareDatabaseWith: t, env: restoreEnv });
    try {
      const db = restored.ctx.database.db;
      const got = await snapshot(db);
      assertContains(got.conversations, beforeBackup.conversations, 'conversation');
      assertContains(got.messages, beforeBackup.messages, 'message');
      assertContains(got.entryVersions, beforeBackup.entryVersions, 'entry version');
      assertContains(got.audit, beforeBackup.audit, 'audit row');
      // and nothing from after the backup finished: a point in time between the two snapshots
      assertContains(afterBackup.conversations, got.conversations, 'restored conversation (known at backup end)');
      assertContains(afterBackup.audit, got.audit, 'restored audit row (known at backup end)');
      // no torn state: every message belongs to a restored conversation, every version to an entry
      const orphanMessages = await db.selectFrom('messages').select('id').where('conversation_id', 'not in', db.selectFrom('conversations').select('id')).execute();
      assert.deepEqual(orphanMessages, []);
      const orphanVersions = await db.selectFrom('kb_entry_versions').select('entry_id').where('entry_id', 'not in', db.selectFrom('kb_entries').select('id')).execute();
      assert.deepEqual(orphanVersions, []);
      // the restored instance serves the restored data
      const admin = await restored.adminToken();
      const someConversation = [...beforeBackup.conversations][0];
      const shown = await restored.app.inject({ url: `/api/v1/agent/conversations/${someConversation}`, headers: bearer(admin) });
      assert.equal(shown.statusCode, 200, shown.body);
    } finally {
      await restored.close();
    }
  });

  it('restore refuses a backup of the other database kind, or a file that is no backup, before touching anything', async () => {
    const file = path.join(folder, 'zhixun.backup');
    const other: BackupTarget = target.kind === 'sqlite' ? { kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' } : backupTarget({ DATA_DIR: path.join(folder, 'other') });
    await assert.rejects(restoreDatabase(other, file), (err: BackupError) => err instanceof BackupError && /backup but the configured database is/.test(err.en) && /不能恢复/.test(err.zh));
    const junk = path.join(folder, 'junk.backup');
    writeFileSync(junk, 'SQLite format 3\0 but not ours\n');
    await assert.rejects(restoreDatabase(restoreTarget, junk), (err: BackupError) => err instanceof BackupError && /Not a zhixun backup/.test(err.en));
  });

  it('restore refuses a SQLite database a running server has open', { skip: Boolean(testDatabaseUrl) }, async () => {
    const file = path.join(folder, 'zhixun.backup');
    await assert.rejects(restoreDatabase(target, file), (err: BackupError) => err instanceof BackupError && /stop the server/.test(err.en));
    // still serving, untouched
    assert.equal((await t.app.inject({ url: '/api/v1/kb/manage/entries?pageSize=1', headers: bearer(await t.adminToken()) })).statusCode, 200);
  });
});

async function maintenance(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
