import pg from 'pg';
import { historyPageTags } from '../../src/server/http/routes/interactions.js';
import { JsonBody, ResponseCache } from '../../src/server/http/response-cache.js';
import { openStore, WHOLE_TENANT, type Store } from '../../src/server/store/index.js';
import { storedEntry } from '../helpers/messages.js';
import { createTestStore, ENGINES, POSTGRES_URL, type TestStore } from '../helpers/stores.js';

/*
 * A write evicts only the history pages it changes, whoever wrote it: the reader and the writer here are two
 * stores on the same data (two connections to one SQLite file, as two processes would have; two pools on one
 * PostgreSQL schema, as two instances would have). The reader's cache counts its hits.
 */

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((wait) => setTimeout(wait, 25));
  expect(condition()).toBe(true);
}

describe.each(ENGINES)('history pages across writers (%s)', (engine) => {
  const tenantId = 'tenant-invalidation';
  let testStore: TestStore;
  let writer: Store;
  let reader: Store;
  let cache: ResponseCache;
  const people = {} as Record<'lena' | 'mikko' | 'ana', { id: string; name: string; email: string }>;
  let reads = 0;

  const history = async (contactId: string) => {
    const filter = { scope: WHOLE_TENANT, contactId, limit: 25 };
    const body = await cache.serve(contactId, async () => {
      reads += 1;
      const page = await reader.interactions.list(tenantId, filter);
      return new JsonBody(Buffer.from(JSON.stringify(page)), historyPageTags(tenantId, filter, page.items));
    });
    return (JSON.parse(body.identity.toString()) as { items: Array<{ subject: string }> }).items.map((i) => i.subject);
  };
  const log = (contact: { id: string; name: string; email: string }, subject: string) =>
    writer.interactions.insertNew(tenantId, [storedEntry(contact, people.ana, { subject })]);
  // Another writer's change reaches the reader a moment later (data_version's lag, NOTIFY's delivery); caughtUp()
  // waits for exactly that, no more.
  const delivered = () => reader.invalidations.caughtUp();

  beforeAll(async () => {
    testStore = await createTestStore(engine);
    writer = testStore.store;
    reader = await openStore(testStore.url, testStore.pgSchema ? { pgSchema: testStore.pgSchema, pgPoolSize: 2 } : {});
    cache = new ResponseCache({ maxBytes: 1024 * 1024, clock: reader.invalidations });
    const pick = ({ id, name, email }: { id: string; name: string; email: string }) => ({ id, name, email });
    people.lena = pick(
      await writer.directory.createContact(tenantId, { name: 'Lena', email: 'lena@fabrikam.example' }, null)
    );
    people.mikko = pick(
      await writer.directory.createContact(tenantId, { name: 'Mikko', email: 'mikko@contoso.example' }, null)
    );
    people.ana = pick(
      await writer.directory.createSalesperson(tenantId, { name: 'Ana', email: 'ana@northwind.example' })
    );
    await until(() => reader.invalidations.now() !== null);
  });
  afterAll(async () => {
    await reader.close();
    await testStore.dispose();
  });

  test("another writer's entry for the contact is on the next read; one for another contact evicts nothing", async () => {
    await log(people.lena, 'First');
    await log(people.mikko, 'Hello Mikko');
    await delivered();
    expect(await history(people.lena.id)).toEqual(['First']);
    expect(await history(people.mikko.id)).toEqual(['Hello Mikko']);
    const readsBefore = reads;
    const hitsBefore = cache.counts.hits;

    await log(people.mikko, 'Mikko again');
    await delivered();
    expect(await history(people.lena.id)).toEqual(['First']);
    expect(reads).toBe(readsBefore);
    expect(cache.counts.hits).toBe(hitsBefore + 1);
    expect(await history(people.mikko.id)).toEqual(['Mikko again', 'Hello Mikko']);
    expect(reads).toBe(readsBefore + 1);

    await log(people.lena, 'Second');
    await delivered();
    expect(await history(people.lena.id)).toEqual(['Second', 'First']);
  });

  test("a renamed contact and a change to the tenant's directory are on the next read", async () => {
    expect(await history(people.lena.id)).toHaveLength(2);
    await writer.directory.updateContact(tenantId, people.lena.id, { name: 'Lena Virtanen' }, null);
    await delivered();
    const readsBefore = reads;
    await history(people.lena.id);
    expect(reads).toBe(readsBefore + 1);
    await history(people.mikko.id);
    expect(reads).toBe(readsBefore + 1);
    // A salesperson's first sign-in binds the record to the user: nothing shown changes.
    await writer.directory.salespersonForUser(tenantId, { userId: 'oid-ana', email: people.ana.email, name: 'Ana' });
    await delivered();
    await history(people.mikko.id);
    expect(reads).toBe(readsBefore + 1);
    // A salesperson's change reaches every page of the tenant (names, teams, who sees whom).
    await writer.directory.createSalesperson(tenantId, { name: 'Ben', email: 'ben@northwind.example' });
    await delivered();
    await history(people.mikko.id);
    expect(reads).toBe(readsBefore + 2);
  });

  if (engine === 'postgres') {
    test('while the listener connection is lost every read goes to the database, and after it is back nothing missed is served', async () => {
      expect(await history(people.lena.id)).toHaveLength(2);
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      try {
        const ended = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and (query like 'listen %' or query like 'select pg_notify(%')`,
          [`interaction-log:${testStore.pgSchema}`]
        );
        // The writer's listener and the reader's (whose last statement is a caughtUp() fence).
        expect(ended.rowCount).toBe(2);
      } finally {
        await admin.end();
      }
      await until(() => reader.invalidations.now() === null);
      await reader.invalidations.caughtUp(); // without its listener, at once: there is nothing to catch up with
      await log(people.lena, 'Written while the reader was not listening');
      const readsBefore = reads;
      expect((await history(people.lena.id))[0]).toBe('Written while the reader was not listening');
      expect(await history(people.lena.id)).toHaveLength(3);
      expect(reads).toBe(readsBefore + 2);
      await until(() => reader.invalidations.now() !== null);
      await history(people.lena.id);
      await history(people.lena.id);
      expect(reads).toBe(readsBefore + 3);
    });
  }
});
