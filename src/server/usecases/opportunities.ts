import type { PersonRef } from '../../shared/schemas/common.js';
import type { Opportunity, OpportunityCreate, OpportunityUpdate } from '../../shared/schemas/opportunity.js';
import type { Principal } from '../auth/principal.js';
import { valuesForCreate, valuesForUpdate } from '../domain/opportunities.js';
import { assertMayChangeOpportunity } from './access.js';
import type { Actor, Store, VisibilityScope } from '../store/index.js';

/*
 * Creating an opportunity and moving it along (which links more entries): the domain's rules over what the
 * request says and, for a change, the opportunity as it is; the store writes it and its links in one transaction.
 */

/** The caller's new opportunity, owned by them, linked to those of the named entries they see. */
export function createOpportunity(
  store: Store,
  tenantId: string,
  input: OpportunityCreate,
  owner: PersonRef,
  actor: Actor,
  scope: VisibilityScope
): Promise<Opportunity> {
  return store.opportunities.create(tenantId, input, valuesForCreate(input), owner, actor, scope);
}

/**
 * Changes an opportunity the caller sees: out of sight is missing (404); in sight but someone else's, whom the
 * caller does not manage, is a 403.
 */
export async function updateOpportunity(
  store: Store,
  principal: Principal,
  id: string,
  patch: OpportunityUpdate,
  actor: Actor,
  scope: VisibilityScope,
  now = Date.now()
): Promise<Opportunity> {
  const { tenantId } = principal;
  const current = await store.opportunities.get(tenantId, id, scope);
  await assertMayChangeOpportunity(store, principal, current);
  const values = valuesForUpdate(current, patch, now);
  const links = patch.linkInteractionIds ?? [];
  return store.opportunities.update(tenantId, current.id, values, links, actor, scope);
}
