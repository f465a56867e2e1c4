import { useTestApi } from '../../helpers/api.js';
import { graphMessage } from '../../helpers/messages.js';
import { ENGINES } from '../../helpers/stores.js';

/*
 * Linking an entry to an opportunity is atomic (issue 15, item 6): of many concurrent requests that link one
 * entry to different opportunities, one wins and every other gets a 409; the audit log records only what happened.
 */

const RACERS = 12;

describe.each(ENGINES)('concurrent links on %s', (engine) => {
  const tenantId = 'tenant-link-race';
  const api = useTestApi(engine, {
    env: { RATE_LIMIT_USER_PER_MINUTE: '100000' },
    tenantId,
    people: {
      ana: { email: 'ana@northwind.example', name: 'Ana' },
      admin: { email: 'ada@northwind.example', name: 'Ada', roles: ['Admin'] }
    }
  });
  const { tokens } = api;
  let contactId: string;

  beforeAll(async () => {
    await api.call('GET', '/api/v1/me', { as: tokens.ana });
    contactId = (
      await api.call('POST', '/api/v1/contacts', {
        as: tokens.ana,
        body: { name: 'Lena', email: 'lena@fabrikam.example' }
      })
    ).body.id;
  });

  const newEntry = async (): Promise<string> => {
    const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: tokens.ana,
      body: { messages: [graphMessage('lena@fabrikam.example', ['ana@northwind.example'])] }
    });
    return logged.body.logged[0].id as string;
  };
  const auditedLinks = async (entryId: string) =>
    (
      (await api.call('GET', '/api/v1/audit?limit=100', { as: tokens.admin })).body.items as Array<{
        action: string;
        entityId: string;
        changes: { linkedInteractionIds?: string[] };
      }>
    ).filter((entry) => entry.changes.linkedInteractionIds?.includes(entryId));

  test('PATCHes linking one entry to different opportunities: one 200, the rest 409, one audit entry', async () => {
    const entryId = await newEntry();
    const opportunities: string[] = [];
    for (let i = 0; i < RACERS; i += 1) {
      const created = await api.call('POST', '/api/v1/opportunities', {
        as: tokens.ana,
        body: { description: `Deal ${i}`, contactId }
      });
      opportunities.push(created.body.id);
    }
    const answers = await Promise.all(
      opportunities.map((id) =>
        api.call('PATCH', `/api/v1/opportunities/${id}`, { as: tokens.ana, body: { linkInteractionIds: [entryId] } })
      )
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(RACERS - 1);
    const winner = opportunities[statuses.indexOf(200)];
    const entry = await api.call('GET', `/api/v1/interactions/${entryId}`, { as: tokens.ana });
    expect(entry.body.opportunityId).toBe(winner);
    expect((await auditedLinks(entryId)).map((audit) => audit.entityId)).toEqual([winner]);
  });

  test('new opportunities created with one entry: one 201, the rest 409 and not created', async () => {
    const entryId = await newEntry();
    const answers = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        api.call('POST', '/api/v1/opportunities', {
          as: tokens.ana,
          body: { description: `Race ${i}`, contactId, interactionIds: [entryId] }
        })
      )
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(RACERS - 1);
    const winner = answers[statuses.indexOf(201)]?.body.id;
    const listed = await api.call('GET', `/api/v1/opportunities?contactId=${contactId}&limit=100`, { as: tokens.ana });
    const racers = listed.body.items.filter((o: { description: string }) => o.description.startsWith('Race '));
    expect(racers.map((o: { id: string }) => o.id)).toEqual([winner]);
    expect((await auditedLinks(entryId)).map((audit) => audit.entityId)).toEqual([winner]);
  });
});
