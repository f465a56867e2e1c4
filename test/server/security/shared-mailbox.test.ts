import { WHOLE_TENANT } from '../../../src/server/store/index.js';
import { northwindTeam, setHistoryVisibility, useTestApi } from '../../helpers/api.js';
import { graphMessage } from '../../helpers/messages.js';
import { ENGINES } from '../../helpers/stores.js';

/*
 * Log this thread from a shared or delegated mailbox (issue 21): log-thread's sharedMailbox names the mailbox's
 * owner, who then counts as a participant, if the owner is an address of the caller's organization (not a contact's,
 * not another tenant's) and, for a salesperson's own mailbox, one whose history the caller sees. A nobody's
 * mailbox (sales@) is worked by the caller: its entries are the caller's, audited with the mailbox's address.
 */

const SALES = 'sales@northwind.example';
const LENA = 'lena@fabrikam.example';
const address = (who: string) => `${who}@northwind.example`;

interface Entry {
  internetMessageId: string;
  direction: string;
  salesperson: { email: string };
}

describe.each(ENGINES)('logging from a shared mailbox on %s', (engine) => {
  const tenantId = 'tenant-shared-mailbox';
  const api = useTestApi(engine, { tenantId, people: northwindTeam, signIn: true });
  const { tokens } = api;

  const logThread = (as: string, messages: unknown[], sharedMailbox?: string) =>
    api.call('POST', '/api/v1/interactions/log-thread', {
      as,
      body: { messages, ...(sharedMailbox === undefined ? {} : { sharedMailbox }) }
    });
  const entriesOf = async (internetMessageId: string) =>
    (await api.server.store.interactions.list(tenantId, { scope: WHOLE_TENANT, limit: 100 })).items.filter(
      (entry) => entry.internetMessageId === internetMessageId
    );
  const expectRefused = (answer: { status: number; body: { errors?: Array<{ pointer: string }> } }) => {
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.pointer)).toEqual(['#/sharedMailbox']);
  };

  beforeAll(async () => {
    await api.call('POST', '/api/v1/contacts', { as: tokens.ana, body: { name: 'Lena', email: LENA } });
  });

  test("a message to sales@ logs as the caller's, both ways, and the audit names the mailbox", async () => {
    const inbound = graphMessage(LENA, [SALES]);
    const outbound = graphMessage(SALES, [LENA]);
    // Without the field Ana is on neither message.
    const alone = await logThread(tokens.ana, [inbound]);
    expect(alone.body.skipped.map((s: { reason: string }) => s.reason)).toEqual(['not-a-participant']);

    const answer = await logThread(tokens.ana, [inbound, outbound], 'Sales@Northwind.example');
    expect(answer.status).toBe(200);
    expect(answer.body.skipped).toEqual([]);
    const logged = answer.body.logged as Entry[];
    expect(logged.map((e) => [e.internetMessageId, e.direction, e.salesperson.email])).toEqual([
      [inbound.internetMessageId, 'inbound', address('ana')],
      [outbound.internetMessageId, 'outbound', address('ana')]
    ]);
    const audit = await api.server.store.audit.list(tenantId, { limit: 100 });
    const audited = audit.items.filter(
      (item) => item.action === 'interaction.logged' && item.changes.internetMessageId === inbound.internetMessageId
    );
    expect(audited.map((item) => [item.changes.sharedMailbox, item.actor?.name])).toEqual([[SALES, 'Ana']]);
  });

  test('a message neither the caller nor the shared mailbox is on stays not-a-participant', async () => {
    const elsewhere = graphMessage(LENA, [address('ben')]);
    const answer = await logThread(tokens.ana, [elsewhere], SALES);
    expect(answer.body.skipped).toEqual([
      { internetMessageId: elsewhere.internetMessageId, reason: 'not-a-participant', detail: expect.any(String) }
    ]);
    expect(await entriesOf(elsewhere.internetMessageId!)).toEqual([]);
  });

  test('an address outside the organization, or no address at all, is refused whole and writes nothing', async () => {
    const message = graphMessage(LENA, [SALES]);
    for (const outside of [LENA, 'info@fabrikam.example', 'not an address']) {
      expectRefused(await logThread(tokens.ana, [message], outside));
    }
    expect(await entriesOf(message.internetMessageId!)).toEqual([]);
  });

  test("another tenant's mailbox is refused, whichever way round", async () => {
    const otherTenant = 'tenant-shared-mailbox-contoso';
    const carl = await api.token({ email: 'carl@contoso.example', name: 'Carl', tenantId: otherTenant });
    expect((await api.call('GET', '/api/v1/me', { as: carl })).status).toBe(200);
    await api.call('POST', '/api/v1/contacts', { as: carl, body: { name: 'Lena', email: LENA } });

    const toContoso = graphMessage(LENA, ['sales@contoso.example']);
    expectRefused(await logThread(tokens.ana, [toContoso], 'sales@contoso.example'));
    const toNorthwind = graphMessage(LENA, [SALES]);
    expectRefused(await logThread(carl, [toNorthwind], SALES));
    expect(await entriesOf(toNorthwind.internetMessageId!)).toEqual([]);
  });

  test("a colleague's own mailbox only when the caller sees their history; entries stay the owner's", async () => {
    const toBen = graphMessage(LENA, [address('ben')]);
    await setHistoryVisibility(api, tokens.admin, 'own');
    expectRefused(await logThread(tokens.ana, [toBen], address('ben')));
    await setHistoryVisibility(api, tokens.admin, 'organization');
    const answer = await logThread(tokens.ana, [toBen], address('ben'));
    expect((answer.body.logged as Entry[]).map((e) => e.salesperson.email)).toEqual([address('ben')]);
  });

  test("the caller's own address is no shared mailbox: the call logs as without it", async () => {
    const mine = graphMessage(LENA, [address('ana')]);
    const answer = await logThread(tokens.ana, [mine], address('ana'));
    expect((answer.body.logged as Entry[]).map((e) => e.salesperson.email)).toEqual([address('ana')]);
    const audit = await api.server.store.audit.list(tenantId, { limit: 100 });
    const audited = audit.items.find((item) => item.changes.internetMessageId === mine.internetMessageId);
    expect(audited?.changes.sharedMailbox).toBeUndefined();
  });
});
