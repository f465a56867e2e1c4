import type SqliteDatabase from 'better-sqlite3';
import { csvStream } from '../../../src/server/http/csv-export.js';
import { WHOLE_TENANT, type Store, type TeamExportRow } from '../../../src/server/store/index.js';
import { exportTeamLog } from '../../../src/server/usecases/export-team-log.js';
import { bulkInsertInteractions } from '../../helpers/bulk.js';
import { newTenantId } from '../../helpers/contract.js';
import { createTestStore, type TestStore } from '../../helpers/stores.js';

/*
 * On SQLite an export reads through a connection of its own (issue 18): read-only, with a small page cache and no
 * memory mapping, so that the server's one connection keeps its cache (64 MiB) and resident memory does not grow by
 * it; one read transaction, so the file is one snapshot; and closed however the export ends. Every better-sqlite3
 * handle this process opens is recorded, so the tests see the export's handle as SQLite does.
 */

const mockHandles: SqliteDatabase.Database[] = [];
jest.mock('better-sqlite3', () => {
  const Actual = jest.requireActual<typeof SqliteDatabase>('better-sqlite3');
  return class RecordedDatabase extends Actual {
    constructor(...args: ConstructorParameters<typeof SqliteDatabase>) {
      super(...args);
      mockHandles.push(this);
    }
  };
});

const ROWS = 1_000;
const PAGE = 100;

let testStore: TestStore;
let store: Store;
const tenant = newTenantId();
const filter = { scope: WHOLE_TENANT };

beforeAll(async () => {
  testStore = await createTestStore('sqlite');
  store = testStore.store;
  const salesperson = await store.directory.createSalesperson(tenant, { name: 'Mia', email: 'mia@northwind.example' });
  const contact = await store.directory.createContact(tenant, { name: 'Lena', email: 'lena@fabrikam.example' });
  await bulkInsertInteractions(testStore, {
    tenantId: tenant,
    contactIds: [contact.id],
    salespersonIds: [salesperson.id],
    count: ROWS,
    newestAt: Date.now() - 60_000
  });
});
afterAll(() => testStore.dispose());

/** The handles opened while `work` runs. */
async function handlesOpenedBy<T>(work: () => Promise<T>): Promise<{ result: T; opened: SqliteDatabase.Database[] }> {
  const before = mockHandles.length;
  const result = await work();
  return { result, opened: mockHandles.slice(before) };
}

const pragma = (handle: SqliteDatabase.Database, name: string): unknown => handle.pragma(name, { simple: true });

/** Lets pending callbacks run (a stream's close, the returns it starts). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

test('an export reads through a read-only handle of its own with a 2 MiB cache and no mmap, closed at the end', async () => {
  const pages = store.teamHistory.exportRows(tenant, filter, PAGE);
  const { result: first, opened } = await handlesOpenedBy(() => pages.next());
  expect(first.value).toHaveLength(PAGE);
  expect(opened).toHaveLength(1);
  const [handle] = opened as [SqliteDatabase.Database];
  expect(handle.name).toBe(testStore.url);
  expect(handle.readonly).toBe(true);
  expect(handle.inTransaction).toBe(true);
  expect(pragma(handle, 'cache_size')).toBe(-2048);
  expect(pragma(handle, 'mmap_size')).toBe(0);
  // The server's own handle keeps its cache.
  const main = mockHandles.find((h) => h.open && !h.readonly && h.name === testStore.url);
  expect(pragma(main as SqliteDatabase.Database, 'cache_size')).toBe(-64 * 1024);

  let rows = (first.value as TeamExportRow[]).length;
  for await (const page of pages) rows += page.length;
  expect(rows).toBe(ROWS);
  expect(handle.open).toBe(false);
});

test('an export that stops early closes its handle: a client gone mid-download, or before the first byte', async () => {
  const mid = store.teamHistory.exportRows(tenant, filter, PAGE);
  const { opened: midway } = await handlesOpenedBy(() => mid.next());
  await mid.return(undefined);
  expect(midway.map((h) => h.open)).toEqual([false]);

  // A filter that can match nothing ends before any read.
  const nobody = { scope: { kind: 'salespeople' as const, salespersonIds: [] } };
  const { opened: unread } = await handlesOpenedBy(() => store.teamHistory.exportRows(tenant, nobody, PAGE).next());
  expect(unread.map((h) => h.open)).toEqual([false]);

  // The route's path: the use case reads the first page before the response starts; the stream is then destroyed
  // as the client goes away, before or after reading anything.
  for (const readFirst of [false, true]) {
    const { result: stream, opened } = await handlesOpenedBy(async () =>
      csvStream(await exportTeamLog(store, tenant, filter), [{ header: 'id', value: (row) => row.id }])
    );
    expect(opened.map((h) => h.open)).toEqual([true]);
    if (readFirst) await new Promise((resolve) => stream.once('data', resolve));
    stream.destroy();
    await settle();
    expect(opened.map((h) => h.open)).toEqual([false]);
  }
});

test("closing the store closes an export's handle that its reader left open", async () => {
  const other = await createTestStore('sqlite');
  try {
    const salesperson = await other.store.directory.createSalesperson(tenant, { name: 'Mia', email: 'mia@n.example' });
    const contact = await other.store.directory.createContact(tenant, { name: 'Lena', email: 'lena@f.example' });
    const people = { tenantId: tenant, contactIds: [contact.id], salespersonIds: [salesperson.id] };
    await bulkInsertInteractions(other, { ...people, count: PAGE * 2, newestAt: Date.now() });
    const pages = other.store.teamHistory.exportRows(tenant, filter, PAGE);
    const { opened } = await handlesOpenedBy(() => pages.next());
    expect(opened.map((h) => h.open)).toEqual([true]);
    await other.store.close();
    expect(opened.map((h) => h.open)).toEqual([false]);
  } finally {
    await other.dispose().catch(() => undefined);
  }
});

test('an export is one snapshot: rows changed or deleted after its first page are exported as they were', async () => {
  const before: TeamExportRow[] = [];
  for await (const page of store.teamHistory.exportRows(tenant, filter, PAGE)) before.push(...page);

  const pages = store.teamHistory.exportRows(tenant, filter, PAGE);
  const exported = [...((await pages.next()).value as TeamExportRow[])];
  // Another process's writes, say: a handle of its own, not recorded.
  const Actual = jest.requireActual<typeof SqliteDatabase>('better-sqlite3');
  const writer = new Actual(testStore.url);
  const unread = before.slice(PAGE).map((row) => row.id);
  writer.prepare(`update interactions set subject = 'Changed' where tenant_id = ?`).run(tenant);
  writer.prepare(`delete from interactions where tenant_id = ? and id = ?`).run(tenant, unread[0]);
  writer.prepare(`delete from interactions where tenant_id = ? and id = ?`).run(tenant, unread.at(-1));
  writer.close();
  for await (const page of pages) exported.push(...page);

  expect(exported).toEqual(before);
  // While the next export sees the changes.
  const after: TeamExportRow[] = [];
  for await (const page of store.teamHistory.exportRows(tenant, filter, PAGE)) after.push(...page);
  expect(after).toHaveLength(ROWS - 2);
  expect(after.every((row) => row.subject === 'Changed')).toBe(true);
});
