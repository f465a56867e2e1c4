import { ApiError } from '../../src/addin/api/client.js';
import type { PaneServices } from '../../src/addin/taskpane/services.js';
import { logMessages } from '../../src/addin/taskpane/thread.js';
import type { LogThreadResult } from '../../src/shared/schemas/interaction.js';
import type { GraphMessage } from '../../src/shared/schemas/message.js';

/*
 * The pane sends a thread the API refuses as making too many entries (413 too-many-entries) again in halves, so
 * a thread mailed to many contacts is still logged; other refusals reach the user as they are.
 */

const message = (n: number): GraphMessage => ({ internetMessageId: `<m${n}@x>` });
const tooMany = new ApiError(
  413,
  { type: 'urn:x', title: 'Content Too Large', status: 413, detail: 'at most 2', code: 'too-many-entries' },
  'at most 2'
);

function servicesWith(logThread: (messages: GraphMessage[]) => Promise<LogThreadResult>): PaneServices {
  return { api: { logThread } } as unknown as PaneServices;
}

test('a refused call is split until each part fits, and every message is logged once', async () => {
  const calls: number[] = [];
  const services = servicesWith(async (messages) => {
    calls.push(messages.length);
    if (messages.length > 2) throw tooMany;
    return {
      logged: [],
      skipped: messages.map((m) => ({ internetMessageId: m.internetMessageId!, reason: 'draft', detail: '' }))
    };
  });
  const result = await logMessages(
    services,
    Array.from({ length: 7 }, (_, i) => message(i))
  );
  expect(result.skipped.map((s) => s.internetMessageId)).toEqual(Array.from({ length: 7 }, (_, i) => `<m${i}@x>`));
  expect(calls).toEqual([7, 4, 2, 2, 3, 2, 1]);
});

test('a single message that is still too big, or any other refusal, is not retried', async () => {
  const single = servicesWith(async () => {
    throw tooMany;
  });
  await expect(logMessages(single, [message(1)])).rejects.toBe(tooMany);
  const forbidden = new ApiError(403, null, 'no');
  let calls = 0;
  const other = servicesWith(async () => {
    calls += 1;
    throw forbidden;
  });
  await expect(logMessages(other, [message(1), message(2)])).rejects.toBe(forbidden);
  expect(calls).toBe(1);
});
