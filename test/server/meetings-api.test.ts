import type { Interaction } from '../../src/shared/schemas/interaction.js';
import { WHOLE_TENANT } from '../../src/server/store/index.js';
import { northwindTeam, setHistoryVisibility, useTestApi } from '../helpers/api.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * POST /api/v1/interactions/log-meeting over real HTTP on both engines (issue 21): a meeting logs once per
 * (contact, salesperson) whichever attendee logs it, repeated or racing; only its organizer and attendees log it;
 * bad input is a 400 naming the field.
 */

const LENA = 'lena@fabrikam.example';
const OSKAR = 'oskar@fabrikam.example';
const address = (who: string) => `${who}@northwind.example`;
let counter = 0;
/** A time as Graph writes it: a wall-clock time and the zone it is in. */
const at = (dateTime: string, timeZone = 'UTC') => ({ dateTime, timeZone });

/** A meeting in Graph's event shape, organized by `organizer`, with `attendees`. */
function graphEvent(organizer: string, attendees: string[], overrides: Record<string, unknown> = {}) {
  counter += 1;
  const person = (email: string) => ({ name: email.split('@')[0], address: email });
  return {
    iCalUId: `040000008200E00074C5B7101A82E008000000000${counter}${Math.random().toString(16).slice(2)}`,
    subject: `Quarterly review ${counter}`,
    bodyPreview: 'Agenda: renewal, pricing',
    start: at('2026-11-03T09:00:00.0000000'),
    end: at('2026-11-03T10:00:00.0000000'),
    organizer: { emailAddress: person(organizer) },
    attendees: attendees.map((email) => ({
      type: 'required',
      status: { response: 'none', time: '0001-01-01T00:00:00Z' },
      emailAddress: person(email)
    })),
    ...overrides
  };
}

type Pair = [contact: string, salesperson: string];
/** Lena and Oskar (contacts) with Ana and Ben (salespeople): each pair of a meeting of the four. */
const EVERY_PAIR: Pair[] = [
  [LENA, address('ana')],
  [LENA, address('ben')],
  [OSKAR, address('ana')],
  [OSKAR, address('ben')]
];
/** log-meeting's answer when every entry of the meeting exists already. */
const alreadyLogged = (event: { iCalUId: string }) => ({
  logged: [],
  skipped: [{ internetMessageId: event.iCalUId, reason: 'already-logged', detail: expect.any(String) }]
});

describe.each(ENGINES)('log-meeting over HTTP on %s', (engine) => {
  const tenantId = 'tenant-meetings';
  const api = useTestApi(engine, { tenantId, people: northwindTeam, signIn: true });
  const { tokens } = api;

  const logMeeting = (as: string, event: unknown) =>
    api.call('POST', '/api/v1/interactions/log-meeting', { as, body: { event } });
  const setVisibility = (visibility: 'organization' | 'own') => setHistoryVisibility(api, tokens.admin, visibility);
  /** The meeting's entries in the log, as (contact, salesperson) address pairs. */
  const pairsOf = async (subject: string): Promise<Pair[]> =>
    (await api.server.store.interactions.list(tenantId, { scope: WHOLE_TENANT, limit: 100 })).items
      .filter((entry) => entry.subject === subject)
      .map((entry): Pair => [entry.contact.email, entry.salesperson.email])
      .sort();

  beforeAll(async () => {
    for (const [name, email] of [
      ['Lena', LENA],
      ['Oskar', OSKAR]
    ]) {
      expect((await api.call('POST', '/api/v1/contacts', { as: tokens.ana, body: { name, email } })).status).toBe(201);
    }
  });

  test('two attendees who see only their own history each log theirs: one entry per pair, never two', async () => {
    await setVisibility('own');
    const event = graphEvent(LENA, [address('ana'), address('ben'), OSKAR]);
    const first = await logMeeting(tokens.ana, event);
    expect(first.status).toBe(200);
    expect(first.body.skipped).toEqual([]);
    const logged = first.body.logged as Interaction[];
    expect(logged.map((entry) => [entry.contact.email, entry.salesperson.email]).sort()).toEqual([
      [LENA, address('ana')],
      [OSKAR, address('ana')]
    ]);
    expect(logged[0]).toMatchObject({
      kind: 'meeting',
      internetMessageId: null,
      direction: 'inbound',
      subject: event.subject,
      preview: 'Agenda: renewal, pricing',
      occurredAt: '2026-11-03T09:00:00.000Z',
      source: 'addin',
      loggedBy: { email: address('ana') }
    });
    expect((await logMeeting(tokens.ben, event)).body.logged).toHaveLength(2);
    for (const as of [tokens.ana, tokens.ben]) {
      expect((await logMeeting(as, event)).body).toEqual(alreadyLogged(event));
    }
    expect(await pairsOf(event.subject)).toEqual(EVERY_PAIR);
  });

  test('when the organizer logs every pair, the other attendee logs none again', async () => {
    await setVisibility('organization');
    const event = graphEvent(address('ana'), [address('ben'), LENA]);
    const first = await logMeeting(tokens.ana, event);
    expect(first.body.logged.map((entry: Interaction) => entry.direction)).toEqual(['outbound', 'outbound']);
    const second = await logMeeting(tokens.ben, event);
    expect(second.body).toEqual(alreadyLogged(event));
    expect(await pairsOf(event.subject)).toEqual([
      [LENA, address('ana')],
      [LENA, address('ben')]
    ]);
  });

  test('racing calls by both attendees write each pair once', async () => {
    await setVisibility('organization');
    const event = graphEvent(LENA, [address('ana'), address('ben'), OSKAR]);
    const calls = await Promise.all(
      Array.from({ length: 12 }, (_, i) => logMeeting(i % 2 === 0 ? tokens.ana : tokens.ben, event))
    );
    expect(calls.map((call) => call.status)).toEqual(Array(12).fill(200));
    expect(calls.flatMap((call) => call.body.logged as Interaction[])).toHaveLength(4);
    expect(await pairsOf(event.subject)).toEqual(EVERY_PAIR);
  });

  test('someone neither organizing nor attending is skipped as not-a-participant and writes nothing', async () => {
    await setVisibility('organization');
    const event = graphEvent(LENA, [address('ben')]);
    const attempt = await logMeeting(tokens.ana, event);
    expect(attempt.status).toBe(200);
    expect(attempt.body).toEqual({
      logged: [],
      skipped: [{ internetMessageId: event.iCalUId, reason: 'not-a-participant', detail: expect.any(String) }]
    });
    expect(await pairsOf(event.subject)).toEqual([]);
  });

  test('a meeting without a contact at it is skipped; the tenant never-log rules apply', async () => {
    const internal = graphEvent(address('ana'), [address('ben')]);
    expect((await logMeeting(tokens.ana, internal)).body.skipped[0].reason).toBe('internal-only');
    const noContact = graphEvent(address('ana'), [address('ben'), 'someone@contoso.example']);
    expect((await logMeeting(tokens.ana, noContact)).body.skipped[0]).toEqual({
      internetMessageId: noContact.iCalUId,
      reason: 'no-matching-recipient',
      detail: 'No one at the meeting is a contact.'
    });
    const neverLog = (neverLogAddresses: string[]) =>
      api.call('PATCH', '/api/v1/admin/mailbox/settings', { as: tokens.admin, body: { neverLogAddresses } });
    expect((await neverLog([OSKAR])).status).toBe(200);
    const blocked = graphEvent(LENA, [address('ana'), OSKAR]);
    expect((await logMeeting(tokens.ana, blocked)).body.skipped[0].reason).toBe('never-log');
    expect((await neverLog([])).status).toBe(200);
    expect(await pairsOf(blocked.subject)).toEqual([]);
  });

  test('a time in an IANA zone is read in that zone', async () => {
    const event = graphEvent(LENA, [address('ana')], {
      start: at('2026-07-01T09:30:00', 'Europe/Stockholm'),
      end: at('2026-07-01T10:30:00', 'Europe/Stockholm')
    });
    const logged = await logMeeting(tokens.ana, event);
    expect(logged.body.logged[0].occurredAt).toBe('2026-07-01T07:30:00.000Z');
  });

  const base = () => graphEvent(LENA, [address('ana')]);
  test.each([
    ['no event', () => ({}), '#/event'],
    ['no iCalUId', () => ({ ...base(), iCalUId: undefined }), '#/event/iCalUId'],
    ['an empty iCalUId', () => ({ ...base(), iCalUId: '' }), '#/event/iCalUId'],
    ['no start', () => ({ ...base(), start: undefined }), '#/event/start'],
    ['a start with an offset', () => ({ ...base(), start: at('2026-11-03T09:00:00+01:00') }), '#/event/start/dateTime'],
    ['a day that does not exist', () => ({ ...base(), start: at('2026-02-30T09:00:00') }), '#/event/start/dateTime'],
    [
      'a Windows time zone',
      () => ({ ...base(), end: at('2026-11-03T10:00:00', 'W. Europe Standard Time') }),
      '#/event/end/timeZone'
    ],
    ['an end before the start', () => ({ ...base(), end: at('2026-11-03T08:00:00') }), '#/event/end'],
    ['attendees that are no list', () => ({ ...base(), attendees: 'everyone' }), '#/event/attendees']
  ])('%s is a 400 naming the field, and writes nothing', async (_name, event, pointer) => {
    const body = event() as { subject?: string };
    const refused = await api.call('POST', '/api/v1/interactions/log-meeting', {
      as: tokens.ana,
      body: _name === 'no event' ? {} : { event: body }
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    if (body.subject) expect(await pairsOf(body.subject)).toEqual([]);
  });
});
