import { parse } from 'csv-parse/sync';
import { MAX_NOTE_BODY_LENGTH, MAX_NOTE_SUBJECT_LENGTH, MAX_SEARCH_LENGTH } from '../../src/shared/limits.js';
import type { Interaction } from '../../src/shared/schemas/interaction.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { graphMessage } from '../helpers/messages.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * POST /api/v1/notes and GET /api/v1/interactions?q= over real HTTP on both engines: what they accept, the
 * problem documents for everything else (never a 5xx), highlights, ranked paging, and the history cache.
 */

describe.each(ENGINES)('notes and search over HTTP on %s', (engine) => {
  let api: TestApi;
  let ana: string;
  let stranger: string;
  let lena: { id: string; email: string };

  beforeAll(async () => {
    api = await startTestApi(engine);
    const tenantId = 'tenant-notes-search';
    ana = await api.token({ email: 'ana@northwind.example', name: 'Ana López', tenantId });
    stranger = await api.token({ email: 'ana@northwind.example', name: 'Ana López', tenantId: 'tenant-elsewhere' });
    const created = await api.call('POST', '/api/v1/contacts', {
      as: ana,
      body: { name: 'Lena Berg', email: 'lena@fabrikam.example', company: 'Fabrikam' }
    });
    expect(created.status).toBe(201);
    lena = created.body;
    const thread = [
      graphMessage('lena@fabrikam.example', ['ana@northwind.example'], {
        subject: 'Kickoff agenda',
        bodyPreview: 'Shall we meet at the warehouse on Monday?'
      }),
      graphMessage('ana@northwind.example', ['lena@fabrikam.example'], {
        subject: 'Re: Kickoff agenda',
        bodyPreview: 'Monday works. Warehouse it is.'
      })
    ];
    const logged = await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages: thread } });
    expect(logged.body.logged).toHaveLength(2);
  });
  afterAll(() => api.close());

  const problem = (response: { status: number; headers: Headers; body: { errors?: Array<{ pointer: string }> } }) => ({
    status: response.status,
    type: response.headers.get('content-type')?.split(';')[0],
    pointers: (response.body.errors ?? []).map((e) => e.pointer)
  });
  const search = (query: string, as = ana) => api.call('GET', `/api/v1/interactions?${query}`, { as });

  describe('POST /api/v1/notes', () => {
    test('adds a note to the contact history as the caller, and it shows in the history', async () => {
      const response = await api.call('POST', '/api/v1/notes', {
        as: ana,
        body: { contactId: lena.id, subject: 'Phone call', body: 'Lena asked for the spring price list.' }
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        kind: 'note',
        subject: 'Phone call',
        body: 'Lena asked for the spring price list.',
        preview: 'Lena asked for the spring price list.',
        internetMessageId: null,
        webLink: null,
        source: 'addin',
        contact: { id: lena.id, email: 'lena@fabrikam.example' },
        salesperson: { email: 'ana@northwind.example', name: 'Ana López' }
      });
      const history = await search(`correspondent=${encodeURIComponent('LENA@fabrikam.example')}`);
      expect(history.body.items[0]).toEqual(response.body);
      expect(history.body.items.map((entry: Interaction) => entry.kind)).toEqual(['note', 'email', 'email']);
    });

    test('dated notes: any sane time is kept; the far past and the future are refused', async () => {
      const dated = await api.call('POST', '/api/v1/notes', {
        as: ana,
        body: { contactId: lena.id, subject: 'Met at the fair', body: '', occurredAt: '2026-01-15T10:00:00+02:00' }
      });
      expect(dated.status).toBe(201);
      expect(dated.body.occurredAt).toBe('2026-01-15T08:00:00.000Z');
      const dayAfterTomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString();
      for (const occurredAt of [
        '0001-01-01T00:00:00Z',
        '1999-12-31T00:00:00Z',
        dayAfterTomorrow,
        '9999-12-31T23:59:59Z'
      ]) {
        const refused = await api.call('POST', '/api/v1/notes', {
          as: ana,
          body: { contactId: lena.id, subject: 'When?', body: '', occurredAt }
        });
        expect(problem(refused)).toEqual({ status: 400, type: 'application/problem+json', pointers: ['#/occurredAt'] });
        expect(refused.body.detail).toMatch(/ten years/);
      }
    });

    test.each([
      ['a blank subject', { subject: '   ', body: 'x' }, ['#/subject']],
      ['no subject', { body: 'x' }, ['#/subject']],
      ['a subject too long', { subject: 's'.repeat(MAX_NOTE_SUBJECT_LENGTH + 1), body: '' }, ['#/subject']],
      ['a text too long', { subject: 's', body: 'b'.repeat(MAX_NOTE_BODY_LENGTH + 1) }, ['#/body']],
      ['no text', { subject: 's' }, ['#/body']],
      ['a date that is no date', { subject: 's', body: '', occurredAt: 'yesterday' }, ['#/occurredAt']],
      ['an unknown field', { subject: 's', body: '', direction: 'inbound' }, ['#/direction']]
    ])('refuses %s with a problem document naming the field', async (_name, fields, pointers) => {
      const response = await api.call('POST', '/api/v1/notes', { as: ana, body: { contactId: lena.id, ...fields } });
      expect(problem(response)).toEqual({ status: 400, type: 'application/problem+json', pointers });
      expect(response.body.detail).toEqual(expect.any(String));
    });

    test('a contact that does not exist, or is another tenant’s, is not found; no token is 401', async () => {
      const body = { contactId: lena.id, subject: 'Hello', body: '' };
      expect(problem(await api.call('POST', '/api/v1/notes', { as: stranger, body }))).toMatchObject({ status: 404 });
      const unknown = await api.call('POST', '/api/v1/notes', { as: ana, body: { ...body, contactId: 'nobody' } });
      expect(problem(unknown)).toMatchObject({ status: 404, type: 'application/problem+json' });
      expect((await api.call('POST', '/api/v1/notes', { body })).status).toBe(401);
    });
  });

  describe('GET /api/v1/interactions?q=', () => {
    test('finds an email by a word of its preview, with the words highlighted', async () => {
      const response = await search('q=warehouse');
      expect(response.status).toBe(200);
      const items: Interaction[] = response.body.items;
      expect(items.map((entry) => entry.subject).sort()).toEqual(['Kickoff agenda', 'Re: Kickoff agenda']);
      for (const entry of items) {
        const marked = (entry.highlights?.preview ?? []).map(([start, end]) => entry.preview.slice(start, end));
        expect(marked.map((word) => word.toLowerCase())).toEqual(['warehouse']);
        expect(entry.highlights?.subject).toEqual([]);
      }
      const both = await search(`q=${encodeURIComponent('KICKOFF monday')}`);
      const first: Interaction = both.body.items[0];
      expect(first.highlights?.subject.map(([s, e]) => first.subject.slice(s, e))).toEqual(['Kickoff']);
    });

    test('searches the history of one correspondent, and the contact and company too', async () => {
      const note = await api.call('POST', '/api/v1/notes', {
        as: ana,
        body: { contactId: lena.id, subject: 'Visit', body: 'Toured the Fabrikam warehouse with Lena.' }
      });
      const mine = await search(`correspondent=lena%40fabrikam.example&q=warehouse`);
      expect(mine.body.items.map((entry: Interaction) => entry.id)).toContain(note.body.id);
      expect(mine.body.items[0].highlights.body.length).toBe(1);
      const byCompany = await search('q=fabrikam&limit=100');
      expect(byCompany.body.items.length).toBeGreaterThanOrEqual(4);
      const nobody = await search('correspondent=nobody%40fabrikam.example&q=warehouse');
      expect(nobody.body.items).toEqual([]);
      expect((await search('q=warehouse', stranger)).body.items).toEqual([]);
    });

    test('pages through ranked results with its cursor; a plain list’s cursor is refused', async () => {
      const whole = await search('q=kickoff&limit=100');
      const firstPage = await search('q=kickoff&limit=1');
      expect(firstPage.body.items).toHaveLength(1);
      const second = await search(`q=kickoff&limit=1&cursor=${firstPage.body.nextCursor}`);
      expect([...firstPage.body.items, ...second.body.items].map((entry: Interaction) => entry.id)).toEqual(
        whole.body.items.map((entry: Interaction) => entry.id)
      );
      expect(second.body.nextCursor).toBeNull();
      const plain = await search('limit=1');
      const mixed = await search(`q=kickoff&cursor=${plain.body.nextCursor}`);
      expect(problem(mixed)).toEqual({ status: 400, type: 'application/problem+json', pointers: ['#/cursor'] });
    });

    test.each([
      ['empty', ''],
      ['blank', '   '],
      ['punctuation only', '*** " : ^ ( )'],
      ['too long', 'a'.repeat(MAX_SEARCH_LENGTH + 1)],
      ['too many words', Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ')]
    ])('a search that is %s is a 400 naming q', async (_name, q) => {
      const response = await search(`q=${encodeURIComponent(q)}`);
      expect(problem(response)).toEqual({ status: 400, type: 'application/problem+json', pointers: ['#/q'] });
    });

    test.each([
      '"unbalanced',
      'NEAR(kickoff',
      'kickoff OR',
      'subject:kickoff',
      'kick*',
      '-kickoff',
      "'; drop table x; --"
    ])('FTS and SQL syntax in %s is only words: never a 5xx', async (q) => {
      const response = await search(`q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
    });

    test('the history cache keeps searches apart and sees a new note at once', async () => {
      expect((await search('q=invoice')).body.items).toEqual([]);
      expect((await search('q=kickoff')).body.items.length).toBeGreaterThan(0);
      const note = await api.call('POST', '/api/v1/notes', {
        as: ana,
        body: { contactId: lena.id, subject: 'Invoice question', body: '' }
      });
      expect((await search('q=invoice')).body.items.map((entry: Interaction) => entry.id)).toEqual([note.body.id]);
    });
  });

  describe('notes in the team view', () => {
    test('the team list shows notes as such, and the CSV export has a Kind column', async () => {
      const admin = await api.token({
        email: 'ada@northwind.example',
        name: 'Ada Admin',
        roles: ['Admin', 'Manager'],
        tenantId: 'tenant-notes-search'
      });
      const note = await api.call('POST', '/api/v1/notes', {
        as: ana,
        body: { contactId: lena.id, subject: 'Team view note', body: 'Seen by the manager' }
      });
      const list = await api.call('GET', '/api/v1/team/interactions?limit=100', { as: admin });
      expect(list.status).toBe(200);
      expect(list.body.items.find((entry: Interaction) => entry.id === note.body.id)).toMatchObject({
        kind: 'note',
        body: 'Seen by the manager'
      });
      const csv = await fetch(`${api.url}/api/v1/team/interactions.csv`, {
        headers: { authorization: `Bearer ${admin}` }
      });
      const rows: string[][] = parse(await csv.text(), { bom: true });
      const kindColumn = rows[0]?.indexOf('Kind') ?? -1;
      const idColumn = rows[0]?.indexOf('Entry id') ?? -1;
      expect(kindColumn).toBeGreaterThan(0);
      const kinds = new Map(rows.slice(1).map((row) => [row[idColumn], row[kindColumn]]));
      expect(kinds.get(note.body.id)).toBe('note');
      expect([...kinds.values()]).toContain('email');
    });
  });
});
