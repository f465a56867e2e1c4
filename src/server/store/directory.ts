import { setImmediate } from 'node:timers/promises';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
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
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors.js';
import { givenFields, writeAudit, type Actor } from './audit.js';
import { beyond, decodeCursor, pageOf } from './cursor.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';
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

/** Primary address first, then alternates, each normalized; duplicates are a request error. */
function addressesOf(email: string, alternates: string[] = []): Array<{ address: string; display: string }> {
  const seen = new Set<string>();
  return [email, ...alternates].map((display, index) => {
    const address = normalizeEmail(display);
    const pointer = index === 0 ? '/email' : `/alternateEmails/${index - 1}`;
    if (address === null) {
      throw new InvalidRequestError('An email address is not valid.', [
        { location: 'body', pointer, detail: 'must be an email address' }
      ]);
    }
    if (seen.has(address)) {
      throw new InvalidRequestError('The same address is listed twice.', [
        { location: 'body', pointer, detail: `repeats ${address}` }
      ]);
    }
    seen.add(address);
    return { address, display: display.trim() };
  });
}

/** Salespeople, contacts and teams of a tenant, with the address book the matching rules read. */
export class DirectoryStore {
  private readonly knownTenants = new Set<string>();

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Creates the tenant's row on its first write. It runs on its own, before the caller's transaction, and is
   * remembered only once committed: a rolled-back first write must not leave a tenant we think exists.
   */
  async ensureTenant(tenantId: string): Promise<void> {
    if (this.knownTenants.has(tenantId)) return;
    await this.db
      .insertInto('tenants')
      .values({ id: tenantId, created_at: Date.now() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    this.knownTenants.add(tenantId);
  }

  /** Who each address belongs to, among active salespeople and contacts. */
  async resolveAddresses(tenantId: string, addresses: string[]): Promise<ResolvedAddresses> {
    const resolved: ResolvedAddresses = { salespeople: new Map(), contacts: new Map() };
    // Both engines cap the parameters of one statement (SQLite 32,766; PostgreSQL 65,535).
    for (let start = 0; start < addresses.length; start += ADDRESS_CHUNK) {
      await this.resolveInto(resolved, tenantId, addresses.slice(start, start + ADDRESS_CHUNK));
    }
    return resolved;
  }

  private async resolveInto(resolved: ResolvedAddresses, tenantId: string, addresses: string[]): Promise<void> {
    const [salespeople, contacts] = await Promise.all([
      this.db
        .selectFrom('salesperson_addresses as a')
        .innerJoin('salespeople as s', (j) =>
          j.onRef('s.tenant_id', '=', 'a.tenant_id').onRef('s.id', '=', 'a.owner_id')
        )
        .select(['a.address', 's.id', 's.name', 's.email'])
        .where('a.tenant_id', '=', tenantId)
        .where('a.address', 'in', addresses)
        .where('s.active', '=', 1)
        .execute(),
      this.db
        .selectFrom('contact_addresses as a')
        .innerJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'a.tenant_id').onRef('c.id', '=', 'a.owner_id'))
        .select(['a.address', 'c.id', 'c.name', 'c.email'])
        .where('a.tenant_id', '=', tenantId)
        .where('a.address', 'in', addresses)
        .where('c.active', '=', 1)
        .execute()
    ]);
    for (const row of salespeople)
      resolved.salespeople.set(row.address, { id: row.id, name: row.name, email: row.email });
    for (const row of contacts) resolved.contacts.set(row.address, { id: row.id, name: row.name, email: row.email });
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
    const row = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('The contact');
    const alternates = await this.alternatesOf(this.db, 'contact_addresses', tenantId, [id]);
    return toContact(row, alternates.get(id) ?? []);
  }

  async listContacts(tenantId: string, options: ListOptions): Promise<{ items: Contact[]; nextCursor: string | null }> {
    const after = decodeCursor(options.cursor, 'string');
    let query = this.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId);
    if (options.query) query = query.where(sql<boolean>`search_text like ${likePattern(options.query)} escape '\\'`);
    if (options.email !== undefined) {
      const address = normalizeEmail(options.email) ?? '';
      query = query.where('id', '=', (qb) =>
        qb
          .selectFrom('contact_addresses')
          .select('owner_id')
          .where('tenant_id', '=', tenantId)
          .where('address', '=', address)
      );
    }
    if (after) {
      query = query.where(beyond('sort_key', 'id', after, 'asc'));
    }
    const rows = await query
      .orderBy('sort_key')
      .orderBy('id')
      .limit(options.limit + 1)
      .execute();
    const alternates = await this.alternatesOf(
      this.db,
      'contact_addresses',
      tenantId,
      rows.map((r) => r.id)
    );
    return pageOf(
      rows,
      options.limit,
      (row) => ({ key: row.sort_key, id: row.id }),
      (row) => toContact(row, alternates.get(row.id) ?? [])
    );
  }

  /** Adds a contact; its creator is the actor (null: no person, e.g. the demo seed), audited together. */
  async createContact(tenantId: string, input: ContactCreate, actor: Actor | null = null): Promise<Contact> {
    const id = newId();
    await this.ensureTenant(tenantId);
    await this.db.transaction().execute(async (trx) => {
      const addresses = addressesOf(input.email, input.alternateEmails);
      await this.assertAddressesFree(trx, 'contact_addresses', tenantId, id, addresses);
      const now = Date.now();
      await trx
        .insertInto('contacts')
        .values({
          tenant_id: tenantId,
          id,
          name: input.name.trim(),
          email: input.email.trim(),
          company: input.company ?? null,
          phone: input.phone ?? null,
          sort_key: sortKeyOf(input.name),
          search_text: searchTextOf(input.name, ...addresses.map((a) => a.address), input.company),
          created_by: actor?.userId ?? null,
          created_at: now,
          updated_at: now
        })
        .execute();
      await this.writeAddresses(trx, 'contact_addresses', tenantId, id, addresses);
      await writeAudit(trx, tenantId, actor, [
        { action: 'contact.created', entityType: 'contact', entityId: id, changes: givenFields(input) }
      ]);
    });
    return this.getContact(tenantId, id);
  }

  /** Who created a contact (their user id), or null; for the rule that its creator may correct it. */
  async contactCreatedBy(tenantId: string, id: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('contacts')
      .select('created_by')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('The contact');
    return row.created_by;
  }

  async updateContact(
    tenantId: string,
    id: string,
    patch: ContactUpdate,
    actor: Actor | null = null
  ): Promise<Contact> {
    await this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('contacts')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) throw new NotFoundError('The contact');
      const currentAlternates = (await this.alternatesOf(trx, 'contact_addresses', tenantId, [id])).get(id) ?? [];
      const next = {
        name: patch.name?.trim() ?? current.name,
        email: patch.email?.trim() ?? current.email,
        alternateEmails: patch.alternateEmails ?? currentAlternates,
        company: patch.company === undefined ? current.company : patch.company,
        phone: patch.phone === undefined ? current.phone : patch.phone,
        active: patch.active === undefined ? current.active : patch.active ? 1 : 0
      };
      const addresses = addressesOf(next.email, next.alternateEmails);
      if (patch.email !== undefined || patch.alternateEmails !== undefined) {
        await this.assertAddressesFree(trx, 'contact_addresses', tenantId, id, addresses);
        await this.writeAddresses(trx, 'contact_addresses', tenantId, id, addresses);
      }
      await trx
        .updateTable('contacts')
        .set({
          name: next.name,
          email: next.email,
          company: next.company,
          phone: next.phone,
          active: next.active,
          sort_key: sortKeyOf(next.name),
          search_text: searchTextOf(next.name, ...addresses.map((a) => a.address), next.company),
          updated_at: Date.now()
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await writeAudit(trx, tenantId, actor, [
        { action: 'contact.updated', entityType: 'contact', entityId: id, changes: givenFields(patch) }
      ]);
    });
    return this.getContact(tenantId, id);
  }

  // --- salespeople ----------------------------------------------------------------------------

  async getSalesperson(tenantId: string, id: string): Promise<Salesperson> {
    const row = await this.db
      .selectFrom('salespeople')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('The salesperson');
    const alternates = await this.alternatesOf(this.db, 'salesperson_addresses', tenantId, [id]);
    return toSalesperson(row, alternates.get(id) ?? []);
  }

  async listSalespeople(
    tenantId: string,
    options: ListOptions
  ): Promise<{ items: Salesperson[]; nextCursor: string | null }> {
    const after = decodeCursor(options.cursor, 'string');
    let query = this.db.selectFrom('salespeople').selectAll().where('tenant_id', '=', tenantId);
    if (options.query) query = query.where(sql<boolean>`search_text like ${likePattern(options.query)} escape '\\'`);
    if (options.email !== undefined) {
      const address = normalizeEmail(options.email) ?? '';
      query = query.where('id', '=', (qb) =>
        qb
          .selectFrom('salesperson_addresses')
          .select('owner_id')
          .where('tenant_id', '=', tenantId)
          .where('address', '=', address)
      );
    }
    if (after) {
      query = query.where(beyond('sort_key', 'id', after, 'asc'));
    }
    const rows = await query
      .orderBy('sort_key')
      .orderBy('id')
      .limit(options.limit + 1)
      .execute();
    const alternates = await this.alternatesOf(
      this.db,
      'salesperson_addresses',
      tenantId,
      rows.map((r) => r.id)
    );
    return pageOf(
      rows,
      options.limit,
      (row) => ({ key: row.sort_key, id: row.id }),
      (row) => toSalesperson(row, alternates.get(row.id) ?? [])
    );
  }

  async createSalesperson(
    tenantId: string,
    input: SalespersonCreate,
    actor: Actor | null = null
  ): Promise<Salesperson> {
    const id = newId();
    await this.ensureTenant(tenantId);
    await this.db.transaction().execute(async (trx) => {
      await this.insertSalesperson(trx, tenantId, id, input, null);
      await writeAudit(trx, tenantId, actor, [
        { action: 'salesperson.created', entityType: 'salesperson', entityId: id, changes: givenFields(input) }
      ]);
    });
    return this.getSalesperson(tenantId, id);
  }

  async updateSalesperson(
    tenantId: string,
    id: string,
    patch: SalespersonUpdate,
    actor: Actor | null = null
  ): Promise<Salesperson> {
    await this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('salespeople')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) throw new NotFoundError('The salesperson');
      if (patch.teamId) await this.assertTeamExists(trx, tenantId, patch.teamId, '/teamId');
      const currentAlternates = (await this.alternatesOf(trx, 'salesperson_addresses', tenantId, [id])).get(id) ?? [];
      const name = patch.name?.trim() ?? current.name;
      const email = patch.email?.trim() ?? current.email;
      const addresses = addressesOf(email, patch.alternateEmails ?? currentAlternates);
      if (patch.email !== undefined || patch.alternateEmails !== undefined) {
        await this.assertAddressesFree(trx, 'salesperson_addresses', tenantId, id, addresses);
        await this.writeAddresses(trx, 'salesperson_addresses', tenantId, id, addresses);
      }
      await trx
        .updateTable('salespeople')
        .set({
          name,
          email,
          team_id: patch.teamId === undefined ? current.team_id : patch.teamId,
          active: patch.active === undefined ? current.active : patch.active ? 1 : 0,
          sort_key: sortKeyOf(name),
          search_text: searchTextOf(name, ...addresses.map((a) => a.address)),
          updated_at: Date.now()
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await writeAudit(trx, tenantId, actor, [
        { action: 'salesperson.updated', entityType: 'salesperson', entityId: id, changes: givenFields(patch) }
      ]);
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
      outcome = await this.db.transaction().execute(async (trx) => {
        const byAddress = address
          ? await trx
              .selectFrom('salesperson_addresses')
              .select('owner_id')
              .where('tenant_id', '=', tenantId)
              .where('address', '=', address)
              .executeTakeFirst()
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
    throw new ConflictError(
      `The salesperson record for ${address} belongs to another user. If it is yours (a new account, say), ask an admin to unbind it.`
    );
  }

  /** Frees a salesperson record from the user bound to it, so the next user who signs in with one of its addresses takes it. */
  async unbindSalesperson(tenantId: string, id: string, actor: Actor): Promise<Salesperson> {
    await this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('salespeople')
        .select('user_oid')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) throw new NotFoundError('The salesperson');
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
    if (!team) throw new NotFoundError('The team');
    return team;
  }

  async createTeam(tenantId: string, input: TeamCreate, actor: Actor | null = null): Promise<Team> {
    const id = newId();
    await this.ensureTenant(tenantId);
    await this.db.transaction().execute(async (trx) => {
      if (input.managerId) await this.assertSalespersonExists(trx, tenantId, input.managerId, '/managerId');
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
    await this.db.transaction().execute(async (trx) => {
      await this.assertTeamExists(trx, tenantId, id, null);
      if (patch.managerId) await this.assertSalespersonExists(trx, tenantId, patch.managerId, '/managerId');
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
    const [salespeople, contacts, salespersonAddresses, contactAddresses] = await Promise.all([
      this.db
        .selectFrom('salespeople')
        .select(['id', 'name', 'email', 'active'])
        .where('tenant_id', '=', tenantId)
        .execute(),
      this.db.selectFrom('contacts').select(['id', 'name', 'email']).where('tenant_id', '=', tenantId).execute(),
      this.db
        .selectFrom('salesperson_addresses')
        .select(['owner_id', 'address', 'display', 'is_primary'])
        .where('tenant_id', '=', tenantId)
        .orderBy('position')
        .execute(),
      this.db
        .selectFrom('contact_addresses')
        .select(['owner_id', 'address', 'display', 'is_primary'])
        .where('tenant_id', '=', tenantId)
        .orderBy('position')
        .execute()
    ]);
    const group = (rows: typeof salespersonAddresses) => {
      const byOwner = new Map<string, AddressBookEntry['addresses']>();
      for (const row of rows) {
        const list = byOwner.get(row.owner_id) ?? [];
        list.push({ address: row.address, display: row.display, primary: row.is_primary === 1 });
        byOwner.set(row.owner_id, list);
      }
      return byOwner;
    };
    const ofSalespeople = group(salespersonAddresses);
    const ofContacts = group(contactAddresses);
    return [
      ...salespeople.map((p) => ({
        kind: 'salesperson' as const,
        id: p.id,
        name: p.name,
        email: p.email,
        active: p.active === 1,
        addresses: ofSalespeople.get(p.id) ?? []
      })),
      ...contacts.map((c) => ({
        kind: 'contact' as const,
        id: c.id,
        name: c.name,
        email: c.email,
        active: true,
        addresses: ofContacts.get(c.id) ?? []
      }))
    ];
  }

  /** Which person of a kind holds each address (normalized), and the tenant's teams by lower-cased name. */
  async importLookup(
    tenantId: string,
    kind: 'contacts' | 'salespeople',
    addresses: string[]
  ): Promise<{ owners: Map<string, string>; teams: Map<string, string> }> {
    const table: AddressTableName = kind === 'contacts' ? 'contact_addresses' : 'salesperson_addresses';
    const owners = new Map<string, string>();
    for (let start = 0; start < addresses.length; start += ADDRESS_CHUNK) {
      const chunk = addresses.slice(start, start + ADDRESS_CHUNK);
      if (chunk.length === 0) continue;
      const rows = await this.db
        .selectFrom(table)
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
    return this.db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      const audit: Parameters<typeof writeAudit>[3] = [];
      const now = Date.now();
      for (const [index, row] of rows.entries()) {
        // SQLite runs these statements synchronously: thousands in one go would hold every other request.
        if (index > 0 && index % IMPORT_ROWS_PER_TURN === 0) await setImmediate();
        const id = row.id ?? newId();
        ids.push(id);
        const table: AddressTableName = kind === 'contacts' ? 'contact_addresses' : 'salesperson_addresses';
        const alternates =
          row.alternateEmails ?? (row.id ? ((await this.alternatesOf(trx, table, tenantId, [id])).get(id) ?? []) : []);
        const addresses = addressesOf(row.email, alternates);
        if (kind === 'contacts') {
          await this.assertAddressesFree(trx, 'contact_addresses', tenantId, id, addresses);
          const values = {
            name: row.name.trim(),
            email: row.email.trim(),
            ...(row.company === undefined ? {} : { company: row.company }),
            ...(row.phone === undefined ? {} : { phone: row.phone }),
            sort_key: sortKeyOf(row.name),
            search_text: searchTextOf(row.name, ...addresses.map((a) => a.address), row.company),
            updated_at: now
          };
          if (row.id) {
            await trx
              .updateTable('contacts')
              .set(values)
              .where('tenant_id', '=', tenantId)
              .where('id', '=', id)
              .execute();
          } else {
            await trx
              .insertInto('contacts')
              .values({
                company: null,
                phone: null,
                ...values,
                tenant_id: tenantId,
                id,
                created_by: actor.userId,
                created_at: now
              })
              .execute();
          }
          await this.writeAddresses(trx, 'contact_addresses', tenantId, id, addresses);
        } else if (row.id) {
          await this.assertAddressesFree(trx, 'salesperson_addresses', tenantId, id, addresses);
          await trx
            .updateTable('salespeople')
            .set({
              name: row.name.trim(),
              email: row.email.trim(),
              ...(row.teamId === undefined ? {} : { team_id: row.teamId }),
              sort_key: sortKeyOf(row.name),
              search_text: searchTextOf(row.name, ...addresses.map((a) => a.address)),
              updated_at: now
            })
            .where('tenant_id', '=', tenantId)
            .where('id', '=', id)
            .execute();
          await this.writeAddresses(trx, 'salesperson_addresses', tenantId, id, addresses);
        } else {
          await this.insertSalesperson(
            trx,
            tenantId,
            id,
            { name: row.name, email: row.email, alternateEmails: alternates, teamId: row.teamId ?? null },
            null
          );
        }
        const entityType = kind === 'contacts' ? 'contact' : 'salesperson';
        audit.push({
          action: `${entityType}.${row.id ? 'updated' : 'created'}`,
          entityType,
          entityId: id,
          changes: { ...givenFields(row.changes), source: 'csv-import' }
        });
      }
      audit.push({
        action: 'directory.imported',
        entityType: kind === 'contacts' ? 'contact' : 'salesperson',
        entityId: 'csv-import',
        changes: {
          rows: rows.length,
          created: rows.filter((r) => !r.id).length,
          updated: rows.filter((r) => r.id).length
        }
      });
      await writeAudit(trx, tenantId, actor, audit, now);
      return ids;
    });
  }

  // --- internals ------------------------------------------------------------------------------

  private async insertSalesperson(
    trx: Transaction<Database>,
    tenantId: string,
    id: string,
    input: SalespersonCreate,
    userId: string | null
  ): Promise<void> {
    if (input.teamId) await this.assertTeamExists(trx, tenantId, input.teamId, '/teamId');
    const addresses = addressesOf(input.email, input.alternateEmails);
    await this.assertAddressesFree(trx, 'salesperson_addresses', tenantId, id, addresses);
    const now = Date.now();
    await trx
      .insertInto('salespeople')
      .values({
        tenant_id: tenantId,
        id,
        user_oid: userId,
        name: input.name.trim(),
        email: input.email.trim(),
        team_id: input.teamId ?? null,
        active: 1,
        sort_key: sortKeyOf(input.name),
        search_text: searchTextOf(input.name, ...addresses.map((a) => a.address)),
        created_at: now,
        updated_at: now
      })
      .execute();
    await this.writeAddresses(trx, 'salesperson_addresses', tenantId, id, addresses);
  }

  private async assertAddressesFree(
    trx: Transaction<Database>,
    table: AddressTableName,
    tenantId: string,
    ownerId: string,
    addresses: Array<{ address: string }>
  ): Promise<void> {
    const taken = await trx
      .selectFrom(table)
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
    const who = table === 'contact_addresses' ? 'contact' : 'salesperson';
    throw new ConflictError(
      `${taken.map((t) => t.address).join(', ')} already belongs to another ${who}; each address identifies one ${who}.`,
      taken.map((t) => {
        const index = addresses.findIndex((a) => a.address === t.address);
        return {
          location: 'body' as const,
          pointer: index === 0 ? '/email' : `/alternateEmails/${index - 1}`,
          detail: `belongs to ${who} ${t.owner_id}`
        };
      })
    );
  }

  private async writeAddresses(
    trx: Transaction<Database>,
    table: AddressTableName,
    tenantId: string,
    ownerId: string,
    addresses: Array<{ address: string; display: string }>
  ): Promise<void> {
    await trx.deleteFrom(table).where('tenant_id', '=', tenantId).where('owner_id', '=', ownerId).execute();
    await trx
      .insertInto(table)
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

  private async assertTeamExists(
    trx: Executor,
    tenantId: string,
    teamId: string,
    pointer: string | null
  ): Promise<void> {
    const team = await trx
      .selectFrom('teams')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', teamId)
      .executeTakeFirst();
    if (team) return;
    if (pointer === null) throw new NotFoundError('The team');
    throw new InvalidRequestError('The team does not exist.', [{ location: 'body', pointer, detail: 'names no team' }]);
  }

  private async assertSalespersonExists(trx: Executor, tenantId: string, id: string, pointer: string): Promise<void> {
    const found = await trx
      .selectFrom('salespeople')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!found) {
      throw new InvalidRequestError('The salesperson does not exist.', [
        { location: 'body', pointer, detail: 'names no salesperson' }
      ]);
    }
  }
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

function toSalesperson(row: Database['salespeople'], alternateEmails: string[]): Salesperson {
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
