import { useTestApi } from '../../helpers/api.js';
import { graphMessage } from '../../helpers/messages.js';

/*
 * The audit log over HTTP: each change is recorded with who made it, in the same transaction (a refused
 * change leaves no entry), newest first with a cursor, readable by admins only.
 */

interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; name: string };
  action: string;
  entityType: string;
  entityId: string;
  changes: Record<string, unknown>;
}

describe.each(['sqlite', 'postgres'] as const)('audit log on %s', (engine) => {
  const tenantId = 'tenant-audit';
  const api = useTestApi(engine, {
    tenantId,
    people: {
      admin: { email: 'ada@northwind.example', name: 'Ada Admin', roles: ['Admin'] },
      ana: { email: 'ana@northwind.example', name: 'Ana López' }
    }
  });
  const { tokens } = api;

  const allEntries = async (): Promise<AuditEntry[]> => {
    const entries: AuditEntry[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.call('GET', `/api/v1/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`, {
        as: tokens.admin
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      entries.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return entries;
  };

  test('every change is recorded with its actor, newest first; refused changes leave nothing', async () => {
    const me = (await api.call('GET', '/api/v1/me', { as: tokens.ana })).body;
    const adminMe = (await api.call('GET', '/api/v1/me', { as: tokens.admin })).body;
    const contact = await api.call('POST', '/api/v1/contacts', {
      as: tokens.ana,
      body: { name: 'Lena', email: 'lena@fabrikam.example' }
    });
    const duplicate = await api.call('POST', '/api/v1/contacts', {
      as: tokens.ana,
      body: { name: 'Lena again', email: 'lena@fabrikam.example' }
    });
    expect(duplicate.status).toBe(409);
    const message = graphMessage('lena@fabrikam.example', ['ana@northwind.example']);
    const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: tokens.ana,
      body: { messages: [message] }
    });
    const entryId = logged.body.logged[0].id;
    // Logging again creates nothing, and so records nothing.
    await api.call('POST', '/api/v1/interactions/log-thread', { as: tokens.ana, body: { messages: [message] } });
    const opportunity = await api.call('POST', '/api/v1/opportunities', {
      as: tokens.ana,
      body: { description: 'Renewal', contactId: contact.body.id, interactionIds: [entryId] }
    });
    await api.call('PATCH', `/api/v1/opportunities/${opportunity.body.id}`, {
      as: tokens.ana,
      body: { stage: 'proposal' }
    });
    const team = await api.call('POST', '/api/v1/teams', { as: tokens.admin, body: { name: 'East' } });
    await api.call('PATCH', `/api/v1/salespeople/${me.salesperson.id}`, {
      as: tokens.admin,
      body: { teamId: team.body.id }
    });
    await api.call('PATCH', '/api/v1/settings', { as: tokens.admin, body: { historyVisibility: 'team' } });
    const refused = await api.call('PATCH', `/api/v1/teams/${team.body.id}`, {
      as: tokens.admin,
      body: { managerId: 'no-such-person' }
    });
    expect(refused.status).toBe(400);

    const entries = await allEntries();
    const summary = entries.map((e) => [e.action, e.actor.name, e.entityId]);
    expect(summary).toEqual([
      ['settings.updated', 'Ada Admin', tenantId],
      ['salesperson.updated', 'Ada Admin', me.salesperson.id],
      ['team.created', 'Ada Admin', team.body.id],
      ['opportunity.updated', 'Ana López', opportunity.body.id],
      ['opportunity.created', 'Ana López', opportunity.body.id],
      ['interaction.logged', 'Ana López', entryId],
      ['contact.created', 'Ana López', contact.body.id],
      ['salesperson.created', 'Ada Admin', adminMe.salesperson.id],
      ['salesperson.created', 'Ana López', me.salesperson.id]
    ]);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    const byAction = new Map(entries.map((e) => [e.action, e]));
    expect(byAction.get('settings.updated')?.changes).toEqual({
      historyVisibility: { from: 'organization', to: 'team' }
    });
    expect(byAction.get('opportunity.updated')?.changes).toMatchObject({
      stage: { from: 'qualification', to: 'proposal' },
      probability: { from: 20, to: 50 }
    });
    expect(byAction.get('interaction.logged')?.changes).toMatchObject({
      internetMessageId: message.internetMessageId,
      contactId: contact.body.id,
      source: 'addin'
    });
    expect(byAction.get('contact.created')?.actor.id).not.toBe('');

    // Automatic logging's settings and quarantine retries are audited too; a refused retry records nothing.
    await api.call('PATCH', '/api/v1/admin/mailbox/settings', {
      as: tokens.admin,
      body: { neverLogDomains: ['bank.example'], skipInternalOnly: false }
    });
    await api.server.store.mailbox.markQuarantined(tenantId, 'log@northwind.example', 'graph-id-1', 'folder-q');
    expect(
      (await api.call('POST', '/api/v1/admin/mailbox/quarantine/graph-id-1/retry', { as: tokens.admin })).status
    ).toBe(202);
    expect(
      (await api.call('POST', '/api/v1/admin/mailbox/quarantine/unknown/retry', { as: tokens.admin })).status
    ).toBe(404);
    const latest = (await allEntries()).slice(0, 2);
    expect(latest.map((e) => [e.action, e.actor.name, e.entityId, e.changes])).toEqual([
      ['quarantine.retry-requested', 'Ada Admin', 'graph-id-1', {}],
      [
        'mailbox-settings.updated',
        'Ada Admin',
        tenantId,
        { neverLogDomains: ['bank.example'], skipInternalOnly: false }
      ]
    ]);

    const other = await api.token({ email: 'root@elsewhere.example', roles: ['Admin'], tenantId: 'tenant-elsewhere' });
    expect((await api.call('GET', '/api/v1/audit', { as: other })).body.items).toEqual([]);
    expect((await api.call('GET', '/api/v1/audit', { as: tokens.ana })).status).toBe(403);
    expect((await api.call('GET', '/api/v1/audit?cursor=forged', { as: tokens.admin })).status).toBe(400);
  });
});
