import { logThread } from '../../src/server/usecases/log-messages.js';
import { addNote } from '../../src/server/usecases/notes.js';
import { searchWords } from '../../src/server/domain/search.js';
import { InvalidCursor, StoreNotFound } from '../../src/server/store/errors.js';
import { encodeCursor } from '../../src/server/store/cursor.js';
import { WHOLE_TENANT, type InteractionFilter, type Store } from '../../src/server/store/index.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import { SEARCH_CANDIDATES, type Interaction } from '../../src/shared/schemas/interaction.js';
import type { NewInteraction } from '../../src/server/domain/logging.js';
import { newId } from '../../src/server/store/ids.js';
import { allPages, newTenantId, ref, rejectionOf, useStore } from '../helpers/contract.js';
import { graphMessage } from '../helpers/messages.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * Interaction kinds and full-text search, on both engines: notes are entries of their own kind; a search finds
 * entries by the words of their subject, preview, note text, contact, company and salesperson, within the scope,
 * best match first, and pages through the ranking without losing or repeating an entry.
 */

interface Cast {
  tenant: string;
  ana: PersonRef;
  ben: PersonRef;
  carl: PersonRef;
  dora: PersonRef;
}

async function castIn(store: Store): Promise<Cast> {
  const tenant = newTenantId();
  const d = store.directory;
  const ana = await d.createSalesperson(tenant, { name: 'Ana Álvarez', email: 'ana@northwind.example' });
  const ben = await d.createSalesperson(tenant, { name: 'Ben Berg', email: 'ben@northwind.example' });
  const carl = await d.createContact(
    tenant,
    { name: 'Carl Järvinen', email: 'carl.jarvinen@contoso.example', company: 'Contoso Oy' },
    null
  );
  const dora = await d.createContact(tenant, { name: 'Dora Fabrikam', email: 'dora@fabrikam.example' }, null);
  return { tenant, ana: ref(ana), ben: ref(ben), carl: ref(carl), dora: ref(dora) };
}

let sequence = 0;
/** An email from the contact to the salesperson, logged from the pane. */
function email(
  store: Store,
  cast: Cast,
  contact: PersonRef,
  salesperson: PersonRef,
  subject: string,
  preview: string,
  occurredAt = '2026-05-01T10:00:00Z'
): Promise<Interaction> {
  sequence += 1;
  const message = graphMessage(contact.email, [salesperson.email], {
    internetMessageId: `<search-${sequence}@contoso.example>`,
    subject,
    bodyPreview: preview,
    sentDateTime: occurredAt,
    receivedDateTime: occurredAt
  });
  return logThread(store, cast.tenant, [message], { source: 'addin', loggedBy: salesperson }).then((result) => {
    const [entry] = result.logged;
    if (!entry) throw new Error(`not logged: ${JSON.stringify(result.skipped)}`);
    return entry;
  });
}

const HOUR_MS = 3_600_000;
const CAP_START = Date.parse('2026-01-01T00:00:00Z');

/** `count` entries an hour apart from `firstAt`, straight into the log (logging thousands one by one is slow). */
function entries(
  count: number,
  firstAt: number,
  contact: PersonRef,
  salesperson: PersonRef,
  subject: string,
  preview: string
): NewInteraction[] {
  return Array.from({ length: count }, (_, n) => {
    const id = newId();
    return {
      id,
      internetMessageId: `<cap-${id}@contoso.example>`,
      conversationId: null,
      occurredAt: firstAt + n * HOUR_MS,
      direction: 'inbound',
      subject,
      preview,
      contact,
      salesperson,
      source: 'mailbox',
      webLink: null,
      loggedBy: null,
      loggedAt: firstAt + n * HOUR_MS
    };
  });
}

describe.each(ENGINES)('store contract on %s: kinds and search', (engine) => {
  const store = useStore(engine);
  const search = (tenant: string, q: string, extra: Partial<InteractionFilter> = {}) =>
    store().interactions.list(tenant, { scope: WHOLE_TENANT, limit: 100, words: searchWords(q), ...extra });
  const ids = (page: { items: Interaction[] }) => page.items.map((entry) => entry.id);

  test('logged email is of kind email; a note is of kind note, with its text, no message and the caller', async () => {
    const cast = await castIn(store());
    const mail = await email(store(), cast, cast.carl, cast.ana, 'Quarterly review', 'Numbers attached');
    expect(mail.kind).toBe('email');
    const note = await addNote(
      store(),
      cast.tenant,
      {
        contactId: cast.carl.id,
        subject: '  Call about pricing ',
        body: 'He wants\n  a discount.',
        occurredAt: '2026-05-02T09:00:00Z'
      },
      cast.ana,
      { userId: 'u-ana', name: 'Ana' },
      Date.parse('2026-05-03T00:00:00Z')
    );
    expect(note).toMatchObject({
      kind: 'note',
      subject: 'Call about pricing',
      preview: 'He wants a discount.',
      body: 'He wants\n  a discount.',
      internetMessageId: null,
      conversationId: null,
      webLink: null,
      source: 'addin',
      contact: cast.carl,
      salesperson: cast.ana,
      loggedBy: cast.ana,
      occurredAt: '2026-05-02T09:00:00.000Z'
    });
    const history = await store().interactions.list(cast.tenant, {
      scope: WHOLE_TENANT,
      limit: 10,
      contactId: cast.carl.id
    });
    expect(history.items).toEqual([note, mail]);
    expect(await store().interactions.get(cast.tenant, note.id, WHOLE_TENANT)).toEqual(note);
    const status = await store().interactions.status(cast.tenant, [mail.internetMessageId ?? ''], WHOLE_TENANT);
    expect(status[0]?.logged).toBe(true);
  });

  test('a note for a contact of another tenant is not found', async () => {
    const cast = await castIn(store());
    const other = await castIn(store());
    const error = await rejectionOf(
      addNote(store(), cast.tenant, { contactId: other.carl.id, subject: 'x', body: '' }, cast.ana, {
        userId: 'u',
        name: 'U'
      })
    );
    expect(error).toBeInstanceOf(StoreNotFound);
  });

  test('finds entries by any searched field, every word required, whatever the case', async () => {
    const cast = await castIn(store());
    const review = await email(store(), cast, cast.carl, cast.ana, 'Quarterly REVIEW', 'Numbers attached');
    const invoice = await email(store(), cast, cast.dora, cast.ben, 'Invoice 4711', 'Please pay the invoice');
    const note = await addNote(
      store(),
      cast.tenant,
      { contactId: cast.dora.id, subject: 'Phone call', body: 'Discussed the kickoff workshop' },
      cast.ben,
      { userId: 'u-ben', name: 'Ben' }
    );
    expect(ids(await search(cast.tenant, 'review'))).toEqual([review.id]);
    expect(ids(await search(cast.tenant, 'numbers'))).toEqual([review.id]);
    expect(ids(await search(cast.tenant, 'workshop'))).toEqual([note.id]);
    // Contact name (with its accent), a part of the contact's address, the company, the salesperson's name.
    expect(ids(await search(cast.tenant, 'järvinen'))).toEqual([review.id]);
    expect(ids(await search(cast.tenant, 'jarvinen'))).toEqual([review.id]);
    expect(ids(await search(cast.tenant, 'contoso'))).toEqual([review.id]);
    expect(ids(await search(cast.tenant, 'OY'))).toEqual([review.id]);
    expect(ids(await search(cast.tenant, 'Álvarez'))).toEqual([review.id]);
    expect(new Set(ids(await search(cast.tenant, 'berg')))).toEqual(new Set([invoice.id, note.id]));
    // Every word: across fields, and none missing.
    expect(ids(await search(cast.tenant, 'invoice fabrikam berg'))).toEqual([invoice.id]);
    expect(ids(await search(cast.tenant, 'invoice contoso'))).toEqual([]);
    expect(ids(await search(cast.tenant, '4711'))).toEqual([invoice.id]);
  });

  test('stays within the tenant and the scope, and combines with the other filters', async () => {
    const cast = await castIn(store());
    const other = await castIn(store());
    const anas = await email(store(), cast, cast.carl, cast.ana, 'Pricing proposal', 'v1', '2026-04-01T00:00:00Z');
    const bens = await email(store(), cast, cast.dora, cast.ben, 'Pricing proposal', 'v2', '2026-04-02T00:00:00Z');
    await email(store(), other, other.carl, other.ana, 'Pricing proposal', 'other tenant');
    expect(new Set(ids(await search(cast.tenant, 'pricing')))).toEqual(new Set([anas.id, bens.id]));
    const onlyAna = { kind: 'salespeople', salespersonIds: [cast.ana.id] } as const;
    expect(ids(await search(cast.tenant, 'pricing', { scope: onlyAna }))).toEqual([anas.id]);
    expect(ids(await search(cast.tenant, 'pricing', { scope: { kind: 'salespeople', salespersonIds: [] } }))).toEqual(
      []
    );
    expect(ids(await search(cast.tenant, 'pricing', { contactId: cast.dora.id }))).toEqual([bens.id]);
    expect(ids(await search(cast.tenant, 'pricing', { correspondent: 'carl.jarvinen@contoso.example' }))).toEqual([
      anas.id
    ]);
    expect(ids(await search(cast.tenant, 'pricing', { from: Date.parse('2026-04-02T00:00:00Z') }))).toEqual([bens.id]);
    expect(ids(await search(cast.tenant, 'pricing', { direction: 'outbound' }))).toEqual([]);
  });

  test('ranks only the newest matches: older ones, however good, need a date range or more words', async () => {
    const cast = await castIn(store());
    // Written newest first, so the log's own order is the opposite of time: the cap must follow time.
    const newer = entries(SEARCH_CANDIDATES, CAP_START + 10 * HOUR_MS, cast.carl, cast.ana, 'Status', 'widget');
    await store().interactions.insertNew(cast.tenant, newer);
    const older = entries(3, CAP_START, cast.carl, cast.ana, 'Widget widget offer', 'widget');
    await store().interactions.insertNew(cast.tenant, older);
    const olderIds = new Set(older.map((entry) => entry.id));

    const capped = await search(cast.tenant, 'widget');
    expect(capped.searchCapped).toBe(true);
    expect(capped.items).toHaveLength(100);
    expect(capped.items.filter((entry) => olderIds.has(entry.id))).toEqual([]);
    // The cap's last candidate is the oldest of the newer ones: all 2,000 are reachable by paging.
    const { items: all } = await allPages((cursor) =>
      store().interactions.list(cast.tenant, {
        scope: WHOLE_TENANT,
        limit: 500,
        words: searchWords('widget'),
        ...(cursor ? { cursor } : {})
      })
    );
    expect(new Set(all.map((entry) => entry.id))).toEqual(new Set(newer.map((entry) => entry.id)));

    const before = await search(cast.tenant, 'widget', { to: CAP_START + 10 * HOUR_MS });
    expect(before.searchCapped).toBe(false);
    expect(ids(before)).toEqual(older.map((entry) => entry.id).reverse());
    expect(new Set(ids(await search(cast.tenant, 'widget offer')))).toEqual(olderIds);
    expect(ids(await search(cast.tenant, 'widget', { from: CAP_START + (SEARCH_CANDIDATES + 9) * HOUR_MS }))).toEqual([
      newer[SEARCH_CANDIDATES - 1]?.id
    ]);
  });

  test("the cap is never spent on another tenant's entries or on entries outside the scope", async () => {
    const cast = await castIn(store());
    const other = await castIn(store());
    const later = CAP_START + 10 * HOUR_MS;
    await store().interactions.insertNew(
      other.tenant,
      entries(SEARCH_CANDIDATES + 1, later, other.carl, other.ana, 'Widget', 'other tenant')
    );
    await store().interactions.insertNew(
      cast.tenant,
      entries(SEARCH_CANDIDATES + 1, later, cast.dora, cast.ben, 'Widget', 'ben')
    );
    const anas = entries(2, CAP_START, cast.carl, cast.ana, 'Widget', 'ana');
    await store().interactions.insertNew(cast.tenant, anas);
    const anaIds = anas.map((entry) => entry.id).reverse();

    const onlyAna = { kind: 'salespeople', salespersonIds: [cast.ana.id] } as const;
    const scoped = await search(cast.tenant, 'widget', { scope: onlyAna });
    expect(ids(scoped)).toEqual(anaIds);
    expect(scoped.searchCapped).toBe(false);
    expect(ids(await search(cast.tenant, 'widget', { salespersonId: cast.ana.id }))).toEqual(anaIds);
    expect(ids(await search(cast.tenant, 'widget', { contactId: cast.carl.id }))).toEqual(anaIds);
    const whole = await search(cast.tenant, 'widget');
    expect(whole.searchCapped).toBe(true);
    expect(whole.items.every((entry) => entry.salesperson.id === cast.ben.id)).toBe(true);
    const others = await search(other.tenant, 'widget', { limit: 10 });
    expect(others.items.every((entry) => entry.salesperson.id === other.ana.id)).toBe(true);
  });

  test('ranks a word in the subject above the same word in the preview, then newest first', async () => {
    const cast = await castIn(store());
    const carlWrites = (subject: string, preview: string, at: string) =>
      email(store(), cast, cast.carl, cast.ana, subject, preview, at);
    const inPreview = await carlWrites('Hello', 'about the merger', '2026-05-03T00:00:00Z');
    const inSubject = await carlWrites('Merger', 'hello', '2026-05-01T00:00:00Z');
    const olderTwin = await carlWrites('Hello', 'about the merger', '2026-05-02T00:00:00Z');
    expect(ids(await search(cast.tenant, 'merger'))).toEqual([inSubject.id, inPreview.id, olderTwin.id]);
  });

  test('pages through ranked results in the same order as one page, none lost or repeated', async () => {
    const cast = await castIn(store());
    for (let i = 0; i < 12; i++) {
      // Several ranks, and ties of rank with ties of time.
      const subject = i % 3 === 0 ? 'Renewal renewal' : i % 3 === 1 ? 'Renewal' : 'Status';
      await email(
        store(),
        cast,
        i % 2 ? cast.carl : cast.dora,
        cast.ana,
        subject,
        'renewal terms',
        `2026-03-0${1 + (i % 4)}T00:00:00Z`
      );
    }
    const whole = await search(cast.tenant, 'renewal');
    expect(whole.items).toHaveLength(12);
    const paged = await allPages((cursor) => search(cast.tenant, 'renewal', { limit: 5, cursor }));
    expect(paged.pages.map((page) => page.length)).toEqual([5, 5, 2]);
    expect(paged.items.map((entry) => entry.id)).toEqual(ids(whole));
  });

  test('a cursor of another list is refused, as one that was made up', async () => {
    const cast = await castIn(store());
    const plain = encodeCursor({ key: Date.now(), id: 'x' });
    expect(await rejectionOf(search(cast.tenant, 'x', { cursor: plain }))).toBeInstanceOf(InvalidCursor);
    expect(await rejectionOf(search(cast.tenant, 'x', { cursor: 'bm90IGpzb24' }))).toBeInstanceOf(InvalidCursor);
  });

  test('follows renames of the contact and of the salesperson (triggers)', async () => {
    const cast = await castIn(store());
    const entry = await email(store(), cast, cast.carl, cast.ana, 'Draft contract', 'first version');
    await store().directory.updateContact(cast.tenant, cast.carl.id, { name: 'Carl Virtanen', company: 'Globex' });
    expect(ids(await search(cast.tenant, 'virtanen globex'))).toEqual([entry.id]);
    // Still in the address.
    expect(ids(await search(cast.tenant, 'contoso'))).toEqual([entry.id]);
    expect(ids(await search(cast.tenant, 'oy'))).toEqual([]);
    await store().directory.updateSalesperson(cast.tenant, cast.ana.id, { name: 'Ana Moreno' });
    expect(ids(await search(cast.tenant, 'moreno'))).toEqual([entry.id]);
    expect(ids(await search(cast.tenant, 'álvarez'))).toEqual([]);
  });

  test('the ids an entry is indexed under are not words anyone can search for', async () => {
    const cast = await castIn(store());
    await email(store(), cast, cast.carl, cast.ana, 'Keys', 'text');
    for (const [kind, id] of [
      ['c', cast.carl.id],
      ['s', cast.ana.id]
    ] as const) {
      expect(ids(await search(cast.tenant, `${kind}${Buffer.from(id).toString('hex')}`))).toEqual([]);
      expect(ids(await search(cast.tenant, id))).toEqual([]);
    }
  });

  test('words that are query syntax elsewhere are only words', async () => {
    const cast = await castIn(store());
    const entry = await email(store(), cast, cast.carl, cast.ana, 'NEAR AND OR NOT', 'quote " star * colon : caret ^');
    for (const q of ['near', 'AND', 'or not', '"quote"', 'star*', 'colon:', '^caret', '(near)', '-near', "o'near"]) {
      const words = searchWords(q);
      expect(words.length).toBeGreaterThan(0);
      const found = ids(await search(cast.tenant, q));
      if (q === "o'near") expect(found).toEqual([]);
      else expect(found).toEqual([entry.id]);
    }
  });
});
