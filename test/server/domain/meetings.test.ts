import type { AddressBook } from '../../../src/server/domain/matching.js';
import { matchMeeting } from '../../../src/server/domain/matching.js';
import { meetingTime, planMeeting } from '../../../src/server/domain/meetings.js';
import { InvalidRequestError, LimitExceededError } from '../../../src/server/errors.js';
import type { GraphEvent } from '../../../src/shared/schemas/event.js';
import { addressBook, bookPeople } from '../../helpers/address-book.js';

/* The meeting rules over data already loaded: who met whom, when, and what logging it from the pane writes. */

const { ana, ben, lena, oskar } = bookPeople;
const book = addressBook([ana, ben], [lena, oskar], { 'lena.berg@mail.fabrikam.example': lena });

const at = (dateTime: string, timeZone = 'UTC') => ({ dateTime, timeZone });
const person = (address: string) => ({ emailAddress: { address } });
function event(
  organizer: string,
  attendees: Array<string | [string, 'required' | 'optional' | 'resource']>
): GraphEvent {
  return {
    iCalUId: ' uid-1 ',
    subject: 'Review',
    start: at('2026-11-03T09:00:00.0000000'),
    end: at('2026-11-03T10:00:00.0000000'),
    organizer: person(organizer),
    attendees: attendees.map((a) => (typeof a === 'string' ? person(a) : { ...person(a[0]), type: a[1] }))
  };
}
const pairIds = (match: ReturnType<typeof matchMeeting>) =>
  match.kind === 'log' ? match.pairs.map((p) => `${p.contact.id}|${p.salesperson.id}`).sort() : match;

describe('matchMeeting', () => {
  test('each contact at the meeting pairs with each salesperson there, whoever organized it', () => {
    const match = matchMeeting(
      event(lena.email, [ana.email, 'BEN@Northwind.example', 'lena.berg@mail.fabrikam.example', oskar.email]),
      book
    );
    expect(pairIds(match)).toEqual(['c-lena|sp-ana', 'c-lena|sp-ben', 'c-oskar|sp-ana', 'c-oskar|sp-ben']);
    expect(match).toMatchObject({ direction: 'inbound' });
    expect(matchMeeting(event(ana.email, [lena.email]), book)).toMatchObject({ direction: 'outbound' });
  });

  test('rooms and other resources are no one met', () => {
    expect(
      pairIds(
        matchMeeting(
          event(ana.email, [
            [lena.email, 'resource'],
            [oskar.email, 'optional']
          ]),
          book
        )
      )
    ).toEqual(['c-oskar|sp-ana']);
  });

  test('without a salesperson or without a contact there, nothing matches', () => {
    expect(matchMeeting(event(lena.email, [oskar.email]), book)).toMatchObject({
      kind: 'skip',
      reason: 'no-matching-recipient'
    });
    expect(matchMeeting(event(ana.email, [ben.email, 'x@contoso.example']), book)).toMatchObject({
      kind: 'skip',
      detail: 'No one at the meeting is a contact.'
    });
  });
});

describe('meetingTime', () => {
  test.each([
    [at('2026-11-03T09:00:00.0000000'), '2026-11-03T09:00:00.000Z'],
    [at('2026-11-03T09:00'), '2026-11-03T09:00:00.000Z'],
    [at('2026-11-03T09:00:00.1234567'), '2026-11-03T09:00:00.123Z'],
    [at('2026-11-03T09:00:00.5'), '2026-11-03T09:00:00.500Z'],
    [at('2026-07-01T09:30:00', 'Europe/Stockholm'), '2026-07-01T07:30:00.000Z'],
    [at('2026-01-15T09:30:00', 'Europe/Stockholm'), '2026-01-15T08:30:00.000Z'],
    [at('2026-03-08T03:30:00', 'America/New_York'), '2026-03-08T07:30:00.000Z'],
    [at('2026-11-03T09:00:00', 'Asia/Kolkata'), '2026-11-03T03:30:00.000Z']
  ])('%j is %s', (value, iso) => {
    expect(new Date(meetingTime(value, '/event/start')).toISOString()).toBe(iso);
  });

  test.each([
    [at('2026-02-29T09:00:00'), '/event/start/dateTime'],
    [at('2026-11-03T24:00:00'), '/event/start/dateTime'],
    [at('2026-11-03T09:00:00', 'W. Europe Standard Time'), '/event/start/timeZone'],
    [at('2026-11-03T09:00:00', 'Mars/Olympus_Mons'), '/event/start/timeZone']
  ])('%j is refused, naming %s', (value, pointer) => {
    expect(() => meetingTime(value, '/event/start')).toThrow(InvalidRequestError);
    try {
      meetingTime(value, '/event/start');
    } catch (error) {
      expect((error as InvalidRequestError).errors.map((e) => e.pointer)).toEqual([pointer]);
    }
  });
});

describe('planMeeting', () => {
  let ids = 0;
  const context = (sees: (id: string) => boolean = () => true) => ({
    book,
    source: 'addin' as const,
    loggedBy: ana,
    caller: { addresses: new Set([ana.email]), sees },
    now: Date.UTC(2026, 10, 4),
    newId: () => `id-${(ids += 1)}`
  });

  test("writes one meeting entry per pair the caller sees, keyed by the meeting's iCalUId", () => {
    const plan = planMeeting(
      event(lena.email, [ana.email, ben.email]),
      context((id) => id === ana.id)
    );
    expect(plan).toMatchObject({ kind: 'write', internetMessageId: 'uid-1' });
    if (plan.kind !== 'write') throw new Error('not written');
    expect(plan.entries).toEqual([
      expect.objectContaining({
        kind: 'meeting',
        iCalUId: 'uid-1',
        internetMessageId: `meeting:${plan.entries[0]!.id}`,
        contact: lena,
        salesperson: ana,
        occurredAt: Date.UTC(2026, 10, 3, 9),
        subject: 'Review'
      })
    ]);
  });

  test('the caller must be its organizer or an attendee', () => {
    expect(planMeeting(event(lena.email, [ben.email]), context())).toMatchObject({ reason: 'not-a-participant' });
  });

  test('an end before the start is refused, naming the end', () => {
    const backwards = { ...event(lena.email, [ana.email]), end: at('2026-11-03T08:59:59') };
    expect(() => planMeeting(backwards, context())).toThrow(InvalidRequestError);
  });

  test('a meeting that would make more entries than one call writes is refused whole', () => {
    const many = Array.from({ length: 40 }, (_, i) => `sp${i}@northwind.example`);
    const contacts = Array.from({ length: 30 }, (_, i) => `c${i}@fabrikam.example`);
    const big: AddressBook = {
      salespeople: new Map([
        [ana.email, ana],
        ...many.map((a, i): [string, typeof ana] => [a, { ...ana, id: `sp${i}` }])
      ]),
      contacts: new Map(contacts.map((a, i): [string, typeof lena] => [a, { ...lena, id: `c${i}` }]))
    };
    expect(() => planMeeting(event(ana.email, [...many, ...contacts]), { ...context(), book: big })).toThrow(
      LimitExceededError
    );
  });
});
