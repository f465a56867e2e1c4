import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../errors.js';

/*
 * Request budgets per minute, counted in this process (each instance counts its own callers):
 * - per user (tenant + oid from the verified token), so one pane or script cannot starve the rest;
 * - per tenant, a second, larger budget, so one tenant cannot starve the others;
 * - per client address for requests without a valid token (and the dev token endpoint), so guessing
 *   tokens is as limited as using one.
 * Over budget is a 429 problem document with Retry-After.
 */

export interface RateLimitSettings {
  userPerMinute: number;
  tenantPerMinute: number;
}

export interface RateLimits {
  /** After a token was verified: the user's budget, then the tenant's. */
  authenticated(request: FastifyRequest): Promise<void>;
  /** For requests that carry no valid token: the client address's budget. */
  unauthenticated(request: FastifyRequest): Promise<void>;
}

const MINUTE_MS = 60_000;

export async function registerRateLimits(app: FastifyInstance, settings: RateLimitSettings): Promise<RateLimits> {
  // Not global: the limits below are applied where the caller is known, not before authentication.
  await app.register(rateLimit, { global: false });
  const limiter = (max: number, key: (request: FastifyRequest) => string) =>
    app.createRateLimit({ max, timeWindow: MINUTE_MS, keyGenerator: key });
  const perUser = limiter(settings.userPerMinute, (r) => `user:${r.principal?.tenantId}:${r.principal?.userId}`);
  const perTenant = limiter(settings.tenantPerMinute, (r) => `tenant:${r.principal?.tenantId}`);
  const perAddress = limiter(settings.userPerMinute, (r) => `address:${r.ip}`);

  const check = async (request: FastifyRequest, which: ReturnType<typeof limiter>, whose: string) => {
    const result = await which(request);
    if (!result.isAllowed && result.isExceeded) throw new RateLimitedError(whose, Math.max(1, result.ttlInSeconds));
  };
  return {
    async authenticated(request) {
      await check(request, perUser, 'your');
      await check(request, perTenant, "your organization's");
    },
    async unauthenticated(request) {
      await check(request, perAddress, "this address's");
    }
  };
}
