import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { searchWords } from '../../src/server/domain/search.js';
import { connect } from '../../src/server/store/connection.js';
import { migrateToLatest, MIGRATIONS } from '../../src/server/store/migrate.js';
import { openStore, WHOLE_TENANT } from '../../src/server/store/index.js';
import type { Database } from '../../src/server/store/schema.js';
import { newTenantId } from '../helpers/contract.js';
import { ENGINES, POSTGRES_URL } from '../helpers/stores.js';

/*
 * Migration 0008 (kinds and search) on a store that already holds entries, on both engines: they become emails, and the search
 * finds them (the search documents are written for what was there before, and again by 0013, which keys SQLite's
 * search table by time).
 */

const BEFORE_KINDS = '0006_contacts_active';

describe.each(ENGINES)('migration 0008 on %s, over existing entries', (engine) => {
  let url: string;
  let pgSchema: string | undefined;
  let db: Kysely<Database>;
  let cleanUp: () => Promise<void>;

  beforeAll(async () => {
    if (engine === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'interaction-log-migration-'));
      url = join(dir, 'before.sqlite');
      cleanUp = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      url = POSTGRES_URL;
      pgSchema = `t_${randomBytes(6).toString('hex')}`;
      cleanUp = async () => {
        const admin = connect(POSTGRES_URL);
        await sql`drop schema if exists ${sql.id(pgSchema ?? '')} cascade`.execute(admin.db);
        await admin.db.destroy();
      };
    }
    db = connect(url, pgSchema ? { pgSchema } : {}).db;
    if (pgSchema) await sql`create schema ${sql.id(pgSchema)}`.execute(db);
    const upToBefore = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name <= BEFORE_KINDS));
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => upToBefore },
      ...(pgSchema ? { migrationTableSchema: pgSchema } : {})
    });
    const result = await migrator.migrateToLatest();
    expect(result.error).toBeUndefined();
  });

  afterAll(async () => {
    await db.destroy();
    await cleanUp();
  });

  test('entries logged before it are emails afterwards, and searchable by their words and people', async () => {
    const tenant = newTenantId();
    const before = await openStore(url, { migrate: false, ...(pgSchema ? { pgSchema } : {}) });
    const ana = await before.directory.createSalesperson(tenant, { name: 'Ana Alves', email: 'ana@northwind.example' });
    const carl = await before.directory.createContact(
      tenant,
      { name: 'Carl Contoso', email: 'carl@contoso.example', company: 'Contoso' },
      null
    );
    await before.close();
    await sql`insert into interactions (tenant_id, id, internet_message_id, conversation_id, occurred_at, direction,
        subject, preview, contact_id, salesperson_id, source, web_link, logged_by, logged_at, opportunity_id)
      values (${tenant}, 'old-1', '<old-1@contoso.example>', null, ${Date.parse('2026-01-02T00:00:00Z')}, 'inbound',
        'Legacy renewal', 'Written before kinds existed', ${carl.id}, ${ana.id}, 'mailbox', null, null,
        ${Date.parse('2026-01-02T00:00:00Z')}, null)`.execute(db);

    expect(await migrateToLatest(db, pgSchema)).toEqual(
      expect.arrayContaining(['0008_kinds_and_search', '0013_search_newest_first'])
    );
    const after = await openStore(url, { migrate: false, ...(pgSchema ? { pgSchema } : {}) });
    try {
      const list = (q?: string) =>
        after.interactions.list(tenant, {
          scope: WHOLE_TENANT,
          limit: 10,
          ...(q === undefined ? {} : { words: searchWords(q) })
        });
      expect((await list()).items).toEqual([
        expect.objectContaining({ id: 'old-1', kind: 'email', internetMessageId: '<old-1@contoso.example>' })
      ]);
      for (const q of ['legacy', 'kinds', 'contoso', 'alves']) {
        expect((await list(q)).items.map((entry) => entry.id)).toEqual(['old-1']);
      }
    } finally {
      await after.close();
    }
  });
});
