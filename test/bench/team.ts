import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seededRandom } from '../../src/server/demo/seed.js';
import { startServer } from '../../src/server/server.js';
import { openStore, WHOLE_TENANT, type Store, type TeamHistoryFilter } from '../../src/server/store/index.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import { apiClient } from '../helpers/api.js';
import { testConfig } from '../helpers/config.js';
import { pickFrom, seedDataset, type DatasetSize } from './dataset.js';
import { datasetSizeFromEnv, numberFromEnv, percentiles, type Percentiles } from './measure.js';

/*
 * `npm run bench:team`: the manager's team view at 1,000,000 entries (the data set of bench:api, seeded
 * through the store API), with the salespeople put in teams of ten. It times, one request at a time:
 * - the filtered team queries the issue names (a salesperson over 30 days, a company), and the team's whole
 *   log a page at a time deep into the list, in the store (server side, no HTTP) and through HTTP;
 * - a 100,000-row CSV export over HTTP, streamed, with the server's peak resident memory while it runs (and of it
 *   the JavaScript heap), and meanwhile another client's /healthz one call after another and how long the event
 *   loop was held at a time.
 * The server runs in this process, so the memory figure is the server's (plus the small reading client).
 * `npm run bench:team` runs Node with --expose-gc so that the baseline is taken after a full collection: without
 * it, the garbage the earlier phases left decides whether a major collection falls within the export, and the
 * heap's growth measured then swung between 0 and 95 MB from one run to the next.
 *
 * Knobs: BENCH_ENTRIES, BENCH_CONTACTS, BENCH_SALESPEOPLE as in bench:api; BENCH_TEAM_DB to reuse a seeded
 * SQLite file (kept when given); BENCH_TEAM_CALLS (calls per query kind, default 300); BENCH_EXPORT_ROWS.
 */

const TARGET_P95_MS = 50;
const TEAM_SIZE = 10;
const DAY = 86_400_000;

const size: DatasetSize = datasetSizeFromEnv();
const CALLS = numberFromEnv('BENCH_TEAM_CALLS', 300);
const EXPORT_ROWS = numberFromEnv('BENCH_EXPORT_ROWS', 100_000);

const ms = (value: number) => `${value.toFixed(2)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const line = (name: string, p: Percentiles, extra = '') =>
  console.log(
    `  ${name.padEnd(44)} p50 ${ms(p.p50).padStart(10)}  p95 ${ms(p.p95).padStart(10)}  p99 ${ms(p.p99).padStart(10)}  max ${ms(p.max).padStart(10)}${extra}`
  );

/** Teams of ten in salesperson order; each team's first member manages it. */
async function makeTeams(store: Store, tenantId: string, salespeople: PersonRef[]) {
  const existing = await store.directory.listTeams(tenantId);
  if (existing.length > 0) return existing;
  for (let start = 0; start < salespeople.length; start += TEAM_SIZE) {
    const members = salespeople.slice(start, start + TEAM_SIZE);
    const team = await store.directory.createTeam(tenantId, {
      name: `Team ${start / TEAM_SIZE + 1}`,
      managerId: members[0]?.id ?? null
    });
    for (const member of members) await store.directory.updateSalesperson(tenantId, member.id, { teamId: team.id });
  }
  return store.directory.listTeams(tenantId);
}

async function main(): Promise<void> {
  const kept = process.env.BENCH_TEAM_DB;
  const dir = kept ? null : mkdtempSync(join(tmpdir(), 'bench-team-'));
  const path = kept ?? join(dir as string, 'bench.sqlite');
  console.log(`Team view benchmark: ${size.entries.toLocaleString('en')} entries, SQLite at ${path}`);
  console.log(
    `  load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (2 cores)`
  );

  let store = await openStore(path);
  const tenantId = 'be4c0000-0000-4000-8000-000000000001';
  if (!kept || (await store.isEmpty())) {
    const started = performance.now();
    await seedDataset(store, size, (written) => {
      if (written % 200_000 === 0) console.log(`  seeded ${written.toLocaleString('en')} entries`);
    });
    console.log(`  seeding took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } else if (!existsSync(path)) {
    throw new Error(`BENCH_TEAM_DB ${path} does not exist`);
  }
  const salespeople = await store.teamHistory.salespeople(tenantId, WHOLE_TENANT);
  const teams = await makeTeams(store, tenantId, salespeople);
  const newest = (await store.teamHistory.list(tenantId, { scope: WHOLE_TENANT }, { limit: 1 })).items[0];
  const now = newest ? Date.parse(newest.occurredAt) : Date.now();
  const random = seededRandom(42);
  const teamScope = () => {
    const team = pickFrom(teams, random);
    return { team, scope: { kind: 'salespeople' as const, salespersonIds: team.memberIds } };
  };

  // --- store calls (server side, no HTTP) -----------------------------------------------------------
  const kinds: Array<[string, () => TeamHistoryFilter]> = [
    [
      'salesperson + 30 days',
      () => {
        const { scope } = teamScope();
        const from = now - Math.floor(random() * 700) * DAY;
        return { scope, salespersonId: pickFrom(scope.salespersonIds, random), from, to: from + 30 * DAY };
      }
    ],
    [
      'company (team scope)',
      () => ({ scope: teamScope().scope, company: `Customer ${Math.floor(random() * 1000)} Oy` })
    ],
    [
      'company (whole tenant, admin)',
      () => ({ scope: WHOLE_TENANT, company: `Customer ${Math.floor(random() * 1000)} Oy` })
    ],
    ['team, no filter, first page', () => ({ scope: teamScope().scope })],
    ['team, inbound from the mailbox', () => ({ scope: teamScope().scope, direction: 'inbound', source: 'mailbox' })]
  ];
  console.log(`\nStore calls, ${CALLS} each, one at a time (page of 25):`);
  const results: Record<string, Percentiles> = {};
  for (const [name, make] of kinds) {
    const samples: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const filter = make();
      const started = performance.now();
      await store.teamHistory.list(tenantId, filter, { limit: 25 });
      samples.push(performance.now() - started);
    }
    results[name] = percentiles(samples);
    line(name, results[name]);
  }
  {
    // Deep into the list: page 200 of a team's unfiltered log (5,000 entries in), by following the cursor.
    const samples: number[] = [];
    const { scope } = teamScope();
    let cursor: string | undefined;
    for (let page = 0; page < 200; page++) {
      const started = performance.now();
      const result = await store.teamHistory.list(tenantId, { scope }, { limit: 25, cursor });
      samples.push(performance.now() - started);
      cursor = result.nextCursor ?? undefined;
      if (!cursor) break;
    }
    line(
      'team, no filter, pages 1–200 in turn',
      percentiles(samples),
      ` (page 200: ${ms(samples[samples.length - 1] ?? NaN)})`
    );
  }
  {
    const samples: number[] = [];
    for (let i = 0; i < Math.min(CALLS, 100); i++) {
      const { scope } = teamScope();
      const started = performance.now();
      await Promise.all([
        store.teamHistory.weeklyActivity(tenantId, { scope, from: now - 84 * DAY, to: now }),
        store.teamHistory.openOpportunitiesByStage(tenantId, { scope })
      ]);
      samples.push(performance.now() - started);
    }
    line('summary (12 weeks + stages)', percentiles(samples));
  }
  await store.close();

  // --- over HTTP -------------------------------------------------------------------------------------
  const server = await startServer(testConfig({ AUTH_MODE: 'dev', DATABASE_URL: path }), { logger: false });
  store = await openStore(path);
  const token = (salesperson: PersonRef, roles: Array<'Manager' | 'Admin'>) =>
    apiClient(server).token({ email: salesperson.email, tenantId, roles });
  const managers = new Map<string, string>();
  for (const team of teams) {
    const manager = salespeople.find((p) => p.id === team.managerId) as PersonRef;
    managers.set(team.id, await token(manager, ['Manager']));
  }
  const admin = await token(salespeople[0] as PersonRef, ['Admin']);
  const get = async (path: string, bearer: string) => {
    const started = performance.now();
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return performance.now() - started;
  };
  console.log(`\nOver HTTP (loopback, same process), ${CALLS} each, one at a time:`);
  const http: Array<[string, () => [string, string]]> = [
    [
      'GET /team/interactions salesperson + 30 days',
      () => {
        const team = pickFrom(teams, random);
        const from = now - Math.floor(random() * 700) * DAY;
        const q = new URLSearchParams({
          salespersonId: pickFrom(team.memberIds, random),
          from: new Date(from).toISOString(),
          to: new Date(from + 30 * DAY).toISOString()
        });
        return [`/api/v1/team/interactions?${q}`, managers.get(team.id) as string];
      }
    ],
    [
      'GET /team/interactions company',
      () => {
        const team = pickFrom(teams, random);
        const q = new URLSearchParams({ company: `Customer ${Math.floor(random() * 1000)} Oy` });
        return [`/api/v1/team/interactions?${q}`, managers.get(team.id) as string];
      }
    ],
    [
      'GET /team/summary',
      () => {
        const team = pickFrom(teams, random);
        return ['/api/v1/team/summary', managers.get(team.id) as string];
      }
    ]
  ];
  for (const [name, make] of http) {
    const samples: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const [path, bearer] = make();
      samples.push(await get(path, bearer));
    }
    line(name, percentiles(samples));
  }

  // --- CSV export -------------------------------------------------------------------------------------
  // The newest EXPORT_ROWS entries of the tenant (admin, whole organization): find the date that cuts there.
  let from = now;
  {
    let span = (EXPORT_ROWS / size.entries) * 2 * 365 * DAY;
    from = now - span;
    let count = 0;
    for await (const page of store.teamHistory.exportRows(tenantId, { scope: WHOLE_TENANT, from }, 5000))
      count += page.length;
    span *= EXPORT_ROWS / Math.max(1, count);
    from = now - span;
  }
  if (global.gc) global.gc();
  const baseline = process.memoryUsage();
  // Resident memory, and of it the JavaScript heap: the rest is mostly native, SQLite's page cache among it.
  const peak = { rss: baseline.rss, heapUsed: baseline.heapUsed, heapTotal: baseline.heapTotal };
  const sampler = setInterval(() => {
    const sample = process.memoryUsage();
    peak.rss = Math.max(peak.rss, sample.rss);
    peak.heapUsed = Math.max(peak.heapUsed, sample.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, sample.heapTotal);
  }, 10);
  // While the export runs: another client's /healthz one after the other, and how long the event loop was held.
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let exporting = true;
  const healthSamples: number[] = [];
  const probing = (async () => {
    while (exporting) {
      const probeStarted = performance.now();
      await (await fetch(`${server.url}/healthz`)).arrayBuffer();
      healthSamples.push(performance.now() - probeStarted);
    }
  })();
  const started = performance.now();
  const response = await fetch(
    `${server.url}/api/v1/team/interactions.csv?${new URLSearchParams({ from: new Date(from).toISOString() })}`,
    { headers: { authorization: `Bearer ${admin}` } }
  );
  let bytes = 0;
  let rows = -1; // the header
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (let at = value.indexOf(0x0a); at >= 0; at = value.indexOf(0x0a, at + 1)) rows += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  exporting = false;
  await probing;
  loopDelay.disable();
  clearInterval(sampler);
  peak.rss = Math.max(peak.rss, process.memoryUsage().rss);
  console.log(`\nCSV export over HTTP (admin, whole organization, newest entries):`);
  console.log(
    `  ~${rows.toLocaleString('en')} lines (quoted newlines in previews count too), ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString('en')} rows/s)`
  );
  console.log(
    `  process RSS before ${mb(baseline.rss)}, peak ${mb(peak.rss)}: growth ${mb(peak.rss - baseline.rss)} while the file is ${(bytes / 1e6).toFixed(1)} MB`
  );
  console.log(
    `  JavaScript heap: in use ${mb(baseline.heapUsed)}, peak ${mb(peak.heapUsed)} (+${mb(peak.heapUsed - baseline.heapUsed)}, garbage included); reserved ${mb(baseline.heapTotal)}, peak ${mb(peak.heapTotal)} (+${mb(peak.heapTotal - baseline.heapTotal)})`
  );
  line(`/healthz during the export (${healthSamples.length} calls)`, percentiles(healthSamples));
  const delayMs = (ns: number) => ns / 1e6;
  console.log(
    `  event loop held during the export: p99 ${ms(delayMs(loopDelay.percentile(99)))}, max ${ms(delayMs(loopDelay.max))}`
  );

  const verdict = (name: string) => {
    const p95 = results[name]?.p95 ?? NaN;
    return `${name}: p95 ${ms(p95)} ${p95 <= TARGET_P95_MS ? 'met' : 'MISSED'} (target ≤ ${TARGET_P95_MS} ms)`;
  };
  console.log(`\n${verdict('salesperson + 30 days')}\n${verdict('company (team scope)')}`);
  console.log(
    `  load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`
  );

  await store.close();
  await server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
