import { matchMessage, participantAddresses, type AddressBook } from '../../../src/server/domain/matching.js';
import { normalizeEmail } from '../../../src/shared/email.js';
import { addressBook, bookPeople } from '../../helpers/address-book.js';
import { graphMessage } from '../../helpers/messages.js';

const { ana, mikko, lena, tomas } = bookPeople;
const book = addressBook([ana, mikko], [lena, tomas], { 'lena.berg@mail.fabrikam.example': lena });

describe('normalizeEmail', () => {
  test.each([
    ['  Ana@Northwind.EXAMPLE ', 'ana@northwind.example'],
    ['x@y', 'x@y'],
    ['', null],
    ['no-at-sign', null],
    ['@nolocal.example', null],
    ['trailing@', null],
    ['two words@x.example', null],
    ['/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=ANA', null]
  ])('%j → %j', (input, expected) => expect(normalizeEmail(input)).toBe(expected));
  test('non-strings are not addresses', () => {
    expect(normalizeEmail(null)).toBeNull();
    expect(normalizeEmail(undefined)).toBeNull();
  });
});

describe('matchMessage', () => {
  test.each([
    [
      'a salesperson sender makes it outbound, one pair per contact in To and Cc',
      graphMessage('ana@northwind.example', ['lena@fabrikam.example', 'stranger@else.example'], {
        cc: ['tomas@fabrikam.example', 'mikko@northwind.example']
      }),
      'outbound',
      [
        ['c-lena', 'sp-ana'],
        ['c-tomas', 'sp-ana']
      ]
    ],
    [
      'a contact sender makes it inbound, one pair per salesperson in To and Cc',
      graphMessage('lena@fabrikam.example', ['ana@northwind.example'], {
        cc: ['mikko@northwind.example', 'tomas@fabrikam.example']
      }),
      'inbound',
      [
        ['c-lena', 'sp-ana'],
        ['c-lena', 'sp-mikko']
      ]
    ]
  ])('%s', (_name, message, direction, pairs) => {
    const result = matchMessage(message, book);
    expect(result).toMatchObject({ kind: 'log', direction });
    if (result.kind !== 'log') throw new Error('expected log');
    expect(result.pairs.map((p) => [p.contact.id, p.salesperson.id])).toEqual(pairs);
  });

  test('alternate addresses, case, spaces and display names do not matter', () => {
    const message = graphMessage(' Lena.Berg@MAIL.fabrikam.example ', ['ANA@northwind.example']);
    message.from = { emailAddress: { name: 'Somebody Else Entirely', address: ' Lena.Berg@MAIL.fabrikam.example ' } };
    const result = matchMessage(message, book);
    expect(result).toMatchObject({ kind: 'log', direction: 'inbound', pairs: [{ contact: lena, salesperson: ana }] });
  });

  test('the same person twice (To and Cc, or primary and alternate) gives one pair', () => {
    const result = matchMessage(
      graphMessage('ana@northwind.example', ['lena@fabrikam.example', 'LENA@fabrikam.example'], {
        cc: ['lena.berg@mail.fabrikam.example']
      }),
      book
    );
    expect(result.kind === 'log' && result.pairs).toHaveLength(1);
  });

  test('from wins over sender; sender is used when from is missing', () => {
    const delegated = graphMessage('ana@northwind.example', ['lena@fabrikam.example']);
    delegated.sender = { emailAddress: { address: 'assistant@northwind.example' } };
    expect(matchMessage(delegated, book)).toMatchObject({ kind: 'log', direction: 'outbound' });
    const noFrom = graphMessage('x@x.example', ['ana@northwind.example'], {
      from: null,
      sender: { emailAddress: { address: 'lena@fabrikam.example' } }
    });
    expect(matchMessage(noFrom, book)).toMatchObject({ kind: 'log', direction: 'inbound' });
  });

  test('a salesperson sender wins when the address is also a contact', () => {
    const both: AddressBook = {
      ...book,
      contacts: new Map([
        ...book.contacts,
        ['ana@northwind.example', { id: 'c-ana', name: 'Ana', email: 'ana@northwind.example' }]
      ])
    };
    expect(matchMessage(graphMessage('ana@northwind.example', ['lena@fabrikam.example']), both)).toMatchObject({
      direction: 'outbound'
    });
  });

  test('occurredAt: sent time for outbound, received time for inbound, the other as fallback', () => {
    const sentDateTime = '2026-10-01T08:00:00.000Z';
    const receivedDateTime = '2026-10-01T08:00:05.000Z';
    expect(
      matchMessage(
        graphMessage('ana@northwind.example', ['lena@fabrikam.example'], { sentDateTime, receivedDateTime }),
        book
      )
    ).toMatchObject({ occurredAt: Date.parse(sentDateTime) });
    expect(
      matchMessage(
        graphMessage('lena@fabrikam.example', ['ana@northwind.example'], { sentDateTime, receivedDateTime }),
        book
      )
    ).toMatchObject({ occurredAt: Date.parse(receivedDateTime) });
    expect(
      matchMessage(
        graphMessage('lena@fabrikam.example', ['ana@northwind.example'], { sentDateTime, receivedDateTime: null }),
        book
      )
    ).toMatchObject({ occurredAt: Date.parse(sentDateTime) });
  });

  test.each([
    [
      'no-internet-message-id',
      graphMessage('ana@northwind.example', ['lena@fabrikam.example'], { internetMessageId: '  ' })
    ],
    ['draft', graphMessage('ana@northwind.example', ['lena@fabrikam.example'], { isDraft: true })],
    ['no-sender', graphMessage('ana@northwind.example', ['lena@fabrikam.example'], { from: null, sender: null })],
    [
      'no-sender',
      graphMessage('ana@northwind.example', ['lena@fabrikam.example'], {
        from: { emailAddress: { name: 'Ana', address: null } },
        sender: undefined
      })
    ],
    ['sender-not-matched', graphMessage('who@else.example', ['ana@northwind.example'])],
    ['no-matching-recipient', graphMessage('ana@northwind.example', ['mikko@northwind.example'])],
    ['no-matching-recipient', graphMessage('lena@fabrikam.example', ['tomas@fabrikam.example'])],
    [
      'no-matching-recipient',
      graphMessage('lena@fabrikam.example', [], { toRecipients: null, ccRecipients: undefined })
    ],
    [
      'no-date',
      graphMessage('lena@fabrikam.example', ['ana@northwind.example'], { sentDateTime: null, receivedDateTime: null })
    ]
  ])('skips with reason %s', (reason, message) => {
    const result = matchMessage(message, book);
    expect(result).toMatchObject({ kind: 'skip', reason });
    expect(result.kind === 'skip' && result.detail.length).toBeGreaterThan(10);
  });

  test('participantAddresses lists the sender and every recipient once, normalized', () => {
    const message = graphMessage('Ana@Northwind.example', ['lena@fabrikam.example', 'LENA@fabrikam.example'], {
      cc: ['bad-address']
    });
    expect(participantAddresses(message)).toEqual(['ana@northwind.example', 'lena@fabrikam.example']);
  });
});
