import SqliteDatabase from 'better-sqlite3';
import { WHOLE_TENANT, type Store } from '../../../src/server/store/index.js';
import { newId } from '../../../src/server/store/ids.js';
import { newTenantId } from '../../helpers/contract.js';
import { createTestStore, type TestStore } from '../../helpers/stores.js';

/*
 * Migration 0017 (SQLite): writes that change nothing searched or shown leave the search index and the cache clock
 * alone. Filing a message sets its entries' link and, from the archived copy, their subject and preview, most often
 * unchanged; a new entry's search row is numbered by its insert trigger. Both used to rewrite the search document
 * or name the entry's tags again, on every message the processor logged.
 */

let testStore: TestStore;
let store: Store;
let raw: SqliteDatabase.Database;
const tenant = newTenantId();
let people: {
  contact: { id: string; name: string; email: string };
  salesperson: { id: string; name: string; email: string };
};

beforeAll(async () => {
  testStore = await createTestStore('sqlite');
  store = testStore.store;
  raw = new SqliteDatabase(testStore.url, { readonly: true });
  const salesperson = await store.directory.createSalesperson(tenant, { name: 'Mia', email: 'mia@northwind.example' });
  const contact = await store.directory.createContact(tenant, { name: 'Lena', email: 'lena@fabrikam.example' });
  people = {
    contact: { id: contact.id, name: contact.name, email: contact.email },
    salesperson: { id: salesperson.id, name: salesperson.name, email: salesperson.email }
  };
});
afterAll(async () => {
  raw.close();
  await testStore.dispose();
});

const entry = (internetMessageId: string, subject: string) => ({
  id: newId(),
  internetMessageId,
  conversationId: null,
  occurredAt: Date.now(),
  direction: 'inbound' as const,
  subject,
  preview: 'Shall we meet on Tuesday?',
  ...people,
  source: 'mailbox' as const,
  webLink: null,
  loggedBy: null,
  loggedAt: Date.now()
});

const clock = () => raw.prepare('select seq from cache_clock where id = 1').pluck().get() as number;
/** The search index's stored segments: any document written or removed changes them. */
const searchIndex = () =>
  raw.prepare("select count(*) || ':' || sum(length(block)) from interactions_search_data").pluck().get();
const found = async (word: string) =>
  (await store.interactions.list(tenant, { scope: WHOLE_TENANT, words: [word], limit: 10 })).items.map(
    (i) => i.subject
  );

it('moves the cache clock once for a new entry, not again for numbering its search row', async () => {
  const before = clock();
  await store.interactions.insertNew(tenant, [entry('<one@fabrikam.example>', 'Quote for pumps')]);
  expect(clock()).toBe(before + 1);
});

it('leaves the search index alone when filing sets an entry’s link and the same text', async () => {
  await store.interactions.insertNew(tenant, [entry('<two@fabrikam.example>', 'Valves order')]);
  const index = searchIndex();
  const before = clock();
  await store.interactions.adoptArchivedCopies(tenant, [
    {
      internetMessageId: '<two@fabrikam.example>',
      subject: 'Valves order',
      preview: 'Shall we meet on Tuesday?',
      webLink: 'https://outlook.office.com/mail/archive/two'
    }
  ]);
  expect(searchIndex()).toBe(index);
  // The link is shown: the entry's pages are stale.
  expect(clock()).toBe(before + 1);
  expect(await found('valves')).toEqual(['Valves order']);
});

it('writes the search document again when the archived copy’s text differs', async () => {
  await store.interactions.insertNew(tenant, [entry('<three@fabrikam.example>', 'Draft subject')]);
  await store.interactions.adoptArchivedCopies(tenant, [
    {
      internetMessageId: '<three@fabrikam.example>',
      subject: 'Turbine maintenance',
      preview: 'Shall we meet on Tuesday?',
      webLink: null
    }
  ]);
  expect(await found('turbine')).toEqual(['Turbine maintenance']);
  expect(await found('draft')).toEqual([]);
});

it('names both contacts’ pages when an entry moves to another contact, and only the entry’s own when it keeps them', async () => {
  const other = await store.directory.createContact(tenant, { name: 'Omar', email: 'omar@fabrikam.example' });
  const [created] = await store.interactions.insertNew(tenant, [entry('<four@fabrikam.example>', 'Moving entry')]);
  const tagSeq = (tag: string) =>
    raw
      .prepare('select seq from cache_invalidations where tenant_id = ? and tag = ?')
      .pluck()
      .get(tenant, tag) as number;
  const writer = new SqliteDatabase(testStore.url);
  try {
    writer.pragma('busy_timeout = 5000');
    const moved = writer.prepare('update interactions set contact_id = ? where tenant_id = ? and id = ?');
    moved.run(other.id, tenant, created?.id);
    const afterMove = clock();
    expect(tagSeq(`c:${people.contact.id}`)).toBe(afterMove);
    expect(tagSeq(`c:${other.id}`)).toBe(afterMove);

    const before = tagSeq(`c:${people.contact.id}`);
    writer
      .prepare('update interactions set web_link = ? where tenant_id = ? and id = ?')
      .run('https://x/4', tenant, created?.id);
    expect(tagSeq(`c:${other.id}`)).toBe(clock());
    expect(tagSeq(`c:${people.contact.id}`)).toBe(before);
  } finally {
    writer.close();
  }
});
