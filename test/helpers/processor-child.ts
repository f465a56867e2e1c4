import { createMailboxService } from '../../src/server/mailbox/service.js';
import { openStore } from '../../src/server/store/index.js';
import { trustingNetworkClient } from '../../src/stand-ins/graph/stand-in.js';

/*
 * A processor in its own process, for kill-and-restart tests: the real mailbox service (MSAL, Graph client,
 * lease, store) against a Graph stand-in that lives in the test's process, on a SQLite file or a PostgreSQL
 * schema the test also opens. Runs once for one tenant, prints the run's summary as one JSON line, exits.
 * A test SIGKILLs it wherever it likes. Run with: node --import tsx test/helpers/processor-child.ts
 */

export interface ProcessorChildConfig {
  databaseUrl: string;
  pgSchema?: string;
  tenantId: string;
  holder: string;
  leaseTtlMs: number;
  /** The stand-in's http://127.0.0.1:port. */
  graphBaseUrl: string;
  /** The stand-in's MSAL authority, known authority and certificate (see its README). */
  authority: string;
  knownAuthority: string;
  tlsCertificate: string;
  clientId: string;
  clientSecret: string;
}

const config = JSON.parse(process.env.PROCESSOR_CHILD_CONFIG ?? '{}') as ProcessorChildConfig;
const store = await openStore(config.databaseUrl, config.pgSchema ? { pgSchema: config.pgSchema } : {});
const networkClient = trustingNetworkClient(config.tlsCertificate);
const service = createMailboxService({
  store,
  holder: config.holder,
  leaseTtlMs: config.leaseTtlMs,
  access: {
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    certificate: null,
    graphBaseUrl: config.graphBaseUrl,
    graphScope: 'https://graph.microsoft.com/.default',
    authorityHost: config.authority,
    schedule: false,
    concurrency: 8
  },
  msalConfigurationFor: () => ({
    auth: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      authority: config.authority,
      knownAuthorities: [config.knownAuthority]
    },
    system: { networkClient }
  }),
  log: { info: () => undefined, error: (object, message) => console.error(message, object) }
});
const summary = await service.runOnce(config.tenantId, 'cli');
process.stdout.write(`${JSON.stringify(summary)}\n`);
await service.stop();
await store.close();
