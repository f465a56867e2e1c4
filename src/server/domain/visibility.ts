import type { Opportunity } from '../../shared/schemas/opportunity.js';
import { hasRole, type Principal } from '../auth/principal.js';
import { ForbiddenError } from '../errors.js';
import { FreshCache } from '../fresh-cache.js';
import { cacheTag, WHOLE_TENANT, WHOLE_TENANT_TAG, type Store, type VisibilityScope } from '../store/index.js';

/*
 * Who sees whose history, and who may change an opportunity. The store applies the scope in its queries;
 * this module only decides it:
 * - admins see their whole tenant;
 * - with the tenant's setting 'organization' (the default) everyone does;
 * - with 'team' a salesperson sees the members of their own team and of the teams they manage;
 * - with 'own' a salesperson sees their own entries and those of the teams they manage.
 * "The teams they manage" are the teams whose manager the admin set to this person's salesperson record:
 * managers always see their teams, whatever the setting. Opportunities follow the same rules (an
 * opportunity belongs to its owner as an entry belongs to its salesperson).
 */

/** The caller's own salesperson id, found or created from the token's claims. */
async function ownSalespersonId(store: Store, principal: Principal): Promise<string> {
  return (await store.directory.salespersonForUser(principal.tenantId, principal)).id;
}

const SCOPES_KEPT = 10_000;
const keptScopes = new WeakMap<Store, FreshCache<VisibilityScope>>();
/** Each principal's cache key, made once: the verifier hands out the same principal for the same token. */
const callerKeys = new WeakMap<Principal, string>();

function callerKey(principal: Principal): string {
  let key = callerKeys.get(principal);
  if (key === undefined) {
    key = JSON.stringify([principal.tenantId, principal.userId, principal.email, principal.name]);
    callerKeys.set(principal, key);
  }
  return key;
}

/** The caller's scope, worked out once per caller until the tenant's settings, teams or salespeople change. */
export function historyScopeFor(store: Store, principal: Principal): Promise<VisibilityScope> {
  if (hasRole(principal, 'Admin')) return Promise.resolve(WHOLE_TENANT);
  let scopes = keptScopes.get(store);
  if (!scopes) {
    scopes = new FreshCache<VisibilityScope>({ maxSize: SCOPES_KEPT, clock: store.invalidations });
    keptScopes.set(store, scopes);
  }
  // Settings, teams and salespeople are the tenant-wide tag's (migration 0009).
  const tags = [cacheTag(principal.tenantId, WHOLE_TENANT_TAG)];
  return scopes.get(
    callerKey(principal),
    () => workOutHistoryScope(store, principal),
    () => tags
  );
}

/** The caller's scope if it is known without reading the store (as historyScopeFor kept it); else undefined. */
export function rememberedHistoryScope(store: Store, principal: Principal): VisibilityScope | undefined {
  if (hasRole(principal, 'Admin')) return WHOLE_TENANT;
  return keptScopes.get(store)?.peek(callerKey(principal));
}

async function workOutHistoryScope(store: Store, principal: Principal): Promise<VisibilityScope> {
  const { historyVisibility } = await store.settings.get(principal.tenantId);
  if (historyVisibility === 'organization') return WHOLE_TENANT;
  const own = await ownSalespersonId(store, principal);
  const mates = await store.directory.teamMateIds(principal.tenantId, own, { ownTeam: historyVisibility === 'team' });
  // Sorted, so equal scopes serialize alike (the history cache keys on them).
  return { kind: 'salespeople', salespersonIds: [...new Set([own, ...mates])].sort() };
}

/**
 * Only the owner, a manager of a team the owner is in, or an admin changes an opportunity. Others who can
 * see it (same organization) get a 403 that says who may.
 */
export async function assertMayChangeOpportunity(
  store: Store,
  principal: Principal,
  opportunity: Pick<Opportunity, 'salesperson'>
): Promise<void> {
  if (hasRole(principal, 'Admin')) return;
  const own = await ownSalespersonId(store, principal);
  if (opportunity.salesperson.id === own) return;
  const managed = await store.directory.teamMateIds(principal.tenantId, own, { ownTeam: false });
  if (managed.includes(opportunity.salesperson.id)) return;
  throw new ForbiddenError("Only the opportunity's owner, their manager or an admin can change it.");
}
