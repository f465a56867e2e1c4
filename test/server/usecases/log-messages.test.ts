import { valuesForCreate } from '../../../src/server/domain/opportunities.js';
import { WHOLE_TENANT } from '../../../src/server/store/index.js';
import { logThread } from '../../../src/server/usecases/log-messages.js';
import { OPPORTUNITY_HEADER } from '../../../src/shared/message-marks.js';
import { newTenantId, ref, rejectionOf } from '../../helpers/contract.js';
import { failingTrigger, INJECTED_FAULT } from '../../helpers/fault-triggers.js';
import { graphMessage } from '../../helpers/messages.js';
import { createTestStore, ENGINES, type TestStore } from '../../helpers/stores.js';

/*
 * Logging is one unit of work: the entries, their audit, and the links their messages' opportunity marks ask
 * for commit together or not at all.
 */

const ACTOR = { userId: 'oid-ana', name: 'Ana' };

describe.each(ENGINES)('logging messages on %s', (engine) => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = await createTestStore(engine);
  });
  afterAll(async () => testStore?.dispose());

  test('a failing opportunity link leaves none of the batch logged or audited; without the fault all of it is', async () => {
    const { store } = testStore;
    const tenant = newTenantId();
    const ana = ref(await store.directory.createSalesperson(tenant, { name: 'Ana', email: 'ana@northwind.example' }));
    const lena = await store.directory.createContact(tenant, { name: 'Lena', email: 'lena@fabrikam.example' }, null);
    const input = { description: 'Renewal', contactId: lena.id };
    const renewal = await store.opportunities.create(tenant, input, valuesForCreate(input), ana, ACTOR, WHOLE_TENANT);
    const messages = [
      graphMessage('lena@fabrikam.example', ['ana@northwind.example']),
      graphMessage('ana@northwind.example', ['lena@fabrikam.example'], {
        internetMessageHeaders: [{ name: OPPORTUNITY_HEADER, value: renewal.id }]
      })
    ];
    const options = { source: 'addin', loggedBy: ana, actor: ACTOR } as const;
    const logged = async () => (await store.teamHistory.list(tenant, { scope: WHOLE_TENANT }, { limit: 10 })).items;
    const audited = async () => (await store.audit.list(tenant, { limit: 50 })).items.map((entry) => entry.action);

    const removeFault = await failingTrigger(testStore, 'interactions', 'update of opportunity_id', 'true');
    try {
      const failure = await rejectionOf(logThread(store, tenant, messages, options));
      expect(String(failure)).toContain(INJECTED_FAULT);
    } finally {
      await removeFault();
    }
    expect(await logged()).toEqual([]);
    expect(await audited()).toEqual(['opportunity.created']);

    // The same batch again, without the fault: nothing of the failed attempt stands in its way.
    const result = await logThread(store, tenant, messages, options);
    expect(result.logged).toHaveLength(2);
    expect((await logged()).map((entry) => entry.opportunityId ?? 'unlinked').sort()).toEqual([renewal.id, 'unlinked']);
    expect((await audited()).sort()).toEqual([
      'interaction.logged',
      'interaction.logged',
      'opportunity.created',
      'opportunity.linked-by-mark'
    ]);
  });
});
