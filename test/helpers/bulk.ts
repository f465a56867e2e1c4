import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { TestStore } from './stores.js';

/*
 * Hundreds of thousands of interactions in a second or two, for tests of long reads: one INSERT … SELECT over
 * a generated series, straight into the test store's database (the store API writes one message at a time).
 * Entry i goes to contacts[i % n] and salespeople[i % m], a minute apart, newest first from `newestAt`.
 */

export interface BulkInteractions {
  tenantId: string;
  contactIds: string[];
  salespersonIds: string[];
  count: number;
  newestAt: number;
}

const COLUMNS =
  'tenant_id, id, internet_message_id, conversation_id, occurred_at, direction, subject, preview, contact_id, ' +
  'salesperson_id, source, web_link, logged_by, logged_at, opportunity_id';

export async function bulkInsertInteractions(testStore: TestStore, bulk: BulkInteractions): Promise<void> {
  const { tenantId, contactIds, salespersonIds, count, newestAt } = bulk;
  if (testStore.store.engine === 'sqlite') {
    const database = new SqliteDatabase(testStore.url);
    try {
      database.pragma('busy_timeout = 10000');
      database
        .prepare(
          `with recursive n(i) as (select 0 union all select i + 1 from n where i + 1 < @count)
           insert into interactions (${COLUMNS})
           select @tenantId, printf('bulk-%09d', i), printf('<bulk-%d@bulk.example>', i), null,
                  @newestAt - i * 60000, case i % 2 when 0 then 'inbound' else 'outbound' end,
                  'Bulk subject ' || i, 'A preview of message ' || i || ', long enough to look like one.',
                  json_extract(@contacts, printf('$[%d]', i % @contactCount)),
                  json_extract(@salespeople, printf('$[%d]', i % @salespersonCount)),
                  'mailbox', null, null, @newestAt, null
             from n`
        )
        .run({
          count,
          tenantId,
          newestAt,
          contacts: JSON.stringify(contactIds),
          contactCount: contactIds.length,
          salespeople: JSON.stringify(salespersonIds),
          salespersonCount: salespersonIds.length
        });
    } finally {
      database.close();
    }
    return;
  }
  const client = new pg.Client({
    connectionString: testStore.url,
    ...(testStore.pgSchema ? { options: `-c search_path=${testStore.pgSchema}` } : {})
  });
  await client.connect();
  try {
    await client.query(
      `insert into interactions (${COLUMNS})
       select $1, 'bulk-' || lpad(i::text, 9, '0'), '<bulk-' || i || '@bulk.example>', null,
              $2::bigint - i::bigint * 60000, case i % 2 when 0 then 'inbound' else 'outbound' end,
              'Bulk subject ' || i, 'A preview of message ' || i || ', long enough to look like one.',
              ($3::text[])[1 + i % cardinality($3::text[])], ($4::text[])[1 + i % cardinality($4::text[])],
              'mailbox', null, null, $2::bigint, null
         from generate_series(0, $5::int - 1) as i`,
      [tenantId, newestAt, contactIds, salespersonIds, count]
    );
    // Autovacuum is off on these machines: the planner needs the row counts of every table the reads join.
    await client.query('analyze');
  } finally {
    await client.end();
  }
}
