import { isMove } from '../../src/stand-ins/graph/stand-in.js';
import { runMailboxOnce } from '../../src/server/usecases/run-mailbox.js';
import type { RunMessage } from '../../src/shared/schemas/mailbox.js';
import { standInProcessorDeps, useMailboxSuite } from '../helpers/stand-in-graph.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * Issue 20's reconciliation per run, over real HTTP on both engines with the processor reaching the Graph stand-in:
 * a run lists every message it saw, by Internet message ID, with its fate, sender, received time, direction and the
 * entries it created; admins only, within their tenant, a page at a time.
 */

const SHARED = 'run-messages@northwind.example';
const OTHER = 'run-messages-other@contoso.example';

describe.each(ENGINES)('a run’s messages on %s', (engine) => {
  const TENANT = `tenant-run-messages-${engine}`;
  const OTHER_TENANT = `tenant-run-messages-other-${engine}`;
  const suite = useMailboxSuite(engine, [SHARED, OTHER], [TENANT, OTHER_TENANT]);
  const admin = (tenantId = TENANT) =>
    suite.api.token({ email: 'admin@northwind.example', roles: ['Admin'], tenantId });
  const messagesOf = (runId: string, as: string, query = '') =>
    suite.api.call('GET', `/api/v1/admin/mailbox/runs/${encodeURIComponent(runId)}/messages${query}`, { as });
  const run = async (tenantId: string) =>
    runMailboxOnce(standInProcessorDeps(suite.api.server.store, suite.standIn, { holder: 'test' }), tenantId, 'manual');

  beforeAll(async () => {
    await suite.api.server.store.mailbox.saveSettings(TENANT, { enabled: true, mailboxAddress: SHARED }, null);
    await suite.api.server.store.mailbox.saveSettings(OTHER_TENANT, { enabled: true, mailboxAddress: OTHER }, null);
  });

  /** Every item of a run's list, read `limit` at a time. */
  async function allMessages(runId: string, as: string, limit: number): Promise<RunMessage[]> {
    const items: RunMessage[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await messagesOf(runId, as, query);
      expect(page.status).toBe(200);
      items.push(...(page.body.items as RunMessage[]));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    return items;
  }

  test('every message the run saw, with its fate, sender, time, direction and entries; read a page at a time', async () => {
    // Whole seconds: Graph's receivedDateTime has no milliseconds.
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
    const received = (minutes: number) => new Date(at.getTime() + minutes * 60_000).toISOString();
    const seeded = suite.standIn.seed(SHARED, [
      {
        from: 'lena@fabrikam.example',
        to: ['ana@northwind.example'],
        subject: 'Logged',
        receivedDateTime: received(1)
      },
      { from: 'ana@northwind.example', to: ['lena@fabrikam.example'], subject: 'Out', receivedDateTime: received(2) },
      { from: 'cold@elsewhere.example', to: ['ana@northwind.example'], subject: 'Cold', receivedDateTime: received(3) },
      { from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Busy', receivedDateTime: received(4) }
    ]);
    const [logged, out, cold, busy] = seeded;
    // The fourth message's move is throttled for an hour: it stays in the Inbox, deferred to the next run.
    suite.standIn.mailbox(SHARED).failRequests(1, {
      status: 429,
      retryAfterSeconds: 3600,
      match: (r) => isMove(r) && r.path.includes(busy!.immutableId)
    });
    const summary = await run(TENANT);
    expect(summary).toMatchObject({ status: 'succeeded', seen: 4, logged: 3, failed: 1 });
    const as = await admin();

    const items = await allMessages(summary.runId!, as, 1);
    expect(items.map((item) => [item.subject, item.fate, item.reason, item.entriesCreated]).sort()).toEqual([
      ['Busy', 'deferred', null, 1],
      ['Cold', 'not-logged', 'sender-not-matched', 0],
      ['Logged', 'logged', null, 1],
      ['Out', 'logged', null, 1]
    ]);
    const byId = new Map(items.map((item) => [item.internetMessageId, item]));
    expect(byId.get(logged!.internetMessageId)).toEqual({
      messageId: logged!.immutableId,
      internetMessageId: logged!.internetMessageId,
      fate: 'logged',
      reason: null,
      subject: 'Logged',
      from: 'lena@fabrikam.example',
      receivedDateTime: received(1),
      direction: 'inbound',
      entriesCreated: 1
    });
    expect(byId.get(out!.internetMessageId)).toMatchObject({ from: 'ana@northwind.example', direction: 'outbound' });
    expect(byId.get(cold!.internetMessageId)).toMatchObject({ from: 'cold@elsewhere.example', direction: 'inbound' });

    // The next run files the deferred message: logged before (by the run that recorded it), so already logged.
    const next = await run(TENANT);
    expect(await allMessages(next.runId!, as, 25)).toEqual([
      expect.objectContaining({ internetMessageId: busy!.internetMessageId, fate: 'already-logged', entriesCreated: 0 })
    ]);
  });

  test('admins only, within their tenant: another tenant’s or an unknown run is a 404 problem; a bad cursor a 400', async () => {
    suite.standIn.seed(OTHER, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Theirs' }]);
    const theirs = await run(OTHER_TENANT);
    const as = await admin();
    expect((await messagesOf(theirs.runId!, await admin(OTHER_TENANT))).body.items).toHaveLength(1);

    for (const runId of [theirs.runId!, 'no-such-run']) {
      const missing = await messagesOf(runId, as);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
      expect(missing.body.detail).toMatch(/mailbox run/i);
    }
    const salesperson = await suite.api.token({ email: 'ana@northwind.example', roles: [], tenantId: OTHER_TENANT });
    expect((await messagesOf(theirs.runId!, salesperson)).status).toBe(403);
    const badCursor = await messagesOf(theirs.runId!, await admin(OTHER_TENANT), '?cursor=nonsense');
    expect([badCursor.status, badCursor.body.errors?.[0]?.pointer ?? badCursor.body.detail]).toEqual([
      400,
      expect.any(String)
    ]);
  });
});
