import { LRUCache } from 'lru-cache';
import type { Config } from './config.js';
import type { Principal } from './domain/principal.js';
import type { VisibilityScope } from './domain/visibility.js';
import { FreshCache } from './fresh-cache.js';
import { ResponseCache } from './http/response-cache.js';
import type { InvalidationClock } from './store/index.js';

/*
 * Every cache the server keeps, each named here with what it holds, what makes an entry stale, and its bound.
 * Each is made here and held by what owns it (the app, a token verifier), living as long as its owner: none is
 * kept at module level, so two apps in one process (two stores, the tests) never share an entry.
 *
 * Values read from the store are kept in FreshCaches (fresh-cache.ts) over the store's invalidation clock
 * (store/invalidation.ts): every write names the tags it changed (a contact, a salesperson, the whole tenant),
 * and a kept value is served only while none of its tags changed since it was read. On SQLite the connection's
 * change token says cheaply whether anything was committed since the last look; on PostgreSQL the commits'
 * notifications arrive on a listening connection. While the clock cannot vouch (a transaction open on SQLite,
 * the listener down on PostgreSQL) nothing is served from these caches.
 *
 * Not here, as they never go stale: memos of pure computations kept beside them (each principal's scope-cache
 * key in usecases/access.ts, each scope's text form in store/visibility.ts, each Accept-Encoding header's choice
 * in http/response-cache.ts), all bounded or held only as long as what they describe.
 */

/**
 * History pages: the serialized answers of GET /interactions (the contact history every opened message asks
 * for), plain and gzipped, keyed by tenant, the caller's scope and the URL. Stale once a write changes a tag
 * the page shows (routes/interactions.ts `historyPageTags`). Bound: config.historyCacheBytes of bodies (0 turns
 * it off); one per app.
 */
export function historyPageCache(config: Pick<Config, 'historyCacheBytes'>, clock: InvalidationClock): ResponseCache {
  return new ResponseCache({ maxBytes: config.historyCacheBytes, clock });
}

/** Callers whose visibility scope is kept, per app. */
export const VISIBILITY_SCOPES_KEPT = 10_000;

/** Whose history each caller sees, kept (see visibilityScopeCache). */
export type VisibilityScopes = FreshCache<VisibilityScope>;

/**
 * Visibility scopes: whose history each caller sees (usecases/access.ts), keyed by the caller. Stale once the
 * tenant's settings, teams or salespeople change (the tenant-wide tag, migration 0009), by the clock of the store
 * they were read from. Bound: VISIBILITY_SCOPES_KEPT callers, least recently used dropped. One per app, made
 * beside its store (app.ts) and handed to the routes that work out a caller's scope: nothing else reads scopes.
 */
export function visibilityScopeCache(clock: InvalidationClock): VisibilityScopes {
  return new FreshCache<VisibilityScope>({ maxSize: VISIBILITY_SCOPES_KEPT, clock });
}

/** Tokens whose verification is kept, per verifier. */
export const VERIFIED_TOKENS_KEPT = 10_000;

/** A token that passed verification, its caller, and when it expires (ms since the epoch). */
export interface VerifiedToken {
  token: string;
  principal: Principal;
  expiresAt: number;
}

/**
 * Verified tokens: each access token that passed verification (auth/tokens.ts), so a busy pane does not pay for
 * RSA every call. Keyed by the token's last characters (part of its signature); the whole token is compared on a
 * hit. Stale when the token expires: an expired entry is never served, and dropped when met. Bound:
 * VERIFIED_TOKENS_KEPT tokens, least recently used dropped. One per verifier.
 */
export function verifiedTokenCache(): LRUCache<string, VerifiedToken> {
  return new LRUCache<string, VerifiedToken>({ max: VERIFIED_TOKENS_KEPT });
}
