import { mkdtempSync, rmSync, statSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAFETY_NET_PAGES, startCheckpointer } from '../../../src/server/store/checkpointer.js';
import { newId } from '../../../src/server/store/ids.js';
import { newTenantId } from '../../helpers/contract.js';
import { createTestStore, type TestStore } from '../../helpers/stores.js';
import { until } from '../../helpers/wait.js';

/*
 * SQLite's write-ahead log is copied into the database file by a worker thread (store/checkpointer.ts), not inside
 * the commit that fills it. In WAL mode the database file grows only when a checkpoint copies pages into it, so
 * its size tells whether one ran, with the store's own automatic checkpoint far above what these writes fill.
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const autocheckpoint = (database: SqliteDatabase.Database) => database.pragma('wal_autocheckpoint', { simple: true });

describe('the store on a SQLite file', () => {
  let testStore: TestStore;
  afterEach(() => testStore.dispose());

  it('has its log checkpointed while it writes, without a checkpoint of its own', async () => {
    testStore = await createTestStore('sqlite');
    const { store, url } = testStore;
    const tenant = newTenantId();
    const salesperson = await store.directory.createSalesperson(tenant, {
      name: 'Mia',
      email: 'mia@northwind.example'
    });
    const contact = await store.directory.createContact(tenant, { name: 'Lena', email: 'lena@fabrikam.example' });
    const before = statSync(url).size;
    const now = Date.now();
    for (let batch = 0; batch < 3; batch++) {
      await store.interactions.insertNew(
        tenant,
        Array.from({ length: 200 }, (_, i) => ({
          id: newId(),
          internetMessageId: `<${batch}-${i}@fabrikam.example>`,
          conversationId: null,
          occurredAt: now - batch * 1000 - i,
          direction: 'inbound' as const,
          subject: `Quote ${batch}-${i}`,
          preview: 'A preview long enough to fill some pages of the log. '.repeat(4),
          contact: { id: contact.id, name: contact.name, email: contact.email },
          salesperson: { id: salesperson.id, name: salesperson.name, email: salesperson.email },
          source: 'mailbox' as const,
          webLink: null,
          loggedBy: null,
          loggedAt: now
        }))
      );
    }
    // Below even SQLite's default automatic checkpoint (1,000 pages): only the worker copies these pages.
    const walPages = statSync(`${url}-wal`).size / 4096;
    expect(walPages).toBeLessThan(1000);
    await until('a checkpoint into the database file', () => statSync(url).size > before + 256 * 1024, 10_000);
  });
});

describe('startCheckpointer', () => {
  it('raises the connection’s own automatic checkpoint while it runs, and restores SQLite’s default when closed', async () => {
    const path = join(dir, 'x.sqlite');
    const database = new SqliteDatabase(path);
    database.pragma('journal_mode = WAL');
    const checkpointer = startCheckpointer(database, path);
    expect(autocheckpoint(database)).toBe(SAFETY_NET_PAGES);
    await checkpointer.close();
    expect(autocheckpoint(database)).toBe(1000);
    database.close();
  });

  it('gives the checkpoints back to the connection when the worker cannot open the file', async () => {
    const path = join(dir, 'x.sqlite');
    const database = new SqliteDatabase(path);
    database.pragma('journal_mode = WAL');
    const checkpointer = startCheckpointer(database, join(dir, 'missing', 'y.sqlite'));
    await until('the connection to checkpoint by itself again', () => autocheckpoint(database) === 1000, 10_000);
    await checkpointer.close();
    database.close();
  });
});
