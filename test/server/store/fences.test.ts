import pg from 'pg';
import { useStore } from '../../helpers/contract.js';

/*
 * On PostgreSQL every write's response waits for caughtUp(): a fence sent on the cache's listening connection and
 * heard back (store/invalidation.ts). Many requests write at once, and node-postgres warns that a query sent while
 * another is under way on the same connection will fail in pg@9: the fences go one at a time.
 */

const store = useStore('postgres');

test('fences asked for at once: the listening connection runs one fence query at a time', async () => {
  const original = pg.Client.prototype.query;
  const inFlight = new Map<pg.Client, number>();
  let most = 0;
  const query = jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    const result = (original as (...rest: unknown[]) => unknown).apply(this, args);
    if (typeof args[0] !== 'string' || !args[0].includes('pg_notify')) return result;
    inFlight.set(this, (inFlight.get(this) ?? 0) + 1);
    most = Math.max(most, inFlight.get(this) ?? 0);
    const done = () => inFlight.set(this, (inFlight.get(this) ?? 1) - 1);
    (result as Promise<unknown>).then(done, done);
    return result;
  } as typeof original);
  try {
    // Until its listening connection is up, the store sends no fence (caughtUp() answers at once).
    while (store().invalidations.now() === null) await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all(Array.from({ length: 20 }, () => store().invalidations.caughtUp()));
  } finally {
    query.mockRestore();
  }
  expect(most).toBe(1);
});
