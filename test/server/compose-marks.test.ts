import { runMailboxOnce } from '../../src/server/usecases/run-mailbox.js';
import { WHOLE_TENANT } from '../../src/server/store/index.js';
import { OPPORTUNITY_HEADER, PRIVATE_HEADER } from '../../src/shared/message-marks.js';
import { startGraphMailbox, TEST_LIMITS, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { useTestApi } from '../helpers/api.js';
import { GraphMetadata } from '../helpers/graph-metadata.js';
import { graphMessage } from '../helpers/messages.js';
import { standInProcessorDeps } from '../helpers/stand-in-graph.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * Marks set in compose travel as internet headers (issue 21): `X-Interaction-Log: private` is never logged, by the
 * processor (the BCC copy goes to "Not logged" as marked-private) or by the pane's log-thread;
 * `X-Interaction-Log-Opportunity: <id>` links the entries to the opportunity when the sender may link to it, and
 * otherwise logs them unlinked and says why.
 */

const SHARED = 'interaction-log@northwind.example';
const address = (who: string) => `${who}@northwind.example`;
const LENA = 'lena@fabrikam.example';
const TOMAS = 'tomas@fabrikam.example';
const graphMetadata = GraphMetadata.load();

describe.each(ENGINES)('compose marks on %s', (engine) => {
  const tenantId = 'tenant-compose-marks';
  const api = useTestApi(engine, {
    tenantId,
    people: { ana: { email: address('ana'), name: 'Ana' }, ben: { email: address('ben'), name: 'Ben' } },
    signIn: true
  });
  const { tokens } = api;
  let renewalId: string;
  let closedId: string;
  let standIn: GraphMailbox;

  const logThread = (as: string, messages: unknown[]) =>
    api.call('POST', '/api/v1/interactions/log-thread', { as, body: { messages } });
  const entriesOf = async (internetMessageId: string) =>
    (await api.server.store.interactions.list(tenantId, { scope: WHOLE_TENANT, limit: 100 })).items.filter(
      (entry) => entry.internetMessageId === internetMessageId
    );
  const deps = () => standInProcessorDeps(api.server.store, standIn, { holder: 'test' });

  beforeAll(async () => {
    const lena = await api.call('POST', '/api/v1/contacts', { as: tokens.ana, body: { name: 'Lena', email: LENA } });
    await api.call('POST', '/api/v1/contacts', { as: tokens.ana, body: { name: 'Tomás', email: TOMAS } });
    const renewal = await api.call('POST', '/api/v1/opportunities', {
      as: tokens.ana,
      body: { description: 'Renewal 2027', contactId: lena.body.id }
    });
    renewalId = renewal.body.id;
    const closed = await api.call('POST', '/api/v1/opportunities', {
      as: tokens.ana,
      body: { description: 'Old deal', contactId: lena.body.id }
    });
    closedId = closed.body.id;
    expect(
      (
        await api.call('PATCH', `/api/v1/opportunities/${closedId}`, {
          as: tokens.ana,
          body: { status: 'lost', closeReason: 'Chose another supplier' }
        })
      ).status
    ).toBe(200);
    standIn = await startGraphMailbox({ mailboxes: [SHARED], limits: TEST_LIMITS });
    await api.server.store.mailbox.saveSettings(tenantId, { enabled: true, mailboxAddress: SHARED }, null);
  });
  afterAll(async () => {
    const requests = standIn.mailbox(SHARED).requests();
    await standIn.close();
    // internetMessageHeaders is selected by name: Graph's v1.0 metadata defines every request the processor sent.
    expect(requests.flatMap((request) => graphMetadata.problemsOf(request))).toEqual([]);
  });

  test('the processor files a message marked private as "Not logged" (marked-private) and logs nothing', async () => {
    const [privateCopy] = standIn.seed(SHARED, [
      {
        from: address('ana'),
        to: [LENA],
        subject: 'Private draft',
        internetMessageHeaders: [{ name: PRIVATE_HEADER, value: 'private' }]
      }
    ]);
    const run = await runMailboxOnce(deps(), tenantId, 'manual');
    expect(run).toMatchObject({ status: 'succeeded', logged: 0, skipped: { 'marked-private': 1 } });
    expect(standIn.folderContents(SHARED, 'Not logged').map((m) => m.subject)).toContain('Private draft');
    expect(await entriesOf(privateCopy!.internetMessageId!)).toEqual([]);
  });

  test("the processor links a message marked with the sender's opportunity; other contacts' entries stay unlinked", async () => {
    const [linked] = standIn.seed(SHARED, [
      {
        from: address('ana'),
        to: [LENA, TOMAS],
        subject: 'About the renewal',
        internetMessageHeaders: [{ name: OPPORTUNITY_HEADER.toLowerCase(), value: renewalId }]
      }
    ]);
    const run = await runMailboxOnce(deps(), tenantId, 'manual');
    expect(run).toMatchObject({ status: 'succeeded', logged: 2 });
    const entries = await entriesOf(linked!.internetMessageId!);
    expect(entries.map((e) => [e.contact.email, e.opportunityId]).sort()).toEqual([
      [LENA, renewalId],
      [TOMAS, null]
    ]);
    expect(standIn.folderContents(SHARED, 'Archive').map((m) => m.subject)).toContain('About the renewal');
  });

  test('a sender who may not link, or a closed or unknown opportunity, logs the message unlinked and says why', async () => {
    const seeded = standIn.seed(SHARED, [
      {
        from: address('ben'),
        to: [LENA],
        subject: "Ben names Ana's opportunity",
        internetMessageHeaders: [{ name: OPPORTUNITY_HEADER, value: renewalId }]
      },
      {
        from: address('ana'),
        to: [LENA],
        subject: 'Names a lost opportunity',
        internetMessageHeaders: [{ name: OPPORTUNITY_HEADER, value: closedId }]
      }
    ]);
    const run = await runMailboxOnce(deps(), tenantId, 'manual');
    expect(run).toMatchObject({ status: 'succeeded', logged: 2 });
    for (const message of seeded) {
      expect((await entriesOf(message.internetMessageId!)).map((e) => e.opportunityId)).toEqual([null]);
    }
    const audit = await api.server.store.audit.list(tenantId, { limit: 100 });
    expect(
      audit.items
        .filter((entry) => entry.action === 'opportunity.mark-not-linked')
        .map((entry) => [entry.changes.internetMessageId, entry.changes.reason])
    ).toEqual(
      expect.arrayContaining([
        [seeded[0]!.internetMessageId, 'sender-may-not-link'],
        [seeded[1]!.internetMessageId, 'opportunity-closed']
      ])
    );
  });

  test('log-thread skips a message marked private and links one marked with an opportunity', async () => {
    const privateOne = graphMessage(address('ana'), [LENA], {
      internetMessageHeaders: [{ name: 'x-interaction-log', value: 'Private' }]
    });
    const marked = graphMessage(address('ana'), [LENA], {
      internetMessageHeaders: [{ name: OPPORTUNITY_HEADER, value: renewalId }]
    });
    const unknown = graphMessage(address('ana'), [LENA], {
      internetMessageHeaders: [{ name: OPPORTUNITY_HEADER, value: 'no-such-opportunity' }]
    });
    const result = await logThread(tokens.ana, [privateOne, marked, unknown]);
    expect(result.status).toBe(200);
    expect(result.body.skipped).toEqual([
      { internetMessageId: privateOne.internetMessageId, reason: 'marked-private', detail: expect.any(String) }
    ]);
    expect(
      result.body.logged.map((e: { internetMessageId: string; opportunityId: string | null }) => [
        e.internetMessageId,
        e.opportunityId
      ])
    ).toEqual([
      [marked.internetMessageId, renewalId],
      [unknown.internetMessageId, null]
    ]);
    expect(result.body.notLinked).toEqual([
      {
        internetMessageId: unknown.internetMessageId,
        opportunityId: 'no-such-opportunity',
        reason: 'opportunity-not-found',
        detail: expect.any(String)
      }
    ]);
    expect(await entriesOf(privateOne.internetMessageId!)).toEqual([]);
    // Ben is on a message marked with Ana's opportunity: logged, not linked.
    const bens = graphMessage(address('ben'), [LENA], {
      internetMessageHeaders: [{ name: OPPORTUNITY_HEADER, value: renewalId }]
    });
    const byBen = await logThread(tokens.ben, [bens]);
    expect(byBen.body.logged.map((e: { opportunityId: string | null }) => e.opportunityId)).toEqual([null]);
    expect(byBen.body.notLinked).toEqual([expect.objectContaining({ reason: 'sender-may-not-link' })]);
  });
});
