import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { isPostgresUrl, sqlitePath } from './connection.js';

/*
 * Online backup of the embedded store: SQLite's backup API copies a consistent snapshot page by page while the
 * server keeps reading and writing (WAL). PostgreSQL has its own tools (pg_dump); see docs/OPERATIONS.md.
 */

export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupResult {
  source: string;
  target: string;
  pages: number;
}

/** Copies the SQLite store at `databaseUrl` into the new file `target`, then checks the copy's integrity. */
export async function backupSqlite(databaseUrl: string, target: string): Promise<BackupResult> {
  if (isPostgresUrl(databaseUrl)) {
    throw new BackupError(
      'DATABASE_URL is PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=backup.dump "$DATABASE_URL".'
    );
  }
  const source = sqlitePath(databaseUrl);
  if (source === ':memory:' || !existsSync(source)) throw new BackupError(`There is no SQLite store at ${source}.`);
  if (existsSync(target)) throw new BackupError(`${target} already exists; name a new file.`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  let pages = 0;
  try {
    const progress = await db.backup(target);
    pages = progress.totalPages;
  } finally {
    db.close();
  }
  const copy = new Database(target, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`The copy in ${target} failed its integrity check: ${String(check)}.`);
  } finally {
    copy.close();
  }
  return { source, target, pages };
}
