import { logThread } from '../../src/server/usecases/log-messages.js';
import { WHOLE_TENANT } from '../../src/server/store/index.js';
import { InvalidCursor, StoreNotFound } from '../../src/server/store/errors.js';
import { encodeCursor } from '../../src/server/store/cursor.js';
import type { Store } from '../../src/server/store/index.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import type { Interaction } from '../../src/shared/schemas/interaction.js';
import type { GraphMessage } from '../../src/shared/schemas/message.js';
import { allPages, newTenantId, ref, rejectionOf, useStore } from '../helpers/contract.js';
import { graphMessage } from '../helpers/messages.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * The interaction log half of the store contract: the matching rules end to end through logThread,
 * then listing, paging, status and tenant scoping. The same tests run against SQLite and PostgreSQL.
 */

interface Cast {
  tenant: string;
  ana: PersonRef; // salesperson, alternate ana.alves@northwind.example
  ben: PersonRef; // salesperson
  carl: PersonRef; // contact, alternate carl@home.example
  dora: PersonRef; // contact
}

async function castIn(store: Store, tenant = newTenantId()): Promise<Cast> {
  const d = store.directory;
  const ana = await d.createSalesperson(tenant, {
    name: 'Ana Alves',
    email: 'ana@northwind.example',
    alternateEmails: ['ana.alves@northwind.example']
  });
  const ben = await d.createSalesperson(tenant, { name: 'Ben Berg', email: 'Ben@Northwind.example' });
  const carl = await d.createContact(
    tenant,
    { name: 'Carl Contoso', email: 'carl@contoso.example', alternateEmails: ['carl@home.example'], company: 'Contoso' },
    null
  );
  const dora = await d.createContact(tenant, { name: 'Dora Fabrikam', email: 'dora@fabrikam.example' }, null);
  return { tenant, ana: ref(ana), ben: ref(ben), carl: ref(carl), dora: ref(dora) };
}

const at = (iso: string) => ({ sentDateTime: iso, receivedDateTime: iso });
/** (message, contact, salesperson) of each entry, sorted, to compare sets of entries. */
const pairsOf = (entries: Interaction[]) =>
  entries.map((e) => `${e.internetMessageId}|${e.contact.id}|${e.salesperson.id}`).sort();
const pair = (message: GraphMessage, contact: PersonRef, salesperson: PersonRef) =>
  `${message.internetMessageId}|${contact.id}|${salesperson.id}`;

describe.each(ENGINES)('store contract on %s: logging and the interaction log', (engine) => {
  const store = useStore(engine);
  const log = (tenant: string, messages: GraphMessage[], loggedBy: PersonRef | null = null, now?: number) =>
    logThread(store(), tenant, messages, {
      source: loggedBy ? 'addin' : 'mailbox',
      loggedBy,
      ...(now ? { now } : {})
    });
  const everything = async (tenant: string) =>
    (await allPages((cursor) => store().interactions.list(tenant, { scope: WHOLE_TENANT, limit: 100, cursor }))).items;

  describe('matching rules through logThread', () => {
    test('outbound: a salesperson sender gives one entry per To/Cc contact', async () => {
      const c = await castIn(store());
      const message = graphMessage('ana@northwind.example', ['carl@contoso.example', 'stranger@elsewhere.example'], {
        cc: ['dora@fabrikam.example', 'ben@northwind.example']
      });
      const result = await log(c.tenant, [message], c.ana);
      expect(result.skipped).toEqual([]);
      expect(pairsOf(result.logged)).toEqual([pair(message, c.carl, c.ana), pair(message, c.dora, c.ana)].sort());
      expect(result.logged.every((e) => e.direction === 'outbound')).toBe(true);
      expect(pairsOf(await everything(c.tenant))).toEqual(pairsOf(result.logged));
    });

    test('inbound: a contact sender gives one entry per To/Cc salesperson', async () => {
      const c = await castIn(store());
      const message = graphMessage('carl@contoso.example', ['ana@northwind.example', 'dora@fabrikam.example'], {
        cc: ['ben@northwind.example', 'stranger@elsewhere.example']
      });
      const result = await log(c.tenant, [message], c.ben);
      expect(result.skipped).toEqual([]);
      expect(pairsOf(result.logged)).toEqual([pair(message, c.carl, c.ana), pair(message, c.carl, c.ben)].sort());
      expect(result.logged.every((e) => e.direction === 'inbound')).toBe(true);
    });

    test('alternate addresses match, and entries show the primary address', async () => {
      const c = await castIn(store());
      const outbound = graphMessage('ana.alves@northwind.example', ['carl@home.example']);
      const inbound = graphMessage('carl@home.example', ['ana.alves@northwind.example']);
      const result = await log(c.tenant, [outbound, inbound], c.ana);
      expect(result.skipped).toEqual([]);
      expect(pairsOf(result.logged)).toEqual([pair(outbound, c.carl, c.ana), pair(inbound, c.carl, c.ana)].sort());
      for (const entry of result.logged) {
        expect(entry.contact).toEqual(c.carl);
        expect(entry.salesperson).toEqual(c.ana);
      }
    });

    test('case and whitespace in addresses are ignored, and so are display names', async () => {
      const c = await castIn(store());
      const message = graphMessage('x@x.example', [], {
        from: { emailAddress: { name: 'Totally Not Ana', address: '  ANA@Northwind.Example ' } },
        sender: { emailAddress: { name: 'Totally Not Ana', address: '  ANA@Northwind.Example ' } },
        toRecipients: [{ emailAddress: { name: 'Dora Fabrikam', address: ' Carl@CONTOSO.example' } }],
        ccRecipients: [{ emailAddress: { name: 'carl@contoso.example', address: 'someone@elsewhere.example' } }]
      });
      const result = await log(c.tenant, [message], c.ana);
      expect(result.skipped).toEqual([]);
      expect(result.logged).toHaveLength(1);
      expect(result.logged[0]).toMatchObject({ contact: c.carl, salesperson: c.ana, direction: 'outbound' });
    });

    test('the sender is `from`, else `sender`', async () => {
      const c = await castIn(store());
      const onlySender = graphMessage('carl@contoso.example', ['ana@northwind.example'], { from: null });
      const fromWins = graphMessage('carl@contoso.example', ['ana@northwind.example', 'dora@fabrikam.example'], {
        from: { emailAddress: { address: 'ben@northwind.example' } }
      });
      const result = await log(c.tenant, [onlySender, fromWins], c.ana);
      expect(result.skipped).toEqual([]);
      expect(pairsOf(result.logged)).toEqual([pair(onlySender, c.carl, c.ana), pair(fromWins, c.dora, c.ben)].sort());
    });

    test('one entry per (message, contact, salesperson), however often the address appears', async () => {
      const c = await castIn(store());
      const message = graphMessage(
        'ana@northwind.example',
        ['carl@contoso.example', 'CARL@contoso.example', 'carl@home.example'],
        {
          cc: ['carl@contoso.example', 'carl@home.example']
        }
      );
      const result = await log(c.tenant, [message], c.ana);
      expect(pairsOf(result.logged)).toEqual([pair(message, c.carl, c.ana)]);
      expect(await everything(c.tenant)).toHaveLength(1);
    });

    test('a repeat logs nothing and reports already-logged', async () => {
      const c = await castIn(store());
      const thread = [
        graphMessage('ana@northwind.example', ['carl@contoso.example', 'dora@fabrikam.example']),
        graphMessage('carl@contoso.example', ['ana@northwind.example'])
      ];
      const first = await log(c.tenant, thread, c.ana);
      expect(first.logged).toHaveLength(3);
      const again = await log(c.tenant, thread, c.ben);
      expect(again.logged).toEqual([]);
      expect(again.skipped).toEqual(
        thread.map((m) => ({
          internetMessageId: m.internetMessageId,
          reason: 'already-logged',
          detail: expect.any(String)
        }))
      );
      const stored = await everything(c.tenant);
      expect(pairsOf(stored)).toEqual(pairsOf(first.logged));
      // The first logger stays the logger.
      expect(stored.every((e) => e.loggedBy?.id === c.ana.id)).toBe(true);
    });

    test('a later call logs only the pairs that are new, e.g. after a contact was added', async () => {
      const c = await castIn(store());
      const message = graphMessage('ana@northwind.example', ['carl@contoso.example', 'erik@newco.example']);
      const first = await log(c.tenant, [message], c.ana, Date.UTC(2026, 9, 2));
      expect(pairsOf(first.logged)).toEqual([pair(message, c.carl, c.ana)]);

      const erik = ref(
        await store().directory.createContact(c.tenant, { name: 'Erik', email: 'erik@newco.example' }, null)
      );
      const second = await log(c.tenant, [message], c.ben, Date.UTC(2026, 9, 3));
      expect(pairsOf(second.logged)).toEqual([pair(message, erik, c.ana)]);
      expect(second.skipped).toEqual([]);
      expect(pairsOf(await everything(c.tenant))).toEqual(
        [pair(message, c.carl, c.ana), pair(message, erik, c.ana)].sort()
      );

      const [status] = await store().interactions.status(c.tenant, [message.internetMessageId ?? ''], WHOLE_TENANT);
      expect(status).toEqual({
        internetMessageId: message.internetMessageId,
        logged: true,
        loggedBy: c.ana,
        loggedAt: new Date(Date.UTC(2026, 9, 2)).toISOString()
      });
    });

    test('10 concurrent identical calls create exactly one set of entries', async () => {
      const c = await castIn(store());
      const thread = [
        graphMessage('ana@northwind.example', ['carl@contoso.example', 'dora@fabrikam.example']),
        graphMessage('carl@contoso.example', ['ana@northwind.example'], { cc: ['ben@northwind.example'] }),
        graphMessage('ben@northwind.example', ['dora@fabrikam.example'], { cc: ['carl@home.example'] })
      ];
      const expected = [
        pair(thread[0]!, c.carl, c.ana),
        pair(thread[0]!, c.dora, c.ana),
        pair(thread[1]!, c.carl, c.ana),
        pair(thread[1]!, c.carl, c.ben),
        pair(thread[2]!, c.dora, c.ben),
        pair(thread[2]!, c.carl, c.ben)
      ].sort();
      const results = await Promise.all(Array.from({ length: 10 }, () => log(c.tenant, thread, c.ana)));
      const allLogged = results.flatMap((r) => r.logged);
      expect(allLogged).toHaveLength(expected.length);
      expect(pairsOf(allLogged)).toEqual(expected);
      const stored = await everything(c.tenant);
      expect(pairsOf(stored)).toEqual(expected);
      expect(new Set(stored.map((e) => e.id)).size).toBe(expected.length);
      // Every call accounts for every message: logged by it, or already logged.
      for (const result of results) {
        const loggedHere = new Set(result.logged.map((e) => e.internetMessageId));
        const skippedHere = result.skipped.map((s) => {
          expect(s.reason).toBe('already-logged');
          return s.internetMessageId;
        });
        expect([...loggedHere, ...skippedHere].sort()).toEqual(thread.map((m) => m.internetMessageId).sort());
      }
    });

    test('skips, each with its reason', async () => {
      const c = await castIn(store());
      await store()
        .directory.createSalesperson(c.tenant, { name: 'Retired', email: 'retired@northwind.example' })
        .then((s) => store().directory.updateSalesperson(c.tenant, s.id, { active: false }));
      const noId = graphMessage('ana@northwind.example', ['carl@contoso.example'], { internetMessageId: null });
      const blankId = graphMessage('ana@northwind.example', ['carl@contoso.example'], { internetMessageId: '   ' });
      const draft = graphMessage('ana@northwind.example', ['carl@contoso.example'], { isDraft: true });
      const noSender = graphMessage('ana@northwind.example', ['carl@contoso.example'], { from: null, sender: null });
      const x500Sender = graphMessage('ana@northwind.example', ['carl@contoso.example'], {
        from: {
          emailAddress: {
            name: 'Ana',
            address: '/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=ANA'
          }
        },
        sender: null
      });
      const unknownSender = graphMessage('stranger@elsewhere.example', ['ana@northwind.example']);
      const inactiveSender = graphMessage('retired@northwind.example', ['carl@contoso.example']);
      const outboundNoContact = graphMessage('ana@northwind.example', [
        'ben@northwind.example',
        'stranger@elsewhere.example'
      ]);
      const inboundNoSalesperson = graphMessage('carl@contoso.example', [
        'dora@fabrikam.example',
        'retired@northwind.example'
      ]);
      const noDate = graphMessage('ana@northwind.example', ['carl@contoso.example'], {
        sentDateTime: null,
        receivedDateTime: null
      });

      const result = await log(c.tenant, [
        noId,
        blankId,
        draft,
        noSender,
        x500Sender,
        unknownSender,
        inactiveSender,
        outboundNoContact,
        inboundNoSalesperson,
        noDate
      ]);
      expect(result.logged).toEqual([]);
      expect(result.skipped.map((s) => [s.internetMessageId, s.reason])).toEqual([
        [null, 'no-internet-message-id'],
        [null, 'no-internet-message-id'],
        [draft.internetMessageId, 'draft'],
        [noSender.internetMessageId, 'no-sender'],
        [x500Sender.internetMessageId, 'no-sender'],
        [unknownSender.internetMessageId, 'sender-not-matched'],
        [inactiveSender.internetMessageId, 'sender-not-matched'],
        [outboundNoContact.internetMessageId, 'no-matching-recipient'],
        [inboundNoSalesperson.internetMessageId, 'no-matching-recipient'],
        [noDate.internetMessageId, 'no-date']
      ]);
      expect(result.skipped.every((s) => s.detail.length > 0)).toBe(true);
      expect(await everything(c.tenant)).toEqual([]);
    });

    test('a message twice in one request is logged once and reported as duplicate-in-request', async () => {
      const c = await castIn(store());
      const message = graphMessage('ana@northwind.example', ['carl@contoso.example']);
      const copy = { ...message, internetMessageId: `  ${message.internetMessageId}  ` };
      const result = await log(c.tenant, [message, copy], c.ana);
      expect(pairsOf(result.logged)).toEqual([pair(message, c.carl, c.ana)]);
      expect(result.skipped).toEqual([
        { internetMessageId: message.internetMessageId, reason: 'duplicate-in-request', detail: expect.any(String) }
      ]);
      expect(await everything(c.tenant)).toHaveLength(1);
    });

    test('a batch mixing good and bad messages logs the good and skips the bad', async () => {
      const c = await castIn(store());
      const good1 = graphMessage('ana@northwind.example', ['carl@contoso.example']);
      const bad1 = graphMessage('stranger@elsewhere.example', ['ana@northwind.example']);
      const good2 = graphMessage('dora@fabrikam.example', ['ben@northwind.example']);
      const bad2 = graphMessage('ana@northwind.example', ['carl@contoso.example'], { isDraft: true });
      const result = await log(c.tenant, [good1, bad1, good2, bad2], c.ana);
      expect(pairsOf(result.logged)).toEqual([pair(good1, c.carl, c.ana), pair(good2, c.dora, c.ben)].sort());
      expect(result.skipped.map((s) => [s.internetMessageId, s.reason])).toEqual([
        [bad1.internetMessageId, 'sender-not-matched'],
        [bad2.internetMessageId, 'draft']
      ]);
      expect(pairsOf(await everything(c.tenant))).toEqual(pairsOf(result.logged));
      const statuses = await store().interactions.status(
        c.tenant,
        [good1, bad1, good2, bad2].map((m) => m.internetMessageId ?? ''),
        WHOLE_TENANT
      );
      expect(statuses.map((s) => s.logged)).toEqual([true, false, true, false]);
    });

    test('a batch within the API limits resolves however many distinct addresses it names', async () => {
      // The API accepts 500 messages of up to 1000 To and 1000 Cc recipients each. Here: 500 messages to
      // 140 list members each, 70,000 distinct addresses, more than either engine binds in one statement.
      const c = await castIn(store());
      const messages = Array.from({ length: 500 }, (_, m) =>
        graphMessage('ana@northwind.example', [
          'carl@contoso.example',
          ...Array.from({ length: 139 }, (_, r) => `member-${m}-${r}@list.example`)
        ])
      );
      const result = await log(c.tenant, messages, null);
      expect(result.skipped).toEqual([]);
      expect(result.logged).toHaveLength(500);
      expect(result.logged.every((e) => e.contact.id === c.carl.id && e.salesperson.id === c.ana.id)).toBe(true);
    });

    test("logged entries carry the message's fields, and read back exactly as returned", async () => {
      const c = await castIn(store());
      const now = Date.UTC(2026, 9, 20, 12, 0, 0);
      const outbound = graphMessage('ana@northwind.example', ['carl@contoso.example'], {
        internetMessageId: '  <out-1@northwind.example>  ',
        conversationId: 'AAQkConv-out',
        subject: 'Quote for Q4',
        bodyPreview: '  Hello Carl,\r\n\r\n  here is   the\tquote.  ',
        webLink: 'https://outlook.office365.com/owa/?ItemID=out-1',
        sentDateTime: '2026-10-05T08:00:00Z',
        receivedDateTime: '2026-10-05T08:00:07Z'
      });
      const inbound = graphMessage('carl@contoso.example', ['ana@northwind.example'], {
        internetMessageId: '<in-1@contoso.example>',
        conversationId: null,
        subject: null,
        bodyPreview: null,
        webLink: null,
        sentDateTime: '2026-10-05T09:00:00Z',
        receivedDateTime: '2026-10-05T09:00:05Z'
      });
      const byAna = await log(c.tenant, [outbound], c.ana, now);
      expect(byAna.logged).toEqual([
        {
          id: expect.any(String),
          kind: 'email',
          occurredAt: '2026-10-05T08:00:00.000Z', // outbound: when it was sent
          direction: 'outbound',
          subject: 'Quote for Q4',
          preview: 'Hello Carl, here is the quote.',
          contact: c.carl,
          salesperson: c.ana,
          source: 'addin',
          internetMessageId: '<out-1@northwind.example>',
          conversationId: 'AAQkConv-out',
          webLink: 'https://outlook.office365.com/owa/?ItemID=out-1',
          loggedBy: c.ana,
          loggedAt: new Date(now).toISOString(),
          opportunityId: null
        }
      ]);
      const byMailbox = await log(c.tenant, [inbound], null, now);
      expect(byMailbox.logged).toEqual([
        {
          id: expect.any(String),
          kind: 'email',
          occurredAt: '2026-10-05T09:00:05.000Z', // inbound: when it was received
          direction: 'inbound',
          subject: '',
          preview: '',
          contact: c.carl,
          salesperson: c.ana,
          source: 'mailbox',
          internetMessageId: '<in-1@contoso.example>',
          conversationId: null,
          webLink: null,
          loggedBy: null,
          loggedAt: new Date(now).toISOString(),
          opportunityId: null
        }
      ]);
      for (const entry of [...byAna.logged, ...byMailbox.logged]) {
        expect(await store().interactions.get(c.tenant, entry.id, WHOLE_TENANT)).toEqual(entry);
      }
      // Only one of the two times present: that one is used.
      const onlyReceived = graphMessage('ana@northwind.example', ['dora@fabrikam.example'], {
        sentDateTime: null,
        receivedDateTime: '2026-10-06T10:00:00Z'
      });
      const [entry] = (await log(c.tenant, [onlyReceived], c.ana)).logged;
      expect(entry?.occurredAt).toBe('2026-10-06T10:00:00.000Z');
    });
  });

  describe('listing', () => {
    /** Five messages at known times: m1 oldest ... m5 newest (m5 has two entries). */
    async function history(store: Store) {
      const c = await castIn(store);
      const m1 = graphMessage('ana@northwind.example', ['carl@contoso.example'], {
        subject: 'm1',
        ...at('2026-03-01T10:00:00Z')
      });
      const m2 = graphMessage('carl@home.example', ['ben@northwind.example'], {
        subject: 'm2',
        ...at('2026-03-02T10:00:00Z')
      });
      const m3 = graphMessage('ben@northwind.example', ['dora@fabrikam.example'], {
        subject: 'm3',
        ...at('2026-03-03T10:00:00Z')
      });
      const m4 = graphMessage('dora@fabrikam.example', ['ana@northwind.example'], {
        subject: 'm4',
        ...at('2026-03-04T10:00:00Z')
      });
      const m5 = graphMessage('ana@northwind.example', ['carl@contoso.example', 'dora@fabrikam.example'], {
        subject: 'm5',
        ...at('2026-03-05T10:00:00Z')
      });
      const result = await logThread(store, c.tenant, [m3, m1, m5, m2, m4], { source: 'addin', loggedBy: c.ana });
      expect(result.logged).toHaveLength(6);
      return c;
    }
    const subjects = (items: Interaction[]) => items.map((i) => `${i.subject}:${i.contact.name.split(' ')[0]}`);

    test('newest first, and each filter narrows to the right entries', async () => {
      const c = await history(store());
      const list = async (filter: Omit<Parameters<Store['interactions']['list']>[1], 'limit' | 'scope'>) =>
        subjects((await store().interactions.list(c.tenant, { scope: WHOLE_TENANT, limit: 100, ...filter })).items);

      const all = (await store().interactions.list(c.tenant, { scope: WHOLE_TENANT, limit: 100 })).items;
      expect(all.map((i) => i.subject)).toEqual(['m5', 'm5', 'm4', 'm3', 'm2', 'm1']);
      expect(all.map((i) => i.occurredAt)).toEqual([...all.map((i) => i.occurredAt)].sort().reverse());

      expect(await list({ correspondent: 'carl@contoso.example' })).toEqual(['m5:Carl', 'm2:Carl', 'm1:Carl']);
      expect(await list({ correspondent: 'carl@home.example' })).toEqual(['m5:Carl', 'm2:Carl', 'm1:Carl']);
      expect(await list({ correspondent: 'dora@fabrikam.example' })).toEqual(['m5:Dora', 'm4:Dora', 'm3:Dora']);
      expect(await list({ correspondent: 'ana@northwind.example' })).toEqual([]); // a salesperson is no correspondent
      expect(await list({ correspondent: 'stranger@elsewhere.example' })).toEqual([]);
      expect(await list({ contactId: c.carl.id })).toEqual(['m5:Carl', 'm2:Carl', 'm1:Carl']);
      expect(await list({ salespersonId: c.ben.id })).toEqual(['m3:Dora', 'm2:Carl']);
      expect(await list({ salespersonId: c.ana.id, contactId: c.dora.id })).toEqual(['m5:Dora', 'm4:Dora']);
      expect(await list({ direction: 'inbound' })).toEqual(['m4:Dora', 'm2:Carl']);
      expect(await list({ direction: 'outbound', correspondent: 'carl@home.example' })).toEqual(['m5:Carl', 'm1:Carl']);

      // from is inclusive, to exclusive.
      const day = (d: number) => Date.parse(`2026-03-0${d}T10:00:00Z`);
      expect(await list({ from: day(2), to: day(4) })).toEqual(['m3:Dora', 'm2:Carl']);
      expect(await list({ from: day(2) + 1, to: day(4) + 1 })).toEqual(['m4:Dora', 'm3:Dora']);
      expect((await list({ from: day(5) })).sort()).toEqual(['m5:Carl', 'm5:Dora']);
      expect(await list({ to: day(1) })).toEqual([]);
      expect(await list({ to: day(1) + 1 })).toEqual(['m1:Carl']);
    });

    test('keyset pagination walks each entry exactly once, also across ties on occurredAt', async () => {
      const c = await castIn(store());
      const tie = '2026-04-01T12:00:00Z';
      const messages = [
        ...Array.from({ length: 7 }, (_, i) =>
          graphMessage('ana@northwind.example', ['carl@contoso.example'], { subject: `tie-${i}`, ...at(tie) })
        ),
        graphMessage('ana@northwind.example', ['carl@contoso.example', 'dora@fabrikam.example'], {
          subject: 'tie-two',
          ...at(tie)
        }),
        graphMessage('ana@northwind.example', ['carl@contoso.example'], {
          subject: 'newer',
          ...at('2026-04-02T12:00:00Z')
        }),
        graphMessage('ana@northwind.example', ['carl@contoso.example'], {
          subject: 'older',
          ...at('2026-03-31T12:00:00Z')
        })
      ];
      const result = await log(c.tenant, messages, c.ana);
      expect(result.logged).toHaveLength(11);

      for (const limit of [1, 2, 3, 4, 11]) {
        const { items, pages } = await allPages((cursor) =>
          store().interactions.list(c.tenant, { scope: WHOLE_TENANT, limit, cursor })
        );
        expect(items.map((i) => i.id).sort()).toEqual(result.logged.map((i) => i.id).sort());
        expect(pages.every((p) => p.length > 0 && p.length <= limit)).toBe(true);
        expect(pages).toHaveLength(Math.ceil(11 / limit));
        expect(items[0]?.subject).toBe('newer');
        expect(items[10]?.subject).toBe('older');
      }

      // Paging with a filter keeps the filter.
      const carlOnly = await allPages((cursor) =>
        store().interactions.list(c.tenant, { scope: WHOLE_TENANT, limit: 3, cursor, contactId: c.carl.id })
      );
      expect(carlOnly.items).toHaveLength(10);
      expect(carlOnly.items.every((i) => i.contact.id === c.carl.id)).toBe(true);
      expect(new Set(carlOnly.items.map((i) => i.id)).size).toBe(10);
    });

    test('an invalid cursor is an InvalidCursor', async () => {
      const c = await castIn(store());
      for (const cursor of [
        '%%%',
        encodeCursor({ key: 'carl', id: 'x' }),
        Buffer.from('{"a":1}').toString('base64url')
      ]) {
        const error = await rejectionOf(store().interactions.list(c.tenant, { scope: WHOLE_TENANT, limit: 3, cursor }));
        expect(error).toBeInstanceOf(InvalidCursor);
      }
    });

    test("a tenant never sees another tenant's entries", async () => {
      const a = await castIn(store());
      const b = await castIn(store()); // the same people and addresses, in another tenant
      const message = graphMessage('ana@northwind.example', ['carl@contoso.example']);
      const [entry] = (await log(a.tenant, [message], a.ana)).logged;
      if (!entry) throw new Error('nothing logged');

      expect((await store().interactions.list(b.tenant, { scope: WHOLE_TENANT, limit: 100 })).items).toEqual([]);
      expect(
        (
          await store().interactions.list(b.tenant, {
            scope: WHOLE_TENANT,
            limit: 100,
            correspondent: 'carl@contoso.example'
          })
        ).items
      ).toEqual([]);
      expect(
        (await store().interactions.list(b.tenant, { scope: WHOLE_TENANT, limit: 100, contactId: a.carl.id })).items
      ).toEqual([]);
      expect(await rejectionOf(store().interactions.get(b.tenant, entry.id, WHOLE_TENANT))).toBeInstanceOf(
        StoreNotFound
      );
      expect(await rejectionOf(store().interactions.get(a.tenant, 'no-such-id', WHOLE_TENANT))).toBeInstanceOf(
        StoreNotFound
      );
      expect(await store().interactions.status(b.tenant, [message.internetMessageId ?? ''], WHOLE_TENANT)).toEqual([
        { internetMessageId: message.internetMessageId, logged: false, loggedBy: null, loggedAt: null }
      ]);

      // The same message logged in tenant B is B's own entry, not a duplicate of A's.
      const inB = await log(b.tenant, [message], b.ana);
      expect(pairsOf(inB.logged)).toEqual([pair(message, b.carl, b.ana)]);
      expect(
        (await store().interactions.list(a.tenant, { scope: WHOLE_TENANT, limit: 100 })).items.map((i) => i.id)
      ).toEqual([entry.id]);
    });

    test('status answers in the order asked, with the first logger', async () => {
      const c = await castIn(store());
      const early = Date.UTC(2026, 9, 1);
      const late = Date.UTC(2026, 9, 2);
      const byAna = graphMessage('ana@northwind.example', ['carl@contoso.example']);
      const byMailbox = graphMessage('carl@contoso.example', ['ben@northwind.example']);
      const twoLoggers = graphMessage('ana@northwind.example', ['carl@contoso.example', 'dora@fabrikam.example']);
      await log(c.tenant, [byAna], c.ana, early);
      await log(c.tenant, [byMailbox], null, early);
      // Ana logs only Carl's entry first (Dora is not yet matched: logged by another call later).
      await logThread(
        store(),
        c.tenant,
        [{ ...twoLoggers, ccRecipients: [], toRecipients: [{ emailAddress: { address: 'carl@contoso.example' } }] }],
        {
          source: 'addin',
          loggedBy: c.ana,
          now: late
        }
      );
      await log(c.tenant, [twoLoggers], c.ben, late + 1000);

      const ids = [
        '<never-logged@x.example>',
        twoLoggers.internetMessageId,
        byMailbox.internetMessageId,
        byAna.internetMessageId
      ].map((id) => id ?? '');
      expect(await store().interactions.status(c.tenant, ids, WHOLE_TENANT)).toEqual([
        { internetMessageId: '<never-logged@x.example>', logged: false, loggedBy: null, loggedAt: null },
        {
          internetMessageId: twoLoggers.internetMessageId,
          logged: true,
          loggedBy: c.ana,
          loggedAt: new Date(late).toISOString()
        },
        {
          internetMessageId: byMailbox.internetMessageId,
          logged: true,
          loggedBy: null,
          loggedAt: new Date(early).toISOString()
        },
        {
          internetMessageId: byAna.internetMessageId,
          logged: true,
          loggedBy: c.ana,
          loggedAt: new Date(early).toISOString()
        }
      ]);
    });
  });
});
