import { sql } from 'kysely';
import { connect } from '../../src/server/store/connection.js';
import type { TestStore } from './stores.js';

/** The message a failing trigger's statement fails with. */
export const INJECTED_FAULT = 'injected fault';

/**
 * Makes the statement fail that writes a row of `table` matching `when` (a condition on NEW), on either engine:
 * a fault in the middle of a use case's writes, as a constraint of the schema would raise it. Set up from a
 * connection of its own; the returned function removes it.
 */
export async function failingTrigger(
  testStore: TestStore,
  table: string,
  event: 'insert' | 'update of opportunity_id',
  when: string
): Promise<() => Promise<void>> {
  const name = `fail_${Math.random().toString(36).slice(2, 10)}`;
  const run = async (statements: string[]) => {
    const { db } = connect(testStore.url, testStore.pgSchema ? { pgSchema: testStore.pgSchema } : {});
    try {
      for (const statement of statements) await sql.raw(statement).execute(db);
    } finally {
      await db.destroy();
    }
  };
  if (testStore.store.engine === 'sqlite') {
    await run([
      `create trigger ${name} before ${event} on ${table} for each row when ${when}
         begin select raise(abort, '${INJECTED_FAULT}'); end`
    ]);
    return () => run([`drop trigger ${name}`]);
  }
  await run([
    `create function ${name}() returns trigger language plpgsql as $$
       begin raise exception '${INJECTED_FAULT}'; end $$`,
    `create trigger ${name} before ${event} on ${table} for each row when (${when}) execute function ${name}()`
  ]);
  return () => run([`drop trigger ${name} on ${table}`, `drop function ${name}()`]);
}
