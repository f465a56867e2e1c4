import {
  planMessages,
  plannedEntries,
  type LoggingContext,
  type MessagePlan,
  type NewInteraction,
  verdictsAfterSave,
  logThreadResult,
  linkedVerdict,
  linkRefusal
} from '../../../src/server/domain/logging.js';
import { LimitExceededError } from '../../../src/server/errors.js';
import { OPPORTUNITY_HEADER, PRIVATE_HEADER } from '../../../src/shared/message-marks.js';
import type { Interaction } from '../../../src/shared/schemas/interaction.js';
import { addressBook, bookPeople } from '../../helpers/address-book.js';
import { graphMessage } from '../../helpers/messages.js';

/*
 * The logging rules over data already loaded: no database. What the store makes of the plans (unique keys,
 * mailbox copies, links) is tested through the use case in logging.contract.test.ts.
 */

const { ana, ben, lena } = bookPeople;
const book = addressBook([ana, ben], [lena]);

const NOW = Date.UTC(2026, 9, 20);

function context(overrides: Partial<LoggingContext> = {}): LoggingContext {
  let next = 0;
  return {
    book,
    source: 'addin',
    loggedBy: ana,
    now: NOW,
    newId: () => `entry-${(next += 1)}`,
    ...overrides
  };
}

/** The entries as the store answers for those it created. */
const asCreated = (entries: NewInteraction[]): Interaction[] =>
  entries.map(({ body: _body, ...entry }) => ({
    ...entry,
    kind: 'email',
    occurredAt: new Date(entry.occurredAt).toISOString(),
    loggedAt: new Date(entry.loggedAt).toISOString(),
    opportunityId: null
  }));

const kinds = (plans: Map<unknown, MessagePlan>) =>
  [...plans.values()].map((plan) => (plan.kind === 'write' ? plan.entries.length : plan.reason));

describe('planMessages', () => {
  test('one plan per message, keyed as handed in, in order', () => {
    const good = graphMessage(ana.email, [lena.email], { cc: [ben.email] });
    const stranger = graphMessage('stranger@else.example', [ana.email]);
    const plans = planMessages(
      new Map([
        ['graph-1', good],
        ['graph-2', stranger]
      ]),
      context()
    );
    expect([...plans.keys()]).toEqual(['graph-1', 'graph-2']);
    expect(kinds(plans)).toEqual([1, 'sender-not-matched']);
    const [entry] = plannedEntries(plans.values());
    expect(entry).toMatchObject({
      id: 'entry-1',
      internetMessageId: good.internetMessageId,
      contact: lena,
      salesperson: ana,
      direction: 'outbound',
      loggedBy: ana,
      loggedAt: NOW,
      source: 'addin'
    });
  });

  test('a second copy of a message is a duplicate; the first is planned', () => {
    const message = graphMessage(ana.email, [lena.email]);
    const copy = { ...message, internetMessageId: ` ${message.internetMessageId} ` };
    const plans = planMessages(
      new Map([
        [0, message],
        [1, copy]
      ]),
      context()
    );
    expect(kinds(plans)).toEqual([1, 'duplicate-in-request']);
    expect(plans.get(1)).toMatchObject({ internetMessageId: message.internetMessageId });
  });

  test('the private mark and the never-log rules come before matching', () => {
    const marked = graphMessage(ana.email, [lena.email], {
      internetMessageHeaders: [{ name: PRIVATE_HEADER, value: 'private' }]
    });
    const blocked = graphMessage(ana.email, [lena.email]);
    const policy = {
      neverLogDomains: ['fabrikam.example'],
      neverLogAddresses: [],
      skipInternalOnly: false,
      organizationDomains: []
    };
    const plans = planMessages(
      new Map([
        [0, marked],
        [1, blocked]
      ]),
      context({ policy })
    );
    expect(kinds(plans)).toEqual(['marked-private', 'never-log']);
  });

  test("the pane's caller logs only messages they are on, into histories they see", () => {
    const onIt = graphMessage(lena.email, [ana.email, ben.email]);
    const notOnIt = graphMessage(lena.email, [ben.email]);
    const caller = { addresses: new Set([ana.email]), sees: (id: string) => id === ana.id };
    const plans = planMessages(
      new Map([
        [0, onIt],
        [1, notOnIt]
      ]),
      context({ caller })
    );
    expect(kinds(plans)).toEqual([1, 'not-a-participant']);
    expect(plannedEntries(plans.values()).map((entry) => entry.salesperson.id)).toEqual([ana.id]);

    const hidden = planMessages(new Map([[0, onIt]]), context({ caller: { ...caller, sees: () => false } }));
    expect(kinds(hidden)).toEqual(['outside-visible-history']);
  });

  test('the pane may not make more entries in one call than the limit; the mailbox may', () => {
    const many = new Map(Array.from({ length: 501 }, (_, i) => [i, graphMessage(lena.email, [ana.email, ben.email])]));
    const caller = { addresses: new Set([ana.email, ben.email]), sees: () => true };
    expect(() => planMessages(many, context({ caller }))).toThrow(LimitExceededError);
    expect(plannedEntries(planMessages(many, context()).values())).toHaveLength(1002);
  });
});

describe('verdicts', () => {
  test('a message logs the entries the store created, or is already logged when it created none', () => {
    const first = graphMessage(lena.email, [ana.email, ben.email]);
    const second = graphMessage(ana.email, [lena.email]);
    const skipped = graphMessage('stranger@else.example', [ana.email]);
    const plans = planMessages(
      new Map([
        ['a', first],
        ['b', second],
        ['c', skipped]
      ]),
      context()
    );
    const [one, , three] = plannedEntries(plans.values());
    const verdicts = verdictsAfterSave(plans, asCreated([one!, three!]));
    expect(verdicts.get('a')).toMatchObject({ kind: 'logged', entries: [{ id: one!.id }] });
    expect(verdicts.get('b')).toMatchObject({ kind: 'logged', entries: [{ id: three!.id }] });
    expect(verdicts.get('c')).toMatchObject({ kind: 'skipped', reason: 'sender-not-matched' });

    const again = verdictsAfterSave(plans, []);
    expect(again.get('a')).toMatchObject({
      kind: 'skipped',
      reason: 'already-logged',
      internetMessageId: first.internetMessageId
    });
  });

  test("the pane's answer lists entries, skips and links not made, in the messages' order", () => {
    const marked = graphMessage(ana.email, [lena.email], {
      internetMessageHeaders: [{ name: OPPORTUNITY_HEADER, value: 'opp-1' }]
    });
    const stranger = graphMessage('stranger@else.example', [ana.email]);
    const plans = planMessages(
      new Map([
        [0, marked],
        [1, stranger]
      ]),
      context()
    );
    const verdicts = verdictsAfterSave(plans, asCreated(plannedEntries(plans.values())));
    expect(logThreadResult(verdicts.values())).toEqual({
      logged: [expect.objectContaining({ internetMessageId: marked.internetMessageId, opportunityId: null })],
      skipped: [
        { internetMessageId: stranger.internetMessageId, reason: 'sender-not-matched', detail: expect.any(String) }
      ]
    });

    const logged = verdicts.get(0);
    if (logged?.kind !== 'logged') throw new Error('expected logged');
    const refused = linkedVerdict(logged, 'opp-1', new Set(), linkRefusal(null, null));
    expect(logThreadResult([refused]).notLinked).toEqual([
      {
        internetMessageId: marked.internetMessageId,
        opportunityId: 'opp-1',
        reason: 'opportunity-not-found',
        detail: expect.any(String)
      }
    ]);
    const linked = linkedVerdict(logged, 'opp-1', new Set(logged.entries.map((entry) => entry.id)), null);
    expect(logThreadResult([linked])).toEqual({
      logged: [expect.objectContaining({ opportunityId: 'opp-1' })],
      skipped: []
    });
  });
});

describe('linkRefusal', () => {
  const open = { status: 'open' as const, salesperson: ana };
  test.each([
    ['no opportunity', null, { id: ana.id, manages: [] }, 'opportunity-not-found'],
    ['a closed one', { ...open, status: 'won' as const }, { id: ana.id, manages: [] }, 'opportunity-closed'],
    ['a sender who is no salesperson', open, null, 'sender-may-not-link'],
    ['a sender who neither owns nor manages it', open, { id: ben.id, manages: [] }, 'sender-may-not-link'],
    ['its owner', open, { id: ana.id, manages: [] }, null],
    ["its owner's manager", open, { id: ben.id, manages: [ana.id] }, null]
  ])('%s', (_, opportunity, sender, reason) => {
    expect(linkRefusal(opportunity, sender)?.reason ?? null).toBe(reason);
  });
});
