import { logThread } from '../../src/server/usecases/log-messages.js';
import { DEFAULT_PROBABILITY, valuesForCreate, valuesForUpdate } from '../../src/server/domain/opportunities.js';
import { InvalidCursor, StoreConflict, StoreConstraint, StoreNotFound } from '../../src/server/store/errors.js';
import { WHOLE_TENANT, type Store } from '../../src/server/store/index.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import type { Interaction } from '../../src/shared/schemas/interaction.js';
import type { Opportunity, OpportunityCreate, OpportunityUpdate } from '../../src/shared/schemas/opportunity.js';
import { allPages, NEW_OPPORTUNITY_DEFAULTS, newTenantId, ref, rejectionOf, useStore } from '../helpers/contract.js';
import { graphMessage } from '../helpers/messages.js';
import { ENGINES } from '../helpers/stores.js';

const ACTOR = { userId: 'oid-ana', name: 'Ana Alves' };

/*
 * The opportunity half of the store contract: creating from logged interactions, linking all or nothing,
 * moving through stages and statuses, money, listing and tenant scoping. Same tests on both engines.
 */

interface Scene {
  tenant: string;
  ana: PersonRef;
  carl: PersonRef;
  dora: PersonRef;
  /** Carl's entries, oldest first. */
  carlEntries: Interaction[];
  doraEntries: Interaction[];
}

async function sceneIn(store: Store, tenant = newTenantId()): Promise<Scene> {
  const d = store.directory;
  const ana = ref(await d.createSalesperson(tenant, { name: 'Ana Alves', email: 'ana@northwind.example' }));
  const carl = ref(await d.createContact(tenant, { name: 'Carl Contoso', email: 'carl@contoso.example' }, null));
  const dora = ref(await d.createContact(tenant, { name: 'Dora Fabrikam', email: 'dora@fabrikam.example' }, null));
  const when = (day: number) => {
    const iso = `2026-05-0${day}T09:00:00Z`;
    return { sentDateTime: iso, receivedDateTime: iso };
  };
  const messages = [
    graphMessage('ana@northwind.example', ['carl@contoso.example'], when(3)),
    graphMessage('carl@contoso.example', ['ana@northwind.example'], when(1)),
    graphMessage('ana@northwind.example', ['carl@contoso.example'], when(2)),
    graphMessage('ana@northwind.example', ['dora@fabrikam.example'], when(4)),
    graphMessage('dora@fabrikam.example', ['ana@northwind.example'], when(5))
  ];
  const { logged } = await logThread(store, tenant, messages, { source: 'addin', loggedBy: ana });
  const byTime = (a: Interaction, b: Interaction) => a.occurredAt.localeCompare(b.occurredAt);
  return {
    tenant,
    ana,
    carl,
    dora,
    carlEntries: logged.filter((e) => e.contact.id === carl.id).sort(byTime),
    doraEntries: logged.filter((e) => e.contact.id === dora.id).sort(byTime)
  };
}

describe.each(ENGINES)('store contract on %s: opportunities', (engine) => {
  const store = useStore(engine);
  const opportunities = () => store().opportunities;

  const create = (scene: Scene, input: OpportunityCreate, owner: PersonRef = scene.ana) =>
    opportunities().create(scene.tenant, input, valuesForCreate(input), owner, ACTOR, WHOLE_TENANT);
  const update = async (tenant: string, id: string, patch: OpportunityUpdate, now?: number) => {
    const current = await opportunities().get(tenant, id, WHOLE_TENANT);
    return opportunities().update(
      tenant,
      id,
      valuesForUpdate(current, patch, now ?? Date.now()),
      patch.linkInteractionIds ?? [],
      ACTOR,
      WHOLE_TENANT
    );
  };
  const entry = (scene: Scene, id: string) => store().interactions.get(scene.tenant, id, WHOLE_TENANT);

  test('create from interactions: the entries point at it, and it lists them', async () => {
    const s = await sceneIn(store());
    const [first, , third] = s.carlEntries;
    if (!first || !third) throw new Error('scene is incomplete');
    const created = await create(s, {
      description: '  Renewal 2027  ',
      contactId: s.carl.id,
      interactionIds: [third.id, first.id]
    });
    expect(created).toEqual({
      id: expect.any(String),
      description: 'Renewal 2027',
      contactId: s.carl.id,
      contact: s.carl,
      salesperson: s.ana,
      ...NEW_OPPORTUNITY_DEFAULTS,
      interactionIds: [first.id, third.id], // oldest first
      createdAt: expect.any(String),
      updatedAt: expect.any(String)
    });
    expect(await opportunities().get(s.tenant, created.id, WHOLE_TENANT)).toEqual(created);
    expect((await entry(s, first.id)).opportunityId).toBe(created.id);
    expect((await entry(s, third.id)).opportunityId).toBe(created.id);
    expect((await entry(s, s.carlEntries[1]!.id)).opportunityId).toBeNull();

    const listed = await store().interactions.list(s.tenant, { scope: WHOLE_TENANT, limit: 100, contactId: s.carl.id });
    expect(
      listed.items
        .filter((i) => i.opportunityId === created.id)
        .map((i) => i.id)
        .sort()
    ).toEqual([first.id, third.id].sort());

    // Without interactions.
    const bare = await create(s, { description: 'Cold lead', contactId: s.dora.id });
    expect(bare.interactionIds).toEqual([]);
  });

  test('defaults: the stage implies the probability unless one is given; values round-trip', async () => {
    const s = await sceneIn(store());
    const proposal = await create(s, { description: 'P', contactId: s.carl.id, stage: 'proposal' });
    expect(proposal).toMatchObject({ stage: 'proposal', probability: DEFAULT_PROBABILITY.proposal, status: 'open' });
    const explicit = await create(s, {
      description: 'E',
      contactId: s.carl.id,
      stage: 'negotiation',
      probability: 33,
      estimatedValue: 12345.67,
      currency: 'EUR',
      expectedCloseDate: '2026-12-31'
    });
    expect(explicit).toMatchObject({
      stage: 'negotiation',
      probability: 33,
      estimatedValue: 12345.67,
      currency: 'EUR',
      expectedCloseDate: '2026-12-31'
    });
    expect(await opportunities().get(s.tenant, explicit.id, WHOLE_TENANT)).toEqual(explicit);
  });

  test.each([12345.67, 0.29, 19.99, 0.01, 0, 999_999_999_999.99])(
    'estimatedValue %p round-trips with 2 decimals',
    async (value) => {
      const s = await sceneIn(store());
      const created = await create(s, {
        description: 'Money',
        contactId: s.carl.id,
        estimatedValue: value,
        currency: 'EUR'
      });
      expect(created.estimatedValue).toBe(value);
      expect((await opportunities().get(s.tenant, created.id, WHOLE_TENANT)).estimatedValue).toBe(value);
      const listed = await opportunities().list(s.tenant, { scope: WHOLE_TENANT, limit: 10, contactId: s.carl.id });
      expect(listed.items.map((o) => o.estimatedValue)).toEqual([value]);
      const changed = await update(s.tenant, created.id, { estimatedValue: 100.1 });
      expect(changed.estimatedValue).toBe(100.1);
    }
  );

  test('interactions of another contact, or unknown ones, are a StoreConstraint naming each field; nothing is written', async () => {
    const s = await sceneIn(store());
    const other = await sceneIn(store()); // another tenant's entries are unknown here
    const input: OpportunityCreate = {
      description: 'Bad links',
      contactId: s.carl.id,
      interactionIds: [s.carlEntries[0]!.id, s.doraEntries[0]!.id, 'no-such-interaction', other.carlEntries[0]!.id]
    };
    const error = await rejectionOf(create(s, input));
    expect(error).toBeInstanceOf(StoreConstraint);
    expect((error as StoreConstraint).fields).toEqual([
      expect.objectContaining({ field: 'interactionIds', index: 1 }),
      expect.objectContaining({ field: 'interactionIds', index: 2 }),
      expect.objectContaining({ field: 'interactionIds', index: 3 })
    ]);
    expect((await opportunities().list(s.tenant, { scope: WHOLE_TENANT, limit: 10 })).items).toEqual([]);
    expect((await entry(s, s.carlEntries[0]!.id)).opportunityId).toBeNull();
    expect(
      (await store().interactions.get(other.tenant, other.carlEntries[0]!.id, WHOLE_TENANT)).opportunityId
    ).toBeNull();
  });

  test('an unknown contact, or one of another tenant, is a StoreConstraint', async () => {
    const s = await sceneIn(store());
    const other = await sceneIn(store());
    for (const contactId of ['no-such-contact', other.carl.id]) {
      const error = await rejectionOf(create(s, { description: 'x', contactId }));
      expect(error).toBeInstanceOf(StoreConstraint);
      expect((error as StoreConstraint).fields).toEqual([expect.objectContaining({ field: 'contactId' })]);
    }
    expect((await opportunities().list(s.tenant, { scope: WHOLE_TENANT, limit: 10 })).items).toEqual([]);
  });

  test('interactions already linked to another opportunity: StoreConflict, and nothing half-written', async () => {
    const s = await sceneIn(store());
    const [e1, e2, e3] = s.carlEntries;
    if (!e1 || !e2 || !e3) throw new Error('scene is incomplete');
    const first = await create(s, { description: 'First', contactId: s.carl.id, interactionIds: [e1.id] });

    const error = await rejectionOf(
      create(s, { description: 'Second', contactId: s.carl.id, interactionIds: [e2.id, e1.id, e3.id] })
    );
    expect(error).toBeInstanceOf(StoreConflict);
    expect((error as StoreConflict).fields).toEqual([expect.objectContaining({ field: 'interactionIds', index: 1 })]);

    // The second opportunity does not exist, and no entry moved.
    const listed = await opportunities().list(s.tenant, { scope: WHOLE_TENANT, limit: 10 });
    expect(listed.items.map((o) => o.id)).toEqual([first.id]);
    expect((await entry(s, e1.id)).opportunityId).toBe(first.id);
    expect((await entry(s, e2.id)).opportunityId).toBeNull();
    expect((await entry(s, e3.id)).opportunityId).toBeNull();
    expect((await opportunities().get(s.tenant, first.id, WHOLE_TENANT)).interactionIds).toEqual([e1.id]);

    // Linking an entry again to the opportunity it already belongs to is fine.
    const again = await update(s.tenant, first.id, { linkInteractionIds: [e1.id, e2.id] });
    expect(again.interactionIds).toEqual([e1.id, e2.id]);
  });

  test('updates move stage and status: won sets 100 and closedAt, reopening clears closedAt', async () => {
    const s = await sceneIn(store());
    const created = await create(s, { description: 'Deal', contactId: s.carl.id });

    const proposal = await update(s.tenant, created.id, { stage: 'proposal', description: 'Deal v2' });
    expect(proposal).toMatchObject({
      stage: 'proposal',
      probability: DEFAULT_PROBABILITY.proposal,
      description: 'Deal v2',
      closedAt: null
    });

    const wonAt = Date.UTC(2026, 10, 1, 15, 30);
    const won = await update(s.tenant, created.id, { status: 'won' }, wonAt);
    expect(won).toMatchObject({
      status: 'won',
      probability: 100,
      closedAt: new Date(wonAt).toISOString(),
      stage: 'proposal'
    });
    expect(await opportunities().get(s.tenant, created.id, WHOLE_TENANT)).toEqual(won);

    // A later edit of a closed opportunity keeps when it closed.
    const edited = await update(s.tenant, created.id, { description: 'Deal (signed)' }, wonAt + 86_400_000);
    expect(edited.closedAt).toBe(new Date(wonAt).toISOString());

    const reopened = await update(s.tenant, created.id, { status: 'open' });
    expect(reopened).toMatchObject({ status: 'open', closedAt: null, probability: DEFAULT_PROBABILITY.proposal });
    expect((await opportunities().get(s.tenant, created.id, WHOLE_TENANT)).closedAt).toBeNull();

    const lost = await update(s.tenant, created.id, { status: 'lost', closeReason: 'Went with a competitor' });
    expect(lost).toMatchObject({ status: 'lost', probability: 0 });
    expect(lost.closedAt).not.toBeNull();

    const linked = await update(s.tenant, created.id, {
      linkInteractionIds: [s.carlEntries[2]!.id, s.carlEntries[0]!.id]
    });
    expect(linked.interactionIds).toEqual([s.carlEntries[0]!.id, s.carlEntries[2]!.id]);
    expect((await entry(s, s.carlEntries[2]!.id)).opportunityId).toBe(created.id);
  });

  test('an update is all or nothing, and only ever touches its own tenant', async () => {
    const s = await sceneIn(store());
    const [e1, e2] = s.carlEntries;
    if (!e1 || !e2) throw new Error('scene is incomplete');
    const holder = await create(s, { description: 'Holder', contactId: s.carl.id, interactionIds: [e1.id] });
    const target = await create(s, { description: 'Target', contactId: s.carl.id });

    const conflict = await rejectionOf(
      update(s.tenant, target.id, { stage: 'negotiation', linkInteractionIds: [e2.id, e1.id] })
    );
    expect(conflict).toBeInstanceOf(StoreConflict);
    expect((conflict as StoreConflict).fields).toEqual([
      expect.objectContaining({ field: 'linkInteractionIds', index: 1 })
    ]);
    expect(await opportunities().get(s.tenant, target.id, WHOLE_TENANT)).toEqual(target);
    expect((await entry(s, e2.id)).opportunityId).toBeNull();

    const invalid = await rejectionOf(
      update(s.tenant, target.id, { description: 'Changed', linkInteractionIds: [s.doraEntries[0]!.id] })
    );
    expect(invalid).toBeInstanceOf(StoreConstraint);
    expect((invalid as StoreConstraint).fields).toEqual([
      expect.objectContaining({ field: 'linkInteractionIds', index: 0 })
    ]);
    expect(await opportunities().get(s.tenant, target.id, WHOLE_TENANT)).toEqual(target);

    const other = newTenantId();
    expect(
      await rejectionOf(
        opportunities().update(
          other,
          holder.id,
          valuesForUpdate(holder, { status: 'won' }, Date.now()),
          [],
          ACTOR,
          WHOLE_TENANT
        )
      )
    ).toBeInstanceOf(StoreNotFound);
    expect(await opportunities().get(s.tenant, holder.id, WHOLE_TENANT)).toEqual(holder);
    expect(
      await rejectionOf(
        opportunities().update(s.tenant, 'no-such-id', valuesForUpdate(holder, {}, Date.now()), [], ACTOR, WHOLE_TENANT)
      )
    ).toBeInstanceOf(StoreNotFound);
  });

  test('list by contact and status, newest first, with pagination that walks each once', async () => {
    const s = await sceneIn(store());
    const carlIds: string[] = [];
    for (let i = 0; i < 7; i += 1)
      carlIds.push((await create(s, { description: `Carl ${i}`, contactId: s.carl.id })).id);
    const doraIds: string[] = [];
    for (let i = 0; i < 2; i += 1)
      doraIds.push((await create(s, { description: `Dora ${i}`, contactId: s.dora.id })).id);
    const wonIds = [carlIds[1]!, carlIds[4]!, doraIds[0]!];
    for (const id of wonIds) await update(s.tenant, id, { status: 'won' });
    await update(s.tenant, carlIds[5]!, { status: 'lost', closeReason: 'No budget' });

    const walk = (filter: { contactId?: string; status?: 'open' | 'won' | 'lost' }, limit = 3) =>
      allPages((cursor) => opportunities().list(s.tenant, { scope: WHOLE_TENANT, ...filter, limit, cursor }));

    const carl = await walk({ contactId: s.carl.id });
    expect(carl.pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(carl.items.map((o) => o.id).sort()).toEqual([...carlIds].sort());
    const created = carl.items.map((o) => o.createdAt);
    expect(created).toEqual([...created].sort().reverse());

    const everything = await walk({}, 2);
    expect(everything.items.map((o) => o.id).sort()).toEqual([...carlIds, ...doraIds].sort());
    expect(new Set(everything.items.map((o) => o.id)).size).toBe(9);

    expect((await walk({ status: 'won' }, 1)).items.map((o) => o.id).sort()).toEqual([...wonIds].sort());
    expect((await walk({ contactId: s.carl.id, status: 'won' })).items.map((o) => o.id).sort()).toEqual(
      [carlIds[1]!, carlIds[4]!].sort()
    );
    expect((await walk({ contactId: s.carl.id, status: 'lost' })).items.map((o) => o.id)).toEqual([carlIds[5]!]);
    const open = await walk({ contactId: s.carl.id, status: 'open' });
    expect(open.items.map((o) => o.id).sort()).toEqual([carlIds[0]!, carlIds[2]!, carlIds[3]!, carlIds[6]!].sort());
    expect(open.items.every((o) => o.status === 'open' && o.contact.id === s.carl.id)).toBe(true);

    expect(
      await rejectionOf(opportunities().list(s.tenant, { scope: WHOLE_TENANT, limit: 3, cursor: 'bogus' }))
    ).toBeInstanceOf(InvalidCursor);
  });

  test('pagination walks each once also when opportunities share their creation time', async () => {
    const s = await sceneIn(store());
    const ids: string[] = [];
    // Only Date is faked (frozen), so every opportunity gets the same createdAt; I/O timers stay real.
    jest.useFakeTimers({
      now: Date.UTC(2026, 6, 1, 12),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout'
      ]
    });
    try {
      for (let i = 0; i < 5; i += 1) ids.push((await create(s, { description: `Tie ${i}`, contactId: s.carl.id })).id);
    } finally {
      jest.useRealTimers();
    }
    const later = await create(s, { description: 'Later', contactId: s.carl.id });
    for (const limit of [1, 2, 3]) {
      const { items } = await allPages((cursor) =>
        opportunities().list(s.tenant, { scope: WHOLE_TENANT, contactId: s.carl.id, limit, cursor })
      );
      expect(items.map((o) => o.id)).toHaveLength(6);
      expect(items.map((o) => o.id).sort()).toEqual([...ids, later.id].sort());
      expect(items[0]?.id).toBe(later.id);
      expect(new Set(items.slice(1).map((o) => o.createdAt))).toEqual(
        new Set([new Date(Date.UTC(2026, 6, 1, 12)).toISOString()])
      );
    }
  });

  test('a stage change is recorded with the change itself: a refused link rolls both back', async () => {
    const s = await sceneIn(store());
    const created = await create(s, { description: 'Deal', contactId: s.carl.id });
    const refused = await rejectionOf(
      update(s.tenant, created.id, { stage: 'proposal', linkInteractionIds: [s.doraEntries[0]!.id] })
    );
    expect(refused).toBeInstanceOf(StoreConstraint);
    expect((await opportunities().get(s.tenant, created.id, WHOLE_TENANT)).stage).toBe('qualification');
    const history = await opportunities().history(s.tenant, created.id, WHOLE_TENANT);
    expect(history.map((c) => [c.fromStage, c.toStage])).toEqual([[null, 'qualification']]);

    await update(s.tenant, created.id, { stage: 'proposal' });
    const moved = await opportunities().history(s.tenant, created.id, WHOLE_TENANT);
    expect(moved.map((c) => [c.fromStage, c.toStage])).toEqual([
      ['qualification', 'proposal'],
      [null, 'qualification']
    ]);
    expect(moved[0]).toMatchObject({ by: { name: ACTOR.name }, fromStatus: 'open', toStatus: 'open', reason: null });
    const other = await sceneIn(store());
    expect(await rejectionOf(opportunities().history(other.tenant, created.id, WHOLE_TENANT))).toBeInstanceOf(
      StoreNotFound
    );
  });

  test("a tenant never sees or touches another tenant's opportunities", async () => {
    const a = await sceneIn(store());
    const b = await sceneIn(store());
    const inA = await create(a, {
      description: 'A deal',
      contactId: a.carl.id,
      interactionIds: [a.carlEntries[0]!.id]
    });

    expect(await rejectionOf(opportunities().get(b.tenant, inA.id, WHOLE_TENANT))).toBeInstanceOf(StoreNotFound);
    expect((await opportunities().list(b.tenant, { scope: WHOLE_TENANT, limit: 10 })).items).toEqual([]);
    expect(
      (await opportunities().list(b.tenant, { scope: WHOLE_TENANT, limit: 10, contactId: a.carl.id })).items
    ).toEqual([]);

    // B cannot link A's entries to its own opportunity.
    const steal = await rejectionOf(
      create(b, { description: 'B deal', contactId: b.carl.id, interactionIds: [a.carlEntries[1]!.id] })
    );
    expect(steal).toBeInstanceOf(StoreConstraint);
    const mine = await create(b, { description: 'B deal', contactId: b.carl.id });
    const stealLater = await rejectionOf(update(b.tenant, mine.id, { linkInteractionIds: [a.carlEntries[1]!.id] }));
    expect(stealLater).toBeInstanceOf(StoreConstraint);
    expect((await store().interactions.get(a.tenant, a.carlEntries[1]!.id, WHOLE_TENANT)).opportunityId).toBeNull();
    expect(
      (await opportunities().list(a.tenant, { scope: WHOLE_TENANT, limit: 10 })).items.map((o: Opportunity) => o.id)
    ).toEqual([inA.id]);
  });
});
