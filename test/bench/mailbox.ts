import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailboxGraph } from '../../src/server/mailbox/graph.js';
import { runMailboxOnce, type ProcessorDeps } from '../../src/server/usecases/run-mailbox.js';
import { appOnlyTokenSource } from '../../src/server/mailbox/tokens.js';
import { openStore, WHOLE_TENANT, type Store } from '../../src/server/store/index.js';
import { startGraphMailboxProcess, type GraphMailboxProcess } from '../../src/stand-ins/graph/stand-in-process.js';
import { GRAPH_LIMITS } from '../../src/stand-ins/graph/stand-in.js';
import { latencyBench } from './mailbox-latency.js';

/*
 * npm run bench:mailbox — draining a 10,000-message backlog from the shared mailbox, against the Graph
 * stand-in on loopback:
 * 1. with Graph's per-mailbox limits (10,000 requests per 10 minutes, 4 at once) scaled 10× in time
 *    (10,000 per minute), the drain time beside the least those limits allow, and their ratio (target ≥ 0.9);
 * 2. with no limits, messages per second (target ≥ 2,000/s).
 * Both check that nothing is lost and nothing is logged twice. The stand-in runs in a process of its own, so
 * its work does not share the processor's event loop; the processor and its SQLite store run here.
 * 3. near real time (test/bench/mailbox-latency.ts): arrival → visible, with notifications and polling only
 *    (1,000 tenants across 4 instances: npm run bench:mailbox-tenants).
 * BENCH_MAILBOX_ONLY=free runs part 2 alone, BENCH_MAILBOX_ONLY=latency part 3 alone.
 */

const BACKLOG = 10_000;
const SHARED = 'interaction-log@northwind.example';
const TENANT = 'bench-mailbox';
const TIME_SCALE = 10;
const BATCH_SIZE = 200;

async function prepare(store: Store): Promise<void> {
  await store.directory.createSalesperson(TENANT, { name: 'Ana López', email: 'ana@northwind.example' });
  for (let i = 0; i < 50; i++) {
    await store.directory.createContact(TENANT, { name: `Contact ${i}`, email: `contact${i}@customer.example` }, null);
  }
  await store.mailbox.saveSettings(TENANT, { enabled: true, mailboxAddress: SHARED, batchSize: BATCH_SIZE }, null);
}

async function seed(standIn: GraphMailboxProcess): Promise<void> {
  await standIn.seed(
    SHARED,
    Array.from({ length: BACKLOG }, (_, i) => ({
      from: i % 2 ? `contact${i % 50}@customer.example` : 'ana@northwind.example',
      to: [i % 2 ? 'ana@northwind.example' : `contact${i % 50}@customer.example`],
      subject: `Backlog ${i}`
    }))
  );
}

async function drain(limited: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-mailbox-'));
  const store = await openStore(join(dir, 'db.sqlite'));
  const limits = limited
    ? {
        ...GRAPH_LIMITS,
        windowMs: GRAPH_LIMITS.windowMs / TIME_SCALE,
        concurrencyRetryAfterMs: 100,
        retryAfterFormat: 'fractional' as const
      }
    : { ...GRAPH_LIMITS, budget: Number.MAX_SAFE_INTEGER, maxConcurrent: 1_000 };
  const standIn = await startGraphMailboxProcess({ mailboxes: [SHARED], limits });
  try {
    await prepare(store);
    await seed(standIn);
    const deps: ProcessorDeps = {
      store,
      holder: 'bench',
      graphFor: () =>
        createMailboxGraph({
          graphBaseUrl: standIn.url,
          mailbox: SHARED,
          token: appOnlyTokenSource(standIn.msalConfiguration(), 'https://graph.microsoft.com/.default')
        })
    };
    // CPU time as well as wall time: helpers share this machine's two cores, so wall time varies with their load.
    const standInCpuBefore = await standIn.cpuUsage();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const summary = await runMailboxOnce(deps, TENANT, 'cli');
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const standInCpuAfter = await standIn.cpuUsage();
    const cpuSeconds = {
      processor: (cpu.user + cpu.system) / 1e6,
      standIn: (standInCpuAfter.user + standInCpuAfter.system - standInCpuBefore.user - standInCpuBefore.system) / 1e6
    };
    const archived = await standIn.count(SHARED, 'Archive');
    const inbox = await standIn.count(SHARED, 'inbox');
    const entries = (await store.interactions.list(TENANT, { scope: WHOLE_TENANT, limit: 100 })).items.length;
    return { summary, seconds, archived, inbox, entries, cpuSeconds, stats: await standIn.stats(SHARED) };
  } finally {
    await standIn.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_MAILBOX_ONLY === 'latency') return latencyBench();
  console.log(`Draining ${BACKLOG.toLocaleString('en')} messages, pages of ${BATCH_SIZE}…`);
  const free = await drain(false);
  console.log(
    `  no limits: ${free.seconds.toFixed(2)} s, ${free.summary.requests} Graph requests; CPU: processor ` +
      `${free.cpuSeconds.processor.toFixed(2)} s (${Math.round(BACKLOG / free.cpuSeconds.processor)} messages per ` +
      `CPU-second), stand-in ${free.cpuSeconds.standIn.toFixed(2)} s`
  );
  if (process.env.BENCH_MAILBOX_ONLY === 'free') return;
  const limited = await drain(true);
  // The least time the budget allows: every window but the last is spent in full.
  const windowSeconds = GRAPH_LIMITS.windowMs / TIME_SCALE / 1000;
  // Counted by the stand-in: the requests Graph admitted (a move not run because one before it in its chain
  // failed, 424, takes no budget).
  const minimum = Math.floor((limited.stats.requests - 1) / GRAPH_LIMITS.budget) * windowSeconds;
  console.log(
    `  Graph's limits (×${TIME_SCALE} time): ${limited.seconds.toFixed(2)} s, ${limited.stats.requests} requests admitted`
  );

  const row = (run: Awaited<ReturnType<typeof drain>>) => ({
    seconds: +run.seconds.toFixed(2),
    'messages/s': Math.round(BACKLOG / run.seconds),
    logged: run.summary.logged,
    'left in Inbox': run.inbox,
    archived: run.archived,
    failed: run.summary.failed,
    throttled: run.summary.throttled,
    'max in flight': run.stats.maxConcurrency
  });
  console.table({ 'no limits': row(free), "Graph's limits, ×10 time": row(limited) });
  const ratio = minimum > 0 ? minimum / limited.seconds : NaN;
  console.log(
    `Least drain time the limits allow: ${minimum.toFixed(1)} s; measured ${limited.seconds.toFixed(1)} s; ratio ${ratio.toFixed(
      2
    )} (target ≥ 0.9)`
  );
  console.log(`No limits: ${Math.round(BACKLOG / free.seconds)} messages/s (target ≥ 2,000/s)`);
  for (const run of [free, limited]) {
    if (run.summary.logged !== BACKLOG || run.inbox !== 0 || run.archived !== BACKLOG) {
      throw new Error(`Lost or duplicated messages: ${JSON.stringify(row(run))}`);
    }
  }
  console.log('Nothing lost, nothing logged twice.');
  await latencyBench();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
