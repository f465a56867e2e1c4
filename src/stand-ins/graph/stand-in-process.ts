import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Configuration } from '@azure/msal-node';
import type { MailboxStats } from './graph-api.js';
import {
  startGraphMailbox,
  trustingNetworkClient,
  type GraphMailbox,
  type GraphMailboxOptions,
  type SeedMessage
} from './stand-in.js';

/*
 * The Graph stand-in in a process of its own, driven over IPC: for benchmarks, so the stand-in's work does
 * not share an event loop (and a core) with the processor being measured. Tests keep the in-process
 * stand-in, whose every control this does not offer: only seeding, folder counts, stats and the sign-in facts.
 */

export interface GraphMailboxProcess {
  readonly url: string;
  readonly pid: number;
  msalConfiguration(): Configuration;
  seed(address: string, messages: SeedMessage[]): Promise<void>;
  count(address: string, folder: string): Promise<number>;
  stats(address: string): Promise<MailboxStats>;
  /** CPU time the stand-in's process has used so far, in microseconds. */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  close(): Promise<void>;
}

type Operation =
  | { op: 'seed'; address: string; messages: SeedMessage[] }
  | { op: 'count'; address: string; folder: string }
  | { op: 'stats'; address: string }
  | { op: 'cpu' }
  | { op: 'close' };

interface Facts {
  url: string;
  authority: string;
  knownAuthority: string;
  tlsCertificate: string;
  clientId: string;
  clientSecret: string;
}

const CHILD_FLAG = 'GRAPH_STAND_IN_PROCESS_OPTIONS';

export async function startGraphMailboxProcess(options: GraphMailboxOptions): Promise<GraphMailboxProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    // STAND_IN_CPU_PROF_DIR=<dir>: a CPU profile of the stand-in's process, to see whose time is whose.
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.STAND_IN_CPU_PROF_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.STAND_IN_CPU_PROF_DIR}`]
        : [])
    ],
    env: { ...process.env, [CHILD_FLAG]: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  });
  const facts = await new Promise<Facts>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Facts));
    child.once('exit', (code) => reject(new Error(`The stand-in process exited (${code}) before it listened.`)));
  });
  let nextId = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (message) => {
    const { id, result, error } = message as { id: number; result?: unknown; error?: string };
    const waiting = pending.get(id);
    pending.delete(id);
    if (error !== undefined) waiting?.reject(new Error(error));
    else waiting?.resolve(result);
  });
  const call = <T>(operation: Operation) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, ...operation });
    });
  const networkClient = trustingNetworkClient(facts.tlsCertificate);
  return {
    url: facts.url,
    pid: child.pid ?? 0,
    msalConfiguration: () => ({
      auth: {
        clientId: facts.clientId,
        clientSecret: facts.clientSecret,
        authority: facts.authority,
        knownAuthorities: [facts.knownAuthority]
      },
      system: { networkClient }
    }),
    seed: (address, messages) => call({ op: 'seed', address, messages }),
    count: (address, folder) => call({ op: 'count', address, folder }),
    stats: (address) => call({ op: 'stats', address }),
    cpuUsage: () => call({ op: 'cpu' }),
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call({ op: 'close' }).catch(() => undefined);
      await exited;
    }
  };
}

async function serve(standIn: GraphMailbox, operation: Operation): Promise<unknown> {
  switch (operation.op) {
    case 'seed':
      standIn.seed(operation.address, operation.messages);
      return null;
    case 'count':
      return standIn.folderContents(operation.address, operation.folder).length;
    case 'stats':
      return standIn.mailbox(operation.address).stats();
    case 'cpu':
      return process.cpuUsage();
    case 'close':
      await standIn.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

if (process.env[CHILD_FLAG] && process.send) {
  const standIn = await startGraphMailbox(JSON.parse(process.env[CHILD_FLAG]) as GraphMailboxOptions);
  process.on('message', (message: { id: number } & Operation) => {
    serve(standIn, message).then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) =>
        process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) })
    );
  });
  process.send({
    url: standIn.url,
    authority: standIn.authority,
    knownAuthority: standIn.knownAuthority,
    tlsCertificate: standIn.tlsCertificate,
    clientId: standIn.app.clientId,
    clientSecret: standIn.app.clientSecret
  } satisfies Facts);
}
