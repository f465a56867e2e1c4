import pg from 'pg';
import { searchWords } from '../../../src/server/domain/search.js';
import { WHOLE_TENANT } from '../../../src/server/store/index.js';
import { newTenantId, useStore } from '../../helpers/contract.js';

/*
 * PostgreSQL plans a named (prepared) statement once per connection, and after five calls may keep one generic plan
 * for any values. The history read gains by it (no planning per call). A text search loses: the generic plan cannot
 * see how many entries the words match, and sorted every match of a common word (97 ms against 11 ms at 200,000
 * entries, docs/PERFORMANCE.md). So the search's candidates go unnamed, planned for their words on every call.
 */

const store = useStore('postgres');

/** The statements node-postgres was asked to run while `work` ran: their text, and their name if prepared. */
async function statementsDuring(work: () => Promise<unknown>): Promise<Array<{ text: string; name?: string }>> {
  const query = jest.spyOn(pg.Client.prototype, 'query');
  try {
    await work();
    return query.mock.calls.map(([config]: unknown[]) =>
      typeof config === 'string' ? { text: config } : { ...(config as { text: string; name?: string }) }
    );
  } finally {
    query.mockRestore();
  }
}

test("a search's candidates are planned for their words each time; the page read around them stays prepared", async () => {
  const tenant = newTenantId();
  const directory = store().directory;
  const salesperson = await directory.createSalesperson(tenant, {
    name: 'Ana Álvarez',
    email: 'ana@northwind.example'
  });
  const contact = await directory.createContact(tenant, { name: 'Carl Järvinen', email: 'carl@contoso.example' }, null);
  const search = (q: string) =>
    store().interactions.list(tenant, {
      scope: WHOLE_TENANT,
      limit: 20,
      words: searchWords(q),
      contactId: contact.id,
      salespersonId: salesperson.id
    });
  // More calls than PostgreSQL makes before it may switch a prepared statement to a generic plan.
  const statements = await statementsDuring(async () => {
    for (const q of ['pricing', 'renewal', 'pilot', 'pricing', 'schedule', 'pricing', 'review']) await search(q);
  });
  const candidates = statements.filter((statement) => statement.text.includes('ts_rank'));
  expect(candidates).toHaveLength(7);
  for (const statement of candidates) expect(statement.name).toBeUndefined();
  // The rest of the search is prepared as before: the client names it.
  const prepared = statements.filter((statement) => statement.name !== undefined);
  expect(prepared.length).toBeGreaterThan(0);
  expect(prepared.every((statement) => !statement.text.includes('ts_rank'))).toBe(true);
});
