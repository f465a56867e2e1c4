import { GraphApi, graphRequestOf, MailboxRuntime } from '../../../src/stand-ins/graph/graph-api.js';
import type { GraphPrincipal } from '../../../src/stand-ins/graph/auth.js';
import { TEST_LIMITS } from '../../../src/stand-ins/graph/limits.js';
import { MailboxState } from '../../../src/stand-ins/graph/state.js';

/*
 * Delegated reads of another user's mailbox (issue 21), on the stand-in's Graph layer without HTTP: a delegated
 * token reads /users/{owner}/... only with Mail.Read.Shared (or Mail.ReadWrite.Shared) and only when the owner gave
 * the user access (the mailbox's delegates); anything else is Graph's 403 ErrorAccessDenied
 * (https://learn.microsoft.com/graph/outlook-share-messages-folders).
 */

const runtimeOf = (address: string, userId: string) =>
  new MailboxRuntime(new MailboxState({ address, userId }), () => TEST_LIMITS);
const ana = runtimeOf('ana@northwind.example', 'ana-id');
const sales = runtimeOf('sales@northwind.example', 'sales-id');
sales.delegates.add('ana@northwind.example');
const [quote] = sales.state.seed([
  { from: 'lena@fabrikam.example', to: ['sales@northwind.example'], subject: 'Quote' }
]);
const byReference = new Map([
  ['ana-id', ana],
  ['ana@northwind.example', ana],
  ['sales-id', sales],
  ['sales@northwind.example', sales]
]);
const api = new GraphApi({
  findMailbox: (reference) => byReference.get(reference.toLowerCase()),
  limits: () => TEST_LIMITS,
  latencyMs: () => 0,
  batchParallelism: () => 4
});

const delegated = (roles: string[], me = 'ana-id'): GraphPrincipal => ({ appId: 'pane', tenantId: 't', roles, me });
const send = (principal: GraphPrincipal, method = 'GET', path = '/users/sales%40northwind.example/messages') =>
  api.execute(
    graphRequestOf({
      method,
      path,
      query: '',
      headers: {},
      body: Buffer.alloc(0),
      ids: { requestId: 'r', clientRequestId: 'c' }
    }),
    principal,
    'http://graph.test/v1.0'
  );
const codeOf = (answer: { status: number; body?: unknown }) => [
  answer.status,
  (answer.body as { error?: { code?: string } }).error?.code
];

test("a delegate with Mail.Read.Shared reads the owner's messages", async () => {
  const answer = await send(delegated(['Mail.ReadWrite', 'Mail.Read.Shared']));
  expect(answer.status).toBe(200);
  expect((answer.body as { value: Array<{ subject: string }> }).value.map((m) => m.subject)).toEqual(['Quote']);
});

test('without a *.Shared permission, or without the owner’s grant, Graph answers 403 ErrorAccessDenied', async () => {
  expect(codeOf(await send(delegated(['Mail.ReadWrite'])))).toEqual([403, 'ErrorAccessDenied']);
  const stranger = runtimeOf('ben@northwind.example', 'ben-id');
  byReference.set('ben-id', stranger);
  expect(codeOf(await send(delegated(['Mail.Read.Shared'], 'ben-id')))).toEqual([403, 'ErrorAccessDenied']);
  // The grant is the owner's: Ana's own mailbox is not Sales' to read.
  expect(codeOf(await send(delegated(['Mail.Read.Shared'], 'sales-id'), 'GET', '/users/ana-id/messages'))).toEqual([
    403,
    'ErrorAccessDenied'
  ]);
});

test('Mail.Read.Shared reads, it does not move: a write needs Mail.ReadWrite.Shared', async () => {
  const move = `/users/sales%40northwind.example/messages/${quote?.immutableId ?? ''}/move`;
  expect(codeOf(await send(delegated(['Mail.ReadWrite', 'Mail.Read.Shared']), 'POST', move))).toEqual([
    403,
    'ErrorAccessDenied'
  ]);
});

test('the own mailbox as /me needs no grant', async () => {
  expect((await send(delegated(['Mail.ReadWrite']), 'GET', '/me/messages')).status).toBe(200);
});
