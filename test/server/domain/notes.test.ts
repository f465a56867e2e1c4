import { checkNote, NOTE_PREVIEW_LENGTH, noteEntry, notePreview } from '../../../src/server/domain/notes.js';
import { InvalidRequestError } from '../../../src/server/errors.js';

const NOW = Date.UTC(2026, 9, 20, 12);
const DAY = 86_400_000;
const ana = { id: 'sp-ana', name: 'Ana', email: 'ana@northwind.example' };
const lena = { id: 'c-lena', name: 'Lena', email: 'lena@fabrikam.example' };

test('a note is dated now unless it says when, and then within ten years back and a day ahead', () => {
  const input = { contactId: lena.id, subject: ' Call ', body: ' Talked  about\nthe renewal ' };
  expect(checkNote(input, NOW)).toEqual({ subject: 'Call', body: 'Talked  about\nthe renewal', occurredAt: NOW });
  const yesterday = new Date(NOW - DAY).toISOString();
  expect(checkNote({ ...input, occurredAt: yesterday }, NOW).occurredAt).toBe(NOW - DAY);
  const inAWeek = new Date(NOW + 7 * DAY).toISOString();
  expect(() => checkNote({ ...input, occurredAt: inAWeek }, NOW)).toThrow(InvalidRequestError);
  expect(() => checkNote({ ...input, subject: '   ' }, NOW)).toThrow(InvalidRequestError);
});

test("a note's entry is the caller's own, about the contact, its preview the start of its text on one line", () => {
  const note = checkNote({ contactId: lena.id, subject: 'Call', body: 'Talked\n\nabout it' }, NOW);
  expect(noteEntry(note, lena, ana, { id: 'n1', now: NOW })).toEqual({
    id: 'n1',
    kind: 'note',
    internetMessageId: 'note:n1',
    conversationId: null,
    occurredAt: NOW,
    direction: 'outbound',
    subject: 'Call',
    preview: 'Talked about it',
    body: 'Talked\n\nabout it',
    contact: lena,
    salesperson: ana,
    source: 'addin',
    webLink: null,
    loggedBy: ana,
    loggedAt: NOW
  });
  expect(notePreview('x'.repeat(NOTE_PREVIEW_LENGTH + 10))).toHaveLength(NOTE_PREVIEW_LENGTH);
});
