import type { Static } from 'typebox';
import { SERVER_ACTION_PATHS, type ImportKind, type ServerAction } from '../../../shared/admin-checks.js';
import type {
  DirectoryImportProblem,
  DirectoryImportReport,
  DirectoryProblems,
  FoldersResult,
  SetupDefaults,
  ValidationReport
} from '../../../shared/schemas/admin.js';
import type {
  Contact,
  ContactCreate,
  ContactPage,
  ContactUpdate,
  Salesperson,
  SalespersonCreate,
  SalespersonPage,
  SalespersonUpdate,
  Team,
  TeamCreate,
  TeamList,
  TeamUpdate
} from '../../../shared/schemas/directory.js';
import type {
  AddUnmatchedContact,
  AddUnmatchedContactResult,
  CaptureReport,
  MailboxHealth,
  MailboxRun,
  MailboxSettings,
  MailboxSettingsUpdate,
  QuarantinedMessage,
  ReconcileReport,
  RunMessage,
  UnmatchedQueue
} from '../../../shared/schemas/mailbox.js';
import type { TenantSettings, TenantSettingsUpdate } from '../../../shared/schemas/settings.js';
import { ApiError, queryString, readJson, type Page, type Transport } from '../../api/client.js';

/*
 * The admin view's part of the API, in the admin chunk only: automatic logging's settings, health and
 * validation, the tenant's settings, and the directory with its CSV import. Same transport (token, problem
 * documents) as the pane's client.
 */

export type Health = Static<typeof MailboxHealth>;
export type Quarantined = Static<typeof QuarantinedMessage>;

export function createAdminApi({ request, send }: Transport) {
  const mailbox = '/api/v1/admin/mailbox';
  return {
    setupDefaults: () => request<SetupDefaults>('GET', '/api/v1/admin/setup'),
    mailboxSettings: () => request<MailboxSettings>('GET', `${mailbox}/settings`),
    saveMailboxSettings: (patch: MailboxSettingsUpdate) =>
      request<MailboxSettings>('PATCH', `${mailbox}/settings`, patch),
    tenantSettings: () => request<TenantSettings>('GET', '/api/v1/settings'),
    saveTenantSettings: (patch: TenantSettingsUpdate) => request<TenantSettings>('PATCH', '/api/v1/settings', patch),

    validate: () => request<ValidationReport>('POST', `${mailbox}/validate`),
    /** A fix the server carries out itself (creating the folders), by its fixed path. */
    runAction: (action: ServerAction) => request<FoldersResult>('POST', SERVER_ACTION_PATHS[action]),

    health: () => request<Health>('GET', `${mailbox}/health`),
    runs: (limit = 10) => request<Page<MailboxRun>>('GET', `${mailbox}/runs${queryString({ limit })}`),
    runNow: () => request<{ status: 'started' }>('POST', `${mailbox}/runs`),
    /** Every message a run saw, with its fate, a page at a time. */
    runMessages: (runId: string, cursor?: string) =>
      request<Page<RunMessage>>(
        'GET',
        `${mailbox}/runs/${encodeURIComponent(runId)}/messages${queryString({ limit: 25, cursor })}`
      ),
    quarantine: (cursor?: string) =>
      request<Page<Quarantined>>('GET', `${mailbox}/quarantine${queryString({ limit: 25, cursor })}`),
    retryQuarantined: (messageId: string) =>
      request<{ retryRequested: boolean }>('POST', `${mailbox}/quarantine/${encodeURIComponent(messageId)}/retry`),
    /** Capture health over the server's default range (the last two weeks). */
    capture: () => request<CaptureReport>('GET', `${mailbox}/capture`),
    unmatched: () => request<UnmatchedQueue>('GET', `${mailbox}/unmatched`),
    addUnmatchedContact: (input: AddUnmatchedContact) =>
      request<AddUnmatchedContactResult>('POST', `${mailbox}/unmatched/add-contact`, input),
    /** The folders compared with what was recorded of the messages received in the last `days` (1–29). */
    reconcile: (days: number) => request<ReconcileReport>('POST', `${mailbox}/reconcile${queryString({ days })}`),

    contacts: (query: string, cursor?: string) =>
      request<ContactPage>('GET', `/api/v1/contacts${queryString({ query: query || undefined, cursor, limit: 25 })}`),
    createContact: (input: ContactCreate) => request<Contact>('POST', '/api/v1/contacts', input),
    updateContact: (id: string, patch: ContactUpdate) =>
      request<Contact>('PATCH', `/api/v1/contacts/${encodeURIComponent(id)}`, patch),
    salespeople: (query: string, cursor?: string, limit = 25) =>
      request<SalespersonPage>(
        'GET',
        `/api/v1/salespeople${queryString({ query: query || undefined, cursor, limit })}`
      ),
    createSalesperson: (input: SalespersonCreate) => request<Salesperson>('POST', '/api/v1/salespeople', input),
    updateSalesperson: (id: string, patch: SalespersonUpdate) =>
      request<Salesperson>('PATCH', `/api/v1/salespeople/${encodeURIComponent(id)}`, patch),
    teams: () => request<TeamList>('GET', '/api/v1/teams'),
    createTeam: (input: TeamCreate) => request<Team>('POST', '/api/v1/teams', input),
    updateTeam: (id: string, patch: TeamUpdate) =>
      request<Team>('PATCH', `/api/v1/teams/${encodeURIComponent(id)}`, patch),
    directoryProblems: () => request<DirectoryProblems>('GET', '/api/v1/admin/directory/problems'),

    /**
     * A CSV file checked (dry run) or imported. A file with any rejected row comes back as 422 with the same
     * per-row report (nothing written): that answer is the report, not an error.
     */
    importCsv: async (kind: ImportKind, csv: string, dryRun: boolean): Promise<DirectoryImportReport> => {
      try {
        const path = `/api/v1/admin/directory/import${queryString({ kind, dryRun: String(dryRun) })}`;
        return await readJson<DirectoryImportReport>(await send('POST', path, { text: csv, contentType: 'text/csv' }));
      } catch (error) {
        const report = error instanceof ApiError ? (error.problem as DirectoryImportProblem | null)?.report : undefined;
        if (report) return report;
        throw error;
      }
    }
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;
