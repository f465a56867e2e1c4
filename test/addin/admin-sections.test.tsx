/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { Salesperson } from '../../src/shared/schemas/directory.js';
import type { DirectoryImportReport } from '../../src/shared/schemas/admin.js';
import { fakeAdminApi, renderAs, type FakeAdminApi } from './admin-fakes.js';
import { contactLena, refusedWith } from './pane-fakes.js';

// Setup keeps typed values in localStorage (per tenant): each test starts from the server's values.
beforeEach(() => window.localStorage.clear());

/* The admin view's settings, health and directory sections against a fake admin API. */

beforeEach(() => jest.clearAllMocks());

// jsdom's Blob lacks text(), which every browser the pane runs in has.
if (!('text' in Blob.prototype)) {
  Object.assign(Blob.prototype, {
    text(this: Blob) {
      return new Promise<string>((resolve) => {
        const reader = new FileReader();
        reader.onload = () => resolve(String(reader.result));
        reader.readAsText(this);
      });
    }
  });
}

async function openSection(adminApi: FakeAdminApi, tab: string) {
  renderAs(['Admin'], adminApi);
  await userEvent.click(await screen.findByRole('button', { name: 'Admin' }));
  await userEvent.click(await screen.findByRole('tab', { name: tab }));
}

/** A 400 as the API sends it: pointers as URI fragments, Ajv's words, its own field names. */
const settingsRejected = () =>
  refusedWith(
    400,
    'validation-error',
    'The body is not valid: /neverLogDomains/1 must match pattern "^@?[A-Za-z0-9.-]+$"; /intervalSeconds must be >= 60.',
    [
      { location: 'body', pointer: '#/neverLogDomains/1', detail: 'must match pattern "^@?[A-Za-z0-9.-]+$"' },
      { location: 'body', pointer: '#/intervalSeconds', detail: 'must be >= 60' }
    ]
  );

test('settings: only what changed is sent; the API’s errors appear at their fields in the form’s own words', async () => {
  const adminApi = fakeAdminApi();
  adminApi.saveMailboxSettings.mockRejectedValueOnce(settingsRejected());
  await openSection(adminApi, 'Settings');
  const interval = await screen.findByLabelText('Check the mailbox every (minutes)');
  expect(interval).toHaveValue('5');
  await userEvent.clear(interval);
  await userEvent.type(interval, '0.5');
  const domains = screen.getByLabelText('Never log these domains (one per line)');
  // A blank line in between: the error names the line the admin sees, not the position in what was sent.
  await userEvent.type(domains, '{enter}{enter}bad domain!');
  await userEvent.click(screen.getByRole('radio', { name: 'Salespeople see their own team’s history' }));
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));

  // The summary sits under the fields, above Save.
  expect(await screen.findByText('Nothing was saved. Correct the fields marked above.')).toBeInTheDocument();
  expect(adminApi.saveMailboxSettings).toHaveBeenCalledWith({
    intervalSeconds: 30,
    neverLogDomains: ['payroll.example', 'bad domain!']
  });
  expect(domains).toHaveAccessibleDescription('Line 3: enter a domain such as contoso.com, without spaces.');
  expect(interval).toHaveAccessibleDescription('Enter a number of minutes from 1 to 1,440 (one day).');
  // Neither the validator's words nor the API's field names reach the admin.
  expect(document.body).not.toHaveTextContent(/must match|must be|intervalSeconds|neverLogDomains|\/interval/);
  // The mailbox settings failed, so the visibility was not changed either.
  expect(adminApi.saveTenantSettings).not.toHaveBeenCalled();

  await userEvent.clear(interval);
  await userEvent.type(interval, '10');
  await userEvent.clear(domains);
  await userEvent.type(domains, 'payroll.example');
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('Saved.')).toBeInTheDocument();
  expect(adminApi.saveMailboxSettings).toHaveBeenLastCalledWith({ intervalSeconds: 600 });
  expect(adminApi.saveTenantSettings).toHaveBeenCalledWith({ historyVisibility: 'team' });
  expect(interval).not.toHaveAccessibleDescription();

  // The send-time prompt is off until the admin switches it on.
  const sendPrompt = screen.getByRole('switch', {
    name: 'Ask at Send whether to link a message to an open opportunity'
  });
  expect(sendPrompt).not.toBeChecked();
  await userEvent.click(sendPrompt);
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(adminApi.saveTenantSettings).toHaveBeenLastCalledWith({ sendPrompt: true }));
});

test('settings: the quiet-direction alert’s business hours; a refused number is worded at its field', async () => {
  const adminApi = fakeAdminApi();
  adminApi.saveMailboxSettings.mockRejectedValueOnce(
    refusedWith(400, 'validation-error', 'The body is not valid: /captureAlertHours must be <= 168.', [
      { location: 'body', pointer: '#/captureAlertHours', detail: 'must be <= 168' }
    ])
  );
  await openSection(adminApi, 'Settings');
  const hours = await screen.findByLabelText('Alert when one direction is quiet for (business hours)');
  expect(hours).toHaveValue('4');
  await userEvent.clear(hours);
  await userEvent.type(hours, '200');
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(hours).toHaveAccessibleDescription(/Enter a whole number of hours from 0 to 168\./));
  await userEvent.clear(hours);
  await userEvent.type(hours, '8');
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(adminApi.saveMailboxSettings).toHaveBeenLastCalledWith({ captureAlertHours: 8 }));
});

test('settings: errors are in Outlook’s language; switching logging on without an address asks for it', async () => {
  const adminApi = fakeAdminApi();
  adminApi.saveMailboxSettings
    .mockRejectedValueOnce(settingsRejected())
    .mockRejectedValueOnce(
      refusedWith(400, 'invalid-request', 'Set the shared mailbox address before switching automatic logging on.', [
        { location: 'body', pointer: '#/mailboxAddress', detail: 'is required to enable automatic logging' }
      ])
    );
  renderAs(['Admin'], adminApi, 'fi-FI');
  await userEvent.click(await screen.findByRole('button', { name: 'Ylläpito' }));
  await userEvent.click(await screen.findByRole('tab', { name: 'Asetukset' }));
  const interval = await screen.findByLabelText('Postilaatikon tarkistusväli (minuuttia)');
  await userEvent.clear(interval);
  await userEvent.type(interval, '0.5');
  await userEvent.click(screen.getByRole('button', { name: 'Tallenna' }));
  expect(await screen.findByText('Mitään ei tallennettu. Korjaa yllä merkityt kentät.')).toBeInTheDocument();
  expect(interval).toHaveAccessibleDescription('Anna minuuttimäärä väliltä 1–1 440 (vuorokausi).');
  expect(document.body).not.toHaveTextContent(/must|seconds|\//);

  await userEvent.clear(interval);
  await userEvent.type(interval, '5');
  await userEvent.clear(screen.getByLabelText('Jaetun postilaatikon osoite'));
  await userEvent.click(screen.getByRole('switch', { name: 'Kirjaa sähköpostit lokiin automaattisesti' }));
  await userEvent.click(screen.getByRole('button', { name: 'Tallenna' }));
  await waitFor(() =>
    expect(screen.getByLabelText('Jaetun postilaatikon osoite')).toHaveAccessibleDescription(
      'Anna jaetun postilaatikon osoite ennen kuin otat automaattisen kirjauksen käyttöön.'
    )
  );
});

test('health: runs with their counts, backlog, skipped by reason, and a quarantined message retried', async () => {
  const adminApi = fakeAdminApi({
    health: async () => ({
      configured: true,
      lastRun: null,
      backlog: 42,
      skippedLast7Days: { 'sender-not-matched': 7, 'internal-only': 0, 'some-new-reason': 2 },
      mode: 'notifications',
      notificationsDropped: 3,
      captureAlerts: []
    }),
    runs: async () => ({
      items: [
        {
          id: 'r1',
          mailboxAddress: 'log@northwind.example',
          trigger: 'schedule',
          status: 'succeeded',
          startedAt: '2026-03-03T10:00:00.000Z',
          finishedAt: '2026-03-03T10:00:05.000Z',
          durationMs: 5000,
          seen: 12,
          logged: 9,
          skipped: { 'sender-not-matched': 2, draft: 1 },
          failed: 0,
          quarantined: 0,
          requests: 4,
          throttled: 0,
          error: null
        }
      ],
      nextCursor: null
    }),
    quarantine: async () => ({
      items: [
        {
          mailboxAddress: 'log@northwind.example',
          messageId: 'AAMk/odd+id',
          internetMessageId: '<q@fabrikam.example>',
          subject: 'Broken attachment',
          sender: 'lena.berg@fabrikam.example',
          receivedAt: '2026-03-02T10:00:00.000Z',
          attempts: 3,
          status: 'quarantined',
          reason: 'Graph answered 500 three times',
          folderId: null,
          updatedAt: '2026-03-02T10:00:00.000Z'
        }
      ],
      nextCursor: null
    })
  });
  await openSection(adminApi, 'Health');
  expect(await screen.findByText('42')).toBeInTheDocument();
  expect(screen.getByText('Near real time: Graph notifications')).toBeInTheDocument();
  expect(screen.getByText('3')).toBeInTheDocument();
  const runs = screen.getByRole('list', { name: 'Recent runs' });
  expect(within(runs).getByText('Seen 12 · logged 9 · skipped 3 · failed 0 · quarantined 0')).toBeInTheDocument();
  expect(within(runs).getByText('Succeeded')).toBeInTheDocument();
  expect(screen.getByText('Sender is neither a salesperson nor a contact').nextSibling).toHaveTextContent('7');
  expect(screen.getByText('some-new-reason')).toBeInTheDocument();
  expect(screen.queryByText('Nobody outside the organization')).toBeNull();

  const quarantine = screen.getByRole('list', { name: 'Quarantine' });
  expect(within(quarantine).getByText('Reason: Graph answered 500 three times')).toBeInTheDocument();
  await userEvent.click(within(quarantine).getByRole('button', { name: 'Retry: Broken attachment' }));
  expect(adminApi.retryQuarantined).toHaveBeenCalledWith('AAMk/odd+id');
  expect(await within(quarantine).findByText('Will be tried again on the next run')).toBeInTheDocument();
  expect(within(quarantine).queryByRole('button')).toBeNull();
});

test('health: a quiet inbound direction names its rule; capture per day; an unmatched sender added in one click', async () => {
  let queued = true;
  const adminApi = fakeAdminApi({
    health: async () => ({
      configured: true,
      lastRun: null,
      backlog: 0,
      skippedLast7Days: {},
      mode: 'polling',
      notificationsDropped: 0,
      captureAlerts: [
        {
          direction: 'inbound',
          quietSince: '2026-03-03T10:00:00.000Z',
          businessHours: 4,
          rule: {
            name: 'Interaction log: mail sent to the organization',
            command:
              "New-TransportRule -Name 'Interaction log: mail sent to the organization' -FromScope NotInOrganization"
          }
        }
      ]
    }),
    capture: async () => ({
      from: '2026-02-18T00:00:00.000Z',
      to: '2026-03-04T00:00:00.000Z',
      rows: [
        {
          day: '2026-03-03',
          salesperson: { id: 's-ana', name: 'Ana López' },
          direction: 'outbound',
          seen: 17,
          logged: 11,
          notLogged: { 'no-matching-recipient': 5 },
          pending: 1
        }
      ]
    }),
    unmatched: async () =>
      queued
        ? {
            addresses: [
              {
                address: 'new@tailspin.example',
                domain: 'tailspin.example',
                count: 2,
                lastReceivedAt: '2026-03-03T09:00:00.000Z',
                proposedCompany: 'Tailspin'
              }
            ],
            domains: [{ domain: 'tailspin.example', count: 2, addresses: 1 }]
          }
        : { addresses: [], domains: [] },
    addUnmatchedContact: async (input) => {
      queued = false;
      return {
        created: true,
        requeued: 2,
        contact: {
          id: 'c-new',
          name: input.name,
          email: input.address,
          alternateEmails: [],
          company: input.company ?? null,
          phone: null,
          active: true,
          createdAt: '2026-03-03T10:00:00.000Z',
          updatedAt: '2026-03-03T10:00:00.000Z'
        }
      };
    }
  });
  await openSection(adminApi, 'Health');
  expect(
    await screen.findByText(/No inbound mail for 4 business hours .* “Interaction log: mail sent to the organization”/)
  ).toBeInTheDocument();
  expect(screen.getByText(/^New-TransportRule -Name/)).toBeInTheDocument();

  const table = screen.getByRole('table', { name: 'Captured in the last 14 days' });
  const [row] = within(table).getAllByRole('row').slice(1);
  expect(
    within(row!)
      .getAllByRole('cell')
      .map((cell) => cell.textContent)
  ).toEqual(['2026-03-03', 'Ana López', 'outbound', '17', '11', '5', '1']);

  const queue = screen.getByRole('list', { name: 'Not logged: no contact matched' });
  await userEvent.click(within(queue).getByRole('button', { name: 'Add new@tailspin.example as a contact' }));
  expect(within(queue).getByRole('textbox', { name: 'Company' })).toHaveValue('Tailspin');
  const add = within(queue).getByRole('button', { name: 'Add contact and log' });
  expect(add).toBeDisabled();
  await userEvent.type(within(queue).getByRole('textbox', { name: /Name/ }), 'Nia Newman');
  await userEvent.click(add);
  expect(adminApi.addUnmatchedContact).toHaveBeenCalledWith({
    address: 'new@tailspin.example',
    name: 'Nia Newman',
    company: 'Tailspin'
  });
  expect(
    await screen.findByText('new@tailspin.example is a contact now; messages being logged: 2.')
  ).toBeInTheDocument();
  expect(await screen.findByText('No message is waiting for a contact.')).toBeInTheDocument();
});

const mikko: Salesperson = {
  id: 's-mikko',
  name: 'Mikko Virtanen',
  email: 'mikko@northwind.example',
  alternateEmails: [],
  teamId: 'team-1',
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z'
};

test('directory: search, deactivate, and add with the API’s error at the field', async () => {
  const adminApi = fakeAdminApi({
    salespeople: async (query) => ({ items: query ? [] : [mikko], nextCursor: null }),
    teams: async () => ({
      items: [{ id: 'team-1', name: 'Nordics', managerId: null, memberIds: ['s-mikko'], createdAt: '', updatedAt: '' }]
    }),
    updateSalesperson: async (id, patch) => ({ ...mikko, ...patch, id }),
    createSalesperson: async () => {
      throw refusedWith(409, 'conflict', 'Another salesperson already uses that address.', [
        { location: 'body', pointer: '/email', detail: 'is already in use' }
      ]);
    }
  });
  await openSection(adminApi, 'Directory');
  const list = await screen.findByRole('list', { name: 'Salespeople' });
  expect(within(list).getByText('mikko@northwind.example · Nordics')).toBeInTheDocument();

  await userEvent.click(within(list).getByRole('button', { name: 'Deactivate: Mikko Virtanen' }));
  expect(adminApi.updateSalesperson).toHaveBeenCalledWith('s-mikko', { active: false });
  expect(await screen.findByText('Mikko Virtanen is deactivated: their mail is no longer logged.')).toBeInTheDocument();
  expect(within(list).getByText('mikko@northwind.example · Nordics · Inactive')).toBeInTheDocument();
  expect(within(list).getByRole('button', { name: 'Reactivate: Mikko Virtanen' })).toBeInTheDocument();

  await userEvent.type(screen.getByLabelText('Search'), 'nobody');
  expect(await screen.findByText('Nobody matches.')).toBeInTheDocument();
  expect(adminApi.salespeople).toHaveBeenLastCalledWith('nobody', undefined);

  await userEvent.click(screen.getByRole('button', { name: 'Add salesperson' }));
  const dialog = await screen.findByRole('dialog');
  await userEvent.type(within(dialog).getByLabelText(/^Name/), 'Ana Two');
  await userEvent.type(within(dialog).getByLabelText(/^Email/), 'mikko@northwind.example');
  await userEvent.selectOptions(within(dialog).getByLabelText('Team'), 'Nordics');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
  await waitFor(() =>
    expect(within(dialog).getByLabelText(/^Email/)).toHaveAccessibleDescription('Someone else already has this.')
  );
  expect(adminApi.createSalesperson).toHaveBeenCalledWith({
    name: 'Ana Two',
    email: 'mikko@northwind.example',
    alternateEmails: [],
    teamId: 'team-1'
  });
  // The problem's code in the pane's words, not the API's English detail.
  expect(
    within(dialog).getByText(
      'This conflicts with what is already saved. Check the fields marked, or reload and try again.'
    )
  ).toBeInTheDocument();
});

test('directory: a contact is deactivated and reactivated like a salesperson', async () => {
  const adminApi = fakeAdminApi({
    contacts: async () => ({ items: [contactLena], nextCursor: null }),
    updateContact: async (id, patch) => ({ ...contactLena, ...patch, id })
  });
  await openSection(adminApi, 'Directory');
  await userEvent.click(screen.getByRole('tab', { name: 'Contacts' }));
  const list = await screen.findByRole('list', { name: 'Contacts' });
  expect(within(list).getByText(`${contactLena.email} · Fabrikam`)).toBeInTheDocument();

  await userEvent.click(within(list).getByRole('button', { name: 'Deactivate: Lena Berg' }));
  expect(adminApi.updateContact).toHaveBeenCalledWith(contactLena.id, { active: false });
  expect(adminApi.updateSalesperson).not.toHaveBeenCalled();
  expect(await within(list).findByText(`${contactLena.email} · Fabrikam · Inactive`)).toBeInTheDocument();
  await userEvent.click(within(list).getByRole('button', { name: 'Reactivate: Lena Berg' }));
  expect(adminApi.updateContact).toHaveBeenLastCalledWith(contactLena.id, { active: true });
});

function importReport(dryRun: boolean, rejected: boolean): DirectoryImportReport {
  return {
    kind: 'contacts',
    dryRun,
    committed: !dryRun && !rejected,
    counts: { rows: 2, created: rejected ? 1 : 2, updated: 0, rejected: rejected ? 1 : 0 },
    rows: [
      { row: 2, status: 'created', email: 'a@fabrikam.example', id: null, reasons: [] },
      rejected
        ? {
            row: 3,
            status: 'rejected',
            email: 'not-an-address',
            id: null,
            reasons: [{ field: 'email', detail: 'is not an email address' }]
          }
        : { row: 3, status: 'created', email: 'b@fabrikam.example', id: null, reasons: [] }
    ]
  };
}

test('CSV import: a dry run reports each row; a rejected row blocks the import; a clean file is imported on confirm', async () => {
  const adminApi = fakeAdminApi();
  adminApi.importCsv.mockImplementation(async (_kind, csv, dryRun) =>
    importReport(dryRun, csv.includes('not-an-address'))
  );
  await openSection(adminApi, 'Directory');
  const input = await screen.findByLabelText('CSV file');

  const bad = 'name,email\nA,a@fabrikam.example\nB,not-an-address\n';
  await userEvent.upload(input, new File([bad], 'contacts.csv', { type: 'text/csv' }));
  expect(await screen.findByText('Rows: 2 · new: 1 · updated: 0 · rejected: 1')).toBeInTheDocument();
  expect(adminApi.importCsv).toHaveBeenCalledWith('contacts', bad, true);
  const rows = screen.getByRole('list', { name: 'Import from CSV' });
  expect(within(rows).getByText('email: is not an email address')).toBeInTheDocument();
  expect(screen.getByText(/Nothing was imported/)).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: /^Import \d/ })).toBeNull();

  const good = 'name,email\nA,a@fabrikam.example\nB,b@fabrikam.example\n';
  await userEvent.upload(screen.getByLabelText('CSV file'), new File([good], 'contacts.csv', { type: 'text/csv' }));
  await userEvent.click(await screen.findByRole('button', { name: 'Import 2 rows' }));
  expect(adminApi.importCsv).toHaveBeenLastCalledWith('contacts', good, false);
  expect(await screen.findByText('Imported 2 rows.')).toBeInTheDocument();
});

test('address problems: duplicates name every holder', async () => {
  const adminApi = fakeAdminApi({
    directoryProblems: async () => ({
      missing: [],
      invalid: [],
      duplicates: [
        {
          address: 'shared@fabrikam.example',
          people: [
            { kind: 'contact', id: 'c1', name: 'Lena Berg', email: 'shared@fabrikam.example', active: true },
            { kind: 'salesperson', id: 's1', name: 'Mikko Virtanen', email: 'shared@fabrikam.example', active: true }
          ]
        }
      ],
      counts: { missing: 0, invalid: 0, duplicates: 1 }
    })
  });
  await openSection(adminApi, 'Directory');
  await userEvent.click(await screen.findByRole('button', { name: 'Check addresses' }));
  expect(
    await screen.findByText('shared@fabrikam.example is used by: Lena Berg (contact), Mikko Virtanen (salesperson)')
  ).toBeInTheDocument();
});
