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
import { actorOf } from '../auth/authenticate.js';
import type { Principal } from '../domain/principal.js';
import { assertMayChangeContact } from '../domain/visibility.js';
import type { Store } from '../store/index.js';

/*
 * Changes to the directory made by a signed-in user, each audited under their name. Who may call which is the
 * route's role check (salespeople and teams: admins; contacts: anyone); the rule that only a contact's creator or
 * an admin corrects it needs the record, so it is here.
 */

export const createContact = (store: Store, principal: Principal, input: ContactCreate): Promise<Contact> =>
  store.directory.createContact(principal.tenantId, input, actorOf(principal));

export async function updateContact(
  store: Store,
  principal: Principal,
  id: string,
  patch: ContactUpdate
): Promise<Contact> {
  assertMayChangeContact(principal, await store.directory.contactCreatedBy(principal.tenantId, id));
  return store.directory.updateContact(principal.tenantId, id, patch, actorOf(principal));
}

export const createSalesperson = (store: Store, principal: Principal, input: SalespersonCreate): Promise<Salesperson> =>
  store.directory.createSalesperson(principal.tenantId, input, actorOf(principal));

export const updateSalesperson = (
  store: Store,
  principal: Principal,
  id: string,
  patch: SalespersonUpdate
): Promise<Salesperson> => store.directory.updateSalesperson(principal.tenantId, id, patch, actorOf(principal));

/** Frees a salesperson record from its Entra user: the next user who signs in with one of its addresses takes it. */
export const unbindSalesperson = (store: Store, principal: Principal, id: string): Promise<Salesperson> =>
  store.directory.unbindSalesperson(principal.tenantId, id, actorOf(principal));

export const createTeam = (store: Store, principal: Principal, input: TeamCreate): Promise<Team> =>
  store.directory.createTeam(principal.tenantId, input, actorOf(principal));

export const updateTeam = (store: Store, principal: Principal, id: string, patch: TeamUpdate): Promise<Team> =>
  store.directory.updateTeam(principal.tenantId, id, patch, actorOf(principal));
