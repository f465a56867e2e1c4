import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { get as httpGet } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { isPostgresUrl, openStore, WHOLE_TENANT } from '../../src/server/store/index.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import type { LogThreadResult } from '../../src/shared/schemas/interaction.js';
import type { GraphMessage } from '../../src/shared/schemas/message.js';
import { graphMessage } from '../helpers/messages.js';
import { DEMO_TOPICS, seededRandom } from '../../src/server/demo/seed.js';
import { pickFrom, seedDataset, withOwners, type Dataset, type DatasetSize, type SeedTimings } from './dataset.js';
import { datasetSizeFromEnv, numberFromEnv, percentiles, type Percentiles } from './measure.js';
import type { AskCpu, CeilingSet, CpuUsed, ServersReady, SetCeilingPages, StopServers } from './servers.js';

/*
 * `npm run bench:api`: seeds a fresh SQLite store with a large interaction log through the store API, serves
 * it with the real server, and measures the contact-history read against a bare Fastify route, then times
 * log-thread and, without HTTP, the store call behind the history read. The servers run in a child process
 * (servers.ts), so that autocannon and the server under test each have a core of their own. Each load run
 * also counts the CPU time both processes spent per request: on a machine this small the load generator
 * can be the bottleneck, and the server's CPU per request says what the server alone could serve.
 *
 * The bare route and the history read are measured in alternating rounds (bare, history, bare, …), and each
 * history run is compared with the bare runs just before and after it: the machine's speed drifts by ±20% within
 * minutes, and a ratio of runs made minutes apart would measure the drift.
 *
 * See docs/PERFORMANCE.md. Knobs, for quicker trial runs: BENCH_ENTRIES, BENCH_CONTACTS, BENCH_SALESPEOPLE,
 * BENCH_DURATION (seconds per load run), BENCH_ROUNDS (history runs, each between two bare runs),
 * BENCH_CONNECTIONS, BENCH_CPU_PROF (a folder: the server process writes a V8 CPU profile there when it
 * stops), BENCH_DATABASE (a file path: seeded there on the first run and kept, then reused by later runs
 * of the same size, which skip the 2½ minutes of seeding), and BENCH_SEARCH_ONLY=true (only the search timings).
 *
 * Searches (GET /api/v1/interactions?q=…) are timed one at a time on the server whose history cache is off, so
 * every one reads the full-text index (FTS5 on SQLite, tsvector on PostgreSQL): the words a salesperson would
 * type, drawn from the data set.
 *
 * DATABASE_URL=postgres://… runs the same measurements on PostgreSQL: the database must be empty (it is seeded,
 * then ANALYZEd: autovacuum is off on the development machines) or hold the data set an earlier run seeded there
 * (described in the temporary folder). There the history query also runs under `pgbench -M prepared` at the same
 * concurrency: the engine's own ceiling for it.
 *
 * Each round also runs the history read with a concurrent writer (WRITER_CALLS_PER_SECOND log-thread calls a
 * second of WRITER_MESSAGES new messages each, from this process), as the pane and the mailbox processor write
 * all day: a write must evict only the pages it changes.
 */

const TARGET_HISTORY_P99_MS = 10;
const TARGET_SEARCH_P95_MS = 50;
/** Searches of each kind, timed one at a time (after as many unmeasured ones). */
const SEARCHES_PER_KIND = 60;
const TARGET_RATIO = 0.5;
const WARMUP_SECONDS = 3;
/** Generous, so that a slow endpoint shows its real latency instead of timeouts. */
const REQUEST_TIMEOUT_SECONDS = 60;
/** Distinct contacts whose history the load run asks for, at random. */
const HISTORY_CONTACTS = 1_000;
const LOG_THREAD_CALLS = 20;
const LOG_THREAD_WARMUP_CALLS = 2;
const MESSAGES_PER_THREAD = 50;
/** Store calls timed without HTTP, over the same contacts. */
const STORE_CALLS = 5_000;
/** Time allowed to each series of one-at-a-time calls, so a slow endpoint cannot stall the run. */
const SEQUENTIAL_BUDGET_MS = 30_000;
const WRITER_CALLS_PER_SECOND = 10;
const WRITER_MESSAGES = 5;

const settings = {
  size: datasetSizeFromEnv(),
  durationSeconds: numberFromEnv('BENCH_DURATION', 5),
  rounds: numberFromEnv('BENCH_ROUNDS', 3),
  connections: numberFromEnv('BENCH_CONNECTIONS', 10),
  cpuProfileDir: process.env.BENCH_CPU_PROF || undefined,
  keptDatabase: process.env.BENCH_DATABASE || undefined,
  searchOnly: process.env.BENCH_SEARCH_ONLY === 'true',
  postgresUrl:
    process.env.DATABASE_URL && isPostgresUrl(process.env.DATABASE_URL) ? process.env.DATABASE_URL : undefined
};

// --- measuring ------------------------------------------------------------------------------------

/**
 * autocannon turns every response body into a string (PipelinedRequestsQueue.addBody: `req.body += data`) for
 * its verifyBody, expectBody and onResponse options, which the benchmark does not use. A gzipped history page is
 * decoded as UTF-8 on the way, at about 40 µs a response on this machine: more than the server spends answering
 * it, so autocannon, not the server, set the pace (and the more so as the pages differ from one another). The
 * bodies are dropped as they arrive instead; autocannon still counts their bytes.
 */
function dropResponseBodies(): void {
  const require = createRequire(import.meta.url);
  const queue = require('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody(data: Buffer): void } };
  queue.prototype.addBody = () => undefined;
}

interface LoadResult extends Percentiles {
  requestsPerSecond: number;
  /** CPU time per request, in microseconds, of the server process and of this one (autocannon). */
  serverCpuMicros: number;
  generatorCpuMicros: number;
  requests: number;
  /** Every 2xx response's latency, in milliseconds. */
  latencies: number[];
}

/** Several runs of the same load as one: mean req/s, CPU per request over all requests, pooled latencies. */
function pooled(results: readonly LoadResult[]): LoadResult {
  const requests = results.reduce((sum, result) => sum + result.requests, 0);
  const perRequest = (micros: (result: LoadResult) => number) =>
    results.reduce((sum, result) => sum + micros(result) * result.requests, 0) / Math.max(1, requests);
  const latencies = results.flatMap((result) => result.latencies);
  return {
    requestsPerSecond: results.reduce((sum, result) => sum + result.requestsPerSecond, 0) / results.length,
    serverCpuMicros: perRequest((result) => result.serverCpuMicros),
    generatorCpuMicros: perRequest((result) => result.generatorCpuMicros),
    requests,
    latencies,
    ...percentiles(latencies)
  };
}

const isLoadResult = (result: Percentiles): result is LoadResult => 'serverCpuMicros' in result;

/** The server process's CPU time so far, in microseconds. */
type ServerCpu = () => Promise<number>;

/**
 * One autocannon run. Latencies are taken from each response with sub-millisecond precision (autocannon's
 * own histogram keeps whole milliseconds, too coarse for a sub-millisecond route).
 */
async function load(options: autocannon.Options, serverCpu: ServerCpu): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const serverBefore = await serverCpu();
  const generatorBefore = process.cpuUsage();
  const run = autocannon({ timeout: REQUEST_TIMEOUT_SECONDS, ...options });
  run.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
    else failures += 1;
  });
  const result = await run;
  const generatorUsed = process.cpuUsage(generatorBefore);
  const serverUsed = (await serverCpu()) - serverBefore;
  if (failures > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${options.title ?? options.url}: ${failures} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts`
    );
  }
  const requests = Math.max(1, result.requests.total);
  return {
    requestsPerSecond: result.requests.average,
    serverCpuMicros: serverUsed / requests,
    generatorCpuMicros: (generatorUsed.user + generatorUsed.system) / requests,
    requests,
    latencies,
    ...percentiles(latencies)
  };
}

interface Sequential extends Percentiles {
  calls: number;
  callsPerSecond: number;
}

/** Up to `calls` awaited calls, one after the other, stopping early once `budgetMs` has passed. */
async function timeSequentially(
  calls: number,
  budgetMs: number,
  call: (index: number) => Promise<void>
): Promise<Sequential> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let index = 0; index < calls && performance.now() - started < budgetMs; index++) {
    const callStarted = performance.now();
    await call(index);
    latencies.push(performance.now() - callStarted);
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  return { calls: latencies.length, callsPerSecond: latencies.length / elapsedSeconds, ...percentiles(latencies) };
}

/**
 * A load run; with `warm`, after a short unmeasured run, so the JIT, the connections and the page cache are warm
 * (the first run of each kind).
 */
async function measuredLoad(
  options: autocannon.Options,
  serverCpu: ServerCpu,
  { warm }: { warm: boolean }
): Promise<LoadResult> {
  if (warm) await load({ ...options, duration: WARMUP_SECONDS }, serverCpu);
  return load(options, serverCpu);
}

// --- the server process ---------------------------------------------------------------------------

interface Servers extends ServersReady {
  cpu: ServerCpu;
  /** Has the ceiling route answer each of these URLs with its page. */
  setCeilingPages(pages: ReadonlyMap<string, RawPage>): Promise<void>;
  stop(): Promise<void>;
}

/** Forks servers.ts (with tsx's loader, inherited through execArgv) and waits until both listen. */
async function startServers(databasePath: string): Promise<Servers> {
  const execArgv = [...process.execArgv];
  if (settings.cpuProfileDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileDir}`);
  const child: ChildProcess = fork(fileURLToPath(new URL('./servers.ts', import.meta.url)), [databasePath], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<ServersReady>((resolve, reject) => {
    child.once('message', (message: ServersReady) => resolve(message));
    child.once('exit', (code) => reject(new Error(`The server process exited early (code ${code}).`)));
  });
  // One question at a time, each answered by the next message.
  const ask = <Q, A>(question: Q) =>
    new Promise<A>((resolve) => {
      child.once('message', (answer: A) => resolve(answer));
      child.send(question as object);
    });
  return {
    ...ready,
    cpu: async () => (await ask<AskCpu, CpuUsed>({ type: 'cpu' })).micros,
    async setCeilingPages(pages) {
      await ask<SetCeilingPages, CeilingSet>({
        type: 'ceiling',
        pages: [...pages].map(([url, page]) => ({ url, headers: page.headers, body: page.body.toString('base64') }))
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const stop: StopServers = { type: 'stop' };
      child.send(stop);
      const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timeout);
    }
  };
}

async function postJson<T>(url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body)
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** A response as sent: its headers and its body, still gzipped. */
interface RawPage {
  headers: Record<string, string>;
  body: Buffer;
}

/** Headers Node sets on every response by itself. */
const TRANSPORT_HEADERS = new Set(['content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

function getRaw(url: string, headers: Record<string, string>): Promise<RawPage> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`GET ${url} answered ${response.statusCode}.`));
          return;
        }
        const kept = Object.entries(response.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && !TRANSPORT_HEADERS.has(entry[0])
        );
        resolve({ headers: Object.fromEntries(kept), body: Buffer.concat(chunks) });
      });
    }).on('error', reject);
  });
}

// --- the scenarios --------------------------------------------------------------------------------

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** The contacts whose history the runs ask for, picked at random (some more than once). */
function historyAddresses(dataset: Dataset): string[] {
  const random = seededRandom(7);
  return Array.from({ length: HISTORY_CONTACTS }, () => pickFrom(dataset.contacts, random).email);
}

/** The contact-history read, as the pane asks when a message is opened: one page, newest first. */
const historyPath = (address: string) => `/api/v1/interactions?correspondent=${encodeURIComponent(address)}`;

interface HistoryResult {
  /** Each path once, one at a time: the first read of a contact's pages since seeding. */
  firstRead: Sequential;
  /** The bare route's runs, before the first history run, between the others and after the last. */
  bareRuns: LoadResult[];
  historyRuns: LoadResult[];
  /** Each history run's req/s over the mean of the bare runs just before and after it. */
  ratios: number[];
  /** The history read while log-thread writes beside it, one run per round, right after the read-only run. */
  mixedRuns: LoadResult[];
  /** Each mixed run's req/s over the read-only run just before it. */
  mixedRatios: number[];
  /** The concurrent writer's log-thread calls. */
  writerCalls: Percentiles & { calls: number };
  /** The same requests to a bare route that answers each with the page the real server sent: nothing else. */
  ceilingLoad: LoadResult;
  /** The same load on the server whose history cache is off: every request reads the store. */
  uncachedLoad: LoadResult;
}

/**
 * Log-thread calls at a fixed rate until stopped, each with WRITER_MESSAGES new messages with a contact picked at
 * random: the writes the pane and the processor make while others read.
 */
function startWriter(apiUrl: string, token: string, caller: PersonRef, dataset: Dataset) {
  const random = seededRandom(23);
  const latencies: number[] = [];
  let failure: unknown = null;
  let round = 0;
  const timer = setInterval(() => {
    round += 1;
    const contact = pickFrom(dataset.contacts, random);
    const at = Date.now() - 86_400_000;
    const messages = Array.from({ length: WRITER_MESSAGES }, (_, i) => {
      const when = new Date(at + round * 1000 + i).toISOString();
      return graphMessage(i % 2 ? caller.email : contact.email, [i % 2 ? contact.email : caller.email], {
        conversationId: `AAQkAGI2bench-writer-${process.pid}-${round}`,
        subject: 'Re: Delivery dates',
        sentDateTime: when,
        receivedDateTime: when
      });
    });
    const started = performance.now();
    postJson<LogThreadResult>(`${apiUrl}/api/v1/interactions/log-thread`, { messages }, token).then(
      (result) => {
        if (result.logged.length !== WRITER_MESSAGES) failure ??= new Error('The writer logged too few entries.');
        latencies.push(performance.now() - started);
      },
      (error: unknown) => {
        failure ??= error;
      }
    );
  }, 1000 / WRITER_CALLS_PER_SECOND);
  return {
    stop() {
      clearInterval(timer);
      if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
      return latencies;
    }
  };
}

async function measureHistory(
  servers: Servers,
  tokens: { api: string; uncachedApi: string },
  addresses: string[],
  bareLoad: (options: { warm: boolean }) => Promise<LoadResult>,
  writer: () => { stop(): number[] }
): Promise<HistoryResult> {
  const { apiUrl } = servers;
  const headers = { authorization: `Bearer ${tokens.api}` };
  const paths = addresses.map(historyPath);
  const firstRead = await timeSequentially(paths.length, SEQUENTIAL_BUDGET_MS, async (call) => {
    const path = paths[call] ?? '';
    const response = await fetch(`${apiUrl}${path}`, { headers });
    const page = (await response.json()) as { items?: unknown[] };
    if (response.status !== 200 || !page.items?.length) {
      throw new Error(`GET ${path} answered ${response.status} with no entries.`);
    }
  });
  const shuffledPaths = shuffled(paths, seededRandom(11));
  const requestHeaders = (token: string) => ({
    authorization: `Bearer ${token}`,
    'accept-encoding': 'gzip, deflate, br'
  });
  const historyLoad = (url: string, token: string, warmth: { warm: boolean }) =>
    measuredLoad(
      {
        title: 'history',
        url,
        connections: settings.connections,
        duration: settings.durationSeconds,
        // As the pane's browser does: a history page is ~20 KB as JSON, ~3 KB gzipped.
        headers: requestHeaders(token),
        // A fixed list, which autocannon encodes once (a setupRequest callback would rebuild every request and
        // make the load generator, not the server, the bottleneck); each connection walks it in turn.
        requests: shuffledPaths.map((path) => ({ method: 'GET', path }))
      },
      servers.cpu,
      warmth
    );

  const bareRuns = [await bareLoad({ warm: true })];
  const historyRuns: LoadResult[] = [];
  const mixedRuns: LoadResult[] = [];
  const writerLatencies: number[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    historyRuns.push(await historyLoad(apiUrl, tokens.api, { warm: round === 0 }));
    const writing = writer();
    try {
      mixedRuns.push(await historyLoad(apiUrl, tokens.api, { warm: false }));
    } finally {
      writerLatencies.push(...writing.stop());
    }
    console.log(`  history read-only: ${brief(historyRuns[round]!)} | with the writer: ${brief(mixedRuns[round]!)}`);
    bareRuns.push(await bareLoad({ warm: false }));
  }
  const mixedRatios = mixedRuns.map(
    (run, round) => run.requestsPerSecond / (historyRuns[round]?.requestsPerSecond ?? NaN)
  );
  const writerCalls = { calls: writerLatencies.length, ...percentiles(writerLatencies) };
  const ratios = historyRuns.map(
    (run, round) =>
      run.requestsPerSecond /
      (((bareRuns[round]?.requestsPerSecond ?? NaN) + (bareRuns[round + 1]?.requestsPerSecond ?? NaN)) / 2)
  );

  const pages = new Map<string, RawPage>();
  for (const path of new Set(paths)) pages.set(path, await getRaw(`${apiUrl}${path}`, requestHeaders(tokens.api)));
  await servers.setCeilingPages(pages);
  const ceilingLoad = await historyLoad(servers.ceilingUrl, tokens.api, { warm: true });
  const uncachedLoad = await historyLoad(servers.uncachedApiUrl, tokens.uncachedApi, { warm: true });
  return { firstRead, bareRuns, historyRuns, ratios, mixedRuns, mixedRatios, writerCalls, ceilingLoad, uncachedLoad };
}

/**
 * The same reads straight from the store, in this process, once the server has stopped: how much of a
 * request the store call accounts for.
 */
async function measureStoreList(databasePath: string, tenantId: string, addresses: string[]): Promise<Sequential> {
  // The server has migrated the file already; this process may hold an older copy of the migrations.
  const store = await openStore(databasePath, { migrate: false, pgPoolSize: 1 });
  try {
    const list = async (address: string) => {
      await store.interactions.list(tenantId, { scope: WHOLE_TENANT, correspondent: address, limit: 25 });
    };
    await timeSequentially(addresses.length, SEQUENTIAL_BUDGET_MS, (call) => list(addresses[call] ?? ''));
    return await timeSequentially(STORE_CALLS, SEQUENTIAL_BUDGET_MS, () => list(pickFrom(addresses, Math.random)));
  } finally {
    await store.close();
  }
}

/**
 * A 50-message thread between the caller and one contact, a colleague copied on every fifth message;
 * returns the messages and how many entries they make (an inbound message copied to the colleague
 * makes two).
 */
function threadMessages(caller: PersonRef, colleague: PersonRef, contact: PersonRef, round: number) {
  const messages: GraphMessage[] = [];
  let entries = 0;
  const startedAt = Date.now() - 30 * 86_400_000;
  for (let i = 0; i < MESSAGES_PER_THREAD; i++) {
    const outbound = i % 2 === 0;
    const cc = i % 5 === 4 ? [colleague.email] : [];
    const at = new Date(startedAt + i * 3_600_000).toISOString();
    messages.push(
      graphMessage(outbound ? caller.email : contact.email, [outbound ? contact.email : caller.email], {
        cc,
        conversationId: `AAQkAGI2bench-thread-${round}`,
        subject: i === 0 ? 'Renewal terms' : 'Re: Renewal terms',
        bodyPreview: 'Thanks, see my comments below on the volume tiers and the start date.',
        sentDateTime: at,
        receivedDateTime: at
      })
    );
    entries += outbound ? 1 : 1 + cc.length;
  }
  return { messages, entries };
}

interface LogThreadResultTimes {
  fresh: Percentiles;
  repeat: Percentiles;
}

/** Sequential log-thread calls: each with a new thread, then the same thread again (all logged). */
async function measureLogThread(
  apiUrl: string,
  token: string,
  caller: PersonRef,
  dataset: Dataset
): Promise<LogThreadResultTimes> {
  const random = seededRandom(11);
  const url = `${apiUrl}/api/v1/interactions/log-thread`;
  const colleague = dataset.salespeople.find((person) => person.id !== caller.id) ?? caller;
  const timed = async (messages: GraphMessage[]) => {
    const started = performance.now();
    const result = await postJson<LogThreadResult>(url, { messages }, token);
    return { ms: performance.now() - started, result };
  };

  const fresh: number[] = [];
  const repeat: number[] = [];
  for (let round = 0; round < LOG_THREAD_WARMUP_CALLS + LOG_THREAD_CALLS; round++) {
    const thread = threadMessages(caller, colleague, pickFrom(dataset.contacts, random), round);
    const first = await timed(thread.messages);
    if (first.result.logged.length !== thread.entries || first.result.skipped.length > 0) {
      throw new Error(
        `log-thread logged ${first.result.logged.length} of ${thread.entries} entries and skipped ${first.result.skipped.length} messages.`
      );
    }
    const again = await timed(thread.messages);
    if (again.result.logged.length > 0 || again.result.skipped.some((s) => s.reason !== 'already-logged')) {
      throw new Error('A repeated log-thread call logged something, or skipped a message for another reason.');
    }
    if (round < LOG_THREAD_WARMUP_CALLS) continue;
    fresh.push(first.ms);
    repeat.push(again.ms);
  }
  return { fresh: percentiles(fresh), repeat: percentiles(repeat) };
}

/** pgbench's figures for the history query at the bench's concurrency. */
/** What a salesperson types into the search box: each kind of search the pane and the team make. */
interface SearchKind {
  name: string;
  paths: string[];
}

const WORDS_OF_TOPICS = [
  ...new Set(DEMO_TOPICS.flatMap((topic) => topic.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []))
];

function searchKinds(dataset: Dataset, count: number): SearchKind[] {
  const random = seededRandom(13);
  const path = (query: Record<string, string>) => `/api/v1/interactions?${new URLSearchParams(query).toString()}`;
  const contact = () => pickFrom(dataset.contacts, random);
  const word = () => pickFrom(WORDS_OF_TOPICS, random);
  const times = (make: () => string) => Array.from({ length: count }, make);
  return [
    {
      name: "a word, in one correspondent's history (the pane's search box)",
      paths: times(() => path({ correspondent: contact().email, q: word() }))
    },
    { name: "a contact's name, all history", paths: times(() => path({ q: contact().name })) },
    {
      name: 'a company, all history',
      paths: times(() => path({ q: `customer ${Math.floor(random() * 1000)}` }))
    },
    { name: 'two words of subjects, all history', paths: times(() => path({ q: `${word()} ${word()}` })) },
    { name: 'one word of subjects, all history', paths: times(() => path({ q: word() })) }
  ];
}

interface SearchResult {
  kinds: Array<{ name: string; times: Sequential }>;
  all: Percentiles;
}

/** Each search once, one at a time, after as many others unmeasured (the JIT and the page cache warm). */
async function measureSearch(apiUrl: string, token: string, dataset: Dataset): Promise<SearchResult> {
  const headers = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' };
  const run = async (path: string) => {
    const response = await fetch(`${apiUrl}${path}`, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}.`);
  };
  for (const kind of searchKinds(dataset, SEARCHES_PER_KIND / 2)) for (const path of kind.paths) await run(path);
  const kinds: SearchResult['kinds'] = [];
  const samples: number[] = [];
  for (const kind of searchKinds(dataset, SEARCHES_PER_KIND)) {
    const latencies: number[] = [];
    const times = await timeSequentially(kind.paths.length, SEQUENTIAL_BUDGET_MS, async (call) => {
      const started = performance.now();
      await run(kind.paths[call] ?? '');
      latencies.push(performance.now() - started);
    });
    samples.push(...latencies);
    kinds.push({ name: kind.name, times });
    console.log(`  search, ${kind.name}: ${brief(times)}`);
  }
  return { kinds, all: percentiles(samples) };
}

interface PgbenchResult {
  transactionsPerSecond: number;
  latencyMeanMs: number;
}

/**
 * The history query as the store sends it (captured from node-postgres), run by pgbench with prepared statements
 * at the same concurrency and duration: what PostgreSQL itself does for this query, without the API around it.
 * pgbench's variables are numbers only, so one contact's values are written into the script.
 */
async function measurePgbench(url: string, tenantId: string, address: string, dir: string): Promise<PgbenchResult> {
  const captured: Array<{ text: string; values: unknown[] }> = [];
  const original = pg.Client.prototype.query;
  const capture = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as { text?: string; values?: unknown[] } | string;
    if (typeof config === 'object' && config.text && config.values) {
      captured.push({ text: config.text, values: config.values });
    }
    return (original as (...rest: unknown[]) => unknown).apply(this, args);
  };
  pg.Client.prototype.query = capture as typeof original;
  const store = await openStore(url, { migrate: false, pgPoolSize: 1 });
  try {
    await store.interactions.list(tenantId, { scope: WHOLE_TENANT, correspondent: address, limit: 25 });
  } finally {
    pg.Client.prototype.query = original;
    await store.close();
  }
  const query = captured.find((q) => /from "interactions" as "i"/.test(q.text));
  if (!query) throw new Error('The history query was not captured.');
  const literal = (value: unknown) =>
    typeof value === 'number' ? String(value) : `'${String(value).replaceAll("'", "''")}'`;
  const script = join(dir, 'history.sql');
  writeFileSync(
    script,
    `${query.text.replace(/\$(\d+)/g, (_, n: string) => literal(query.values[Number(n) - 1])).replace(/\s+/g, ' ')};\n`
  );
  const output = execFileSync(
    'pgbench',
    [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(settings.connections),
      '-j',
      '2',
      '-T',
      String(settings.durationSeconds),
      '-f',
      script,
      url
    ],
    { encoding: 'utf8' }
  );
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
  const latency = /latency average = ([\d.]+) ms/.exec(output)?.[1];
  if (!tps || !latency) throw new Error(`pgbench said: ${output}`);
  return { transactionsPerSecond: Number(tps), latencyMeanMs: Number(latency) };
}

// --- the report -----------------------------------------------------------------------------------

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => n.toFixed(2);
const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
const loadAverage = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
/** One line of progress: the rate (when there is one) and the latencies. */
function brief(result: Percentiles & { requestsPerSecond?: number; callsPerSecond?: number }): string {
  const rate = result.requestsPerSecond ?? result.callsPerSecond;
  const cpu = isLoadResult(result) ? `, server ${result.serverCpuMicros.toFixed(1)} µs/req` : '';
  return `${rate === undefined ? '' : `${int(rate)}/s, `}p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms${cpu}`;
}
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** A Markdown table, padded so that it reads as well in a terminal as in docs/PERFORMANCE.md. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length))
  );
  const numeric = header.map((_, column) => rows.every((row) => /^[\d.,]*$/.test(row[column] ?? '')));
  const cell = (text: string, column: number) =>
    numeric[column] ? text.padStart(widths[column] ?? 0) : text.padEnd(widths[column] ?? 0);
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

interface Measurements {
  seedTimings: SeedTimings;
  databaseBytes: number;
  /** Null with BENCH_SEARCH_ONLY, as are storeList and logThread. */
  history: HistoryResult | null;
  storeList: Sequential | null;
  logThread: LogThreadResultTimes | null;
  pgbench: PgbenchResult | null;
  search: SearchResult;
}

/** The search timings as a table. */
function searchReport(search: SearchResult): string {
  const row = (name: string, times: Percentiles, calls: string, target = '') => [
    name,
    calls,
    ms(times.p50),
    ms(times.p95),
    ms(times.p99),
    ms(times.max),
    target
  ];
  const calls = search.kinds.reduce((sum, kind) => sum + kind.times.calls, 0);
  return table(
    [
      'GET /api/v1/interactions?q=…, cache off, one at a time',
      'calls',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'Target'
    ],
    [
      ...search.kinds.map((kind) => row(kind.name, kind.times, String(kind.times.calls))),
      row(
        'All searches',
        search.all,
        String(calls),
        `p95 ≤ ${TARGET_SEARCH_P95_MS} ms: ${verdict(search.all.p95 <= TARGET_SEARCH_P95_MS)}`
      )
    ]
  );
}

function report(measurements: Measurements): string {
  const { seedTimings, databaseBytes, history, storeList, logThread, pgbench, search } = measurements;
  const { size } = settings;
  const entriesPerSecond = size.entries / (seedTimings.entriesMs / 1000);
  const heading = `
Interaction log API benchmark, ${new Date().toISOString()}
Node ${process.version}, ${availableParallelism()} CPUs; load average at the end ${loadAverage()}
Data set: ${int(size.entries)} entries, ${int(size.contacts)} contacts, ${int(size.salespeople)} salespeople; ${settings.postgresUrl ? 'PostgreSQL database' : 'SQLite file'} ${int(databaseBytes / 1e6)} MB
Seeding: ${seconds(seedTimings.directoryMs + seedTimings.entriesMs)} (directory ${seconds(seedTimings.directoryMs)}, entries ${seconds(seedTimings.entriesMs)}, ${int(entriesPerSecond)} entries/s)`;
  if (!history || !storeList || !logThread) return `${heading}\n\n${searchReport(search)}\n`;
  const bare = pooled(history.bareRuns);
  const historyLoad = pooled(history.historyRuns);
  const ratio = percentiles(history.ratios).p50;
  const mixedLoad = pooled(history.mixedRuns);
  const mixedRatio = percentiles(history.mixedRatios).p50;
  // What one core of server could serve of each: requests per CPU second, whatever the load generator manages.
  const cpuRatio = bare.serverCpuMicros / historyLoad.serverCpuMicros;
  const bareRates = history.bareRuns.map((run) => run.requestsPerSecond);
  const bareSpread = (Math.max(...bareRates) - Math.min(...bareRates)) / bare.requestsPerSecond;
  const latencyRow = (name: string, result: Percentiles, requestsPerSecond: number | null, target = '') => {
    const cpu = isLoadResult(result) ? result : null;
    return [
      name,
      requestsPerSecond === null ? '' : int(requestsPerSecond),
      ms(result.p50),
      ms(result.p95),
      ms(result.p99),
      cpu ? cpu.serverCpuMicros.toFixed(1) : '',
      cpu ? cpu.generatorCpuMicros.toFixed(1) : '',
      target
    ];
  };
  /** A ratio, judged against the target unless it only shows what the target leaves room for. */
  const ratioRow = (name: string, value: number, judged = true) => [
    name,
    value.toPrecision(2),
    '',
    '',
    '',
    '',
    '',
    judged ? `≥ ${TARGET_RATIO}: ${verdict(value >= TARGET_RATIO)}` : ''
  ];
  const timesRow = (name: string, times: Percentiles) => [
    name,
    String(LOG_THREAD_CALLS),
    ms(times.p50),
    ms(times.p95),
    ms(times.max)
  ];
  return `${heading}
Load runs: ${settings.connections} connections, ${settings.durationSeconds} s each (the first of each kind after a ${WARMUP_SECONDS} s warm-up); history asks for ${int(HISTORY_CONTACTS)} contacts at random, default page size
Rounds: bare, then ${settings.rounds} × (history, bare); history ÷ the bare runs around it: ${history.ratios.map((r) => r.toFixed(2)).join(', ')}
µs/req: CPU time per request of the server process and of the load generator (autocannon, in this process)${
    bareSpread > 0.2
      ? `\nThe bare runs differ by up to ${Math.round(bareSpread * 100)}%: the machine's load changed during the run.`
      : ''
  }

${table(
  ['Measurement', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'server µs/req', 'autocannon µs/req', 'Target'],
  [
    latencyRow(`Bare Fastify GET, ${history.bareRuns.length} runs`, bare, bare.requestsPerSecond),
    latencyRow(
      `GET /api/v1/interactions?correspondent=…, ${history.historyRuns.length} runs`,
      historyLoad,
      historyLoad.requestsPerSecond,
      `p99 ≤ ${TARGET_HISTORY_P99_MS} ms: ${verdict(historyLoad.p99 <= TARGET_HISTORY_P99_MS)}`
    ),
    ratioRow('Ratio history ÷ bare around it, req/s (median of the rounds)', ratio),
    latencyRow(
      `Same, with ${WRITER_CALLS_PER_SECOND} log-thread calls/s of ${WRITER_MESSAGES} new messages beside it, ${history.mixedRuns.length} runs`,
      mixedLoad,
      mixedLoad.requestsPerSecond,
      `p99 ≤ ${TARGET_HISTORY_P99_MS} ms: ${verdict(mixedLoad.p99 <= TARGET_HISTORY_P99_MS)}`
    ),
    [
      'Ratio with the writer ÷ read-only just before (median of the rounds)',
      mixedRatio.toPrecision(2),
      '',
      '',
      '',
      '',
      '',
      `≥ 0.8: ${verdict(mixedRatio >= 0.8)}`
    ],
    ...(pgbench
      ? [
          [
            `pgbench -M prepared, the history query, ${settings.connections} clients`,
            int(pgbench.transactionsPerSecond),
            `${ms(pgbench.latencyMeanMs)} (mean)`,
            '',
            '',
            '',
            '',
            ''
          ],
          [
            'History with the writer ÷ pgbench',
            (mixedLoad.requestsPerSecond / pgbench.transactionsPerSecond).toPrecision(2),
            '',
            '',
            '',
            '',
            '',
            `≥ 0.25: ${verdict(mixedLoad.requestsPerSecond / pgbench.transactionsPerSecond >= 0.25)}`
          ],
          ratioRow('History read-only ÷ pgbench', historyLoad.requestsPerSecond / pgbench.transactionsPerSecond, false),
          ratioRow(
            'History cache off ÷ pgbench',
            history.uncachedLoad.requestsPerSecond / pgbench.transactionsPerSecond,
            false
          )
        ]
      : []),
    ratioRow('Ratio by server CPU per request, bare ÷ history', cpuRatio),
    latencyRow(
      'Ceiling: bare route sending each request the page the server sent',
      history.ceilingLoad,
      history.ceilingLoad.requestsPerSecond
    ),
    ratioRow('Ceiling ÷ mean bare, req/s', history.ceilingLoad.requestsPerSecond / bare.requestsPerSecond, false),
    ratioRow('History ÷ ceiling, req/s', historyLoad.requestsPerSecond / history.ceilingLoad.requestsPerSecond, false),
    latencyRow(
      'Same, history cache off (HISTORY_CACHE_MB=0)',
      history.uncachedLoad,
      history.uncachedLoad.requestsPerSecond
    ),
    latencyRow(`Same, first read of ${int(history.firstRead.calls)} contacts, one at a time`, history.firstRead, null),
    latencyRow(
      `store.interactions.list alone, ${int(storeList.calls)} calls one at a time`,
      storeList,
      storeList.callsPerSecond
    )
  ]
)}

${table(
  [`POST /api/v1/interactions/log-thread, ${MESSAGES_PER_THREAD} messages`, 'calls', 'p50 ms', 'p95 ms', 'max ms'],
  [
    timesRow('New messages (all logged)', logThread.fresh),
    timesRow('The same messages again (all already logged)', logThread.repeat),
    [
      `The concurrent writer's calls (${WRITER_MESSAGES} new messages, under the history load)`,
      String(history.writerCalls.calls),
      ms(history.writerCalls.p50),
      ms(history.writerCalls.p95),
      ms(history.writerCalls.max)
    ]
  ]
)}

${searchReport(search)}
`;
}

// --- the run --------------------------------------------------------------------------------------

async function postgresQuery(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function databaseBytes(path: string): Promise<number> {
  if (settings.postgresUrl) {
    const result = await postgresQuery(settings.postgresUrl, 'select pg_database_size(current_database()) as bytes');
    return Number((result.rows[0] as { bytes: string }).bytes);
  }
  return fileBytes(path);
}

function fileBytes(path: string): number {
  return [path, `${path}-wal`].filter(existsSync).reduce((sum, file) => sum + statSync(file).size, 0);
}

interface KeptDataset {
  size: DatasetSize;
  dataset: Omit<Dataset, 'ownerOf'>;
  seedTimings: SeedTimings;
}

/** Where the description of a data set seeded into `databasePath` is kept (beside the file; for PostgreSQL in tmp). */
const descriptionOf = (databasePath: string) =>
  settings.postgresUrl
    ? join(
        tmpdir(),
        `interaction-log-bench-${encodeURIComponent(new URL(databasePath).host + new URL(databasePath).pathname)}.dataset.json`
      )
    : `${databasePath}.dataset.json`;

/** A data set seeded by an earlier run with BENCH_DATABASE (or into the PostgreSQL database), when it has the size asked for. */
function keptDataset(databasePath: string): { dataset: Dataset; timings: SeedTimings } | null {
  const describedAt = descriptionOf(databasePath);
  if ((!settings.postgresUrl && !existsSync(databasePath)) || !existsSync(describedAt)) return null;
  const kept = JSON.parse(readFileSync(describedAt, 'utf8')) as KeptDataset;
  if (JSON.stringify(kept.size) !== JSON.stringify(settings.size)) {
    throw new Error(`${databasePath} holds a data set of another size; remove it or pick another BENCH_DATABASE.`);
  }
  console.log(`Reusing the data set seeded earlier in ${databasePath}`);
  return { dataset: withOwners(kept.dataset), timings: kept.seedTimings };
}

async function seed(databasePath: string) {
  const { size } = settings;
  const keeping = settings.keptDatabase !== undefined || settings.postgresUrl !== undefined;
  const kept = keeping ? keptDataset(databasePath) : null;
  if (kept) return kept;
  console.log(
    `Seeding ${int(size.entries)} entries (${int(size.contacts)} contacts, ${int(size.salespeople)} salespeople) into ${databasePath}`
  );
  const store = await openStore(databasePath);
  try {
    if (settings.postgresUrl && !(await store.isEmpty())) {
      throw new Error('DATABASE_URL names a database with data but no data set description: give an empty one.');
    }
    const seeded = await seedDataset(store, size, (written) => {
      if (written % 100_000 === 0 || written === size.entries) console.log(`  ${int(written)} entries`);
    });
    if (settings.postgresUrl) await postgresQuery(settings.postgresUrl, 'analyze');
    if (keeping) {
      const { ownerOf: _derived, ...dataset } = seeded.dataset;
      const kept: KeptDataset = { size, dataset, seedTimings: seeded.timings };
      writeFileSync(descriptionOf(databasePath), JSON.stringify(kept));
    }
    return seeded;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  dropResponseBodies();
  console.log(
    `Node ${process.version}, ${availableParallelism()} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB; load average ${loadAverage()}`
  );
  const dir = mkdtempSync(join(tmpdir(), 'interaction-log-bench-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  // Interrupted, the run still leaves no 1.4 GB file behind (the server process gets the same signal).
  process.once('SIGINT', () => {
    removeDir();
    process.exit(130);
  });
  try {
    const databasePath = settings.postgresUrl ?? settings.keptDatabase ?? join(dir, 'bench.sqlite');
    const { dataset, timings: seedTimings } = await seed(databasePath);
    const bytes = await databaseBytes(databasePath);
    const caller = dataset.salespeople[0];
    if (!caller) throw new Error('The data set has no salespeople.');
    const addresses = historyAddresses(dataset);

    const servers = await startServers(databasePath);
    let measured: Omit<Measurements, 'seedTimings' | 'databaseBytes' | 'storeList' | 'pgbench'>;
    try {
      // Each server signs its own dev tokens.
      const tokenFrom = async (baseUrl: string) => {
        const identity = { email: caller.email, name: caller.name, tenantId: dataset.tenantId };
        return (await postJson<{ accessToken: string }>(`${baseUrl}/api/v1/dev/token`, identity)).accessToken;
      };
      const accessToken = await tokenFrom(servers.apiUrl);
      const tokens = { api: accessToken, uncachedApi: await tokenFrom(servers.uncachedApiUrl) };
      // The caller's first call binds the seeded salesperson to the user, a directory change that every cached
      // page depends on: done here, as it is once in a user's life, not in the middle of a measured run.
      const me = await fetch(`${servers.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      if (me.status !== 200) throw new Error(`GET /api/v1/me answered ${me.status}.`);
      console.log(`Timing searches: ${SEARCHES_PER_KIND} of each kind, one at a time, history cache off`);
      const search = await measureSearch(servers.uncachedApiUrl, tokens.uncachedApi, dataset);
      if (settings.searchOnly) {
        measured = { history: null, logThread: null, search };
      } else {
        console.log(
          `Load runs: bare route, then ${settings.rounds} × (history, bare route); ceiling; cache off (${settings.durationSeconds} s each)`
        );
        const bareLoad = async (warmth: { warm: boolean }) => {
          const options = { title: 'bare', url: servers.bareUrl, connections: settings.connections };
          const result = await measuredLoad({ ...options, duration: settings.durationSeconds }, servers.cpu, warmth);
          console.log(`  bare: ${brief(result)}`);
          return result;
        };
        const history = await measureHistory(servers, tokens, addresses, bareLoad, () =>
          startWriter(servers.apiUrl, accessToken, caller, dataset)
        );
        console.log(
          `  history, first reads: ${brief(history.firstRead)}; under load: ${history.historyRuns.map(brief).join(' | ')}; ceiling: ${brief(history.ceilingLoad)}; cache off: ${brief(history.uncachedLoad)}`
        );
        console.log(
          `Timing log-thread: ${LOG_THREAD_CALLS} threads of ${MESSAGES_PER_THREAD} messages, each sent twice`
        );
        const logThread = await measureLogThread(servers.apiUrl, accessToken, caller, dataset);
        console.log(`  new messages: ${brief(logThread.fresh)}; again: ${brief(logThread.repeat)}`);
        measured = { history, logThread, search };
      }
    } finally {
      await servers.stop();
    }
    let storeList: Sequential | null = null;
    let pgbench: PgbenchResult | null = null;
    if (!settings.searchOnly) {
      console.log('Timing store.interactions.list alone');
      storeList = await measureStoreList(databasePath, dataset.tenantId, addresses);
      console.log(`  ${brief(storeList)}`);
      if (settings.postgresUrl)
        pgbench = await measurePgbench(settings.postgresUrl, dataset.tenantId, addresses[0] ?? '', dir);
    }
    if (pgbench)
      console.log(`pgbench: ${int(pgbench.transactionsPerSecond)} tps, mean ${ms(pgbench.latencyMeanMs)} ms`);
    console.log(report({ seedTimings, databaseBytes: bytes, storeList, pgbench, ...measured }));
  } finally {
    removeDir();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
