import {
  businessHoursBefore,
  captureFacts,
  captureRows,
  DAY_MS,
  quietDirection
} from '../../../src/server/domain/capture.js';
import type { GraphMessage } from '../../../src/shared/schemas/message.js';
import { addressBook } from '../../helpers/address-book.js';

/* Capture health's pure rules: direction and parties of a message, the report's rows, business hours, quiet mail. */

const at = (iso: string) => Date.parse(iso);
const person = (id: string, email: string) => ({ id, name: id, email });
const book = addressBook(
  [person('ana', 'ana@northwind.example'), person('bo', 'bo@northwind.example')],
  [person('lena', 'lena@fabrikam.example')]
);
const message = (from: string | null, to: string[], cc: string[] = []): GraphMessage => ({
  internetMessageId: '<m@x>',
  ...(from ? { from: { emailAddress: { address: from } } } : {}),
  toRecipients: to.map((address) => ({ emailAddress: { address } })),
  ccRecipients: cc.map((address) => ({ emailAddress: { address } }))
});
const DOMAINS = ['northwind.example'];

describe('captureFacts', () => {
  /** The facts of a message from `from` to `to` and `cc`, the organization's domains being `domains`. */
  const factsOf = (from: string | null, to: string[], cc: string[] = [], domains = DOMAINS) =>
    captureFacts(message(from, to, cc), book, domains);
  const facts = (direction: string | null, salespersonId: string | null, externalAddress: string | null) => ({
    direction,
    salespersonId,
    externalAddress
  });

  test('mail from inside is outbound: its salesperson is the sender, the outside party the first external To or Cc', () => {
    expect(factsOf('Ana@Northwind.example', ['bo@northwind.example'], ['X@Contoso.example'])).toEqual(
      facts('outbound', 'ana', 'x@contoso.example')
    );
    // A colleague without a salesperson record still sends from inside.
    expect(factsOf('eve@northwind.example', ['lena@fabrikam.example'])).toEqual(
      facts('outbound', null, 'lena@fabrikam.example')
    );
  });

  test('mail from outside is inbound: the first salesperson among To and Cc, the sender as the outside party', () => {
    expect(factsOf('new@elsewhere.example', ['eve@northwind.example'], ['bo@northwind.example'])).toEqual(
      facts('inbound', 'bo', 'new@elsewhere.example')
    );
    // A salesperson at another domain of the organization still counts as inside.
    expect(factsOf('ana@northwind.example', ['lena@fabrikam.example'], [], [])).toMatchObject({
      direction: 'outbound'
    });
    expect(factsOf(null, ['ana@northwind.example'])).toEqual(facts(null, null, null));
  });
});

test('captureRows adds up per day, salesperson and direction, oldest first', () => {
  const day = at('2026-12-01T00:00:00Z') / DAY_MS;
  const rows = captureRows([
    { day: day + 1, salespersonId: 'ana', direction: 'inbound', status: 'logged', reason: null, count: 1 },
    { day, salespersonId: 'ana', direction: 'inbound', status: 'logged', reason: null, count: 4 },
    { day, salespersonId: 'ana', direction: 'inbound', status: 'not-logged', reason: 'sender-not-matched', count: 2 },
    { day, salespersonId: 'ana', direction: 'inbound', status: 'not-logged', reason: null, count: 1 },
    { day, salespersonId: 'ana', direction: 'inbound', status: 'failing', reason: null, count: 1 },
    { day, salespersonId: null, direction: null, status: 'logged', reason: null, count: 3 }
  ]);
  expect(rows).toEqual([
    {
      day: '2026-12-01',
      salespersonId: 'ana',
      direction: 'inbound',
      seen: 8,
      logged: 4,
      notLogged: { 'sender-not-matched': 2, unknown: 1 },
      pending: 1
    },
    { day: '2026-12-01', salespersonId: null, direction: null, seen: 3, logged: 3, notLogged: {}, pending: 0 },
    { day: '2026-12-02', salespersonId: 'ana', direction: 'inbound', seen: 1, logged: 1, notLogged: {}, pending: 0 }
  ]);
});

describe('businessHoursBefore (Mon–Fri 08:00–18:00 UTC)', () => {
  test('within a working day it counts back plain hours', () => {
    expect(businessHoursBefore(at('2026-12-02T15:00:00Z'), 4)).toBe(at('2026-12-02T11:00:00Z'));
  });

  test('nights and weekends do not count', () => {
    // Wednesday 10:00 back 4 hours: 2 on Wednesday morning, 2 on Tuesday afternoon.
    expect(businessHoursBefore(at('2026-12-02T10:00:00Z'), 4)).toBe(at('2026-12-01T16:00:00Z'));
    // Monday 09:00 back 4 hours: 1 on Monday, 3 on Friday.
    expect(businessHoursBefore(at('2026-12-07T09:00:00Z'), 4)).toBe(at('2026-12-04T15:00:00Z'));
    // Sunday evening: the window is the end of Friday.
    expect(businessHoursBefore(at('2026-12-06T20:00:00Z'), 4)).toBe(at('2026-12-04T14:00:00Z'));
    // Late on Tuesday: from the close of business back.
    expect(businessHoursBefore(at('2026-12-01T23:30:00Z'), 2)).toBe(at('2026-12-01T16:00:00Z'));
  });

  test('a week of business hours spans the weekend', () => {
    expect(businessHoursBefore(at('2026-12-07T18:00:00Z'), 50)).toBe(at('2026-12-01T08:00:00Z'));
  });
});

test('quietDirection: one direction saw nothing while the other flowed', () => {
  expect(quietDirection({ inbound: 0, outbound: 5 })).toBe('inbound');
  expect(quietDirection({ inbound: 3, outbound: 0 })).toBe('outbound');
  expect(quietDirection({ inbound: 0, outbound: 0 })).toBeNull();
  expect(quietDirection({ inbound: 1, outbound: 1 })).toBeNull();
});
