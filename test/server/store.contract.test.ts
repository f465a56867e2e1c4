import { InvalidCursor, StoreConflict, StoreConstraint, StoreNotFound } from '../../src/server/store/errors.js';
import { encodeCursor } from '../../src/server/store/cursor.js';
import type { Contact, Salesperson } from '../../src/shared/schemas/directory.js';
import { allPages, newTenantId, rejectionOf, useStore } from '../helpers/contract.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * The directory half of the store contract: contacts, salespeople, teams and the address book the
 * matching rules read. The same tests run against SQLite and PostgreSQL.
 */

describe.each(ENGINES)('store contract on %s: directory', (engine) => {
  const store = useStore(engine);
  const directory = () => store().directory;

  describe('contacts', () => {
    test('create and get round-trip every field; alternate emails keep their order and spelling', async () => {
      const tenant = newTenantId();
      const created = await directory().createContact(
        tenant,
        {
          name: '  Carl Contoso  ',
          email: 'Carl@Contoso.example',
          alternateEmails: ['zeta@home.example', 'Alpha@Home.example', 'mid@other.example'],
          company: 'Contoso Ltd',
          phone: '+358 40 123 4567'
        },
        { userId: 'user-1', name: 'User One' }
      );
      expect(created).toEqual({
        id: expect.any(String),
        name: 'Carl Contoso',
        email: 'Carl@Contoso.example',
        alternateEmails: ['zeta@home.example', 'Alpha@Home.example', 'mid@other.example'],
        company: 'Contoso Ltd',
        phone: '+358 40 123 4567',
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String)
      });
      expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
      expect(await directory().getContact(tenant, created.id)).toEqual(created);

      const bare = await directory().createContact(tenant, { name: 'Dora', email: 'dora@fabrikam.example' }, null);
      expect(bare).toMatchObject({ alternateEmails: [], company: null, phone: null });
    });

    test('update changes fields, replaces alternates in the new order, and the address book follows', async () => {
      const tenant = newTenantId();
      const contact = await directory().createContact(
        tenant,
        {
          name: 'Carl',
          email: 'carl@contoso.example',
          alternateEmails: ['old@home.example'],
          company: 'Contoso',
          phone: '1'
        },
        null
      );
      const updated = await directory().updateContact(tenant, contact.id, {
        name: 'Carl Updated',
        alternateEmails: ['new2@home.example', 'new1@home.example'],
        company: 'Contoso Group',
        phone: null
      });
      expect(updated).toMatchObject({
        id: contact.id,
        name: 'Carl Updated',
        email: 'carl@contoso.example',
        alternateEmails: ['new2@home.example', 'new1@home.example'],
        company: 'Contoso Group',
        phone: null
      });
      expect(await directory().getContact(tenant, contact.id)).toEqual(updated);

      const book = await directory().resolveAddresses(tenant, [
        'carl@contoso.example',
        'old@home.example',
        'new1@home.example',
        'new2@home.example'
      ]);
      expect([...book.contacts.keys()].sort()).toEqual([
        'carl@contoso.example',
        'new1@home.example',
        'new2@home.example'
      ]);
      expect(book.contacts.get('new1@home.example')).toEqual({
        id: contact.id,
        name: 'Carl Updated',
        email: 'carl@contoso.example'
      });

      // A patch without address fields keeps the alternates.
      const renamed = await directory().updateContact(tenant, contact.id, { name: 'Carl Again' });
      expect(renamed.alternateEmails).toEqual(['new2@home.example', 'new1@home.example']);

      // Changing the primary address frees the old one for someone else.
      await directory().updateContact(tenant, contact.id, { email: 'carl@contoso-new.example' });
      const other = await directory().createContact(tenant, { name: 'Successor', email: 'carl@contoso.example' }, null);
      expect(other.email).toBe('carl@contoso.example');
    });

    test('get and update of a missing or foreign contact are StoreNotFound', async () => {
      const tenantA = newTenantId();
      const tenantB = newTenantId();
      const contact = await directory().createContact(tenantA, { name: 'Carl', email: 'carl@contoso.example' }, null);
      await directory().createContact(tenantB, { name: 'Someone', email: 'someone@b.example' }, null);
      expect(await rejectionOf(directory().getContact(tenantB, contact.id))).toBeInstanceOf(StoreNotFound);
      expect(await rejectionOf(directory().getContact(tenantA, 'no-such-id'))).toBeInstanceOf(StoreNotFound);
      expect(await rejectionOf(directory().updateContact(tenantB, contact.id, { name: 'Hijacked' }))).toBeInstanceOf(
        StoreNotFound
      );
      expect((await directory().getContact(tenantA, contact.id)).name).toBe('Carl');
    });

    test('an address identifies one contact per tenant: StoreConflict with the field pointer', async () => {
      const tenant = newTenantId();
      const carl = await directory().createContact(
        tenant,
        { name: 'Carl', email: 'carl@contoso.example', alternateEmails: ['carl@home.example'] },
        null
      );

      const primaryTaken = await rejectionOf(
        directory().createContact(tenant, { name: 'Copy', email: ' CARL@Contoso.Example ' }, null)
      );
      expect(primaryTaken).toBeInstanceOf(StoreConflict);
      expect((primaryTaken as StoreConflict).fields).toEqual([expect.objectContaining({ field: 'email' })]);

      const alternateTaken = await rejectionOf(
        directory().createContact(
          tenant,
          {
            name: 'Copy',
            email: 'copy@fabrikam.example',
            alternateEmails: ['free@fabrikam.example', 'Carl@Home.example']
          },
          null
        )
      );
      expect(alternateTaken).toBeInstanceOf(StoreConflict);
      expect((alternateTaken as StoreConflict).fields).toEqual([
        expect.objectContaining({ field: 'alternateEmails', index: 1 })
      ]);

      // Nothing of the refused contacts was written: their free addresses are still free.
      const listed = await directory().listContacts(tenant, { limit: 10 });
      expect(listed.items.map((c) => c.id)).toEqual([carl.id]);
      const book = await directory().resolveAddresses(tenant, ['copy@fabrikam.example', 'free@fabrikam.example']);
      expect(book.contacts.size).toBe(0);

      // An update may not take another contact's address either, and leaves the contact as it was.
      const dora = await directory().createContact(tenant, { name: 'Dora', email: 'dora@fabrikam.example' }, null);
      const updateTaken = await rejectionOf(
        directory().updateContact(tenant, dora.id, { alternateEmails: ['carl@home.example'] })
      );
      expect(updateTaken).toBeInstanceOf(StoreConflict);
      expect((updateTaken as StoreConflict).fields).toEqual([
        expect.objectContaining({ field: 'alternateEmails', index: 0 })
      ]);
      expect((await directory().getContact(tenant, dora.id)).alternateEmails).toEqual([]);

      // Re-stating one's own addresses is not a conflict.
      const same = await directory().updateContact(tenant, carl.id, {
        email: 'carl@contoso.example',
        alternateEmails: ['carl@home.example']
      });
      expect(same.alternateEmails).toEqual(['carl@home.example']);
    });

    test('the same address in another tenant is fine', async () => {
      const tenantA = newTenantId();
      const tenantB = newTenantId();
      const a = await directory().createContact(tenantA, { name: 'Carl A', email: 'carl@contoso.example' }, null);
      const b = await directory().createContact(tenantB, { name: 'Carl B', email: 'carl@contoso.example' }, null);
      expect(b.id).not.toBe(a.id);
      expect(
        (await directory().resolveAddresses(tenantA, ['carl@contoso.example'])).contacts.get('carl@contoso.example')?.id
      ).toBe(a.id);
      expect(
        (await directory().resolveAddresses(tenantB, ['carl@contoso.example'])).contacts.get('carl@contoso.example')?.id
      ).toBe(b.id);
    });

    test('an address listed twice in one request is a StoreConstraint', async () => {
      const tenant = newTenantId();
      await directory().createContact(tenant, { name: 'Anchor', email: 'anchor@a.example' }, null);
      const error = await rejectionOf(
        directory().createContact(
          tenant,
          { name: 'Twice', email: 'twice@a.example', alternateEmails: ['TWICE@a.example'] },
          null
        )
      );
      expect(error).toBeInstanceOf(StoreConstraint);
      expect((error as StoreConstraint).fields).toEqual([
        expect.objectContaining({ field: 'alternateEmails', index: 0 })
      ]);
      expect((await directory().listContacts(tenant, { limit: 10 })).items).toHaveLength(1);
    });

    test('a write that fails in a brand-new tenant leaves that tenant usable', async () => {
      // The first write of a tenant also creates the tenant row; if that write is rolled back,
      // the next write must not assume the tenant exists.
      const tenant = newTenantId();
      const first = await rejectionOf(
        directory().createContact(
          tenant,
          { name: 'Twice', email: 'twice@a.example', alternateEmails: ['twice@a.example'] },
          null
        )
      );
      expect(first).toBeInstanceOf(StoreConstraint);
      const contact = await directory().createContact(tenant, { name: 'Fine', email: 'fine@a.example' }, null);
      expect(contact.name).toBe('Fine');

      const teamTenant = newTenantId();
      expect(
        await rejectionOf(directory().createTeam(teamTenant, { name: 'East', managerId: 'nobody' }))
      ).toBeInstanceOf(StoreConstraint);
      expect((await directory().createTeam(teamTenant, { name: 'East' })).name).toBe('East');
    });

    test('concurrent first writes in a brand-new tenant all succeed', async () => {
      // The first user of a tenant opens the pane: several requests arrive together, each of which may be
      // the one that creates the tenant. Started a millisecond apart, later ones overlap the first one's
      // open transaction.
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      for (let round = 0; round < 3; round += 1) {
        const tenant = newTenantId();
        const user = { userId: 'oid-first', email: 'first@northwind.example', name: 'First User' };
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, async (_, k) => {
            await sleep(k);
            return k % 2 === 0
              ? directory().createContact(tenant, { name: `Contact ${k}`, email: `c${k}@contoso.example` }, null)
              : directory().salespersonForUser(tenant, user);
          })
        );
        const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
        expect(failures).toEqual([]);
        expect((await directory().listContacts(tenant, { limit: 10 })).items).toHaveLength(4);
        expect((await directory().listSalespeople(tenant, { limit: 10 })).items).toHaveLength(1);
      }
    });

    test('search by name, email and company is case-insensitive, also beyond ASCII', async () => {
      const tenant = newTenantId();
      const jon = await directory().createContact(
        tenant,
        {
          name: 'Jón Sigurðsson',
          email: 'jon@reykjavik.example',
          alternateEmails: ['js@fiskur.example'],
          company: 'Fiskur hf.'
        },
        null
      );
      const aino = await directory().createContact(
        tenant,
        { name: 'Aino Mäkelä', email: 'aino@espoo.example', company: 'Mäkelä & Ström Oy' },
        null
      );
      const carl = await directory().createContact(
        tenant,
        { name: 'Carl Smith', email: 'carl@contoso.example', company: 'Acme Widgets' },
        null
      );
      const other = newTenantId();
      await directory().createContact(other, { name: 'Jón Other Tenant', email: 'jon@reykjavik.example' }, null);

      const search = async (query: string) =>
        (await directory().listContacts(tenant, { query, limit: 50 })).items.map((c) => c.id).sort();

      expect(await search('jón')).toEqual([jon.id]);
      expect(await search('JÓN')).toEqual([jon.id]);
      expect(await search('SIGURÐ')).toEqual([jon.id]);
      expect(await search('mäkelä')).toEqual([aino.id]);
      expect(await search('MÄKELÄ')).toEqual([aino.id]);
      expect(await search('ström')).toEqual([aino.id]);
      expect(await search('smith')).toEqual([carl.id]);
      expect(await search('CONTOSO.EXAMPLE')).toEqual([carl.id]); // email
      expect(await search('fiskur.example')).toEqual([jon.id]); // alternate email
      expect(await search('Fiskur HF')).toEqual([jon.id]); // company
      expect(await search('WIDGETS')).toEqual([carl.id]); // company
      expect(await search('.example')).toEqual([jon.id, aino.id, carl.id].sort());
      expect(await search('nobody-matches-this')).toEqual([]);

      // The index follows updates.
      await directory().updateContact(tenant, carl.id, { company: 'Northwind Traders' });
      expect(await search('northwind')).toEqual([carl.id]);
      expect(await search('widgets')).toEqual([]);
      await directory().updateContact(tenant, carl.id, { name: 'Carl Jones' });
      expect(await search('jones')).toEqual([carl.id]);
      expect(await search('smith')).toEqual([]);
      expect(await search('northwind')).toEqual([carl.id]);
    });

    test('% and _ (and backslash) in a search are literal characters', async () => {
      const tenant = newTenantId();
      const percent = await directory().createContact(tenant, { name: 'Club 100% Pure', email: 'p1@a.example' }, null);
      await directory().createContact(tenant, { name: 'Club 1000 Pure', email: 'p2@a.example' }, null);
      const underscore = await directory().createContact(
        tenant,
        { name: 'snake_case Oy', email: 's1@a.example' },
        null
      );
      await directory().createContact(tenant, { name: 'snakescase Oy', email: 's2@a.example' }, null);
      const backslash = await directory().createContact(tenant, { name: 'Back\\slash', email: 'b1@a.example' }, null);

      const search = async (query: string) =>
        (await directory().listContacts(tenant, { query, limit: 50 })).items.map((c) => c.id);

      expect(await search('0%')).toEqual([percent.id]);
      expect(await search('%')).toEqual([percent.id]);
      expect(await search('e_c')).toEqual([underscore.id]);
      expect(await search('_')).toEqual([underscore.id]);
      expect(await search('\\')).toEqual([backslash.id]);
    });

    test('the email filter is an exact match on any address, case-insensitive', async () => {
      const tenant = newTenantId();
      const carl = await directory().createContact(
        tenant,
        { name: 'Carl', email: 'carl@contoso.example', alternateEmails: ['carl.private@home.example'] },
        null
      );
      await directory().createContact(tenant, { name: 'Dora', email: 'dora@contoso.example' }, null);

      const byEmail = async (email: string) =>
        (await directory().listContacts(tenant, { email, limit: 10 })).items.map((c) => c.id);
      expect(await byEmail('carl@contoso.example')).toEqual([carl.id]);
      expect(await byEmail(' CARL.Private@Home.example ')).toEqual([carl.id]);
      expect(await byEmail('contoso.example')).toEqual([]);
      expect(await byEmail('carl@contoso')).toEqual([]);
      expect(
        (await directory().listContacts(newTenantId(), { email: 'carl@contoso.example', limit: 10 })).items
      ).toEqual([]);
    });

    test('keyset pagination walks every contact exactly once, in name order, ties included', async () => {
      const tenant = newTenantId();
      const names = ['delta', 'Alpha', 'same name', 'Charlie', 'Same Name', 'bravo', 'same name'];
      const created: Contact[] = [];
      for (const [i, name] of names.entries()) {
        created.push(await directory().createContact(tenant, { name, email: `c${i}@a.example` }, null));
      }
      // Another tenant's contacts never show up.
      await directory().createContact(newTenantId(), { name: 'Aardvark', email: 'x@a.example' }, null);

      const { items, pages } = await allPages((cursor) => directory().listContacts(tenant, { limit: 3, cursor }));
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(items.map((c) => c.id).sort()).toEqual(created.map((c) => c.id).sort());
      expect(new Set(items.map((c) => c.id)).size).toBe(7);
      const keys = items.map((c) => c.name.toLowerCase());
      expect(keys).toEqual([...keys].sort());
      expect(keys.slice(0, 3)).toEqual(['alpha', 'bravo', 'charlie']);

      // When the rows fill the last page exactly, that page says there is nothing more.
      const exact = await allPages((cursor) => directory().listContacts(tenant, { limit: 7, cursor }));
      expect(exact.pages.map((p) => p.length)).toEqual([7]);
      // Ties on the name are broken by id: a page boundary inside the tie loses and repeats nothing.
      const sameNames = await allPages((cursor) =>
        directory().listContacts(tenant, { limit: 1, cursor, query: 'same name' })
      );
      expect(sameNames.pages.map((p) => p.length)).toEqual([1, 1, 1]);
      expect(new Set(sameNames.items.map((c) => c.id)).size).toBe(3);
    });

    test('an invalid cursor is an InvalidCursor', async () => {
      const tenant = newTenantId();
      await directory().createContact(tenant, { name: 'Carl', email: 'carl@contoso.example' }, null);
      for (const cursor of [
        'not-a-cursor',
        encodeCursor({ key: 12, id: 'x' }),
        Buffer.from('[1]').toString('base64url')
      ]) {
        const error = await rejectionOf(directory().listContacts(tenant, { limit: 3, cursor }));
        expect(error).toBeInstanceOf(InvalidCursor);
        expect((error as InvalidCursor).detail).toMatch(/nextCursor/);
      }
      expect(await rejectionOf(directory().listSalespeople(tenant, { limit: 3, cursor: 'garbage' }))).toBeInstanceOf(
        InvalidCursor
      );
    });
  });

  describe('salespeople', () => {
    test('create, get, update and list round-trip; alternates keep their order', async () => {
      const tenant = newTenantId();
      const ana = await directory().createSalesperson(tenant, {
        name: ' Ana Alves ',
        email: 'Ana@Northwind.example',
        alternateEmails: ['ana.b@northwind.example', 'ana.a@northwind.example']
      });
      expect(ana).toEqual({
        id: expect.any(String),
        name: 'Ana Alves',
        email: 'Ana@Northwind.example',
        alternateEmails: ['ana.b@northwind.example', 'ana.a@northwind.example'],
        teamId: null,
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String)
      });
      expect(await directory().getSalesperson(tenant, ana.id)).toEqual(ana);

      const updated = await directory().updateSalesperson(tenant, ana.id, {
        name: 'Ana B. Alves',
        alternateEmails: ['ana.c@northwind.example'],
        active: false
      });
      expect(updated).toMatchObject({
        name: 'Ana B. Alves',
        email: 'Ana@Northwind.example',
        alternateEmails: ['ana.c@northwind.example'],
        active: false
      });
      expect(await directory().getSalesperson(tenant, ana.id)).toEqual(updated);

      const ben = await directory().createSalesperson(tenant, { name: 'Ben', email: 'ben@northwind.example' });
      const listed = await directory().listSalespeople(tenant, { limit: 10 });
      expect(listed.items.map((s) => s.id)).toEqual([ana.id, ben.id]);
      expect(listed.nextCursor).toBeNull();
      expect((await directory().listSalespeople(tenant, { limit: 10, query: 'BEN' })).items.map((s) => s.id)).toEqual([
        ben.id
      ]);
      expect(
        (await directory().listSalespeople(tenant, { limit: 10, email: 'ANA.C@northwind.example' })).items.map(
          (s) => s.id
        )
      ).toEqual([ana.id]);

      expect(await rejectionOf(directory().getSalesperson(newTenantId(), ana.id))).toBeInstanceOf(StoreNotFound);
      expect(await rejectionOf(directory().updateSalesperson(newTenantId(), ana.id, { active: true }))).toBeInstanceOf(
        StoreNotFound
      );
    });

    test('an address identifies one salesperson per tenant', async () => {
      const tenant = newTenantId();
      await directory().createSalesperson(tenant, { name: 'Ana', email: 'ana@northwind.example' });
      const error = await rejectionOf(
        directory().createSalesperson(tenant, {
          name: 'Imposter',
          email: 'imp@northwind.example',
          alternateEmails: ['ANA@northwind.example']
        })
      );
      expect(error).toBeInstanceOf(StoreConflict);
      expect((error as StoreConflict).fields).toEqual([
        expect.objectContaining({ field: 'alternateEmails', index: 0 })
      ]);
      expect((await directory().listSalespeople(tenant, { limit: 10 })).items).toHaveLength(1);
      const elsewhere = await directory().createSalesperson(newTenantId(), {
        name: 'Ana',
        email: 'ana@northwind.example'
      });
      expect(elsewhere.email).toBe('ana@northwind.example');
    });

    test('keyset pagination walks every salesperson exactly once', async () => {
      const tenant = newTenantId();
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const s = await directory().createSalesperson(tenant, {
          name: i % 2 === 0 ? 'Twin' : `Seller ${i}`,
          email: `s${i}@n.example`
        });
        ids.push(s.id);
      }
      const { items, pages } = await allPages((cursor) => directory().listSalespeople(tenant, { limit: 3, cursor }));
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(items.map((s) => s.id).sort()).toEqual([...ids].sort());
    });

    test('resolveAddresses finds primary and alternate addresses, and only active salespeople', async () => {
      const tenant = newTenantId();
      const ana = await directory().createSalesperson(tenant, {
        name: 'Ana',
        email: 'Ana@Northwind.example',
        alternateEmails: ['ANA.ALT@northwind.example']
      });
      const gone = await directory().createSalesperson(tenant, { name: 'Gone', email: 'gone@northwind.example' });
      const carl = await directory().createContact(
        tenant,
        { name: 'Carl', email: 'Carl@Contoso.example', alternateEmails: ['carl@home.example'] },
        null
      );
      await directory().updateSalesperson(tenant, gone.id, { active: false });

      const addresses = [
        'ana@northwind.example',
        'ana.alt@northwind.example',
        'gone@northwind.example',
        'carl@contoso.example',
        'carl@home.example',
        'stranger@nowhere.example'
      ];
      const book = await directory().resolveAddresses(tenant, addresses);
      expect(Object.fromEntries(book.salespeople)).toEqual({
        'ana@northwind.example': { id: ana.id, name: 'Ana', email: 'Ana@Northwind.example' },
        'ana.alt@northwind.example': { id: ana.id, name: 'Ana', email: 'Ana@Northwind.example' }
      });
      expect(Object.fromEntries(book.contacts)).toEqual({
        'carl@contoso.example': { id: carl.id, name: 'Carl', email: 'Carl@Contoso.example' },
        'carl@home.example': { id: carl.id, name: 'Carl', email: 'Carl@Contoso.example' }
      });

      await directory().updateSalesperson(tenant, gone.id, { active: true });
      expect(
        (await directory().resolveAddresses(tenant, addresses)).salespeople.get('gone@northwind.example')?.id
      ).toBe(gone.id);

      const foreign = await directory().resolveAddresses(newTenantId(), addresses);
      expect(foreign.salespeople.size + foreign.contacts.size).toBe(0);
      const none = await directory().resolveAddresses(tenant, []);
      expect(none.salespeople.size + none.contacts.size).toBe(0);
    });
  });

  describe('salespersonForUser', () => {
    test('creates the record on first use and returns the same one afterwards', async () => {
      const tenant = newTenantId();
      const user = { userId: 'oid-ana', email: 'Ana@Northwind.example', name: 'Ana Alves' };
      const first = await directory().salespersonForUser(tenant, user);
      expect(first).toMatchObject({
        name: 'Ana Alves',
        email: 'Ana@Northwind.example',
        active: true,
        alternateEmails: []
      });
      const second = await directory().salespersonForUser(tenant, user);
      expect(second.id).toBe(first.id);
      expect((await directory().listSalespeople(tenant, { limit: 10 })).items.map((s) => s.id)).toEqual([first.id]);

      // Another user gets a record of their own; the same user in another tenant too.
      const ben = await directory().salespersonForUser(tenant, {
        userId: 'oid-ben',
        email: 'ben@northwind.example',
        name: 'Ben'
      });
      expect(ben.id).not.toBe(first.id);
      const elsewhere = await directory().salespersonForUser(newTenantId(), user);
      expect(elsewhere.id).not.toBe(first.id);
    });

    test('links a salesperson an admin created by email and sets the user on it', async () => {
      const tenant = newTenantId();
      const admin = await directory().createSalesperson(tenant, {
        name: 'Ana (from admin)',
        email: 'ana@northwind.example',
        alternateEmails: ['a.alves@northwind.example']
      });
      const user = { userId: 'oid-ana', email: ' ANA@Northwind.Example ', name: 'Ana From Token' };
      const linked = await directory().salespersonForUser(tenant, user);
      expect(linked.id).toBe(admin.id);
      expect(linked.name).toBe('Ana (from admin)');
      expect((await directory().listSalespeople(tenant, { limit: 10 })).items).toHaveLength(1);

      // The link is by user id now: it holds when the admin changes the record's addresses.
      await directory().updateSalesperson(tenant, admin.id, {
        email: 'ana.alves@northwind.example',
        alternateEmails: []
      });
      const again = await directory().salespersonForUser(tenant, user);
      expect(again.id).toBe(admin.id);
      expect(again.email).toBe('ana.alves@northwind.example');
      expect((await directory().listSalespeople(tenant, { limit: 10 })).items).toHaveLength(1);

      // An alternate address links too.
      const ben = await directory().createSalesperson(tenant, {
        name: 'Ben',
        email: 'ben@northwind.example',
        alternateEmails: ['benjamin@northwind.example']
      });
      const benUser = await directory().salespersonForUser(tenant, {
        userId: 'oid-ben',
        email: 'Benjamin@northwind.example',
        name: 'Benjamin'
      });
      expect(benUser.id).toBe(ben.id);
    });

    test('concurrent first calls end with one record', async () => {
      const tenant = newTenantId();
      await directory().createContact(tenant, { name: 'Existing', email: 'existing@a.example' }, null);
      const user = { userId: 'oid-race', email: 'race@northwind.example', name: 'Racer' };
      const results = await Promise.all(Array.from({ length: 5 }, () => directory().salespersonForUser(tenant, user)));
      const ids = new Set(results.map((r) => r.id));
      expect(ids.size).toBe(1);
      const listed = await directory().listSalespeople(tenant, { limit: 10 });
      expect(listed.items.map((s) => s.id)).toEqual([...ids]);
    });

    test('concurrent first calls link one admin-created record', async () => {
      const tenant = newTenantId();
      const admin = await directory().createSalesperson(tenant, { name: 'Ana', email: 'ana@northwind.example' });
      const user = { userId: 'oid-ana', email: 'ana@northwind.example', name: 'Ana' };
      const results = await Promise.all(Array.from({ length: 5 }, () => directory().salespersonForUser(tenant, user)));
      expect(results.map((r) => r.id)).toEqual(Array.from({ length: 5 }, () => admin.id));
      expect((await directory().listSalespeople(tenant, { limit: 10 })).items).toHaveLength(1);
    });
  });

  describe('teams', () => {
    test('create, update and list teams with their members', async () => {
      const tenant = newTenantId();
      const manager = await directory().createSalesperson(tenant, { name: 'Maria Manager', email: 'maria@n.example' });
      const east = await directory().createTeam(tenant, { name: '  East  ', managerId: manager.id });
      expect(east).toEqual({
        id: expect.any(String),
        name: 'East',
        managerId: manager.id,
        memberIds: [],
        createdAt: expect.any(String),
        updatedAt: expect.any(String)
      });
      const west = await directory().createTeam(tenant, { name: 'West' });

      const ana = await directory().createSalesperson(tenant, { name: 'Ana', email: 'ana@n.example', teamId: east.id });
      expect(ana.teamId).toBe(east.id);
      const ben = await directory().createSalesperson(tenant, { name: 'Ben', email: 'ben@n.example' });
      const moved = await directory().updateSalesperson(tenant, ben.id, { teamId: east.id });
      expect(moved.teamId).toBe(east.id);
      await directory().updateSalesperson(tenant, manager.id, { teamId: west.id });

      const teams = await directory().listTeams(tenant);
      expect(teams.map((t) => t.name)).toEqual(['East', 'West']);
      expect([...(teams[0]?.memberIds ?? [])].sort()).toEqual([ana.id, ben.id].sort());
      expect(teams[1]?.memberIds).toEqual([manager.id]);

      const renamed = await directory().updateTeam(tenant, east.id, { name: 'East & North', managerId: null });
      expect(renamed).toMatchObject({ id: east.id, name: 'East & North', managerId: null });
      expect([...renamed.memberIds].sort()).toEqual([ana.id, ben.id].sort());
      expect(await directory().getTeam(tenant, east.id)).toEqual(renamed);

      // Leaving a team.
      await directory().updateSalesperson(tenant, ben.id, { teamId: null });
      expect((await directory().getTeam(tenant, east.id)).memberIds).toEqual([ana.id]);
      expect((await directory().getSalesperson(tenant, ben.id)).teamId).toBeNull();

      // Teams are per tenant.
      const other = newTenantId();
      await directory().createTeam(other, { name: 'Elsewhere' });
      expect((await directory().listTeams(other)).map((t) => t.name)).toEqual(['Elsewhere']);
      expect(await rejectionOf(directory().getTeam(other, east.id))).toBeInstanceOf(StoreNotFound);
      expect(await rejectionOf(directory().updateTeam(other, east.id, { name: 'Stolen' }))).toBeInstanceOf(
        StoreNotFound
      );
      expect((await directory().getTeam(tenant, east.id)).name).toBe('East & North');
    });

    test('unknown managers and teams are refused with pointers', async () => {
      const tenant = newTenantId();
      const team = await directory().createTeam(tenant, { name: 'East' });
      const badManager = await rejectionOf(
        directory().createTeam(tenant, { name: 'West', managerId: 'no-such-person' })
      );
      expect(badManager).toBeInstanceOf(StoreConstraint);
      expect((badManager as StoreConstraint).fields).toEqual([expect.objectContaining({ field: 'managerId' })]);
      expect((await directory().listTeams(tenant)).map((t) => t.id)).toEqual([team.id]);

      const updateBadManager = await rejectionOf(
        directory().updateTeam(tenant, team.id, { managerId: 'no-such-person' })
      );
      expect(updateBadManager).toBeInstanceOf(StoreConstraint);

      const foreignTeam = await directory().createTeam(newTenantId(), { name: 'Foreign' });
      const badTeam = await rejectionOf(
        directory().createSalesperson(tenant, { name: 'Ana', email: 'ana@n.example', teamId: foreignTeam.id })
      );
      expect(badTeam).toBeInstanceOf(StoreConstraint);
      expect((badTeam as StoreConstraint).fields).toEqual([expect.objectContaining({ field: 'teamId' })]);
      expect((await directory().listSalespeople(tenant, { limit: 10 })).items).toEqual([]);

      const ana: Salesperson = await directory().createSalesperson(tenant, { name: 'Ana', email: 'ana@n.example' });
      const badMove = await rejectionOf(
        directory().updateSalesperson(tenant, ana.id, { teamId: foreignTeam.id, name: 'Renamed' })
      );
      expect(badMove).toBeInstanceOf(StoreConstraint);
      expect(await directory().getSalesperson(tenant, ana.id)).toEqual(ana);
      expect(await rejectionOf(directory().updateTeam(tenant, 'no-such-team', { name: 'x' }))).toBeInstanceOf(
        StoreNotFound
      );
    });
  });
});
