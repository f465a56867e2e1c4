import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../shared/schemas/auth.js';
import type { Salesperson } from '../../shared/schemas/directory.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { Actor, Store } from '../store/index.js';
import { hasRole, type Principal } from './principal.js';
import type { TokenVerifier } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `authenticate` on every protected route; null elsewhere. */
    principal: Principal | null;
  }
}

/** The onRequest hook of protected routes: a Bearer token, verified, or a 401. */
export function authenticateWith(verify: TokenVerifier) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new UnauthorizedError('Send an access token as "Authorization: Bearer <token>".', { tokenRejected: false });
    }
    request.principal = await verify(match[1]);
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
