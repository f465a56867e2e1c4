import pg from 'pg';
import type { RunningServer } from '../../src/server/server.js';
import { startGraphMailbox, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { startTestServer } from '../helpers/api.js';
import { startBalancer, type Balancer } from '../helpers/balancer.js';
import { createTestStore, POSTGRES_URL, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/wait.js';
import { prepareTenant } from './mailbox-latency.js';
import { numberFromEnv, percentiles } from './measure.js';

/*
 * npm run bench:mailbox-tenants — issue 20's scale-out simulation: BENCH_TENANTS tenants (1,000), each with
 * automatic logging on and a shared mailbox of its own in the Graph stand-in, worked by BENCH_INSTANCES (4)
 * in-process API instances on one fresh PostgreSQL schema (TEST_POSTGRES_URL, as every test; dropped at the end).
 * Each instance has its own store pool and lease holder name; separate processes would add four Node start-ups
 * and IPC for nothing the lease does not already see. Graph's change notifications go through a balancer that
 * hands each one to a random instance, after a delivery delay drawn uniform 0–BENCH_NOTIFY_DELAY_MS (real time,
 * nothing scaled). BENCH_MESSAGES_PER_TENANT (3) messages per tenant land in the Inbox at random moments within
 * BENCH_WINDOW_S (60) seconds; the latency of each is arrival → its entry visible in the database the API reads
 * (one query over all tenants every POLL_MS, so watching adds one query, not one per tenant).
 * Reported: p50/p95/max over all messages, the spread of per-tenant p95, runs and tenants per instance (from
 * each instance's own "mailbox run finished" log lines), that no tenant's recorded runs (mailbox_runs) overlap,
 * and that every tenant's messages were logged exactly once (none starved, none twice).
 */

const TENANTS = numberFromEnv('BENCH_TENANTS', 1000);
const INSTANCES = numberFromEnv('BENCH_INSTANCES', 4);
const PER_TENANT = numberFromEnv('BENCH_MESSAGES_PER_TENANT', 3);
const WINDOW_S = numberFromEnv('BENCH_WINDOW_S', 60);
const DELAY_MAX_MS = numberFromEnv('BENCH_NOTIFY_DELAY_MS', 1000);
/** The schedule's tick: the backstop for dirty mailboxes and subscription upkeep (production: 30 s). */
const TICK_MS = numberFromEnv('BENCH_TICK_MS', 5000);
const SETUP_LIMIT_MS = 10 * 60_000;
const POLL_MS = 200;

const tenantId = (i: number) => `bench-tenant-${i}`;
const mailboxOf = (i: number) => `log-${i}@tenant${i}.example`;

/** What one instance did, from its own log: runs that ended (not 'locked'), tenants and messages logged. */
interface InstanceWork {
  runs: number;
  tenants: Set<string>;
  logged: number;
}

function workLogger(work: InstanceWork) {
  return {
    level: 'info',
    stream: {
      write(line: string) {
        if (!line.includes('mailbox run finished')) return;
        const entry = JSON.parse(line) as { tenantId: string; logged?: number };
        work.runs += 1;
        if ((entry.logged ?? 0) > 0) work.tenants.add(entry.tenantId);
        work.logged += entry.logged ?? 0;
      }
    }
  };
}

/** The bench's own connection to the schema under test, for the cross-tenant reads the store has no call for. */
async function schemaClient(testStore: TestStore): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`set search_path to ${testStore.pgSchema ?? 'public'}`);
  return client;
}

async function prepareTenants(testStore: TestStore, standIn: GraphMailbox): Promise<void> {
  // Four at a time: the store's pool.
  for (let i = 0; i < TENANTS; i += 4) {
    await Promise.all(
      Array.from({ length: Math.min(4, TENANTS - i) }, (_, k) => {
        standIn.mailbox(mailboxOf(i + k));
        return prepareTenant(testStore.store, tenantId(i + k), mailboxOf(i + k), 3600);
      })
    );
  }
}

const subscribedMailboxes = (standIn: GraphMailbox) =>
  new Set(standIn.subscriptions().map((subscription) => subscription.mailbox)).size;

/** Every tenant subscribed and through its first delta round: from then on, only notifications run mailboxes. */
async function waitForSetup(standIn: GraphMailbox, db: pg.Client): Promise<void> {
  await until('a subscription per tenant', () => subscribedMailboxes(standIn) >= TENANTS, SETUP_LIMIT_MS);
  await until(
    'every first delta round',
    async () =>
      Number((await db.query('select count(*) as n from mailbox_sync where delta_link is not null')).rows[0].n) >=
      TENANTS,
    SETUP_LIMIT_MS
  );
}

/** Drops the messages over the window; resolves with each one's arrival time, by "tenant subject". */
async function dropMessages(standIn: GraphMailbox, pending: Map<string, number>): Promise<void> {
  const drops: Promise<void>[] = [];
  for (let i = 0; i < TENANTS; i++) {
    for (let m = 0; m < PER_TENANT; m++) {
      drops.push(
        new Promise((resolve) =>
          setTimeout(
            () => {
              const subject = `Tenant ${i} message ${m}`;
              pending.set(`${tenantId(i)} ${subject}`, performance.now());
              standIn.seed(mailboxOf(i), [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject }]);
              resolve();
            },
            Math.random() * WINDOW_S * 1000
          )
        )
      );
    }
  }
  await Promise.all(drops);
}

/** Latency per message, by tenant; entries seen more than once per message are counted as duplicates. */
async function watchEntries(db: pg.Client, pending: Map<string, number>, dropping: Promise<void>) {
  const latencies = new Map<string, number[]>();
  let done = false;
  void dropping.then(() => (done = true));
  const deadline = performance.now() + WINDOW_S * 1000 + SETUP_LIMIT_MS;
  let seen = 0;
  while (!done || seen < TENANTS * PER_TENANT) {
    if (performance.now() > deadline) throw new Error(`Timed out: ${seen} of ${TENANTS * PER_TENANT} logged`);
    const { rows } = await db.query<{ tenant_id: string; subject: string }>(
      "select tenant_id, subject from interactions where source = 'mailbox'"
    );
    const now = performance.now();
    for (const { tenant_id: tenant, subject } of rows) {
      const arrived = pending.get(`${tenant} ${subject}`);
      if (arrived === undefined) continue;
      pending.delete(`${tenant} ${subject}`);
      latencies.set(tenant, [...(latencies.get(tenant) ?? []), now - arrived]);
    }
    seen = rows.length;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return latencies;
}

/** Entries per tenant, and pairs of one tenant's recorded runs that overlapped in time. */
async function checkRuns(db: pg.Client) {
  const entries = await db.query<{ tenant_id: string; n: string; distinct_ids: string }>(
    `select tenant_id, count(*) as n, count(distinct internet_message_id) as distinct_ids
       from interactions where source = 'mailbox' group by tenant_id`
  );
  const runs = await db.query<{ tenant_id: string; started_at: string; finished_at: string | null }>(
    'select tenant_id, started_at, finished_at from mailbox_runs order by tenant_id, started_at'
  );
  let overlaps = 0;
  let unfinished = 0;
  for (let i = 0; i < runs.rows.length; i++) {
    const run = runs.rows[i]!;
    if (run.finished_at === null) unfinished += 1;
    const previous = runs.rows[i - 1];
    if (previous?.tenant_id !== run.tenant_id) continue;
    if (previous.finished_at === null || Number(run.started_at) < Number(previous.finished_at)) overlaps += 1;
  }
  const counts = entries.rows.map((row) => Number(row.n));
  return {
    runs: runs.rows.length,
    overlaps,
    unfinished,
    tenantsLogged: entries.rows.filter((row) => Number(row.n) === PER_TENANT).length,
    duplicates: entries.rows.reduce((sum, row) => sum + Number(row.n) - Number(row.distinct_ids), 0),
    mostPerTenant: Math.max(0, ...counts)
  };
}

async function main(): Promise<void> {
  console.log(
    `${TENANTS} tenants, ${INSTANCES} in-process instances (own store pools and lease holders) on one PostgreSQL ` +
      `schema; notifications to a random instance, Graph's delay 0–${DELAY_MAX_MS} ms; ${PER_TENANT} messages ` +
      `per tenant within ${WINDOW_S} s; schedule tick ${TICK_MS} ms`
  );
  const testStore = await createTestStore('postgres');
  const standIn = await startGraphMailbox({});
  const db = await schemaClient(testStore);
  const instances: RunningServer[] = [];
  let balancer: Balancer | null = null;
  try {
    const started = performance.now();
    await prepareTenants(testStore, standIn);
    console.log(`  tenants prepared: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    standIn.setNotifications({ seed: 7, delayMs: (random) => random() * DELAY_MAX_MS });
    balancer = await startBalancer(
      () => instances,
      (count) => Math.floor(Math.random() * count)
    );
    const work: InstanceWork[] = [];
    for (let i = 0; i < INSTANCES; i++) {
      const own: InstanceWork = { runs: 0, tenants: new Set(), logged: 0 };
      work.push(own);
      instances.push(
        await startTestServer(testStore, {
          graph: standIn,
          env: { PUBLIC_URL: balancer.url },
          mailbox: { tickMs: TICK_MS },
          logger: workLogger(own)
        })
      );
    }
    const setupStarted = performance.now();
    await waitForSetup(standIn, db);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    // More subscriptions than mailboxes: two instances each created one for a mailbox (the spare's notifications
    // are dropped: the store knows only the last).
    console.log(
      `  setup (subscriptions and first delta rounds): ${setupSeconds.toFixed(1)} s; Graph holds ` +
        `${standIn.subscriptions().length} subscriptions for ${subscribedMailboxes(standIn)} mailboxes`
    );
    const before = work.map((own, i) => ({
      runs: own.runs,
      logged: own.logged,
      // Setup's requests from Graph include each subscription's validation handshake.
      delivered: balancer?.delivered[i] ?? 0,
      accepted: instances[i]!.mailbox.notificationCounters.accepted,
      dropped: instances[i]!.mailbox.notificationCounters.dropped
    }));
    for (const own of work) own.tenants.clear();

    const pending = new Map<string, number>();
    const windowStarted = performance.now();
    const latencies = await watchEntries(db, pending, dropMessages(standIn, pending));
    const drainSeconds = (performance.now() - windowStarted) / 1000;
    await report({ latencies, work, before, instances, balancer, db, setupSeconds, drainSeconds });
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
    await balancer?.close();
    await db.end();
    await standIn.close();
    await testStore.dispose();
  }
}

interface Outcome {
  latencies: Map<string, number[]>;
  work: InstanceWork[];
  before: Array<{ runs: number; logged: number; delivered: number; accepted: number; dropped: number }>;
  instances: RunningServer[];
  balancer: Balancer;
  db: pg.Client;
  setupSeconds: number;
  drainSeconds: number;
}

async function report(outcome: Outcome): Promise<void> {
  const { latencies, work, before, instances, balancer } = outcome;
  const seconds = (ms: number) => +(ms / 1000).toFixed(2);
  const all = percentiles([...latencies.values()].flat());
  const perTenantP95 = percentiles([...latencies.values()].map((values) => percentiles(values).p95));
  const minP95 = Math.min(...[...latencies.values()].map((values) => percentiles(values).p95));
  console.log(`  window + drain: ${outcome.drainSeconds.toFixed(1)} s`);
  console.table({
    'all messages': {
      'min s': seconds(Math.min(...[...latencies.values()].flat())),
      'p50 s': seconds(all.p50),
      'p95 s': seconds(all.p95),
      'max s': seconds(all.max)
    },
    'per-tenant p95': {
      'min s': seconds(minP95),
      'p50 s': seconds(perTenantP95.p50),
      'p95 s': seconds(perTenantP95.p95),
      'max s': seconds(perTenantP95.max)
    }
  });
  console.table(
    work.map((own, i) => ({
      'runs (setup)': before[i]!.runs,
      'runs (window)': own.runs - before[i]!.runs,
      'tenants logged for': own.tenants.size,
      'messages logged': own.logged - before[i]!.logged,
      'notifications delivered': (balancer.delivered[i] ?? 0) - before[i]!.delivered,
      'notifications accepted': instances[i]!.mailbox.notificationCounters.accepted - before[i]!.accepted,
      'notifications dropped': instances[i]!.mailbox.notificationCounters.dropped - before[i]!.dropped
    }))
  );
  const checked = await checkRuns(outcome.db);
  console.log(
    `  runs recorded: ${checked.runs}; overlapping runs of one mailbox: ${checked.overlaps}; unfinished: ` +
      `${checked.unfinished}\n  tenants with all ${PER_TENANT} messages logged: ${checked.tenantsLogged} of ` +
      `${TENANTS}; logged twice: ${checked.duplicates}; most entries for one tenant: ${checked.mostPerTenant}`
  );
  if (checked.overlaps > 0 || checked.tenantsLogged !== TENANTS || checked.mostPerTenant !== PER_TENANT) {
    throw new Error('A mailbox was worked by two instances at once, or a tenant was starved or logged twice.');
  }
  console.log('No mailbox worked by two instances at once; none starved; nothing logged twice.');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
