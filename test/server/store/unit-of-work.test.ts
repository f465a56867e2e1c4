import { cacheTag, WHOLE_TENANT_TAG } from '../../../src/server/store/index.js';
import { newTenantId, rejectionOf, useStore } from '../../helpers/contract.js';
import { ENGINES } from '../../helpers/stores.js';

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
