import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Role } from '../../shared/schemas/auth.js';
import type { Salesperson } from '../../shared/schemas/directory.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Actor, Store } from '../store/index.js';
import { hasRole, type Principal } from '../domain/principal.js';
import type { RateLimits } from '../http/rate-limits.js';
import type { TokenVerifier } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on every protected route; null elsewhere. */
    principal: Principal | null;
  }
}

const BEARER = 'Bearer ';

/** The token of an `Authorization: Bearer <token>` header, or a 401 that says how to send one. */
function bearerToken(header: string | undefined): string {
  const match = typeof header === 'string' ? /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header) : null;
  if (!match?.[1]) {
    throw new UnauthorizedError('Send an access token as "Authorization: Bearer <token>".', { tokenRejected: false });
  }
  return match[1];
}

/**
 * The onRequest hook of protected routes: the caller, from a verified Bearer token (else a 401), then the
 * caller's request budgets (else a 429). Callback style with a synchronous path for a token verified before:
 * it runs on every API request, where promises and a regular expression over a 1 KB header would cost more than
 * a cached history read's own work.
 */
export function authenticateWith(verify: TokenVerifier, limits: RateLimits): onRequestHookHandler {
  const admit = (request: FastifyRequest, principal: Principal) => {
    request.principal = principal;
    limits.authenticated(request);
  };
  const verifyThenAdmit = async (request: FastifyRequest) => {
    let principal: Principal;
    try {
      principal = await verify(bearerToken(request.headers.authorization));
    } catch (error) {
      limits.unauthenticated(request); // a 429 instead of the 401 once an address keeps guessing
      throw error;
    }
    admit(request, principal);
  };
  return (request, _reply, done) => {
    const header = request.headers.authorization;
    const known = header?.startsWith(BEARER) ? verify.remembered(header.slice(BEARER.length)) : undefined;
    if (known) {
      admit(request, known); // a spent budget throws: Fastify answers with the error
      done();
      return;
    }
    verifyThenAdmit(request).then(() => done(), done);
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError();
  return request.principal;
}

/** The caller as the audit log names them. */
export const actorOf = (principal: Principal): Actor => ({ userId: principal.userId, name: principal.name });

export function requireRole(request: FastifyRequest, role: Role): Principal {
  const principal = principalOf(request);
  if (!hasRole(principal, role)) throw new ForbiddenError(`Only users with the ${role} role can do this.`);
  return principal;
}

const salespersonOfRequest = new WeakMap<FastifyRequest, Promise<Salesperson>>();

/** The caller's own salesperson record, created on first use; looked up once per request. */
export function callerSalesperson(request: FastifyRequest, store: Store): Promise<Salesperson> {
  let pending = salespersonOfRequest.get(request);
  if (!pending) {
    const principal = principalOf(request);
    pending = store.directory.salespersonForUser(principal.tenantId, principal);
    salespersonOfRequest.set(request, pending);
  }
  return pending;
}
