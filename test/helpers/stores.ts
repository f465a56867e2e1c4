import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/server/store/index.js';

/*
 * Fresh stores for tests, on both engines. SQLite gets a file in a temporary folder; PostgreSQL gets its
 * own schema in the `test` database, so test files can run in parallel without seeing each other.
 * PostgreSQL is required: in CI it is always up, and a missing server fails the suite rather than skip.
 */

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  store: Store;
  /** The DATABASE_URL a server would use for the same data. */
  url: string;
  pgSchema?: string;
  dispose(): Promise<void>;
}

export type EngineName = 'sqlite' | 'postgres';
export const ENGINES: EngineName[] = ['sqlite', 'postgres'];

export async function createTestStore(engine: EngineName): Promise<TestStore> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'interaction-log-'));
    const url = join(dir, 'test.sqlite');
    const store = await openStore(url);
    return {
      store,
      url,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    };
  }
  const pgSchema = newPgSchemaName();
  const store = await openStore(POSTGRES_URL, { pgSchema, pgPoolSize: 4 });
  return {
    store,
    url: POSTGRES_URL,
    pgSchema,
    async dispose() {
      await store.close();
      await dropPgSchema(pgSchema);
    }
  };
}

/** A schema name no other test (or parallel test file) uses. */
export const newPgSchemaName = (): string => `t_${randomBytes(6).toString('hex')}`;

/** Drops a test's PostgreSQL schema and all in it, from a connection of its own. */
export async function dropPgSchema(pgSchema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${pgSchema} cascade`);
  } finally {
    await client.end();
  }
}
