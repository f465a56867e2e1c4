import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { cacheTag, WHOLE_TENANT_TAG } from '../../../src/server/store/index.js';
import { newTenantId, rejectionOf, useStore } from '../../helpers/contract.js';
import { createTestStore, ENGINES } from '../../helpers/stores.js';

/*
 * Store.transaction, the use cases' unit of work: the repositories bound to one transaction, their own
 * transactions run inside it, and it commits or rolls back as a whole.
 */

const ACTOR = { userId: 'oid-admin', name: 'Admin' };

describe.each(ENGINES)('a unit of work on %s', (engine) => {
  const store = useStore(engine);

  test("a unit that throws rolls back every repository's write, nested units' too; the tenant's row is not remembered", async () => {
    const tenant = newTenantId();
    const failure = await rejectionOf(
      store().transaction(async (tx) => {
        await tx.directory.createTeam(tenant, { name: 'East' }, ACTOR);
        await tx.transaction((inner) =>
          inner.directory.createContact(tenant, { name: 'Lena', email: 'lena@fabrikam.example' }, ACTOR)
        );
        // What the unit wrote, it reads back before the end.
        expect((await tx.directory.listContacts(tenant, { limit: 10 })).items).toHaveLength(1);
        throw new Error('the decision after the writes failed');
      })
    );
    expect(String(failure)).toContain('the decision after the writes failed');
    expect(await store().directory.listTeams(tenant)).toEqual([]);
    expect((await store().directory.listContacts(tenant, { limit: 10 })).items).toEqual([]);
    expect((await store().audit.list(tenant, { limit: 10 })).items).toEqual([]);
    // Its first write of the tenant was rolled back with it: a later write creates the tenant's row again.
    await store().directory.createTeam(tenant, { name: 'East' }, ACTOR);
    expect((await store().directory.listTeams(tenant)).map((team) => team.name)).toEqual(['East']);
  });

  test("a unit commits all its writes and answers its work's value; the caches hear of the commit", async () => {
    const tenant = newTenantId();
    const clock = store().invalidations;
    await store().directory.createTeam(tenant, { name: 'West' }, ACTOR);
    await clock.caughtUp();
    expect(clock.now()).not.toBeNull();
    const before = clock.changedAt(cacheTag(tenant, WHOLE_TENANT_TAG));
    const id = await store().transaction(async (tx) => {
      const contact = await tx.directory.createContact(tenant, { name: 'Lena', email: 'lena@fabrikam.example' }, ACTOR);
      await tx.directory.createSalesperson(tenant, { name: 'Ana', email: 'ana@northwind.example' }, ACTOR);
      return contact.id;
    });
    expect((await store().directory.getContact(tenant, id)).name).toBe('Lena');
    expect((await store().directory.listSalespeople(tenant, { limit: 10 })).items).toHaveLength(1);
    await clock.caughtUp();
    expect(clock.now()).not.toBeNull();
    expect(clock.changedAt(cacheTag(tenant, WHOLE_TENANT_TAG))).toBeGreaterThan(before);
  });
});

/** Another process's writer: a thread with its own SQLite connection that commits one write when told to. */
function otherWriter(file: string): Worker {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.module);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 5000');
    parentPort.postMessage('ready');
    parentPort.once('message', () => {
      try {
        db.prepare('update readiness_probe set checked_at = ? where id = 1').run(Date.now());
        parentPort.postMessage('committed');
      } catch (error) {
        parentPort.postMessage(String(error.code || error));
      } finally {
        db.close();
      }
    });`;
  return new Worker(code, { eval: true, workerData: { file, module: require.resolve('better-sqlite3') } });
}

test('sqlite: another process that commits after a unit read waits for the unit, which then writes as it read', async () => {
  const testStore = await createTestStore('sqlite');
  const { store } = testStore;
  const writer = otherWriter(testStore.url);
  try {
    const tenant = newTenantId();
    await store.directory.createTeam(tenant, { name: 'East' }, ACTOR);
    expect(await once(writer, 'message')).toEqual(['ready']);
    const answer = once(writer, 'message');
    await store.transaction(async (tx) => {
      expect(await tx.directory.listTeams(tenant)).toHaveLength(1);
      writer.postMessage('write');
      await delay(150); // time enough for the other writer to commit, were it not held off
      await tx.directory.createTeam(tenant, { name: 'West' }, ACTOR);
    });
    expect(await answer).toEqual(['committed']);
    expect((await store.directory.listTeams(tenant)).map((team) => team.name)).toEqual(['East', 'West']);
  } finally {
    await writer.terminate();
    await testStore.dispose();
  }
});
