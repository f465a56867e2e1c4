import { ConfigError, loadConfig } from '../config.js';
import { BackupError, backupSqlite } from '../store/backup.js';

/* `npm run backup -- <file>`: an online copy of the SQLite store at DATABASE_URL into a new file. */

const [target, ...extra] = process.argv.slice(2);
if (!target || extra.length > 0) {
  console.error('Usage: npm run backup -- <new file>   (copies the SQLite store at DATABASE_URL while it runs)');
  process.exit(2);
}
try {
  const { source, pages } = await backupSqlite(loadConfig().databaseUrl, target);
  console.log(`Backed up ${source} to ${target} (${pages} pages, integrity ok).`);
} catch (error) {
  if (!(error instanceof BackupError || error instanceof ConfigError)) throw error;
  console.error(`backup: ${error.message}`);
  process.exit(1);
}
