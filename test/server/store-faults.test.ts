import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { StoreUnavailableError } from '../../src/server/errors.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { connect } from '../../src/server/store/connection.js';
import { isStoreUnavailable } from '../../src/server/store/faults.js';
import { cacheTag, openStore, WHOLE_TENANT, WHOLE_TENANT_TAG } from '../../src/server/store/index.js';
import { apiClient, startTestApi } from '../helpers/api.js';
import { graphStandInEnv, testConfig } from '../helpers/config.js';
import { captureLog } from '../helpers/log-capture.js';
import { addAnaAndLena, fromLenaToAna } from '../helpers/messages.js';
import { dropPgSchema, newPgSchemaName, POSTGRES_URL } from '../helpers/stores.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { startGraphMailbox } from '../../src/stand-ins/graph/stand-in.js';

/*
 * Faults of the database under a running server: PostgreSQL ending this server's sessions or going away, a
 * SQLite file deleted under it, a transaction failing because the store cannot be written. The process stays
 * up, requests get 503 problem documents with Retry-After, /readyz follows the store's state, and the log
 * keeps the engine's own error.
 */

jest.setTimeout(30_000);

const ME = 'ana@northwind.example';

/** Ends every PostgreSQL session of this schema's pools from a connection of its own (never other tests'). */
async function terminateSessionsOf(schema: string): Promise<number> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const result = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and application_name = $1 and pid <> pg_backend_pid()`,
      [`interaction-log:${schema}`]
    );
    return result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const devToken = (server: RunningServer) => apiClient(server).token({ email: ME });

const get = async (server: RunningServer, path: string, token?: string) => {
  const response = await fetch(`${server.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>
  };
};

describe('PostgreSQL ends or loses the sessions', () => {
  test("pg_terminate_backend on the pool's idle sessions: the process stays up, answers 200 or 503, /readyz recovers", async () => {
    const api = await startTestApi('postgres');
    try {
      const token = await api.token({ email: ME });
      for (let i = 0; i < 3; i++) expect((await api.call('GET', '/api/v1/me', { as: token })).status).toBe(200);
      expect((await api.call('GET', '/readyz')).status).toBe(200);

      expect(await terminateSessionsOf(api.testStore.pgSchema as string)).toBeGreaterThan(0);
      // Whatever arrives while the pool finds out: a fresh session (200) or a 503 problem; never a 500.
      const during = await Promise.all(
        Array.from({ length: 8 }, (_, i) => api.call('GET', i % 2 ? '/readyz' : '/api/v1/me', { as: token }))
      );
      for (const response of during) {
        expect([200, 503]).toContain(response.status);
        if (response.status === 503) {
          expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        }
      }
      // The idle clients' 'error' events have come by now; an unheard one would have ended this process.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(
        (
          await until(
            () => api.call('GET', '/readyz'),
            (r) => r.status === 200
          )
        ).status
      ).toBe(200);
      expect((await api.call('GET', '/api/v1/me', { as: token })).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  test('while the server is unreachable: 503 problems with Retry-After, /readyz 503, then 200 without a restart', async () => {
    const target = new URL(POSTGRES_URL);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const pgSchema = newPgSchemaName();
    const url = `postgres://${target.username}@${proxy.address}${target.pathname}`;
    const { entries, logger } = captureLog('warn');
    const server = await startServer(testConfig({ AUTH_MODE: 'dev', DATABASE_URL: url }), {
      storeOptions: { pgSchema, pgPoolSize: 2 },
      logger
    });
    try {
      const token = await devToken(server);
      expect((await get(server, '/api/v1/me', token)).status).toBe(200);

      proxy.cut();
      const me = await get(server, '/api/v1/me', token);
      expect(me).toMatchObject({ status: 503, body: { status: 503, code: 'store-unavailable' } });
      expect(me.type).toMatch(/^application\/problem\+json/);
      expect(Number(me.retryAfter)).toBeGreaterThan(0);
      const ready = await get(server, '/readyz');
      expect(ready).toMatchObject({ status: 503, body: { code: 'store-unavailable' } });
      expect(Number(ready.retryAfter)).toBeGreaterThan(0);
      // The cause is in the log, as the engine gave it.
      expect(entries().some((line) => line.level === 40 && line.err !== undefined)).toBe(true);

      proxy.restore();
      expect(
        (
          await until(
            () => get(server, '/readyz'),
            (r) => r.status === 200
          )
        ).status
      ).toBe(200);
      expect((await get(server, '/api/v1/me', token)).status).toBe(200);
    } finally {
      await server.close();
      await proxy.close();
      await dropPgSchema(pgSchema);
    }
  });
});

describe('automatic logging while PostgreSQL ends its sessions', () => {
  test('the schedule keeps going, and every message is logged once', async () => {
    const MAILBOX = 'log@northwind.example';
    const TENANT = 'tenant-faults';
    const COUNT = 40;
    const standIn = await startGraphMailbox({ mailboxes: [MAILBOX] });
    const pgSchema = newPgSchemaName();
    const server = await startServer(
      testConfig({ DATABASE_URL: POSTGRES_URL, ...graphStandInEnv(standIn), MAILBOX_SCHEDULE: 'true' }),
      {
        storeOptions: { pgSchema, pgPoolSize: 4 },
        mailbox: { msalConfigurationFor: () => standIn.msalConfiguration(), tickMs: 40 }
      }
    );
    try {
      const { store } = server;
      await addAnaAndLena(store, TENANT);
      // A failed run is followed by the next one a second later.
      await store.mailbox.saveSettings(
        TENANT,
        { enabled: true, mailboxAddress: MAILBOX, batchSize: 5, intervalSeconds: 1 },
        null
      );
      standIn.mailbox(MAILBOX).setLatency(10);
      standIn.seed(
        MAILBOX,
        fromLenaToAna(COUNT, (i) => `Faults ${i}`)
      );
      let ended = 0;
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        ended += await terminateSessionsOf(pgSchema);
      }
      expect(ended).toBeGreaterThan(0);
      const drained = await until(
        async () => standIn.folderContents(MAILBOX, 'inbox').length,
        (left) => left === 0,
        25_000
      );
      expect(drained).toBe(0);
      expect(standIn.folderContents(MAILBOX, 'Archive')).toHaveLength(COUNT);
      const logged = await store.teamHistory.list(TENANT, { scope: WHOLE_TENANT }, { limit: 100 });
      expect(logged.items).toHaveLength(COUNT);
    } finally {
      await server.close();
      await standIn.close();
      await dropPgSchema(pgSchema);
    }
  });
});

describe('a transaction that fails because the store cannot be written keeps its own error', () => {
  test('sqlite: a full database is StoreUnavailableError caused by SQLITE_FULL, not a failed rollback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-'));
    const { db } = connect(join(dir, 'full.sqlite'));
    try {
      await sql`create table filler (x blob)`.execute(db);
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
      await sql.raw(`pragma max_page_count = ${rows[0]?.page_count ?? 2}`).execute(db);
      const failure = await db
        .transaction()
        .execute(async (trx) => {
          await sql`insert into filler values (zeroblob(100000))`.execute(trx);
        })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as StoreUnavailableError).cause).toMatchObject({ code: 'SQLITE_FULL' });
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('postgres: a session ended inside a transaction is StoreUnavailableError caused by 57P01', async () => {
    const { db } = connect(POSTGRES_URL, { pgPoolSize: 1 });
    try {
      const failure = await db
        .transaction()
        .execute(async (trx) => {
          await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx);
        })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as StoreUnavailableError).cause).toMatchObject({ code: '57P01' });
      // The pool dropped the dead session: the next statement gets a fresh one.
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});

describe('/readyz checks that the store can be written', () => {
  test('sqlite: the file deleted under the server is a 503 with the cause in the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-'));
    const file = join(dir, 'log.sqlite');
    const { entries, logger } = captureLog('warn');
    const server = await startServer(testConfig({ AUTH_MODE: 'dev', DATABASE_URL: file }), { logger });
    try {
      expect((await get(server, '/readyz')).status).toBe(200);
      unlinkSync(file);
      const ready = await get(server, '/readyz');
      expect(ready).toMatchObject({ status: 503, body: { code: 'store-unavailable' } });
      const logged = entries().find((line) => line.msg === 'store unavailable');
      expect(JSON.stringify(logged?.err)).toContain('deleted or moved');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('sqlite: the readiness write is not a change of data: cached history pages stay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-'));
    const store = await openStore(join(dir, 'log.sqlite'));
    try {
      const tenantWide = cacheTag('tenant-1', WHOLE_TENANT_TAG);
      expect(store.invalidations.now()).not.toBeNull();
      const before = store.invalidations.changedAt(tenantWide);
      await store.checkWritable();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(store.invalidations.now()).not.toBeNull();
      expect(store.invalidations.changedAt(tenantWide)).toBe(before);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('sqlite: a write refused by a lock held past busy_timeout is StoreUnavailableError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faults-'));
    const store = await openStore(join(dir, 'log.sqlite'));
    try {
      await store.checkWritable();
      const { db } = connect(join(dir, 'log.sqlite'));
      await sql`pragma busy_timeout = 0`.execute(db);
      const other = new (await import('better-sqlite3')).default(join(dir, 'log.sqlite'));
      other.pragma('busy_timeout = 0');
      other.exec('begin exclusive');
      try {
        await expect(
          db.transaction().execute((trx) => trx.updateTable('readiness_probe').set({ checked_at: 1 }).execute())
        ).rejects.toBeInstanceOf(StoreUnavailableError);
      } finally {
        other.exec('rollback');
        other.close();
        await db.destroy();
      }
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('the engines\' "unreachable" errors are recognised, and a wrong statement is not', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '53300', '25006', 'ECONNRESET', 'ECONNREFUSED']) {
    expect(isStoreUnavailable(coded(code))).toBe(true);
  }
  for (const code of [
    'SQLITE_IOERR_WRITE',
    'SQLITE_FULL',
    'SQLITE_CANTOPEN',
    'SQLITE_READONLY_DBMOVED',
    'SQLITE_BUSY'
  ]) {
    expect(isStoreUnavailable(coded(code))).toBe(true);
  }
  expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  for (const code of ['23505', '42P01', '22P02', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR']) {
    expect(isStoreUnavailable(coded(code))).toBe(false);
  }
  expect(isStoreUnavailable(new Error('no such table: x'))).toBe(false);
});
