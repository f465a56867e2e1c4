import { render } from '@testing-library/react';
import { Profiler, type ProfilerOnRenderCallback } from 'react';
import { ApiError, type ApiClient } from '../../src/addin/api/client.js';
import type { TokenSource } from '../../src/addin/auth/tokens.js';
import { createTranslator } from '../../src/addin/i18n/catalogues.js';
import type { MailItem, OfficeHost, Participant, SelectedMessage, ThemeName } from '../../src/addin/office/types.js';
import { App } from '../../src/addin/taskpane/App.js';
import { ServicesProvider, type PaneServices } from '../../src/addin/taskpane/services.js';
import { NO_MARKS, type MessageMarks } from '../../src/shared/message-marks.js';
import type { Problem } from '../../src/shared/schemas/common.js';
import type { Contact } from '../../src/shared/schemas/directory.js';
import type { Interaction } from '../../src/shared/schemas/interaction.js';
import type { Opportunity } from '../../src/shared/schemas/opportunity.js';

/* In-memory stand-ins for the pane's services, for component tests: an Outlook host and an API. */

export const me: Participant = { name: 'Ana López', email: 'ana.lopez@northwind.example' };
export const lena: Participant = { name: 'Lena Berg', email: 'lena.berg@fabrikam.example' };

export function readItem(from: Participant, overrides: Partial<MailItem> = {}): MailItem {
  return {
    mode: 'read',
    ewsId: 'AAMkAD/ews+1',
    restId: 'AAMkAD-ews_1',
    officeConversationId: 'AAQkOffice',
    internetMessageId: '<open@fabrikam.example>',
    subject: 'RE: Pricing for 2027',
    from,
    to: [me],
    cc: [],
    ...overrides
  };
}

export const ben: Participant = { name: 'Ben Ek', email: 'ben.ek@northwind.example' };
export const oskar: Participant = { name: 'Oskar Lind', email: 'oskar@fabrikam.example' };

/** A calendar item as the pane reads it (issue 21): Lena's meeting, me and Ben required, Oskar optional. */
export function readAppointment(overrides: Partial<MailItem> = {}): MailItem {
  return readItem(lena, {
    ewsId: 'AAMkAD/event+1',
    restId: 'AAMkAD-event_1',
    officeConversationId: null,
    internetMessageId: null,
    subject: 'Quarterly review',
    to: [me, ben],
    cc: [oskar],
    meeting: { start: '2026-11-03T09:00:00.000Z', end: '2026-11-03T10:00:00.000Z' },
    ...overrides
  });
}

export interface FakeHost extends OfficeHost {
  /** The marks stamped on the compose item so far. */
  readonly marks: MessageMarks;
  select(item: MailItem | null): void;
  /** Selects several messages at once, as SelectedItemsChanged reports it (a host with Mailbox 1.13 only). */
  selectMessages(messages: SelectedMessage[]): void;
  switchTheme(theme: ThemeName): void;
}

export function fakeHost(
  initial: MailItem | null,
  displayLanguage = 'en-US',
  options: { marksSupported?: boolean; multiSelect?: boolean } = {}
): FakeHost {
  let item = initial;
  let selected: SelectedMessage[] = [];
  const selectionListeners = new Set<() => void>();
  let marks: MessageMarks = NO_MARKS;
  let theme: ThemeName = 'light';
  const itemListeners = new Set<() => void>();
  const themeListeners = new Set<(theme: ThemeName) => void>();
  return {
    user: me,
    displayLanguage,
    currentItem: async () => item,
    onItemChanged: (listener) => {
      itemListeners.add(listener);
      return () => itemListeners.delete(listener);
    },
    theme: () => theme,
    onThemeChanged: (listener) => {
      themeListeners.add(listener);
      return () => themeListeners.delete(listener);
    },
    get marks() {
      return marks;
    },
    composeMarks: () => ({
      supported: options.marksSupported ?? true,
      read: async () => marks,
      write: async (next) => {
        marks = next;
      }
    }),
    ...(options.multiSelect
      ? {
          selection: {
            read: async () => selected,
            onChanged: (listener: () => void) => {
              selectionListeners.add(listener);
              return () => selectionListeners.delete(listener);
            }
          }
        }
      : {}),
    select(next) {
      item = next;
      itemListeners.forEach((listener) => listener());
    },
    selectMessages(next) {
      selected = next;
      selectionListeners.forEach((listener) => listener());
    },
    switchTheme(next) {
      theme = next;
      themeListeners.forEach((listener) => listener(next));
    }
  };
}

export const contactLena: Contact = {
  id: 'c-lena',
  name: 'Lena Berg',
  email: lena.email,
  alternateEmails: [],
  company: 'Fabrikam',
  phone: null,
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z'
};

export function entry(index: number, overrides: Partial<Interaction> = {}): Interaction {
  return {
    id: `i-${index}`,
    kind: 'email',
    occurredAt: new Date(Date.UTC(2026, 2, 3 + index)).toISOString(),
    direction: index % 2 === 0 ? 'inbound' : 'outbound',
    subject: `Subject ${index}`,
    preview: 'preview',
    contact: { id: 'c-lena', name: 'Lena Berg', email: lena.email },
    salesperson: { id: 's-ana', name: 'Ana López', email: me.email },
    source: 'addin',
    internetMessageId: `<m-${index}@fabrikam.example>`,
    conversationId: 'AAQkGraph',
    webLink: `https://outlook.office365.com/owa/?ItemID=${index}`,
    loggedBy: { id: 's-ana', name: 'Ana López', email: me.email },
    loggedAt: '2026-03-03T10:00:00.000Z',
    opportunityId: null,
    ...overrides
  };
}

export const opportunity: Opportunity = {
  id: 'o-1',
  description: 'Fabrikam renewal',
  contactId: 'c-lena',
  contact: { id: 'c-lena', name: 'Lena Berg', email: lena.email },
  salesperson: { id: 's-ana', name: 'Ana López', email: me.email },
  stage: 'proposal',
  status: 'open',
  estimatedValue: 12000,
  currency: 'EUR',
  probability: 50,
  expectedCloseDate: '2027-03-31',
  interactionIds: [],
  createdAt: '2026-03-01T00:00:00.000Z',
  updatedAt: '2026-03-01T00:00:00.000Z',
  closedAt: null,
  closeReason: null
};

type Fn<T extends keyof ApiClient> = jest.Mock<ReturnType<ApiClient[T]>, Parameters<ApiClient[T]>>;
export type FakeApi = { [K in keyof ApiClient]: Fn<K> };

export function fakeApi(overrides: Partial<{ [K in keyof ApiClient]: ApiClient[K] }> = {}): FakeApi {
  const api = {
    // A salesperson (no app roles) unless a test says otherwise.
    me: jest.fn(async () => ({
      tenantId: 't',
      userId: 'u-ana',
      email: me.email,
      name: me.name,
      roles: [] as string[],
      salesperson: {
        id: 's-ana',
        name: me.name,
        email: me.email,
        alternateEmails: [],
        teamId: null,
        active: true,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z'
      }
    })),
    history: jest.fn(async () => ({ items: [entry(2), entry(1)], nextCursor: null })),
    searchHistory: jest.fn(async () => ({ items: [], nextCursor: null })),
    addNote: jest.fn(async () => entry(9, { kind: 'note', internetMessageId: null, webLink: null })),
    threadEntries: jest.fn(async () => ({ items: [], nextCursor: null })),
    status: jest.fn(async (ids: string[]) => ({
      items: ids.map((internetMessageId) => ({
        internetMessageId,
        logged: true,
        loggedBy: { id: 's-ana', name: 'Ana López', email: me.email },
        loggedAt: '2026-03-03T10:00:00.000Z'
      }))
    })),
    logThread: jest.fn(async () => ({ logged: [], skipped: [] })),
    logMeeting: jest.fn(async () => ({ logged: [], skipped: [] })),
    contactByEmail: jest.fn(async (email: string) => (email === lena.email ? contactLena : null)),
    createContact: jest.fn(),
    openOpportunities: jest.fn(async () => ({ items: [opportunity], nextCursor: null })),
    createOpportunity: jest.fn(async () => opportunity),
    sendCheck: jest.fn(async () => ({ prompt: false, opportunities: [] })),
    updateOpportunity: jest.fn(async () => opportunity),
    opportunity: jest.fn(async () => opportunity),
    opportunityHistory: jest.fn(async () => ({
      items: [
        {
          id: 'h-1',
          at: '2026-03-01T00:00:00.000Z',
          by: { name: 'Ana López' },
          fromStage: null,
          toStage: 'proposal' as const,
          fromStatus: null,
          toStatus: 'open' as const,
          reason: null
        }
      ]
    })),
    opportunityEntries: jest.fn(async () => ({ items: [entry(2, { opportunityId: 'o-1' })], nextCursor: null }))
  };
  for (const [name, implementation] of Object.entries(overrides)) {
    (api as Record<string, jest.Mock>)[name] = jest.fn(implementation as (...args: unknown[]) => unknown);
  }
  return api as unknown as FakeApi;
}

export const unreachable = () => Promise.reject(new ApiError(0, null, 'Failed to fetch'));

/** The client's error for a problem document the API answered with, as src/addin/api/client.ts raises it. */
export const refused = (problem: Problem) => new ApiError(problem.status, problem, problem.detail);

const TITLES = { 400: 'Bad Request', 409: 'Conflict' } as const;
/** refused() for a problem as the API's sendProblem writes one: its type from its code, its title from its status. */
export const refusedWith = (status: keyof typeof TITLES, code: string, detail: string, errors?: Problem['errors']) =>
  refused({
    type: `urn:interaction-log:problem:${code}`,
    title: TITLES[status],
    status,
    code,
    detail,
    ...(errors ? { errors } : {})
  });

export function renderPane(
  host: FakeHost,
  api: FakeApi,
  displayLanguage = host.displayLanguage,
  adminApi?: PaneServices['adminApi'],
  /** The item the entry read before the first frame (App's firstItem), and a React Profiler's callback around App. */
  { firstItem, onRender }: { firstItem?: MailItem | null; onRender?: ProfilerOnRenderCallback } = {}
) {
  const tokens: TokenSource = {
    apiToken: async () => 'api-token',
    graphToken: async () => 'graph-token',
    sharedMailToken: async () => 'shared-mail-token'
  };
  const services: PaneServices = {
    host,
    config: { authMode: 'dev', apiBaseUrl: '', graphBaseUrl: '/graph', entra: null },
    tokens,
    api: api as unknown as ApiClient,
    i18n: createTranslator(displayLanguage),
    ...(adminApi ? { adminApi } : {})
  };
  return {
    services,
    ...render(
      <ServicesProvider services={services}>
        <Profiler id="pane" onRender={onRender ?? (() => undefined)}>
          <App firstItem={firstItem} />
        </Profiler>
      </ServicesProvider>
    )
  };
}
