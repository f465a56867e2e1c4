import type { Server } from 'node:net';
import type { FastifyInstance } from 'fastify';

/*
 * What keeps slow and greedy clients from holding sockets (issue 15: a hundred connections trickling bodies
 * after a 401 were all still open after 330 s):
 * - the request, headers and body, must arrive within the request timeout, and a silent connection is closed
 *   after as long (the Fastify options in app.ts; Node checks them at `connectionsCheckingInterval`);
 * - an error answered before the body was read closes the connection, so the rest of the body is not waited for;
 * - one address holds at most so many connections at once; the next ones are closed as they arrive.
 */

/** How often Node looks for requests past their timeouts: its default (30 s) would make a 30 s limit a 60 s one. */
export const checkingIntervalFor = (requestTimeoutMs: number): number =>
  Math.max(250, Math.min(5000, Math.floor(requestTimeoutMs / 4)));

/** `Connection: close` on an error answer sent before the request's body was read. */
export function closeAfterEarlyErrors(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    // A request without a body may be answered before Node marks it complete: that is no reason to close.
    const { headers } = request;
    const hasBody = headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
    if (reply.statusCode >= 400 && hasBody && !request.raw.complete) void reply.header('connection', 'close');
    done(null, payload);
  });
}

/** Closes a connection at once when its address already holds `max` (0: no bound). */
export function boundConnectionsPerAddress(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}
