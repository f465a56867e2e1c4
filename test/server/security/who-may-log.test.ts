import { runMailboxOnce } from '../../../src/server/usecases/run-mailbox.js';
import { WHOLE_TENANT } from '../../../src/server/store/index.js';
import { startGraphMailbox, TEST_LIMITS, type GraphMailbox } from '../../../src/stand-ins/graph/stand-in.js';
import { northwindTeam, setHistoryVisibility, useTestApi } from '../../helpers/api.js';
import { graphMessage } from '../../helpers/messages.js';
import { standInProcessorDeps } from '../../helpers/stand-in-graph.js';
import { ENGINES } from '../../helpers/stores.js';

/*
 * Who may log what from the pane (issue 15, item 4): the caller must be on the message (sender, To, Cc or Bcc),
 * writes only into histories they can see, and the answer speaks only of those. The shared mailbox's copy of a
 * message is authoritative: its subject, preview and link replace what the pane sent.
 */

const SHARED = 'interaction-log@northwind.example';
const address = (who: string) => `${who}@northwind.example`;
const LENA = 'lena@fabrikam.example';

describe.each(ENGINES)('who may log what on %s', (engine) => {
  const tenantId = 'tenant-who-logs';
  const api = useTestApi(engine, { tenantId, people: northwindTeam, signIn: true });
  const { tokens } = api;

  const setVisibility = (visibility: 'organization' | 'own') => setHistoryVisibility(api, tokens.admin, visibility);
  const logThread = (as: string, messages: unknown[]) =>
    api.call('POST', '/api/v1/interactions/log-thread', { as, body: { messages } });
  const entriesOf = async (internetMessageId: string) =>
    (await api.server.store.interactions.list(tenantId, { scope: WHOLE_TENANT, limit: 100 })).items.filter(
      (entry) => entry.internetMessageId === internetMessageId
    );

  beforeAll(async () => {
    await api.call('POST', '/api/v1/contacts', { as: tokens.ana, body: { name: 'Lena', email: LENA } });
  });

  test('a message the caller is not on is skipped as not-a-participant and writes nothing', async () => {
    await setVisibility('own');
    const forged = graphMessage(LENA, [address('ben')], {
      subject: 'Forged',
      webLink: 'https://evil.example/phish'
    });
    const attempt = await logThread(tokens.ana, [forged]);
    expect(attempt.status).toBe(200);
    expect(attempt.body).toEqual({
      logged: [],
      skipped: [
        { internetMessageId: forged.internetMessageId, reason: 'not-a-participant', detail: expect.any(String) }
      ]
    });
    expect(await entriesOf(forged.internetMessageId!)).toEqual([]);
    // Ben logs the real message: his entry carries the real text, not the forger's.
    const real = { ...forged, subject: 'The real subject', webLink: 'https://outlook.office365.com/owa/?ItemID=real' };
    const own = await logThread(tokens.ben, [real]);
    expect(own.body.logged.map((e: { subject: string }) => e.subject)).toEqual(['The real subject']);
  });

  test('sender, To, Cc and Bcc each make the caller a participant; addresses compare case-insensitively', async () => {
    await setVisibility('organization');
    const cases = [
      graphMessage(address('ana'), [LENA]),
      graphMessage(LENA, ['ANA@Northwind.example']),
      graphMessage(LENA, [address('ben')], { cc: [address('ana')] }),
      graphMessage(LENA, [address('ben')], { bccRecipients: [{ emailAddress: { address: address('ana') } }] })
    ];
    const result = await logThread(tokens.ana, cases);
    expect(result.body.skipped).toEqual([]);
    expect(new Set(result.body.logged.map((e: { internetMessageId: string }) => e.internetMessageId))).toEqual(
      new Set(cases.map((message) => message.internetMessageId))
    );
  });

  test('with visibility "own" the pane writes only into the caller\'s history, and the answer names nothing else', async () => {
    await setVisibility('own');
    // Ana and Ben are both on it: Ana's call writes Ana's entry only.
    const both = graphMessage(LENA, [address('ana'), address('ben')]);
    const first = await logThread(tokens.ana, [both]);
    expect(first.body.logged.map((e: { salesperson: { email: string } }) => e.salesperson.email)).toEqual([
      address('ana')
    ]);
    expect((await entriesOf(both.internetMessageId!)).map((e) => e.salesperson.email)).toEqual([address('ana')]);

    // Ben logged a message; Ana, only in Bcc, cannot tell from the answer that Ben has it.
    const bensOnly = graphMessage(LENA, [address('ben')]);
    expect((await logThread(tokens.ben, [bensOnly])).body.logged).toHaveLength(1);
    const probe = { ...bensOnly, bccRecipients: [{ emailAddress: { address: address('ana') } }] };
    const unseen = graphMessage(LENA, [address('ben')], {
      bccRecipients: [{ emailAddress: { address: address('ana') } }]
    });
    const answers = await Promise.all([logThread(tokens.ana, [probe]), logThread(tokens.ana, [unseen])]);
    for (const [index, answer] of answers.entries()) {
      expect(answer.body.logged).toEqual([]);
      expect(answer.body.skipped).toEqual([
        {
          internetMessageId: [probe, unseen][index]!.internetMessageId,
          reason: 'outside-visible-history',
          detail: expect.any(String)
        }
      ]);
    }
    expect(await entriesOf(unseen.internetMessageId!)).toEqual([]);
    await setVisibility('organization');
  });

  describe('the shared mailbox copy is authoritative', () => {
    let standIn: GraphMailbox;
    beforeAll(async () => {
      standIn = await startGraphMailbox({ mailboxes: [SHARED], limits: TEST_LIMITS });
      await api.server.store.mailbox.saveSettings(tenantId, { enabled: true, mailboxAddress: SHARED }, null);
    });
    afterAll(async () => standIn.close());
    const deps = () => standInProcessorDeps(api.server.store, standIn, { holder: 'test' });

    test("the processor replaces a pane entry's subject, preview and link with the archived copy's", async () => {
      // Ana is on the message, but sends her own words and link for it.
      const fromPane = graphMessage(LENA, [address('ana')], {
        subject: 'Invented subject',
        bodyPreview: 'Invented preview',
        webLink: 'https://evil.example/forged'
      });
      expect((await logThread(tokens.ana, [fromPane])).body.logged).toHaveLength(1);
      standIn.seed(SHARED, [
        {
          from: LENA,
          to: [address('ana')],
          subject: 'Archived subject',
          bodyPreview: 'Archived preview',
          internetMessageId: fromPane.internetMessageId!
        }
      ]);
      const run = await runMailboxOnce(deps(), tenantId, 'manual');
      expect(run).toMatchObject({ status: 'succeeded', logged: 0 });
      const [archived] = standIn.folderContents(SHARED, 'Archive').filter((m) => m.subject === 'Archived subject');
      const entries = await entriesOf(fromPane.internetMessageId!);
      expect(entries.map((e) => [e.subject, e.preview, e.webLink, e.source])).toEqual([
        ['Archived subject', 'Archived preview', archived?.graph.webLink, 'addin']
      ]);
      expect(archived?.graph.webLink).toMatch(/^https:/);
    });

    test('a message the shared mailbox logged first keeps its text when logged from the pane later', async () => {
      const [seeded] = standIn.seed(SHARED, [
        { from: LENA, to: [address('ben')], subject: 'Mailbox first', bodyPreview: 'Real preview' }
      ]);
      expect((await runMailboxOnce(deps(), tenantId, 'manual')).logged).toBe(1);
      // Ana adds herself to the pane's copy, with other words and link: her new entry takes the mailbox's.
      const late = graphMessage(LENA, [address('ana'), address('ben')], {
        internetMessageId: seeded!.internetMessageId,
        subject: 'Rewritten',
        bodyPreview: 'Rewritten preview',
        webLink: 'https://evil.example/late'
      });
      const logged = await logThread(tokens.ana, [late]);
      expect(logged.body.logged.map((e: { subject: string; webLink: string }) => [e.subject, e.webLink])).toEqual([
        ['Mailbox first', expect.stringMatching(/^https:\/\/(?!evil)/)]
      ]);
      const entries = await entriesOf(seeded!.internetMessageId!);
      expect(entries.map((e) => [e.salesperson.email, e.subject, e.preview]).sort()).toEqual([
        [address('ana'), 'Mailbox first', 'Real preview'],
        [address('ben'), 'Mailbox first', 'Real preview']
      ]);
    });

    test("logging a hidden message's id does not hand out its archived text", async () => {
      await setVisibility('own');
      const [hidden] = standIn.seed(SHARED, [
        { from: LENA, to: [address('ben')], subject: 'Ben only', bodyPreview: 'Confidential terms' }
      ]);
      expect((await runMailboxOnce(deps(), tenantId, 'manual')).logged).toBe(1);
      const probe = graphMessage(LENA, [address('ana')], {
        internetMessageId: hidden!.internetMessageId,
        subject: 'Guess',
        bodyPreview: 'Guess',
        webLink: null
      });
      const answer = await logThread(tokens.ana, [probe]);
      expect(answer.body.logged.map((e: { subject: string; preview: string }) => [e.subject, e.preview])).toEqual([
        ['Guess', 'Guess']
      ]);
      const history = await api.call('GET', '/api/v1/interactions?limit=100', { as: tokens.ana });
      expect(JSON.stringify(history.body)).not.toContain('Confidential');
      await setVisibility('organization');
    });
  });
});
