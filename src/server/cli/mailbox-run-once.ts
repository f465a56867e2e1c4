import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { loadConfig } from '../config.js';
import { createMailboxService } from '../mailbox/service.js';
import { openStore } from '../store/index.js';

/*
 * `npm run mailbox:run-once [-- --tenant <id>]`: one run of automatic logging for every tenant that has it
 * switched on (or for one), then exit; non-zero if any run failed.
 */
const config = loadConfig();
const tenantFlag = process.argv.indexOf('--tenant');
const onlyTenant = tenantFlag >= 0 ? process.argv[tenantFlag + 1] : undefined;
const store = await openStore(config.databaseUrl);
const service = createMailboxService({
  store,
  access: config.mailbox,
  holder: `${hostname()}:${process.pid}:cli:${randomUUID().slice(0, 8)}`,
  log: { info: () => undefined, error: (object, message) => console.error(message, object) }
});
let failed = false;
try {
  const tenants = onlyTenant ? [onlyTenant] : (await store.mailbox.enabledTenants()).map((t) => t.tenantId);
  if (tenants.length === 0) console.log('No tenant has automatic logging switched on.');
  for (const tenantId of tenants) {
    const summary = await service.runOnce(tenantId, 'cli');
    failed ||= summary.status === 'failed';
    console.log(
      `${tenantId}: ${summary.status}; seen ${summary.seen}, logged ${summary.logged}, failed ${summary.failed}, ` +
        `quarantined ${summary.quarantined}, ${summary.requests} Graph requests (${summary.throttled} throttled)` +
        (summary.error ? `; ${summary.error}` : '')
    );
  }
} catch (error) {
  failed = true;
  console.error(error instanceof Error ? error.message : error);
} finally {
  await service.stop();
  await store.close();
}
process.exit(failed ? 1 : 0);
