import { setTimeout as delay } from 'node:timers/promises';
import { DirectoryStore } from '../../../src/server/store/directory.js';
import { StoreConflict } from '../../../src/server/store/errors.js';
import { importDirectory } from '../../../src/server/usecases/import-directory.js';
import { newTenantId, rejectionOf } from '../../helpers/contract.js';
import { failingTrigger, INJECTED_FAULT } from '../../helpers/fault-triggers.js';
import { createTestStore, ENGINES } from '../../helpers/stores.js';

/*
 * A directory import is one unit of work: the check's reads and every row's write, with the tenant's own row
 * when the import is its first write, commit together or not at all.
 */

const ACTOR = { userId: 'oid-admin', name: 'Admin' };
const FILE = ['name,email', 'Alpha,alpha@fabrikam.example', 'Beta,beta@fabrikam.example', 'Boom,boom@fabrikam.example']
  .map((line) => `${line}\r\n`)
  .join('');

describe.each(ENGINES)('importing the directory on %s', (engine) => {
  test("a first import failing on its last row leaves nothing written, not even the tenant's row", async () => {
    const testStore = await createTestStore(engine);
    const { store } = testStore;
    try {
      const tenant = newTenantId();
      const contacts = async () => (await store.directory.listContacts(tenant, { limit: 10 })).items;
      const importFile = () => importDirectory(store, tenant, 'contacts', FILE, { dryRun: false, actor: ACTOR });
      expect(await store.isEmpty()).toBe(true);

      const removeFault = await failingTrigger(testStore, 'contacts', 'insert', "new.name = 'Boom'");
      try {
        expect(String(await rejectionOf(importFile()))).toContain(INJECTED_FAULT);
      } finally {
        await removeFault();
      }
      expect(await contacts()).toEqual([]);
      expect((await store.audit.list(tenant, { limit: 10 })).items).toEqual([]);
      // An empty store is seeded with the demo data at start-up: a failed import must leave it empty.
      expect(await store.isEmpty()).toBe(true);

      // The tenant's row was not remembered as written: the same import commits now.
      const report = await importFile();
      expect(report).toMatchObject({ committed: true, counts: { created: 3, rejected: 0 } });
      expect((await contacts()).map((contact) => contact.name).sort()).toEqual(['Alpha', 'Beta', 'Boom']);
    } finally {
      await testStore.dispose();
    }
  });
});

test("sqlite: a writer that comes between the import's check and its writes waits for the import to commit", async () => {
  // On SQLite the unit holds the process's one connection from the check to the commit. (PostgreSQL's transactions
  // run side by side at READ COMMITTED: there the import's own checks refuse an address taken meanwhile, and the
  // whole import rolls back.)
  const testStore = await createTestStore('sqlite');
  const { store } = testStore;
  const lookup = DirectoryStore.prototype.importLookup;
  let rival: Promise<unknown> | undefined;
  const spy = jest.spyOn(DirectoryStore.prototype, 'importLookup').mockImplementation(async function (
    this: DirectoryStore,
    ...args: Parameters<DirectoryStore['importLookup']>
  ) {
    const found = await lookup.apply(this, args);
    // Another request of this process claims the last row's address now; the import goes on once it is done, or
    // after a while if it has to wait.
    rival ??= store.directory
      .createContact(args[0], { name: 'Rival', email: 'boom@fabrikam.example' }, ACTOR)
      .catch((error: unknown) => error);
    await Promise.race([rival, delay(200)]);
    return found;
  });
  try {
    const tenant = newTenantId();
    await store.directory.createTeam(tenant, { name: 'East' }, ACTOR); // the tenant exists
    const report = await importDirectory(store, tenant, 'contacts', FILE, { dryRun: false, actor: ACTOR });
    expect(report).toMatchObject({ committed: true, counts: { created: 3, rejected: 0 } });
    expect(await rival).toBeInstanceOf(StoreConflict);
    const { items } = await store.directory.listContacts(tenant, { limit: 10 });
    expect(items.map((contact) => contact.name).sort()).toEqual(['Alpha', 'Beta', 'Boom']);
  } finally {
    spy.mockRestore();
    await testStore.dispose();
  }
});
