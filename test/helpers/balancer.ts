import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A load balancer in front of several API instances, as deployed: each request goes to the instance `pick`
 * chooses (round-robin unless told otherwise). Graph (the stand-in) posts change notifications to its URL, so a
 * notification may reach any instance.
 */

export interface Balancer {
  /** The PUBLIC_URL the instances give Graph. */
  url: string;
  /** Notifications (requests under /api/v1/graph/) forwarded to each instance, by index. */
  delivered: number[];
  close(): Promise<void>;
}

/** Round-robin: each request to the next instance in turn. */
export const inTurn = (): ((count: number) => number) => {
  let next = 0;
  return (count) => next++ % count;
};

/** `instances` is read per request: the instances need the balancer's URL before they start. */
export async function startBalancer(
  instances: () => ReadonlyArray<{ url: string }>,
  pick: (count: number) => number = inTurn()
): Promise<Balancer> {
  const delivered: number[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const targets = instances();
      const index = targets.length > 0 ? pick(targets.length) : -1;
      const target = targets[index];
      if (!target) return void response.writeHead(502).end();
      if (request.url?.startsWith('/api/v1/graph/')) delivered[index] = (delivered[index] ?? 0) + 1;
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))
      ) as Record<string, string>;
      fetch(`${target.url}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {})
      })
        .then(async (answer) => {
          response.writeHead(answer.status, Object.fromEntries(answer.headers));
          response.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    delivered,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  };
}
