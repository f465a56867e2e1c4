import type { Problem } from '../../shared/schemas/common.js';
import type { Contact, ContactCreate, ContactPage, Me } from '../../shared/schemas/directory.js';
import type {
  Interaction,
  InteractionPage,
  LogThreadResult,
  NoteBody,
  StatusResult
} from '../../shared/schemas/interaction.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import type { GraphEvent } from '../../shared/schemas/event.js';
import type {
  Opportunity,
  OpportunityCreate,
  OpportunityHistory,
  OpportunityPage,
  OpportunityUpdate
} from '../../shared/schemas/opportunity.js';
import type { SendCheck } from '../../shared/schemas/compose.js';
import type { TeamInteractionPage, TeamSummary } from '../../shared/schemas/team.js';

/*
 * The companion API, typed by the same schemas the server validates with. Every failure becomes an
 * ApiError carrying the server's problem document (or status 0 when the API could not be reached).
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    message: string
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get unreachable(): boolean {
    return this.status === 0 || this.status >= 502;
  }
}

type Query = Record<string, string | number | undefined | string[]>;

/** One page of a list and the cursor of the next (null on the last), as every list route answers. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The team view's filters, as the team routes take them (all optional). */
export interface TeamFilter {
  teamId?: string | undefined;
  salespersonId?: string | undefined;
  contactId?: string | undefined;
  company?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  direction?: 'inbound' | 'outbound' | undefined;
  source?: 'addin' | 'mailbox' | undefined;
  /** Words to search for: the log only (best match first); the summary and the export ignore them. */
  q?: string | undefined;
}

export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** An answer's JSON (null for an empty body). */
export async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** A JSON body, or text sent as it is with its own content type (a CSV file). */
export type RequestBody = { json: unknown } | { text: string; contentType: string };

/** Authenticated requests to the API: the one way both the pane's client and the admin view's client talk to it. */
export function createTransport(baseUrl: string, token: () => Promise<string>) {
  async function send(method: string, path: string, body?: RequestBody): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${await token()}` };
    if (body) headers['content-type'] = 'json' in body ? 'application/json' : body.contentType;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(body ? { body: 'json' in body ? JSON.stringify(body.json) : body.text } : {})
      });
    } catch (error) {
      throw new ApiError(0, null, error instanceof Error ? error.message : 'The API could not be reached.');
    }
    if (!response.ok) {
      const text = await response.text();
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not a problem document
      }
      const problem = parsed && typeof parsed === 'object' && 'detail' in parsed ? (parsed as Problem) : null;
      throw new ApiError(response.status, problem, problem?.detail ?? `The API answered ${response.status}.`);
    }
    return response;
  }

  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
    readJson<T>(await send(method, path, body === undefined ? undefined : { json: body }));

  /** A file the API sends, with the name its Content-Disposition gives. */
  async function download(path: string): Promise<{ blob: Blob; filename: string | null }> {
    const response = await send('GET', path);
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
    return { blob: await response.blob(), filename };
  }

  return { send, request, download };
}

export type Transport = ReturnType<typeof createTransport>;

export function createApiClient(baseUrl: string, token: () => Promise<string>) {
  const { request, download } = createTransport(baseUrl, token);
  return {
    me: () => request<Me>('GET', '/api/v1/me'),
    history: (correspondent: string, cursor?: string, limit = 25) =>
      request<InteractionPage>('GET', `/api/v1/interactions${queryString({ correspondent, cursor, limit })}`),
    /** The correspondent's history holding every word of `q`, best match first, with the words highlighted. */
    searchHistory: (correspondent: string, q: string, cursor?: string, limit = 25) =>
      request<InteractionPage>('GET', `/api/v1/interactions${queryString({ correspondent, q, cursor, limit })}`),
    addNote: (note: NoteBody) => request<Interaction>('POST', '/api/v1/notes', note),
    threadEntries: (conversationId: string, contactId: string) =>
      request<InteractionPage>('GET', `/api/v1/interactions${queryString({ conversationId, contactId, limit: 100 })}`),
    status: (internetMessageIds: string[]) =>
      request<StatusResult>(
        'GET',
        `/api/v1/interactions/status${queryString({ internetMessageId: internetMessageIds })}`
      ),
    logThread: (messages: GraphMessage[], sharedMailbox?: string) =>
      request<LogThreadResult>('POST', '/api/v1/interactions/log-thread', {
        messages,
        ...(sharedMailbox ? { sharedMailbox } : {})
      }),
    logMeeting: (event: GraphEvent) => request<LogThreadResult>('POST', '/api/v1/interactions/log-meeting', { event }),
    contactByEmail: async (email: string): Promise<Contact | null> =>
      (await request<ContactPage>('GET', `/api/v1/contacts${queryString({ email, limit: 1 })}`)).items[0] ?? null,
    createContact: (contact: ContactCreate) => request<Contact>('POST', '/api/v1/contacts', contact),
    openOpportunities: (correspondent: string) =>
      request<OpportunityPage>(
        'GET',
        `/api/v1/opportunities${queryString({ correspondent, status: 'open', limit: 50 })}`
      ),
    sendCheck: (recipients: string[]) =>
      request<SendCheck>(
        'GET',
        `/api/v1/compose/send-check?${recipients.map((r) => `recipient=${encodeURIComponent(r)}`).join('&')}`
      ),
    opportunity: (id: string) => request<Opportunity>('GET', `/api/v1/opportunities/${encodeURIComponent(id)}`),
    opportunityHistory: (id: string) =>
      request<OpportunityHistory>('GET', `/api/v1/opportunities/${encodeURIComponent(id)}/history`),
    /** The emails linked to an opportunity, newest first. */
    opportunityEntries: (opportunityId: string, cursor?: string, limit = 25) =>
      request<InteractionPage>('GET', `/api/v1/interactions${queryString({ opportunityId, cursor, limit })}`),
    createOpportunity: (input: OpportunityCreate) => request<Opportunity>('POST', '/api/v1/opportunities', input),
    updateOpportunity: (id: string, patch: OpportunityUpdate) =>
      request<Opportunity>('PATCH', `/api/v1/opportunities/${encodeURIComponent(id)}`, patch),
    searchContacts: (query: string, limit = 10) =>
      request<ContactPage>('GET', `/api/v1/contacts${queryString({ query, limit })}`),
    teamInteractions: (filter: TeamFilter, cursor?: string, limit = 25) =>
      request<TeamInteractionPage>('GET', `/api/v1/team/interactions${queryString({ ...filter, cursor, limit })}`),
    teamSummary: (filter: TeamFilter) =>
      request<TeamSummary>('GET', `/api/v1/team/summary${queryString({ ...filter, q: undefined })}`),
    teamExport: (filter: TeamFilter) =>
      download(`/api/v1/team/interactions.csv${queryString({ ...filter, q: undefined })}`)
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
