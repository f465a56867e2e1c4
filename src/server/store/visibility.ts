/*
 * Whose interaction history a query may return. The domain decides the scope from the caller's role, the
 * tenant's setting and teams (domain/visibility.ts); every store read of interactions and opportunities
 * takes it and applies it in its SQL, so nothing outside the scope is ever read, counted or exported.
 */

import { WHOLE_TENANT, type VisibilityScope } from '../domain/visibility.js';

// Defined with the rules that decide it; the store's modules keep importing them from here.
export { WHOLE_TENANT, type VisibilityScope };

const keysOfScopes = new WeakMap<VisibilityScope, string>();

/** A stable text form of a scope, for cache keys: two equal scopes give the same key. Made once per scope. */
export function scopeKey(scope: VisibilityScope): string {
  let key = keysOfScopes.get(scope);
  if (key === undefined) {
    key = scope.kind === 'tenant' ? 'tenant' : `salespeople:${[...new Set(scope.salespersonIds)].sort().join(',')}`;
    keysOfScopes.set(scope, key);
  }
  return key;
}

/**
 * The salesperson ids a query is limited to, or null for the whole tenant. An empty scope sees nothing; it is
 * given as one id no record has, so the query stays a plain `in (...)` on every engine.
 */
export function scopedSalespersonIds(scope: VisibilityScope): string[] | null {
  if (scope.kind === 'tenant') return null;
  return scope.salespersonIds.length > 0 ? [...new Set(scope.salespersonIds)] : [''];
}

/** Whether the scope sees a salesperson's entries. */
export function scopeIncludes(scope: VisibilityScope, salespersonId: string): boolean {
  return scope.kind === 'tenant' || scope.salespersonIds.includes(salespersonId);
}
