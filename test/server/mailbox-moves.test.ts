import {
  createMailboxGraph,
  MAX_MOVE_ATTEMPTS,
  MOVE_WAIT_BUDGET_MS,
  READ_WAIT_BUDGET_MS,
  type MailboxGraph
} from '../../src/server/mailbox/graph.js';
import { appOnlyTokenSource } from '../../src/server/mailbox/tokens.js';
import { isMove, startGraphMailbox, TEST_LIMITS, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';

/*
 * Moves in the shared mailbox, against the Graph stand-in: a move that may have happened (a 504, a dropped
 * connection, for one move or a whole $batch) is never sent again without looking where the message is; a
 * move to a well-known folder is judged against that folder's id; and every retry is bounded. No store is
 * involved: this is the Graph layer the processor files messages with.
 */

const SHARED = 'interaction-log@northwind.example';

let standIn: GraphMailbox;
let graph: MailboxGraph;
/** Every wait the client asked for (none is really waited). */
let slept: number[];

beforeEach(async () => {
  standIn = await startGraphMailbox({ mailboxes: [SHARED], limits: TEST_LIMITS });
  slept = [];
  graph = createMailboxGraph({
    graphBaseUrl: standIn.url,
    mailbox: SHARED,
    token: appOnlyTokenSource(standIn.msalConfiguration(), 'https://graph.microsoft.com/.default'),
    sleep: async (ms) => void slept.push(ms)
  });
});
const totalSlept = () => slept.reduce((sum, ms) => sum + ms, 0);
afterEach(async () => standIn.close());

/** The shared mailbox in the stand-in, and the id of one of its folders by well-known name. */
const shared = () => standIn.mailbox(SHARED);
const folderId = (name: string) => shared().folder(name)?.id ?? '';
/** Moves one message between two folders named by their well-known names; the move's outcome. */
const moveOne = async (immutableId: string, from: string, to: string) =>
  (await graph.move([{ messageId: immutableId, sourceId: folderId(from), destinationId: folderId(to) }]))[0];

/** How many move requests for this message reached the mailbox (carried out or not). */
const moveRequests = (immutableId: string) =>
  shared()
    .requests()
    .filter((r) => isMove({ service: 'graph', ...r }) && decodeURIComponent(r.path).includes(`/${immutableId}/`));

const seedIn = (folder: string, count: number) =>
  standIn.seed(
    SHARED,
    Array.from({ length: count }, (_, i) => ({
      folder,
      from: 'lena@fabrikam.example',
      to: ['ana@northwind.example'],
      subject: `Move ${i}`
    }))
  );

test('a move to the well-known Inbox answered 504 after it happened is not repeated', async () => {
  const [message] = seedIn('archive', 1);
  const archive = folderId('archive');
  shared().moveAnswers504(1);
  const [outcome] = await graph.move([{ messageId: message!.immutableId, sourceId: archive, destinationId: 'inbox' }]);
  expect(outcome).toMatchObject({ messageId: message!.immutableId, error: null });
  expect(outcome?.moved?.parentFolderId).toBe(shared().folder('inbox')?.id);
  expect(moveRequests(message!.immutableId)).toHaveLength(1);
  expect(shared().message(message!.immutableId)).toMatchObject({ folder: 'Inbox', moves: 1 });
});

test('a whole $batch of moves answered 504 after it ran: each message is looked at, none is moved twice', async () => {
  const seeded = seedIn('inbox', 3);
  const inbox = folderId('inbox');
  const archive = folderId('archive');
  standIn.batchAnswers504(1);
  const outcomes = await graph.move(
    seeded.map((m) => ({ messageId: m.immutableId, sourceId: inbox, destinationId: archive }))
  );
  expect(outcomes.map((o) => o.error)).toEqual([null, null, null]);
  for (const message of seeded) expect(moveRequests(message.immutableId)).toHaveLength(1);
  expect(standIn.folderContents(SHARED, 'archive')).toHaveLength(3);
});

test('a $batch of moves whose connection dropped after it ran is not sent again', async () => {
  const seeded = seedIn('inbox', 2);
  const inbox = folderId('inbox');
  const archive = folderId('archive');
  standIn.dropConnections(1, { when: 'after', match: (r) => r.path === '/$batch' });
  const outcomes = await graph.move(
    seeded.map((m) => ({ messageId: m.immutableId, sourceId: inbox, destinationId: archive }))
  );
  expect(outcomes.map((o) => o.error)).toEqual([null, null]);
  for (const message of seeded) expect(moveRequests(message.immutableId)).toHaveLength(1);
});

test('a move answered 504 that did not happen (still in its source folder) is sent again, once', async () => {
  const [message] = seedIn('inbox', 1);
  shared().failRequests(1, { status: 504, match: isMove });
  const outcome = await moveOne(message!.immutableId, 'inbox', 'archive');
  expect(outcome?.error).toBeNull();
  expect(moveRequests(message!.immutableId)).toHaveLength(2);
  expect(shared().message(message!.immutableId)).toMatchObject({ folder: 'Archive', moves: 1 });
});

test('a message found in neither folder after a 504 is left where it is, with a reason', async () => {
  const [message] = seedIn('inbox', 1);
  shared().failRequests(1, { status: 504, match: isMove });
  // Told it comes from Drafts: it is in the Inbox, so someone else moved it; it is not touched again.
  const outcome = await moveOne(message!.immutableId, 'drafts', 'archive');
  expect(outcome).toMatchObject({ moved: null, error: expect.stringMatching(/another folder/) });
  expect(moveRequests(message!.immutableId)).toHaveLength(1);
  expect(shared().message(message!.immutableId)?.folder).toBe('Inbox');
});

test('a move throttled every time is given up after a bounded number of attempts, and says so', async () => {
  const [message] = seedIn('inbox', 1);
  shared().failRequests(100, { status: 503, match: isMove, retryAfterSeconds: 0 });
  const outcome = await moveOne(message!.immutableId, 'inbox', 'archive');
  expect(outcome).toMatchObject({ moved: null, error: expect.stringMatching(/attempts/) });
  expect(moveRequests(message!.immutableId)).toHaveLength(MAX_MOVE_ATTEMPTS);
  expect(shared().message(message!.immutableId)?.folder).toBe('Inbox');
});

test('moves throttled with a long Retry-After are given up within the wait budget, and stay where they were', async () => {
  const seeded = seedIn('inbox', 2);
  const inbox = folderId('inbox');
  const archive = folderId('archive');
  // An hour per answer: eight attempts would wait the whole run's lease away many times over.
  shared().failRequests(100, { status: 429, match: isMove, retryAfterSeconds: 3600 });
  const outcomes = await graph.move(
    seeded.map((m) => ({ messageId: m.immutableId, sourceId: inbox, destinationId: archive }))
  );
  expect(outcomes).toHaveLength(2);
  for (const outcome of outcomes) {
    expect(outcome).toMatchObject({ moved: null, error: expect.stringMatching(/wait longer.*next run/) });
  }
  expect(totalSlept()).toBeLessThanOrEqual(MOVE_WAIT_BUDGET_MS);
  expect(standIn.folderContents(SHARED, 'inbox')).toHaveLength(2);
});

test('a read throttled with a long Retry-After fails within the wait budget, as throttled', async () => {
  shared().failRequests(100, {
    status: 429,
    match: (r) => r.method === 'GET',
    retryAfterSeconds: 3600
  });
  await expect(graph.inboxCount()).rejects.toMatchObject({ statusCode: 429 });
  expect(totalSlept()).toBeLessThanOrEqual(READ_WAIT_BUDGET_MS);
  expect(graph.counters.throttled).toBeGreaterThan(0);
});
