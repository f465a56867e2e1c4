import type { ApiClient } from '../../src/addin/api/client.js';
import type { AdminApi } from '../../src/addin/taskpane/admin/admin-api.js';
import { CHECK_STEP } from '../../src/shared/admin-checks.js';
import type { ValidationCheck, ValidationReport } from '../../src/shared/schemas/admin.js';
import type { MailboxSettings } from '../../src/shared/schemas/mailbox.js';
import { reconcileReport } from '../helpers/reconcile-report.js';
import { fakeApi, fakeHost, me, renderPane, type FakeApi } from './pane-fakes.js';

/* The admin view's API as jest mocks, and the pane rendered for a user with given roles. */

type Fn<T extends keyof AdminApi> = jest.Mock<ReturnType<AdminApi[T]>, Parameters<AdminApi[T]>>;
export type FakeAdminApi = { [K in keyof AdminApi]: Fn<K> };

export const mailboxSettings: MailboxSettings = {
  enabled: false,
  mailboxAddress: 'log@northwind.example',
  archiveFolder: 'Archive',
  notLoggedFolder: 'Not logged',
  quarantineFolder: 'Quarantine',
  intervalSeconds: 300,
  batchSize: 50,
  neverLogDomains: ['payroll.example'],
  neverLogAddresses: [],
  skipInternalOnly: true,
  captureAlertHours: 4,
  updatedAt: null,
  updatedBy: null
};

export function check(
  id: ValidationCheck['id'],
  status: ValidationCheck['status'],
  overrides: Partial<ValidationCheck> = {}
) {
  return {
    id,
    status,
    detail: `${id} detail`,
    fix: null,
    step: CHECK_STEP[id],
    facts: {},
    ...overrides
  } as ValidationCheck;
}

export function report(items: ValidationCheck[]): ValidationReport {
  const rank = { pass: 0, warning: 1, fail: 2 } as const;
  const worst = items.reduce(
    (w, c) => (rank[c.status as keyof typeof rank] > rank[w as keyof typeof rank] ? c.status : w),
    'pass' as ValidationReport['status']
  );
  return {
    checkedAt: '2026-03-03T10:00:00.000Z',
    mailboxAddress: mailboxSettings.mailboxAddress,
    status: worst,
    items
  };
}

export function fakeAdminApi(overrides: Partial<{ [K in keyof AdminApi]: AdminApi[K] }> = {}): FakeAdminApi {
  const api: Record<string, jest.Mock> = {
    setupDefaults: jest.fn(async () => ({
      tenantId: '11111111-2222-3333-4444-555555555555',
      mailboxAddress: mailboxSettings.mailboxAddress,
      archiveFolder: 'Archive',
      processorAppId: null,
      addinClientId: null,
      apiClientId: null,
      acceptedDomains: ['northwind.example']
    })),
    mailboxSettings: jest.fn(async () => mailboxSettings),
    saveMailboxSettings: jest.fn(async (patch) => ({ ...mailboxSettings, ...patch })),
    tenantSettings: jest.fn(async () => ({ historyVisibility: 'organization', sendPrompt: false })),
    saveTenantSettings: jest.fn(async (patch) => ({ historyVisibility: 'organization', sendPrompt: false, ...patch })),
    validate: jest.fn(async () => report([check('token', 'pass')])),
    runAction: jest.fn(async () => ({ mailboxAddress: 'log@northwind.example', folders: [] })),
    health: jest.fn(async () => ({
      configured: true,
      lastRun: null,
      backlog: 0,
      skippedLast7Days: {},
      mode: 'polling' as const,
      notificationsDropped: 0,
      captureAlerts: []
    })),
    capture: jest.fn(async () => ({ from: '2026-02-18T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', rows: [] })),
    unmatched: jest.fn(async () => ({ addresses: [], domains: [] })),
    addUnmatchedContact: jest.fn(),
    reconcile: jest.fn(async () => reconcileReport),
    runs: jest.fn(async () => ({ items: [], nextCursor: null })),
    runNow: jest.fn(async () => ({ status: 'started' })),
    runMessages: jest.fn(async () => ({ items: [], nextCursor: null })),
    quarantine: jest.fn(async () => ({ items: [], nextCursor: null })),
    retryQuarantined: jest.fn(async () => ({ retryRequested: true })),
    contacts: jest.fn(async () => ({ items: [], nextCursor: null })),
    createContact: jest.fn(),
    updateContact: jest.fn(),
    salespeople: jest.fn(async () => ({ items: [], nextCursor: null })),
    createSalesperson: jest.fn(),
    updateSalesperson: jest.fn(),
    teams: jest.fn(async () => ({ items: [] })),
    createTeam: jest.fn(),
    updateTeam: jest.fn(),
    directoryProblems: jest.fn(async () => ({
      missing: [],
      invalid: [],
      duplicates: [],
      counts: { missing: 0, invalid: 0, duplicates: 0 }
    })),
    importCsv: jest.fn()
  };
  for (const [name, implementation] of Object.entries(overrides)) {
    api[name] = jest.fn(implementation as (...args: unknown[]) => unknown);
  }
  return api as unknown as FakeAdminApi;
}

/** The pane with no message open, for a user holding `roles`. */
export function renderAs(roles: string[], adminApi: FakeAdminApi = fakeAdminApi(), displayLanguage = 'en-US') {
  const base = fakeApi();
  const api: FakeApi = fakeApi({
    me: async () => ({ ...(await base.me()), email: me.email, roles })
  } as Partial<ApiClient>);
  const rendered = renderPane(fakeHost(null, displayLanguage), api, displayLanguage, adminApi as unknown as AdminApi);
  return { api, adminApi, ...rendered };
}
