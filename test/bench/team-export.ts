import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startServer } from '../../src/server/server.js';
import { openStore, WHOLE_TENANT } from '../../src/server/store/index.js';
import { apiClient } from '../helpers/api.js';
import { testConfig } from '../helpers/config.js';
import { datasetSizeFromEnv, numberFromEnv } from './measure.js';

/*
 * `npm run bench:team-export`: the CSV export alone, in a process that has done nothing else, over a SQLite file
 * that bench:team seeded (BENCH_TEAM_DB, with the same BENCH_ENTRIES). One admin exports the newest
 * BENCH_EXPORT_ROWS entries (about: entries are spread evenly over two years) while a client reads as fast as it
 * can; it reports the peak growth over a baseline taken after a full collection of resident memory, of the
 * JavaScript heap (in use, garbage included, and reserved) and of memory outside it. Run it a few times: one
 * export per process, since a second one finds the heap and SQLite's page cache already grown.
 */

const TENANT_ID = 'be4c0000-0000-4000-8000-000000000001';
const TWO_YEARS = 2 * 365 * 86_400_000;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function main(): Promise<void> {
  const path = process.env.BENCH_TEAM_DB;
  if (!path || !existsSync(path)) throw new Error('Set BENCH_TEAM_DB to a file bench:team seeded.');
  if (!global.gc) throw new Error('Run with node --expose-gc (npm run bench:team-export does).');
  const rows = numberFromEnv('BENCH_EXPORT_ROWS', 100_000);
  const { entries } = datasetSizeFromEnv();

  const store = await openStore(path);
  const [admin] = await store.teamHistory.salespeople(TENANT_ID, WHOLE_TENANT);
  const newest = (await store.teamHistory.list(TENANT_ID, { scope: WHOLE_TENANT }, { limit: 1 })).items[0];
  await store.close();
  if (!admin || !newest) throw new Error(`${path} holds no bench data`);
  const from = new Date(Date.parse(newest.occurredAt) - (rows / entries) * TWO_YEARS).toISOString();

  const server = await startServer(testConfig({ AUTH_MODE: 'dev', DATABASE_URL: path }), { logger: false });
  const token = await apiClient(server).token({ email: admin.email, tenantId: TENANT_ID, roles: ['Admin'] });
  global.gc();
  const base = process.memoryUsage();
  const peak = { ...base };
  const sampler = setInterval(() => {
    const now = process.memoryUsage();
    for (const key of ['rss', 'heapUsed', 'heapTotal'] as const) peak[key] = Math.max(peak[key], now[key]);
  }, 10);
  const started = performance.now();
  const response = await fetch(`${server.url}/api/v1/team/interactions.csv?${new URLSearchParams({ from })}`, {
    headers: { authorization: `Bearer ${token}` }
  });
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await server.close();

  const heapReserved = peak.heapTotal - base.heapTotal;
  console.log(
    `CSV export of the newest ~${rows.toLocaleString('en')} entries: ${mb(bytes)} in ${seconds.toFixed(1)} s`
  );
  console.log(`  resident memory: +${mb(peak.rss - base.rss)} (from ${mb(base.rss)})`);
  console.log(
    `  JavaScript heap: in use +${mb(peak.heapUsed - base.heapUsed)} (garbage included), reserved +${mb(heapReserved)}`
  );
  console.log(`  the rest, about (SQLite's page cache among it): +${mb(peak.rss - base.rss - heapReserved)}`);
  console.log(
    `  load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
