// npm run backup -- <file> [--schema <name>] — a backup of the configured database (DATA_DIR's SQLite
// file, or DATABASE_URL's PostgreSQL) in one file; safe while the server runs. See docs/backup.md.
import { parseArgs } from 'node:util';
import { BackupError, backupDatabase, backupTarget } from '../server/src/platform/backup';
import { loadConfigOrExit } from '../server/src/platform/config';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { schema: { type: 'string' } } });
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error('用法：npm run backup -- <备份文件> [--schema <模式>]');
  console.error('Usage: npm run backup -- <backup file> [--schema <schema>]');
  process.exit(1);
}
const config = loadConfigOrExit();

try {
  const header = await backupDatabase(backupTarget(config, values.schema), file);
  const kind = header.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  console.log(`备份完成：${file}（${kind}，迁移 ${header.migration}）`);
  console.log(`Backup written: ${file} (${kind}, migration ${header.migration})`);
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(`备份失败：${err.zh}`);
  console.error(`Backup failed: ${err.en}`);
  process.exit(1);
}
