// npm run restore -- <file> — replaces the configured database's data with a backup
// made by npm run backup. Stop the server first (on SQLite a running server is detected and refused).
import { parseArgs } from 'node:util';
import { BackupError, backupTarget, restoreDatabase } from '../server/src/platform/backup';
import { loadConfigOrExit } from '../server/src/platform/config';

const { positionals } = parseArgs({ allowPositionals: true });
const file = positionals[0];
if (!file || positionals.length > 1) {
  console.error('用法：npm run restore -- <备份文件>');
  console.error('Usage: npm run restore -- <backup file>');
  process.exit(1);
}
const config = loadConfigOrExit();

try {
  const header = await restoreDatabase(backupTarget(config), file);
  console.log(`恢复完成：${file}（${header.createdAt} 的备份，迁移 ${header.migration}）`);
  console.log(`Restored: ${file} (backup of ${header.createdAt}, migration ${header.migration})`);
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  console.error(`恢复失败：${err.zh}`);
  console.error(`Restore failed: ${err.en}`);
  process.exit(1);
}
