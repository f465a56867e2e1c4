import type { Kysely } from 'kysely';

/* The first schema. Written with Kysely's schema builder only, so one migration serves both engines. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await createDirectory(db);
  await createAddresses(db);
  await createOpportunities(db);
  await createInteractions(db);
}

/** Tenants, teams, salespeople and contacts. */
async function createDirectory(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('manager_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('teams_pk', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('salespeople')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_oid', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort_key', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('salespeople_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('salespeople_team_fk', ['tenant_id', 'team_id'], 'teams', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('salespeople_user_oid_uq')
    .unique()
    .on('salespeople')
    .columns(['tenant_id', 'user_oid'])
    .execute();
  await db.schema
    .createIndex('salespeople_sort_ix')
    .on('salespeople')
    .columns(['tenant_id', 'sort_key', 'id'])
    .execute();

  await db.schema
    .createTable('contacts')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('company', 'text')
    .addColumn('phone', 'text')
    .addColumn('sort_key', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('contacts_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema.createIndex('contacts_sort_ix').on('contacts').columns(['tenant_id', 'sort_key', 'id']).execute();
}

/** Every address of a contact or a salesperson, one owner per address in a tenant. */
async function createAddresses(db: AnyDb): Promise<void> {
  for (const [table, owner] of [
    ['contact_addresses', 'contacts'],
    ['salesperson_addresses', 'salespeople']
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('owner_id', 'text', (c) => c.notNull())
      .addColumn('is_primary', 'integer', (c) => c.notNull())
      .addColumn('display', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['tenant_id', 'address'])
      .addForeignKeyConstraint(`${table}_owner_fk`, ['tenant_id', 'owner_id'], owner, ['tenant_id', 'id'], (fk) =>
        fk.onDelete('cascade')
      )
      .execute();
    await db.schema.createIndex(`${table}_owner_ix`).on(table).columns(['tenant_id', 'owner_id']).execute();
  }
}

async function createOpportunities(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('opportunities')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('salesperson_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('estimated_value_minor', 'bigint')
    .addColumn('currency', 'text')
    .addColumn('probability', 'integer', (c) => c.notNull())
    .addColumn('expected_close_date', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    .addPrimaryKeyConstraint('opportunities_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('opportunities_contact_fk', ['tenant_id', 'contact_id'], 'contacts', ['tenant_id', 'id'])
    .addForeignKeyConstraint('opportunities_salesperson_fk', ['tenant_id', 'salesperson_id'], 'salespeople', [
      'tenant_id',
      'id'
    ])
    .execute();
  await db.schema
    .createIndex('opportunities_contact_ix')
    .on('opportunities')
    .columns(['tenant_id', 'contact_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('opportunities_salesperson_ix')
    .on('opportunities')
    .columns(['tenant_id', 'salesperson_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('opportunities_created_ix')
    .on('opportunities')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();
}

async function createInteractions(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('interactions')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('internet_message_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('preview', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('salesperson_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('web_link', 'text')
    .addColumn('logged_by', 'text')
    .addColumn('logged_at', 'bigint', (c) => c.notNull())
    .addColumn('opportunity_id', 'text')
    .addPrimaryKeyConstraint('interactions_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('interactions_contact_fk', ['tenant_id', 'contact_id'], 'contacts', ['tenant_id', 'id'])
    .addForeignKeyConstraint('interactions_salesperson_fk', ['tenant_id', 'salesperson_id'], 'salespeople', [
      'tenant_id',
      'id'
    ])
    .addForeignKeyConstraint('interactions_opportunity_fk', ['tenant_id', 'opportunity_id'], 'opportunities', [
      'tenant_id',
      'id'
    ])
    .execute();
  // One entry per (message, contact, salesperson): a repeat or a race can never write a second one.
  await db.schema
    .createIndex('interactions_message_uq')
    .unique()
    .on('interactions')
    .columns(['tenant_id', 'internet_message_id', 'contact_id', 'salesperson_id'])
    .execute();
  await db.schema
    .createIndex('interactions_contact_ix')
    .on('interactions')
    .columns(['tenant_id', 'contact_id', 'occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('interactions_salesperson_ix')
    .on('interactions')
    .columns(['tenant_id', 'salesperson_id', 'occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('interactions_occurred_ix')
    .on('interactions')
    .columns(['tenant_id', 'occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('interactions_conversation_ix')
    .on('interactions')
    .columns(['tenant_id', 'conversation_id', 'occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('interactions_opportunity_ix')
    .on('interactions')
    .columns(['tenant_id', 'opportunity_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'interactions',
    'opportunities',
    'contact_addresses',
    'salesperson_addresses',
    'contacts',
    'salespeople',
    'teams',
    'tenants'
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
