import { setImmediate } from 'node:timers/promises';
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { PersonRef } from '../../shared/schemas/common.js';
import type {
  Contact,
  ContactCreate,
  ContactUpdate,
  Salesperson,
  SalespersonCreate,
  SalespersonUpdate,
  Team,
  TeamCreate,
  TeamUpdate
} from '../../shared/schemas/directory.js';
import { normalizeEmail } from '../../shared/email.js';
import { givenFields, writeAudit, type Actor, type AuditRecord } from './audit.js';
import { keysetRows, pageOf } from './cursor.js';
import { StoreConflict, StoreConstraint, StoreNotFound, type StoreField } from './errors.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';
import { inTransaction } from './unit-of-work.js';
import type { AddressBookEntry, ImportWrite } from '../domain/directory-admin.js';

type Executor = Kysely<Database> | Transaction<Database>;
type AddressTableName = 'contact_addresses' | 'salesperson_addresses';

export interface ListOptions {
  query?: string | undefined;
  email?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface SignedInUser {
  userId: string;
  email: string;
  name: string;
}

export interface ResolvedAddresses {
  salespeople: Map<string, PersonRef>;
  contacts: Map<string, PersonRef>;
}

const ADDRESS_CHUNK = 5000;
/** Import rows written per turn of the event loop (a few milliseconds of statements). */
const IMPORT_ROWS_PER_TURN = 100;
const iso = (ms: number) => new Date(ms).toISOString();
const sortKeyOf = (name: string) => name.trim().toLowerCase();
const searchTextOf = (...parts: Array<string | null | undefined>) =>
  parts
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(' ')
    .toLowerCase();
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/*
 * Contacts and salespeople are two kinds of person kept alike: a row with a name and a primary address, and
 * a table of all their addresses, each held by one person of the kind per tenant. One implementation serves
 * both; a kind names its tables and the word its audit entries and messages use.
 */
type PersonTable = 'contacts' | 'salespeople';
/** A kind's row; the columns both kinds have are named so that the shared code can read them. */
type PersonRow<T extends PersonTable> = Selectable<Database[T]> & {
  id: string;
  name: string;
  email: string;
  active: number;
  sort_key: string;
};

interface PersonKind<T extends PersonTable> {
  table: T;
  addresses: AddressTableName;
  noun: 'contact' | 'salesperson';
}

const CONTACTS: PersonKind<'contacts'> = { table: 'contacts', addresses: 'contact_addresses', noun: 'contact' };
const SALESPEOPLE: PersonKind<'salespeople'> = {
  table: 'salespeople',
  addresses: 'salesperson_addresses',
  noun: 'salesperson'
};
const KINDS = { contacts: CONTACTS, salespeople: SALESPEOPLE };

/**
 * A kind's person and address tables under the aliases `p` and `a`. Both kinds have every column the joins
 * below read, so Kysely is given the contacts' names to type them.
 */
function aliased(kind: PersonKind<PersonTable>) {
  return {
    people: `${kind.table} as p` as 'contacts as p',
    addresses: `${kind.addresses} as a` as 'contact_addresses as a'
  };
}

interface Address {
  address: string;
  display: string;
}

/** Where an address stands in the store's input: index 0 is `email`, the rest are `alternateEmails`. */
function addressField(index: number, detail: string): StoreField {
  return index === 0 ? { field: 'email', detail } : { field: 'alternateEmails', index: index - 1, detail };
}

/** Primary address first, then alternates, each normalized; an unusable or repeated one is refused. */
function addressesOf(email: string, alternates: string[] = []): Address[] {
  const seen = new Set<string>();
  return [email, ...alternates].map((display, index) => {
    const address = normalizeEmail(display);
    if (address === null) {
      throw new StoreConstraint('An email address is not valid.', [addressField(index, 'must be an email address')]);
    }
    if (seen.has(address)) {
      throw new StoreConstraint('The same address is listed twice.', [addressField(index, `repeats ${address}`)]);
    }
    seen.add(address);
    return { address, display: display.trim() };
  });
}

/** The columns a person's name and addresses decide: shown, sorted and searched by (contacts: company too). */
function identityColumns(person: { name: string; email: string }, addresses: Address[], company?: string | null) {
  return {
    name: person.name.trim(),
    email: person.email.trim(),
    sort_key: sortKeyOf(person.name),
    search_text: searchTextOf(person.name, ...addresses.map((a) => a.address), company)
  };
}

/** The fields both kinds' updates take; each kind adds its own. */
interface PersonPatch {
  name?: string | undefined;
  email?: string | undefined;
  alternateEmails?: string[] | undefined;
  active?: boolean | undefined;
}

/** Salespeople, contacts and teams of a tenant, with the address book the matching rules read. */
export class DirectoryStore {
  /**
   * @param knownTenants the tenants whose row is known to be committed: a unit of work's directory shares its
   * store's (see ensureTenant).
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly knownTenants = new Set<string>()
  ) {}

  /**
   * Creates the tenant's row on its first write. It runs on its own, before the caller's transaction, and is
   * remembered only once committed: a rolled-back first write must not leave a tenant we think exists. In a unit
   * of work it is part of the unit, and so not remembered (the unit may still roll back).
   */
  async ensureTenant(tenantId: string): Promise<void> {
    if (this.knownTenants.has(tenantId)) return;
    await this.db
      .insertInto('tenants')
      .values({ id: tenantId, created_at: Date.now() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    if (!this.db.isTransaction) this.knownTenants.add(tenantId);
  }

  /** Who each address belongs to, among active salespeople and contacts. */
  async resolveAddresses(tenantId: string, addresses: string[]): Promise<ResolvedAddresses> {
    const resolved: ResolvedAddresses = { salespeople: new Map(), contacts: new Map() };
    // Both engines cap the parameters of one statement (SQLite 32,766; PostgreSQL 65,535).
    for (let start = 0; start < addresses.length; start += ADDRESS_CHUNK) {
      const chunk = addresses.slice(start, start + ADDRESS_CHUNK);
      const [salespeople, contacts] = await Promise.all([
        this.activeHolders(SALESPEOPLE, tenantId, chunk),
        this.activeHolders(CONTACTS, tenantId, chunk)
      ]);
      for (const row of salespeople)
        resolved.salespeople.set(row.address, { id: row.id, name: row.name, email: row.email });
      for (const row of contacts) resolved.contacts.set(row.address, { id: row.id, name: row.name, email: row.email });
    }
    return resolved;
  }

  private activeHolders(kind: PersonKind<PersonTable>, tenantId: string, addresses: string[]) {
    const { people, addresses: held } = aliased(kind);
    return this.db
      .selectFrom(held)
      .innerJoin(people, (j) => j.onRef('p.tenant_id', '=', 'a.tenant_id').onRef('p.id', '=', 'a.owner_id'))
      .select(['a.address', 'p.id', 'p.name', 'p.email'])
      .where('a.tenant_id', '=', tenantId)
      .where('a.address', 'in', addresses)
      .where('p.active', '=', 1)
      .execute();
  }

  /** The organization's own domains: those of its active salespeople's addresses. */
  async organizationDomains(tenantId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('salesperson_addresses as a')
      .innerJoin('salespeople as s', (j) => j.onRef('s.tenant_id', '=', 'a.tenant_id').onRef('s.id', '=', 'a.owner_id'))
      .select('a.address')
      .where('a.tenant_id', '=', tenantId)
      .where('s.active', '=', 1)
      .execute();
    return [...new Set(rows.map((row) => row.address.slice(row.address.lastIndexOf('@') + 1)))].sort();
  }

  // --- contacts -------------------------------------------------------------------------------

  async getContact(tenantId: string, id: string): Promise<Contact> {
    return this.getPerson(CONTACTS, tenantId, id, toContact);
  }

  async listContacts(tenantId: string, options: ListOptions): Promise<{ items: Contact[]; nextCursor: string | null }> {
    return this.listPeople(CONTACTS, tenantId, options, toContact);
  }

  /** Adds a contact; its creator is the actor (null: no person, e.g. the demo seed), audited together. */
  async createContact(tenantId: string, input: ContactCreate, actor: Actor | null = null): Promise<Contact> {
    const id = await this.createPerson(CONTACTS, tenantId, input, actor, (trx, newContactId) =>
      this.insertContact(trx, tenantId, newContactId, input, actor?.userId ?? null)
    );
    return this.getContact(tenantId, id);
  }

  /** Who created a contact (their user id), or null; for the rule that its creator may correct it. */
  async contactCreatedBy(tenantId: string, id: string): Promise<string | null> {
    return (await personRow(this.db, CONTACTS, tenantId, id)).created_by;
  }

  async updateContact(
    tenantId: string,
    id: string,
    patch: ContactUpdate,
    actor: Actor | null = null
  ): Promise<Contact> {
    await this.updatePerson(CONTACTS, tenantId, id, patch, actor, async (_trx, current) => {
      const company = patch.company === undefined ? current.company : patch.company;
      const phone = patch.phone === undefined ? current.phone : patch.phone;
      return { columns: { company, phone }, company };
    });
    return this.getContact(tenantId, id);
  }

  // --- salespeople ----------------------------------------------------------------------------

  async getSalesperson(tenantId: string, id: string): Promise<Salesperson> {
    return this.getPerson(SALESPEOPLE, tenantId, id, toSalesperson);
  }

  async listSalespeople(
    tenantId: string,
    options: ListOptions
  ): Promise<{ items: Salesperson[]; nextCursor: string | null }> {
    return this.listPeople(SALESPEOPLE, tenantId, options, toSalesperson);
  }

  async createSalesperson(
    tenantId: string,
    input: SalespersonCreate,
    actor: Actor | null = null
  ): Promise<Salesperson> {
    const id = await this.createPerson(SALESPEOPLE, tenantId, input, actor, (trx, newSalespersonId) =>
      this.insertSalesperson(trx, tenantId, newSalespersonId, input, null)
    );
    return this.getSalesperson(tenantId, id);
  }

  async updateSalesperson(
    tenantId: string,
    id: string,
    patch: SalespersonUpdate,
    actor: Actor | null = null
  ): Promise<Salesperson> {
    await this.updatePerson(SALESPEOPLE, tenantId, id, patch, actor, async (trx, current) => {
      if (patch.teamId) await this.assertTeamExists(trx, tenantId, patch.teamId, 'teamId');
      return { columns: { team_id: patch.teamId === undefined ? current.team_id : patch.teamId } };
    });
    return this.getSalesperson(tenantId, id);
  }

  /**
   * The signed-in user's salesperson record: found by their Entra object id, else bound by email to an unbound
   * one an admin created, else created from the token's claims. A record is bound to one user once: the email
   * claims are not for authorization, so another user presenting one of a bound record's addresses gets a 409
   * (audited) rather than the record; an admin unbinds it (unbindSalesperson) when the person's account changed.
   */
  async salespersonForUser(tenantId: string, user: SignedInUser): Promise<Salesperson> {
    const linked = await this.boundTo(tenantId, user.userId);
    if (linked) return this.getSalesperson(tenantId, linked);
    const address = normalizeEmail(user.email);
    await this.ensureTenant(tenantId);
    let outcome: { id: string } | { boundElsewhere: string };
    try {
      outcome = await inTransaction(this.db, async (trx) => {
        const byAddress = address
          ? await holderOf(trx, 'salesperson_addresses', tenantId, address).executeTakeFirst()
          : undefined;
        if (byAddress) {
          // Only an unbound record is taken: the condition holds the row, so of two racing users one wins.
          const bound = await trx
            .updateTable('salespeople')
            .set({ user_oid: user.userId, updated_at: Date.now() })
            .where('tenant_id', '=', tenantId)
            .where('id', '=', byAddress.owner_id)
            .where('user_oid', 'is', null)
            .executeTakeFirst();
          if (Number(bound.numUpdatedRows) === 0) return { boundElsewhere: byAddress.owner_id };
          await writeAudit(trx, tenantId, { userId: user.userId, name: user.name }, [
            {
              action: 'salesperson.bound',
              entityType: 'salesperson',
              entityId: byAddress.owner_id,
              changes: { userId: user.userId, email: address }
            }
          ]);
          return { id: byAddress.owner_id };
        }
        const newSalespersonId = newId();
        await this.insertSalesperson(
          trx,
          tenantId,
          newSalespersonId,
          { name: user.name, email: user.email },
          user.userId
        );
        await writeAudit(trx, tenantId, { userId: user.userId, name: user.name }, [
          {
            action: 'salesperson.created',
            entityType: 'salesperson',
            entityId: newSalespersonId,
            changes: { name: user.name, email: user.email, reason: 'first sign-in' }
          }
        ]);
        return { id: newSalespersonId };
      });
    } catch (error) {
      // A concurrent first request of the same user created or bound the record: use theirs.
      const raced = await this.boundTo(tenantId, user.userId);
      if (raced) return this.getSalesperson(tenantId, raced);
      throw error;
    }
    if ('id' in outcome) return this.getSalesperson(tenantId, outcome.id);
    // The same user's concurrent request may have bound it a moment ago; anyone else is refused, on the record.
    const raced = await this.boundTo(tenantId, user.userId);
    if (raced) return this.getSalesperson(tenantId, raced);
    await writeAudit(this.db, tenantId, { userId: user.userId, name: user.name }, [
      {
        action: 'salesperson.binding-refused',
        entityType: 'salesperson',
        entityId: outcome.boundElsewhere,
        changes: { email: address }
      }
    ]);
    throw new StoreConflict(
      `The salesperson record for ${address} belongs to another user. If it is yours (a new account, say), ask an admin to unbind it.`
    );
  }

  /** Frees a salesperson record from the user bound to it, so the next user who signs in with one of its addresses takes it. */
  async unbindSalesperson(tenantId: string, id: string, actor: Actor): Promise<Salesperson> {
    await inTransaction(this.db, async (trx) => {
      const current = await personRow(trx, SALESPEOPLE, tenantId, id);
      await trx
        .updateTable('salespeople')
        .set({ user_oid: null, updated_at: Date.now() })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await writeAudit(trx, tenantId, actor, [
        {
          action: 'salesperson.unbound',
          entityType: 'salesperson',
          entityId: id,
          changes: { userId: current.user_oid }
        }
      ]);
    });
    return this.getSalesperson(tenantId, id);
  }

  private async boundTo(tenantId: string, userId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('salespeople')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('user_oid', '=', userId)
      .executeTakeFirst();
    return row?.id;
  }

  // --- teams ----------------------------------------------------------------------------------

  async listTeams(tenantId: string): Promise<Team[]> {
    const [teams, members] = await Promise.all([
      this.db.selectFrom('teams').selectAll().where('tenant_id', '=', tenantId).orderBy('name').orderBy('id').execute(),
      this.db
        .selectFrom('salespeople')
        .select(['id', 'team_id'])
        .where('tenant_id', '=', tenantId)
        .where('team_id', 'is not', null)
        .orderBy('sort_key')
        .execute()
    ]);
    return teams.map((team) =>
      toTeam(
        team,
        members.filter((m) => m.team_id === team.id).map((m) => m.id)
      )
    );
  }

  async getTeam(tenantId: string, id: string): Promise<Team> {
    const team = (await this.listTeams(tenantId)).find((t) => t.id === id);
    if (!team) throw new StoreNotFound('The team');
    return team;
  }

  async createTeam(tenantId: string, input: TeamCreate, actor: Actor | null = null): Promise<Team> {
    const id = newId();
    await this.ensureTenant(tenantId);
    await inTransaction(this.db, async (trx) => {
      if (input.managerId) await this.assertSalespersonExists(trx, tenantId, input.managerId, 'managerId');
      const now = Date.now();
      await trx
        .insertInto('teams')
        .values({
          tenant_id: tenantId,
          id,
          name: input.name.trim(),
          manager_id: input.managerId ?? null,
          created_at: now,
          updated_at: now
        })
        .execute();
      await writeAudit(trx, tenantId, actor, [
        { action: 'team.created', entityType: 'team', entityId: id, changes: givenFields(input) }
      ]);
    });
    return this.getTeam(tenantId, id);
  }

  async updateTeam(tenantId: string, id: string, patch: TeamUpdate, actor: Actor | null = null): Promise<Team> {
    await inTransaction(this.db, async (trx) => {
      await this.assertTeamExists(trx, tenantId, id, null);
      if (patch.managerId) await this.assertSalespersonExists(trx, tenantId, patch.managerId, 'managerId');
      await trx
        .updateTable('teams')
        .set({
          ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
          ...(patch.managerId !== undefined ? { manager_id: patch.managerId } : {}),
          updated_at: Date.now()
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await writeAudit(trx, tenantId, actor, [
        { action: 'team.updated', entityType: 'team', entityId: id, changes: givenFields(patch) }
      ]);
    });
    return this.getTeam(tenantId, id);
  }

  /**
   * The members of the teams the salesperson manages, plus (with `ownTeam`) the members of the team they
   * belong to: one query, for the visibility rules.
   */
  async teamMateIds(tenantId: string, salespersonId: string, options: { ownTeam: boolean }): Promise<string[]> {
    const rows = await this.db
      .selectFrom('salespeople')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where((eb) => {
        const managed = eb(
          'team_id',
          'in',
          eb.selectFrom('teams').select('id').where('tenant_id', '=', tenantId).where('manager_id', '=', salespersonId)
        );
        if (!options.ownTeam) return managed;
        return eb.or([
          managed,
          eb(
            'team_id',
            'in',
            eb
              .selectFrom('salespeople as me')
              .select('me.team_id')
              .where('me.tenant_id', '=', tenantId)
              .where('me.id', '=', salespersonId)
          )
        ]);
      })
      .execute();
    return rows.map((row) => row.id);
  }

  // --- admin: address book and CSV import -----------------------------------------------------

  /** Every salesperson and contact with all their addresses as written: for the directory's problem report. */
  async addressBook(tenantId: string): Promise<AddressBookEntry[]> {
    const [salespeople, contacts] = await Promise.all([
      this.bookEntries(SALESPEOPLE, tenantId),
      this.bookEntries(CONTACTS, tenantId)
    ]);
    return [...salespeople, ...contacts];
  }

  private async bookEntries(kind: PersonKind<PersonTable>, tenantId: string): Promise<AddressBookEntry[]> {
    const [people, addresses] = await Promise.all([
      this.db
        .selectFrom(kind.table)
        .select(['id', 'name', 'email', 'active'])
        .where('tenant_id', '=', tenantId)
        .execute(),
      this.db
        .selectFrom(kind.addresses)
        .select(['owner_id', 'address', 'display', 'is_primary'])
        .where('tenant_id', '=', tenantId)
        .orderBy('position')
        .execute()
    ]);
    const byOwner = new Map<string, AddressBookEntry['addresses']>();
    for (const row of addresses) {
      const list = byOwner.get(row.owner_id) ?? [];
      list.push({ address: row.address, display: row.display, primary: row.is_primary === 1 });
      byOwner.set(row.owner_id, list);
    }
    return people.map((person) => ({
      kind: kind.noun,
      id: person.id,
      name: person.name,
      email: person.email,
      // The problem report lists every contact as active, as it always has: only salespeople show theirs.
      active: kind === CONTACTS || person.active === 1,
      addresses: byOwner.get(person.id) ?? []
    }));
  }

  /** Which person of a kind holds each address (normalized), and the tenant's teams by lower-cased name. */
  async importLookup(
    tenantId: string,
    kind: 'contacts' | 'salespeople',
    addresses: string[]
  ): Promise<{ owners: Map<string, string>; teams: Map<string, string> }> {
    const owners = new Map<string, string>();
    for (let start = 0; start < addresses.length; start += ADDRESS_CHUNK) {
      const chunk = addresses.slice(start, start + ADDRESS_CHUNK);
      if (chunk.length === 0) continue;
      const rows = await this.db
        .selectFrom(KINDS[kind].addresses)
        .select(['address', 'owner_id'])
        .where('tenant_id', '=', tenantId)
        .where('address', 'in', chunk)
        .execute();
      for (const row of rows) owners.set(row.address, row.owner_id);
    }
    const teams = await this.db.selectFrom('teams').select(['id', 'name']).where('tenant_id', '=', tenantId).execute();
    return { owners, teams: new Map(teams.map((t) => [t.name.trim().toLowerCase(), t.id])) };
  }

  /**
   * Writes accepted import rows in one transaction: all of them or, if any write fails (an address taken
   * meanwhile), none. Each row is audited, and the import as a whole.
   */
  async applyImport(
    tenantId: string,
    kind: 'contacts' | 'salespeople',
    rows: ImportWrite[],
    actor: Actor
  ): Promise<string[]> {
    await this.ensureTenant(tenantId);
    const { noun } = KINDS[kind];
    return inTransaction(this.db, async (trx) => {
      const ids: string[] = [];
      const audit: AuditRecord[] = [];
      const now = Date.now();
      for (const [index, row] of rows.entries()) {
        // SQLite runs these statements synchronously: thousands in one go would hold every other request.
        if (index > 0 && index % IMPORT_ROWS_PER_TURN === 0) await setImmediate();
        const id = row.id ?? newId();
        ids.push(id);
        await this.importRow(trx, tenantId, kind, id, row, actor, now);
        audit.push({
          action: `${noun}.${row.id ? 'updated' : 'created'}`,
          entityType: noun,
          entityId: id,
          changes: { ...givenFields(row.changes), source: 'csv-import' }
        });
      }
      const created = rows.filter((r) => !r.id).length;
      audit.push({
        action: 'directory.imported',
        entityType: noun,
        entityId: 'csv-import',
        changes: { rows: rows.length, created, updated: rows.length - created }
      });
      await writeAudit(trx, tenantId, actor, audit, now);
      return ids;
    });
  }

  /** One import row: a new person (`row.id` absent) or the named one's fields that the file has columns for. */
  private async importRow(
    trx: Transaction<Database>,
    tenantId: string,
    kind: 'contacts' | 'salespeople',
    id: string,
    row: ImportWrite,
    actor: Actor,
    now: number
  ): Promise<void> {
    const alternateEmails =
      row.alternateEmails ??
      (row.id ? ((await this.alternatesOf(trx, KINDS[kind].addresses, tenantId, [id])).get(id) ?? []) : []);
    const person = { name: row.name, email: row.email, alternateEmails };
    if (!row.id && kind === 'contacts') {
      await this.insertContact(
        trx,
        tenantId,
        id,
        { ...person, company: row.company, phone: row.phone },
        actor.userId,
        now
      );
    } else if (!row.id) {
      await this.insertSalesperson(trx, tenantId, id, { ...person, teamId: row.teamId ?? null }, null, now);
    } else {
      const addresses = addressesOf(row.email, alternateEmails);
      const own =
        kind === 'contacts'
          ? {
              ...(row.company === undefined ? {} : { company: row.company }),
              ...(row.phone === undefined ? {} : { phone: row.phone })
            }
          : row.teamId === undefined
            ? {}
            : { team_id: row.teamId };
      await trx
        .updateTable(kind)
        .set({
          ...identityColumns(row, addresses, kind === 'contacts' ? row.company : undefined),
          ...own,
          updated_at: now
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await this.claimAddresses(trx, KINDS[kind], tenantId, id, addresses);
    }
  }

  // --- internals ------------------------------------------------------------------------------

  private async getPerson<T extends PersonTable, Item>(
    kind: PersonKind<T>,
    tenantId: string,
    id: string,
    toItem: (row: PersonRow<T>, alternateEmails: string[]) => Item
  ): Promise<Item> {
    const row = await personRow(this.db, kind, tenantId, id);
    const alternates = await this.alternatesOf(this.db, kind.addresses, tenantId, [id]);
    return toItem(row, alternates.get(id) ?? []);
  }

  private async listPeople<T extends PersonTable, Item>(
    kind: PersonKind<T>,
    tenantId: string,
    options: ListOptions,
    toItem: (row: PersonRow<T>, alternateEmails: string[]) => Item
  ): Promise<{ items: Item[]; nextCursor: string | null }> {
    let query = this.db
      .selectFrom(kind.table as PersonTable)
      .selectAll()
      .where('tenant_id', '=', tenantId);
    if (options.query) query = query.where(sql<boolean>`search_text like ${likePattern(options.query)} escape '\\'`);
    if (options.email !== undefined) {
      const address = normalizeEmail(options.email) ?? '';
      query = query.where('id', '=', holderOf(this.db, kind.addresses, tenantId, address));
    }
    const order = { key: 'sort_key', id: 'id', direction: 'asc', keyType: 'string' } as const;
    const rows = (await keysetRows(query, order, options)) as Array<PersonRow<T>>;
    const alternates = await this.alternatesOf(
      this.db,
      kind.addresses,
      tenantId,
      rows.map((r) => r.id)
    );
    return pageOf(
      rows,
      options.limit,
      (row) => ({ key: row.sort_key, id: row.id }),
      (row) => toItem(row, alternates.get(row.id) ?? [])
    );
  }

  /** Adds a person in a transaction with its audit entry; `insert` writes the kind's row and addresses. */
  private async createPerson(
    kind: PersonKind<PersonTable>,
    tenantId: string,
    input: object,
    actor: Actor | null,
    insert: (trx: Transaction<Database>, id: string) => Promise<void>
  ): Promise<string> {
    const id = newId();
    await this.ensureTenant(tenantId);
    await inTransaction(this.db, async (trx) => {
      await insert(trx, id);
      await writeAudit(trx, tenantId, actor, [
        { action: `${kind.noun}.created`, entityType: kind.noun, entityId: id, changes: givenFields(input) }
      ]);
    });
    return id;
  }

  /**
   * Applies a patch to a person with its audit entry, in one transaction. `own` checks and returns the kind's
   * own columns (and, for a contact, the company its search text holds).
   */
  private async updatePerson<T extends PersonTable>(
    kind: PersonKind<T>,
    tenantId: string,
    id: string,
    patch: PersonPatch,
    actor: Actor | null,
    own: (
      trx: Transaction<Database>,
      current: PersonRow<T>
    ) => Promise<{ columns: Record<string, unknown>; company?: string | null }>
  ): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      const current = await personRow(trx, kind, tenantId, id);
      const { columns, company } = await own(trx, current);
      const alternates =
        patch.alternateEmails ?? (await this.alternatesOf(trx, kind.addresses, tenantId, [id])).get(id);
      const person = { name: patch.name?.trim() ?? current.name, email: patch.email?.trim() ?? current.email };
      const addresses = addressesOf(person.email, alternates);
      if (patch.email !== undefined || patch.alternateEmails !== undefined) {
        await this.claimAddresses(trx, kind, tenantId, id, addresses);
      }
      await trx
        .updateTable(kind.table as PersonTable)
        .set({
          ...identityColumns(person, addresses, company),
          ...columns,
          active: patch.active === undefined ? current.active : patch.active ? 1 : 0,
          updated_at: Date.now()
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await writeAudit(trx, tenantId, actor, [
        { action: `${kind.noun}.updated`, entityType: kind.noun, entityId: id, changes: givenFields(patch) }
      ]);
    });
  }

  private async insertContact(
    trx: Transaction<Database>,
    tenantId: string,
    id: string,
    input: ContactCreate,
    createdBy: string | null,
    now = Date.now()
  ): Promise<void> {
    const own = { company: input.company ?? null, phone: input.phone ?? null, created_by: createdBy };
    await this.insertPerson(trx, CONTACTS, tenantId, id, input, own, now);
  }

  private async insertSalesperson(
    trx: Transaction<Database>,
    tenantId: string,
    id: string,
    input: SalespersonCreate,
    userId: string | null,
    now = Date.now()
  ): Promise<void> {
    if (input.teamId) await this.assertTeamExists(trx, tenantId, input.teamId, 'teamId');
    const own = { user_oid: userId, team_id: input.teamId ?? null, active: 1 };
    await this.insertPerson(trx, SALESPEOPLE, tenantId, id, input, own, now);
  }

  /** A new person's row, with `own` (the kind's own columns), and their addresses if no one of the kind has them. */
  private async insertPerson<T extends PersonTable>(
    trx: Transaction<Database>,
    kind: PersonKind<T>,
    tenantId: string,
    id: string,
    input: { name: string; email: string; alternateEmails?: string[] | undefined; company?: string | null | undefined },
    own: Omit<
      Insertable<Database[T]>,
      keyof ReturnType<typeof identityColumns> | 'tenant_id' | 'id' | 'created_at' | 'updated_at'
    >,
    now: number
  ): Promise<void> {
    const addresses = addressesOf(input.email, input.alternateEmails);
    await this.assertAddressesFree(trx, kind, tenantId, id, addresses);
    const row = { tenant_id: tenantId, id, ...identityColumns(input, addresses, input.company), ...own };
    await trx
      .insertInto(kind.table as PersonTable)
      .values({ ...(row as Insertable<Database[PersonTable]>), created_at: now, updated_at: now })
      .execute();
    await this.writeAddresses(trx, kind, tenantId, id, addresses);
  }

  /** Makes `addresses` the person's, refusing any another person of the kind holds. */
  private async claimAddresses(
    trx: Transaction<Database>,
    kind: PersonKind<PersonTable>,
    tenantId: string,
    ownerId: string,
    addresses: Address[]
  ): Promise<void> {
    await this.assertAddressesFree(trx, kind, tenantId, ownerId, addresses);
    await this.writeAddresses(trx, kind, tenantId, ownerId, addresses);
  }

  private async assertAddressesFree(
    trx: Transaction<Database>,
    kind: PersonKind<PersonTable>,
    tenantId: string,
    ownerId: string,
    addresses: Address[]
  ): Promise<void> {
    const taken = await trx
      .selectFrom(kind.addresses)
      .select(['address', 'owner_id'])
      .where('tenant_id', '=', tenantId)
      .where(
        'address',
        'in',
        addresses.map((a) => a.address)
      )
      .where('owner_id', '!=', ownerId)
      .execute();
    if (taken.length === 0) return;
    const who = kind.noun;
    throw new StoreConflict(
      `${taken.map((t) => t.address).join(', ')} already belongs to another ${who}; each address identifies one ${who}.`,
      taken.map((t) =>
        addressField(
          addresses.findIndex((a) => a.address === t.address),
          `belongs to ${who} ${t.owner_id}`
        )
      )
    );
  }

  private async writeAddresses(
    trx: Transaction<Database>,
    kind: PersonKind<PersonTable>,
    tenantId: string,
    ownerId: string,
    addresses: Address[]
  ): Promise<void> {
    await trx.deleteFrom(kind.addresses).where('tenant_id', '=', tenantId).where('owner_id', '=', ownerId).execute();
    await trx
      .insertInto(kind.addresses)
      .values(
        addresses.map((a, position) => ({
          tenant_id: tenantId,
          address: a.address,
          owner_id: ownerId,
          is_primary: position === 0 ? 1 : 0,
          display: a.display,
          position
        }))
      )
      .execute();
  }

  private async alternatesOf(
    executor: Executor,
    table: AddressTableName,
    tenantId: string,
    ownerIds: string[]
  ): Promise<Map<string, string[]>> {
    const byOwner = new Map<string, string[]>();
    if (ownerIds.length === 0) return byOwner;
    const rows = await executor
      .selectFrom(table)
      .select(['owner_id', 'display'])
      .where('tenant_id', '=', tenantId)
      .where('owner_id', 'in', ownerIds)
      .where('is_primary', '=', 0)
      .orderBy('position')
      .execute();
    for (const row of rows) {
      const list = byOwner.get(row.owner_id) ?? [];
      list.push(row.display);
      byOwner.set(row.owner_id, list);
    }
    return byOwner;
  }

  /** The team exists; else `field` (the input naming it) is refused, or without one the team is not found. */
  private async assertTeamExists(trx: Executor, tenantId: string, teamId: string, field: string | null): Promise<void> {
    if (await exists(trx, 'teams', tenantId, teamId)) return;
    if (field === null) throw new StoreNotFound('The team');
    throw new StoreConstraint('The team does not exist.', [{ field, detail: 'names no team' }]);
  }

  private async assertSalespersonExists(trx: Executor, tenantId: string, id: string, field: string): Promise<void> {
    if (await exists(trx, 'salespeople', tenantId, id)) return;
    throw new StoreConstraint('The salesperson does not exist.', [{ field, detail: 'names no salesperson' }]);
  }
}

/** Whether the tenant has the record: for a write that names it (a team, a manager, a contact). */
export async function exists(
  executor: Executor,
  table: 'teams' | 'salespeople' | 'contacts',
  tenantId: string,
  id: string
): Promise<boolean> {
  const row = await executor
    .selectFrom(table)
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Who of a kind holds `address` (normalized): their id, as a query to run or to compare a column with. Compare
 * with `=`, not `in`: an address has one holder, and with `=` SQLite walks that person's own index.
 */
export function holderOf(executor: Executor, table: AddressTableName, tenantId: string, address: string) {
  return executor.selectFrom(table).select('owner_id').where('tenant_id', '=', tenantId).where('address', '=', address);
}

/** A person's row, or StoreNotFound. */
async function personRow<T extends PersonTable>(
  executor: Executor,
  kind: PersonKind<T>,
  tenantId: string,
  id: string
): Promise<PersonRow<T>> {
  const row = await executor
    .selectFrom(kind.table as PersonTable)
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new StoreNotFound(`The ${kind.noun}`);
  return row as PersonRow<T>;
}

function toContact(row: Selectable<Database['contacts']>, alternateEmails: string[]): Contact {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    alternateEmails,
    company: row.company,
    phone: row.phone,
    active: row.active === 1,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at)
  };
}

function toSalesperson(row: Selectable<Database['salespeople']>, alternateEmails: string[]): Salesperson {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    alternateEmails,
    teamId: row.team_id,
    active: row.active === 1,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at)
  };
}

function toTeam(row: Database['teams'], memberIds: string[]): Team {
  return {
    id: row.id,
    name: row.name,
    managerId: row.manager_id,
    memberIds,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at)
  };
}
