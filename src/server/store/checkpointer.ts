import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/*
 * SQLite checkpoints the write-ahead log into the database file inside the commit that takes the log past
 * `wal_autocheckpoint` pages: that commit, and every request waiting for the store's one connection behind it,
 * waits while pages are copied and both files are synced to disk. While the processor logs a backlog that was a
 * third of all commit time (docs/PERFORMANCE.md, bench:mailbox). Here a worker thread with a connection of its own
 * checkpoints every CHECKPOINT_EVERY_MS instead, in PASSIVE mode (https://www.sqlite.org/c3ref/wal_checkpoint_v2.html:
 * it copies what no reader still needs and never waits for, nor blocks, a reader or a writer).
 *
 * The store's connection keeps an automatic checkpoint at SAFETY_NET_PAGES, so the log stays bounded if the worker
 * falls behind; if the worker cannot start or fails, the connection goes back to SQLite's default.
 * The worker is a few lines of CommonJS given as text, so it runs the same under tsx, Jest and the built server,
 * none of which would agree on the path of a TypeScript worker file.
 */

export const CHECKPOINT_EVERY_MS = 200;
/** About 32 MiB of 4 KiB pages: the log's bound while the worker keeps up, SQLite's own checkpoint beyond. */
export const SAFETY_NET_PAGES = 8000;
/** SQLite's default automatic checkpoint, restored when the worker is gone. */
const SQLITE_DEFAULT_PAGES = 1000;
/** How long closing waits for the worker to close its connection before it stops the thread. */
const CLOSE_WAIT_MS = 2000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (another process's checkpoint) or the file is gone: the next tick tries again.
  }
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  close(): Promise<void>;
}

/** Starts checkpointing the SQLite file at `path`, whose store connection is `database`, from a worker thread. */
export function startCheckpointer(database: SqliteDatabase.Database, path: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path, everyMs: CHECKPOINT_EVERY_MS }
  });
  // The thread must not keep a process alive that is otherwise done (a CLI run, a test that forgot to close).
  worker.unref();
  database.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  // Whenever the worker is gone, for whatever reason, the connection checkpoints by itself again.
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      if (database.open) database.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`);
      resolve();
    })
  );
  // An error ends the worker ('exit' follows); it must not end the process.
  worker.on('error', () => undefined);
  let closing: Promise<void> | null = null;
  return {
    close() {
      closing ??= (async () => {
        worker.postMessage('close');
        const timer = setTimeout(() => void worker.terminate(), CLOSE_WAIT_MS);
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    }
  };
}
