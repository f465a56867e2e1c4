import { reconcile, type ListedMessage, type RecordedMessage } from '../../../src/server/domain/reconcile.js';

/* Reconciliation's rule: every message listed or recorded is accounted for, or reported with why not. */

const listed = (
  messageId: string,
  folder: ListedMessage['folder'],
  internetMessageId: string | null = null
): ListedMessage => ({
  messageId,
  internetMessageId,
  subject: messageId,
  from: `${messageId}@listed.example`,
  receivedDateTime: '2026-12-01T10:00:00Z',
  folder
});
const recorded = (messageId: string, status: string): RecordedMessage => ({
  messageId,
  internetMessageId: `<${messageId}>`,
  subject: messageId,
  from: `${messageId}@recorded.example`,
  receivedDateTime: '2026-11-30T09:00:00.000Z',
  status
});

test('messages in the folder their record says are accounted for; the Inbox holds what waits', () => {
  const result = reconcile(
    [
      listed('a', 'archive'),
      listed('n', 'notLogged'),
      listed('q', 'quarantine'),
      listed('new', 'inbox'),
      listed('failing', 'inbox'),
      listed('back', 'inbox'),
      listed('old', 'archive', '<old@x>')
    ],
    [
      recorded('a', 'logged'),
      recorded('n', 'not-logged'),
      recorded('q', 'retry-requested'),
      recorded('failing', 'failing'),
      recorded('back', 'reprocess-requested')
    ],
    // Logged before the processor kept records of logged messages.
    new Set(['<old@x>']),
    true
  );
  expect(result).toEqual({ waiting: 3, accounted: 4, unaccounted: [] });
});

test('not recorded, recorded elsewhere, and missing are each reported; missing only when every folder was listed', () => {
  const messages = [listed('planted', 'archive', '<planted@x>'), listed('filed', 'inbox'), listed('moved', 'archive')];
  const records = [recorded('filed', 'not-logged'), recorded('moved', 'not-logged'), recorded('gone', 'logged')];
  const result = reconcile(messages, records, new Set(), true);
  expect(result.unaccounted.map((m) => [m.messageId, m.folder, m.recorded, m.problem])).toEqual([
    ['planted', 'archive', null, 'not-recorded'],
    ['filed', 'inbox', 'not-logged', 'recorded-elsewhere'],
    ['moved', 'archive', 'not-logged', 'recorded-elsewhere'],
    ['gone', null, 'logged', 'missing']
  ]);
  // Each says who sent it and when, so the admin can find it: as Graph lists it, or as recorded when it is gone.
  expect(result.unaccounted.map((m) => [m.messageId, m.from, m.receivedDateTime])).toEqual([
    ['planted', 'planted@listed.example', '2026-12-01T10:00:00Z'],
    ['filed', 'filed@listed.example', '2026-12-01T10:00:00Z'],
    ['moved', 'moved@listed.example', '2026-12-01T10:00:00Z'],
    ['gone', 'gone@recorded.example', '2026-11-30T09:00:00.000Z']
  ]);
  expect(reconcile(messages, records, new Set(), false).unaccounted.map((m) => m.problem)).not.toContain('missing');
});
