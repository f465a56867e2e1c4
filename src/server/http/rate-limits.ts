import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { RateLimitedError } from '../errors.js';

/*
 * Request budgets per minute, counted in this process (each instance counts its own callers):
 * - per user (tenant + oid from the verified token), so one pane or script cannot starve the rest;
 * - per tenant, a second, larger budget, so one tenant cannot starve the others;
 * - per client address for requests without a valid token (and the dev token endpoint), so guessing
 *   tokens is as limited as using one.
 * Over budget is a 429 problem document with Retry-After.
 *
 * Fixed one-minute windows in a bounded LRU map, as @fastify/rate-limit's local store counts them. The checks
 * are synchronous: they run on every API request, and that library's programmatic API costs a promise per
 * check (about a twentieth of a cached history read).
 */

export interface RateLimitSettings {
  userPerMinute: number;
  tenantPerMinute: number;
}

export interface RateLimits {
  /** After a token was verified: the user's budget, then the tenant's. Throws RateLimitedError when spent. */
  authenticated(request: FastifyRequest): void;
  /** For requests that carry no valid token: the client address's budget. Throws RateLimitedError when spent. */
  unauthenticated(request: FastifyRequest): void;
  /**
   * A heavy request's weight beyond the one request `authenticated` counted, on the caller's and the tenant's
   * budgets. Throws RateLimitedError when that spends them.
   */
  weigh(request: FastifyRequest, extraRequests: number): void;
}

const MINUTE_MS = 60_000;
/** Callers remembered per budget; the least recently seen is forgotten first (its count starts again). */
const CALLERS_KEPT = 10_000;

interface Window {
  endsAt: number;
  used: number;
}

/** A number of requests per window for each key. */
export class Budget {
  private readonly windows = new LRUCache<string, Window>({ max: CALLERS_KEPT });

  constructor(
    private readonly max: number,
    private readonly windowMs: number = MINUTE_MS
  ) {}

  /**
   * Counts `requests` (a request's weight, 1 for most) for `key`: 0 while within budget, else the whole seconds
   * until the window ends (≥ 1).
   */
  take(key: string, now: number = Date.now(), requests = 1): number {
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      window = { endsAt: now + this.windowMs, used: 0 };
      this.windows.set(key, window);
    }
    window.used += requests;
    return window.used > this.max ? Math.max(1, Math.ceil((window.endsAt - now) / 1000)) : 0;
  }
}

function spend(budget: Budget, key: string, whose: string, requests = 1): void {
  const retryAfterSeconds = budget.take(key, Date.now(), requests);
  if (retryAfterSeconds > 0) throw new RateLimitedError(whose, retryAfterSeconds);
}

export function createRateLimits(settings: RateLimitSettings): RateLimits {
  const perUser = new Budget(settings.userPerMinute);
  const perTenant = new Budget(settings.tenantPerMinute);
  const perAddress = new Budget(settings.userPerMinute);
  return {
    authenticated(request) {
      const principal = request.principal;
      if (principal === null) throw new Error('authenticated() needs the verified caller on the request.');
      // A refused request does not count against the tenant.
      spend(perUser, `${principal.tenantId}\n${principal.userId}`, 'your');
      spend(perTenant, principal.tenantId, "your organization's");
    },
    unauthenticated(request) {
      spend(perAddress, request.ip, "this address's");
    },
    weigh(request, extraRequests) {
      const principal = request.principal;
      if (principal === null) throw new Error('weigh() needs the verified caller on the request.');
      if (extraRequests <= 0) return;
      spend(perUser, `${principal.tenantId}\n${principal.userId}`, 'your', extraRequests);
      spend(perTenant, principal.tenantId, "your organization's", extraRequests);
    }
  };
}
