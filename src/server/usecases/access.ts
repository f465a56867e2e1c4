import type { Opportunity } from '../../shared/schemas/opportunity.js';
import type { VisibilityScopes } from '../caches.js';
import type { Principal } from '../domain/principal.js';
import {
  assertMayChangeOwnedBy,
  salespeopleScope,
  seesWholeTenant,
  teamsInView,
  WHOLE_TENANT,
  type VisibilityScope
} from '../domain/visibility.js';
import { cacheTag, WHOLE_TENANT_TAG, type Store } from '../store/index.js';

/*
 * Resolving who may see what: the caller's settings and teams are loaded here, the rules that turn them into a
 * scope or a verdict are domain/visibility.ts's.
 */

/** The caller's own salesperson id, found or created from the token's claims. */
export async function ownSalespersonId(store: Store, principal: Principal): Promise<string> {
  return (await store.directory.salespersonForUser(principal.tenantId, principal)).id;
}

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

/** What working out a caller's scope needs: the store, and the app's kept scopes of it (caches.ts). */
export interface ScopeSources {
  store: Store;
  scopes: VisibilityScopes;
}

/** The caller's scope, worked out once per caller until the tenant's settings, teams or salespeople change. */
export function historyScopeFor({ store, scopes }: ScopeSources, principal: Principal): Promise<VisibilityScope> {
  if (seesWholeTenant(principal)) return Promise.resolve(WHOLE_TENANT);
  // Settings, teams and salespeople are the tenant-wide tag's (migration 0009).
  const tags = [cacheTag(principal.tenantId, WHOLE_TENANT_TAG)];
  return scopes.get(
    callerKey(principal),
    () => loadHistoryScope(store, principal),
    () => tags
  );
}

/** The caller's scope if it is known without reading the store (as historyScopeFor kept it); else undefined. */
export function rememberedHistoryScope(scopes: VisibilityScopes, principal: Principal): VisibilityScope | undefined {
  if (seesWholeTenant(principal)) return WHOLE_TENANT;
  return scopes.peek(callerKey(principal));
}

async function loadHistoryScope(store: Store, principal: Principal): Promise<VisibilityScope> {
  const { historyVisibility } = await store.settings.get(principal.tenantId);
  const teams = teamsInView(historyVisibility);
  if (teams === null) return WHOLE_TENANT;
  const own = await ownSalespersonId(store, principal);
  return salespeopleScope(own, await store.directory.teamMateIds(principal.tenantId, own, teams));
}

/** A 403 unless the caller may change the opportunity (domain/visibility.ts `assertMayChangeOwnedBy`). */
export async function assertMayChangeOpportunity(
  store: Store,
  principal: Principal,
  opportunity: Pick<Opportunity, 'salesperson'>
): Promise<void> {
  if (seesWholeTenant(principal)) return;
  const own = await ownSalespersonId(store, principal);
  const ownerId = opportunity.salesperson.id;
  // The owner needs no team lookup.
  const managedIds =
    ownerId === own ? [] : await store.directory.teamMateIds(principal.tenantId, own, { ownTeam: false });
  assertMayChangeOwnedBy(ownerId, { salespersonId: own, managedIds });
}
