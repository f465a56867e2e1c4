import { ConfidentialClientApplication, ServerError } from '@azure/msal-node';
import {
  BatchRequestContent,
  BatchResponseContent,
  Client,
  GraphError,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  type PageCollection
} from '@microsoft/microsoft-graph-client';
import { setTimeout as sleep } from 'node:timers/promises';
import { BearerForOrigin } from '../../../src/addin/graph/thread.js';
import { demoMailbox } from '../../../src/stand-ins/demo-mailbox.js';
import {
  isMove,
  startGraphMailbox,
  TEST_LIMITS,
  type GraphMailbox,
  type SeedMessage
} from '../../../src/stand-ins/graph/stand-in.js';

/*
 * The Graph stand-in, exercised the way the mailbox processor will use it: Microsoft's own Graph client over
 * loopback HTTP (with the pane's auth middleware, since the client's own attaches tokens to https
 * URLs only), and @azure/msal-node's ConfidentialClientApplication acquiring app-only tokens from the
 * stand-in's token endpoint over HTTPS.
 */

const SHARED = 'interaction-log@contoso.example';
const USER = `/users/${SHARED}`;
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const IMMUTABLE = 'IdType="ImmutableId"';

/** A Graph answer body as the tests read it: an entity, a collection, an error, or a batch. */
interface GraphBody {
  error?: { code: string; message: string; innerError?: Record<string, unknown> };
  responses?: BatchEntry[];
  [property: string]: unknown;
}

/** The few entity properties the tests read. */
interface Entity {
  id: string;
  parentFolderId: string;
  childFolderCount: number;
  webLink: string;
  receivedDateTime: string;
  [property: string]: unknown;
}

function msalFor(standIn: GraphMailbox, app = standIn.app) {
  return new ConfidentialClientApplication(standIn.msalConfiguration(app));
}

async function appToken(msal: ConfidentialClientApplication, skipCache = false): Promise<string> {
  const result = await msal.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE], skipCache });
  if (!result) throw new Error('no token');
  return result.accessToken;
}

/** The Graph client as a processor would build it: MSAL tokens, RetryHandler, HTTP. */
function graphClient(standIn: GraphMailbox, retry = new RetryHandlerOptions(0, 3)): Client {
  const msal = msalFor(standIn);
  return Client.initWithMiddleware({
    baseUrl: standIn.url,
    defaultVersion: 'v1.0',
    middleware: [
      new BearerForOrigin(new URL(standIn.url).origin, () => appToken(msal)),
      new RetryHandler(retry),
      new HTTPMessageHandler()
    ]
  });
}

const noRetries = () => new RetryHandlerOptions(0, 0);

/** For each test of a block: a fresh stand-in with the shared mailbox, and a client that does not retry. */
function freshSharedMailbox(): { readonly standIn: GraphMailbox; readonly client: Client } {
  const fixture = {} as { standIn: GraphMailbox; client: Client };
  beforeEach(async () => {
    fixture.standIn = await startGraphMailbox({ mailboxes: [SHARED] });
    fixture.client = graphClient(fixture.standIn, noRetries());
  });
  afterEach(() => fixture.standIn.close());
  return fixture;
}

/**
 * The Graph client takes a URL as absolute only when it starts with https://, so a processor turns
 * @odata.nextLink into a path under the version root before following it (as src/addin/graph/thread.ts does).
 */
function relativeLink(standIn: GraphMailbox, link: string): string {
  if (!link.startsWith(`${standIn.graphUrl}/`)) throw new Error(`next page outside the stand-in: ${link}`);
  return link.slice(standIn.graphUrl.length);
}

async function graphFailure(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error('expected the Graph call to fail');
}

/** A raw Graph request (for headers and exact bodies). */
async function raw(
  standIn: GraphMailbox,
  token: string | null,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}
) {
  const response = await fetch(`${standIn.graphUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body)
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as GraphBody
  };
}

const inboxMessages = (count: number, extra: Partial<SeedMessage> = {}): SeedMessage[] =>
  Array.from({ length: count }, (_, i) => ({
    subject: `Inbox ${i + 1}`,
    from: 'Pia Contact <pia@customer.example>',
    to: ['Sam Seller <sam@contoso.example>'],
    ...extra
  }));

interface BatchEntry {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: GraphBody;
}
const byId = (responses: BatchEntry[]) => Object.fromEntries(responses.map((r) => [r.id, r]));

describe('sign-in: @azure/msal-node against the stand-in', () => {
  let standIn: GraphMailbox;
  beforeEach(async () => {
    standIn = await startGraphMailbox({ mailboxes: [SHARED] });
  });
  afterEach(() => standIn.close());

  it('acquires an app-only token through the stand-in authority, and Graph accepts it', async () => {
    const msal = msalFor(standIn);
    const token = await appToken(msal);
    const inbox = await raw(standIn, token, `${USER}/mailFolders/inbox`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.displayName).toBe('Inbox');
    // The token is Entra-shaped: app-only, for Graph, with the granted role.
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: standIn.tenantId,
      appid: standIn.app.clientId,
      idtyp: 'app',
      roles: ['Mail.ReadWrite']
    });
    // MSAL serves the second request from its cache.
    await appToken(msal);
    expect(standIn.stats().tokenRequests).toBe(1);
  });

  it('refuses a wrong secret with invalid_client in Entra error shape', async () => {
    const msal = msalFor(standIn, { clientId: standIn.app.clientId, clientSecret: 'not-the-secret' });
    const error = await appToken(msal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).errorCode).toBe('invalid_client');
    expect((error as ServerError).errorMessage).toContain('AADSTS7000215');

    const response = await fetch(`${standIn.authority}/oauth2/v2.0/token`.replace(standIn.httpsUrl, standIn.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: standIn.app.clientId,
        client_secret: 'wrong',
        scope: GRAPH_SCOPE,
        grant_type: 'client_credentials'
      })
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: 'invalid_client',
      error_codes: [7000215],
      error_description: expect.stringMatching(/^AADSTS7000215: /),
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/)
    });
  });

  it('fails injected token requests; MSAL then holds off for Retry-After before asking again', async () => {
    standIn.failTokens(1);
    const msal = msalFor(standIn);
    const first = await appToken(msal).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ServerError);
    expect((first as ServerError).errorCode).toBe('temporarily_unavailable');
    expect(standIn.stats()).toMatchObject({ tokenRequests: 1, tokenFailures: 1 });

    // MSAL remembers the 5xx and refuses the same request locally, without a network call...
    await expect(appToken(msal)).rejects.toBeInstanceOf(ServerError);
    expect(standIn.stats().tokenRequests).toBe(1);
    // ...until Retry-After (1 s by default) has passed.
    await sleep(1100);
    await expect(appToken(msal)).resolves.toEqual(expect.any(String));
    expect(standIn.stats()).toMatchObject({ tokenRequests: 2, tokensIssued: 1 });
  });

  it('answers 401 InvalidAuthenticationToken to expired, missing and foreign tokens', async () => {
    const msal = msalFor(standIn);
    const token = await appToken(msal);
    standIn.expireTokens();
    const expired = await raw(standIn, token, `${USER}/mailFolders/inbox`);
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer realm=""/);
    expect(expired.body.error).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Lifetime validation failed, the token is expired.',
      innerError: {
        date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
        'request-id': expired.headers.get('request-id'),
        'client-request-id': expect.any(String)
      }
    });
    // MSAL's cache still has the old token; the processor asks past the cache after a 401.
    expect(await appToken(msal)).toBe(token);
    const fresh = await appToken(msal, true);
    expect((await raw(standIn, fresh, `${USER}/mailFolders/inbox`)).status).toBe(200);

    expect((await raw(standIn, null, `${USER}/mailFolders/inbox`)).body.error?.message).toBe('Access token is empty.');
    const foreign = await raw(standIn, 'a.b.c', `${USER}/mailFolders/inbox`);
    expect(foreign.status).toBe(401);
  });

  it('refuses /me with an app-only token, and unknown mailboxes', async () => {
    const token = await appToken(msalFor(standIn));
    const me = await raw(standIn, token, '/me/messages');
    expect(me.status).toBe(400);
    expect(me.body.error?.message).toBe('/me request is only valid with delegated authentication flow.');
    const nobody = await raw(standIn, token, '/users/nobody@contoso.example/messages');
    expect(nobody.status).toBe(404);
    expect(nobody.body.error?.code).toBe('ErrorInvalidUser');
    // By directory id as well as by address.
    const byUserId = await raw(standIn, token, `/users/${standIn.mailbox(SHARED).userId}/mailFolders/inbox`);
    expect(byUserId.status).toBe(200);
  });
});

describe('mail folders', () => {
  const mail = freshSharedMailbox();

  it('finds the well-known folders by name, in any case', async () => {
    for (const [name, displayName] of [
      ['inbox', 'Inbox'],
      ['Inbox', 'Inbox'],
      ['junkemail', 'Junk Email'],
      ['archive', 'Archive'],
      ['deleteditems', 'Deleted Items'],
      ['sentitems', 'Sent Items'],
      ['drafts', 'Drafts']
    ]) {
      const folder = (await mail.client.api(`${USER}/mailFolders/${name}`).get()) as Record<string, unknown>;
      expect(folder).toMatchObject({ displayName, totalItemCount: 0, unreadItemCount: 0, isHidden: false });
      expect(folder.id).toMatch(/^AAMkA[A-Za-z0-9_-]+=*$/);
    }
  });

  it('lists the top-level folders page by page, and filters them by display name', async () => {
    const names: string[] = [];
    let page = (await mail.client.api(`${USER}/mailFolders`).top(3).get()) as PageCollection;
    for (;;) {
      names.push(...page.value.map((f: { displayName: string }) => f.displayName));
      const next = page['@odata.nextLink'];
      if (!next) break;
      expect(next).toMatch(new RegExp(`^${mail.standIn.graphUrl}/users/.*%24top=3&%24skip=\\d+$`));
      page = (await mail.client.api(relativeLink(mail.standIn, next)).get()) as PageCollection;
    }
    expect(names.sort()).toEqual([
      'Archive',
      'Conversation History',
      'Deleted Items',
      'Drafts',
      'Inbox',
      'Junk Email',
      'Outbox',
      'Sent Items'
    ]);
    // Exchange compares names without regard to case: the configured 'archive' finds the well-known folder.
    const found = (await mail.client
      .api(`${USER}/mailFolders`)
      .filter(`displayName eq 'archive'`)
      .get()) as PageCollection;
    expect(found.value).toHaveLength(1);
    const archive = (await mail.client.api(`${USER}/mailFolders/archive`).get()) as { id: string };
    expect(found.value[0].id).toBe(archive.id);
  });

  it('creates top-level and child folders; a duplicate name is 409 ErrorFolderExists', async () => {
    const notLogged = (await mail.client.api(`${USER}/mailFolders`).post({ displayName: 'Not logged' })) as Entity;
    expect(notLogged).toMatchObject({ displayName: 'Not logged', childFolderCount: 0, totalItemCount: 0 });
    const root = (await mail.client.api(`${USER}/mailFolders/msgfolderroot`).get()) as { id: string };
    expect(notLogged.parentFolderId).toBe(root.id);

    const duplicate = await graphFailure(mail.client.api(`${USER}/mailFolders`).post({ displayName: 'not LOGGED' }));
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.code).toBe('ErrorFolderExists');
    // Archive exists already (the well-known folder): creating it is the same conflict.
    expect((await graphFailure(mail.client.api(`${USER}/mailFolders`).post({ displayName: 'Archive' }))).code).toBe(
      'ErrorFolderExists'
    );

    const quarantine = (await mail.client
      .api(`${USER}/mailFolders/${notLogged.id}/childFolders`)
      .post({ displayName: 'Quarantine' })) as Entity;
    expect(quarantine.parentFolderId).toBe(notLogged.id);
    const children = (await mail.client
      .api(`${USER}/mailFolders/${notLogged.id}/childFolders`)
      .get()) as PageCollection;
    expect(children.value.map((f: { displayName: string }) => f.displayName)).toEqual(['Quarantine']);
    expect(((await mail.client.api(`${USER}/mailFolders/${notLogged.id}`).get()) as Entity).childFolderCount).toBe(1);
    expect(mail.standIn.mailbox(SHARED).folder('Not logged/Quarantine')?.id).toBe(quarantine.id);
  });

  it('models a mailbox without the well-known archive folder, where the processor creates its own', async () => {
    mail.standIn.mailbox('other@contoso.example', { archiveFolder: false, folderNames: { inbox: 'Saapuneet' } });
    const missing = await graphFailure(mail.client.api('/users/other@contoso.example/mailFolders/archive').get());
    expect(missing.statusCode).toBe(404);
    const none = (await mail.client
      .api('/users/other@contoso.example/mailFolders')
      .filter(`displayName eq 'Archive'`)
      .get()) as PageCollection;
    expect(none.value).toEqual([]);
    await mail.client.api('/users/other@contoso.example/mailFolders').post({ displayName: 'Archive' });
    // Well-known names do not depend on the mailbox's language.
    const inbox = (await mail.client.api('/users/other@contoso.example/mailFolders/inbox').get()) as Record<
      string,
      unknown
    >;
    expect(inbox.displayName).toBe('Saapuneet');
  });

  it('answers malformed and unknown folder ids as Graph does', async () => {
    const malformed = await graphFailure(mail.client.api(`${USER}/mailFolders/Not%20logged`).get());
    expect([malformed.statusCode, malformed.code]).toEqual([400, 'ErrorInvalidIdMalformed']);
    const unknownId = Buffer.alloc(60, 7).toString('base64url');
    const unknown = await graphFailure(mail.client.api(`${USER}/mailFolders/${unknownId}`).get());
    expect([unknown.statusCode, unknown.code]).toEqual([404, 'ErrorItemNotFound']);
  });

  it('counts items; a folder’s size is its PR_MESSAGE_SIZE_EXTENDED extended property, as in Graph’s metadata', async () => {
    mail.standIn.seed(SHARED, [...inboxMessages(3), { subject: 'read', isRead: true }]);
    const inbox = (await mail.client.api(`${USER}/mailFolders/inbox`).get()) as Record<string, unknown>;
    expect(inbox).toMatchObject({ totalItemCount: 4, unreadItemCount: 3 });
    // mailFolder has no size property in Graph's v1.0 (or beta) metadata: Graph refuses it, and so does this.
    const invented = await graphFailure(
      mail.client.api(`${USER}/mailFolders/inbox`).select(['displayName', 'sizeInBytes']).get()
    );
    expect([invented.statusCode, invented.code, invented.message]).toEqual([
      400,
      'BadRequest',
      "Parsing OData Select and Expand failed: Could not find a property named 'sizeInBytes' on type 'microsoft.graph.mailFolder'."
    ]);
    const expand = (filter: string) =>
      mail.client
        .api(`${USER}/mailFolders/inbox`)
        .select(['displayName'])
        .expand(encodeURIComponent(`singleValueExtendedProperties($filter=${filter})`))
        .get() as Promise<Record<string, unknown>>;
    const sized = await expand("id eq 'Long 0x0E08'");
    expect(Object.keys(sized).sort()).toEqual(['@odata.context', 'displayName', 'id', 'singleValueExtendedProperties']);
    const [size] = sized.singleValueExtendedProperties as Array<{ id: string; value: string }>;
    expect(Number(size?.value)).toBeGreaterThan(0);
    mail.standIn.mailbox(SHARED).setFolderFigures('inbox', { sizeBytes: 42 * 1024 ** 3 });
    expect((await expand("id eq 'Long 0xe08' or id eq 'String 0x3613'")).singleValueExtendedProperties).toEqual([
      { id: size?.id, value: String(42 * 1024 ** 3) }
    ]);
    expect((await expand("id eq 'Integer 0x3613'")).singleValueExtendedProperties).toEqual([]);
  });

  it('refuses an $expand of what mailFolder does not have as Graph does, and one without an id filter', async () => {
    const unknown = await graphFailure(mail.client.api(`${USER}/mailFolders/inbox`).expand('extendedProperties').get());
    expect([unknown.statusCode, unknown.code, unknown.message]).toEqual([
      400,
      'BadRequest',
      "Parsing OData Select and Expand failed: Could not find a property named 'extendedProperties' on type 'microsoft.graph.mailFolder'."
    ]);
    const unfiltered = await graphFailure(
      mail.client.api(`${USER}/mailFolders/inbox`).expand('singleValueExtendedProperties').get()
    );
    expect(unfiltered.statusCode).toBe(400);
  });
});

describe('messages', () => {
  const mail = freshSharedMailbox();

  it('lists only the Inbox, page by page, oldest first when asked', async () => {
    mail.standIn.seed(SHARED, inboxMessages(25));
    mail.standIn.seed(SHARED, [
      { folder: 'junkemail', subject: 'Junk 1' },
      { folder: 'junkemail', subject: 'Junk 2' }
    ]);
    const subjects: string[] = [];
    const pages: number[] = [];
    let page = (await mail.client
      .api(`${USER}/mailFolders/inbox/messages`)
      .header('Prefer', IMMUTABLE)
      .select(['subject', 'from', 'receivedDateTime', 'internetMessageId'])
      .orderby('receivedDateTime asc')
      .top(10)
      .get()) as PageCollection;
    for (;;) {
      pages.push(page.value.length);
      for (const message of page.value as Record<string, unknown>[]) {
        expect(Object.keys(message).sort()).toEqual([
          '@odata.etag',
          'from',
          'id',
          'internetMessageId',
          'receivedDateTime',
          'subject'
        ]);
        subjects.push(message.subject as string);
      }
      const next = page['@odata.nextLink'];
      if (!next) break;
      expect(next).toContain('%24skip=');
      page = (await mail.client
        .api(relativeLink(mail.standIn, next))
        .header('Prefer', IMMUTABLE)
        .get()) as PageCollection;
    }
    expect(pages).toEqual([10, 10, 5]);
    expect(subjects).toEqual(Array.from({ length: 25 }, (_, i) => `Inbox ${i + 1}`));
  });

  it('lists newest first, ten at a time by default, at most 1000 at a time', async () => {
    mail.standIn.seed(SHARED, inboxMessages(1002));
    const page = (await mail.client.api(`${USER}/mailFolders/inbox/messages`).get()) as PageCollection;
    expect(page.value).toHaveLength(10);
    expect(page.value[0].subject).toBe('Inbox 1002');
    expect(page['@odata.nextLink']).toContain('%24top=10&%24skip=10');
    const big = (await mail.client
      .api(`${USER}/mailFolders/inbox/messages`)
      .select(['id'])
      .top(5000)
      .get()) as PageCollection;
    expect(big.value).toHaveLength(1000);
    expect(big['@odata.nextLink']).toContain('%24top=1000&%24skip=1000');
  });

  it('pages by $skip: moving messages out between pages skips some, re-reading the first page does not', async () => {
    mail.standIn.seed(SHARED, inboxMessages(25));
    const archive = (await mail.client.api(`${USER}/mailFolders/archive`).get()) as { id: string };
    const move = (id: string) =>
      mail.client.api(`${USER}/messages/${id}/move`).header('Prefer', IMMUTABLE).post({ destinationId: archive.id });
    const list = (link?: string) =>
      (link
        ? mail.client.api(relativeLink(mail.standIn, link)).header('Prefer', IMMUTABLE).get()
        : mail.client
            .api(`${USER}/mailFolders/inbox/messages`)
            .header('Prefer', IMMUTABLE)
            .select(['subject'])
            .orderby('receivedDateTime asc')
            .top(10)
            .get()) as Promise<PageCollection>;

    // Following nextLink while moving every message of each page away: the second page starts at
    // position 10 of what is left, so ten messages are never seen.
    const seen: string[] = [];
    let page = await list();
    for (;;) {
      for (const message of page.value as { id: string; subject: string }[]) {
        seen.push(message.subject);
        await move(message.id);
      }
      const next = page['@odata.nextLink'];
      if (!next) break;
      page = await list(next);
    }
    expect(seen).toHaveLength(15);
    expect(mail.standIn.folderContents(SHARED, 'inbox').map((m) => m.subject)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Inbox ${i + 11}`)
    );

    // Reading the first page again until the Inbox is empty handles every message.
    for (let first = await list(); first.value.length > 0; first = await list()) {
      for (const message of first.value as { id: string; subject: string }[]) {
        seen.push(message.subject);
        await move(message.id);
      }
    }
    expect(seen).toHaveLength(25);
    expect(mail.standIn.folderContents(SHARED, 'archive')).toHaveLength(25);
  });

  it('reads a message by either id form; unknown $select properties are a 400', async () => {
    const [seeded] = mail.standIn.seed(SHARED, [
      { subject: 'Quote', from: 'Pia <pia@customer.example>', to: ['sam@contoso.example'], cc: ['lee@contoso.example'] }
    ]);
    if (!seeded) throw new Error('not seeded');
    const immutable = (await mail.client
      .api(`${USER}/messages/${seeded.immutableId}`)
      .header('Prefer', IMMUTABLE)
      .get()) as Entity;
    expect(immutable).toMatchObject({
      id: seeded.immutableId,
      subject: 'Quote',
      isDraft: false,
      internetMessageId: seeded.internetMessageId,
      conversationId: seeded.conversationId,
      from: { emailAddress: { name: 'Pia', address: 'pia@customer.example' } },
      sender: { emailAddress: { name: 'Pia', address: 'pia@customer.example' } },
      toRecipients: [{ emailAddress: { name: 'sam@contoso.example', address: 'sam@contoso.example' } }],
      ccRecipients: [{ emailAddress: { address: 'lee@contoso.example' } }],
      webLink: expect.stringContaining(encodeURIComponent(seeded.restId))
    });
    expect(immutable.receivedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Without the preference Graph writes the regular id, whichever form was asked for.
    const regular = (await mail.client.api(`${USER}/messages/${seeded.immutableId}`).get()) as Record<string, unknown>;
    expect(regular.id).toBe(seeded.restId);

    const bad = await graphFailure(
      mail.client.api(`${USER}/messages/${seeded.restId}`).select(['subject', 'colour']).get()
    );
    expect([bad.statusCode, bad.code]).toEqual([400, 'RequestBroker--ParseUri']);
  });

  it('filters by internetMessageId; $orderby on another property than the filter is InefficientFilter', async () => {
    const [, target] = mail.standIn.seed(SHARED, inboxMessages(3));
    const found = (await mail.client
      .api(`${USER}/mailFolders/inbox/messages`)
      .filter(`internetMessageId eq '${target?.internetMessageId}'`)
      .get()) as PageCollection;
    expect(found.value.map((m: { subject: string }) => m.subject)).toEqual(['Inbox 2']);

    const inefficient = await graphFailure(
      mail.client.api(`${USER}/mailFolders/inbox/messages`).filter(`isDraft eq false`).orderby('receivedDateTime').get()
    );
    expect([inefficient.statusCode, inefficient.code]).toEqual([400, 'InefficientFilter']);
    const allowed = (await mail.client
      .api(`${USER}/mailFolders/inbox/messages`)
      .filter(`receivedDateTime ge 2000-01-01T00:00:00Z and isDraft eq false`)
      .orderby('receivedDateTime desc')
      .get()) as PageCollection;
    expect(allowed.value).toHaveLength(3);
  });

  it('serves malformed messages as seeded', async () => {
    mail.standIn.seed(SHARED, [
      { subject: null, from: null, internetMessageId: null },
      { raw: { receivedDateTime: 'yesterday', toRecipients: [{ emailAddress: null }], sender: 42 } }
    ]);
    const page = (await mail.client
      .api(`${USER}/mailFolders/inbox/messages`)
      .select(['subject', 'from', 'sender', 'internetMessageId', 'receivedDateTime', 'toRecipients'])
      .get()) as PageCollection;
    const values = page.value as Record<string, unknown>[];
    const noSender = values.find((m) => m.subject === null);
    const broken = values.find((m) => m.subject !== null);
    expect(noSender).toMatchObject({ subject: null, from: null, sender: null, internetMessageId: null });
    expect(broken).toMatchObject({ receivedDateTime: 'yesterday', toRecipients: [{ emailAddress: null }], sender: 42 });
  });
});

describe('moving messages', () => {
  let standIn: GraphMailbox;
  let archiveId: string;
  beforeEach(async () => {
    standIn = await startGraphMailbox({ mailboxes: [SHARED] });
    archiveId = standIn.mailbox(SHARED).folder('archive')?.id ?? '';
  });
  afterEach(() => standIn.close());

  it('gives the message a new id unless immutable ids were asked for; the old id is gone', async () => {
    const client = graphClient(standIn, noRetries());
    const [first, second] = standIn.seed(SHARED, inboxMessages(2));
    if (!first || !second) throw new Error('not seeded');

    const moved = (await client
      .api(`${USER}/messages/${first.restId}/move`)
      .post({ destinationId: 'archive' })) as Entity;
    expect(moved.id).not.toBe(first.restId);
    expect(moved.parentFolderId).toBe(archiveId);
    expect(moved.webLink).not.toContain(encodeURIComponent(first.restId));
    const gone = await graphFailure(client.api(`${USER}/messages/${first.restId}`).get());
    expect([gone.statusCode, gone.code]).toEqual([404, 'ErrorItemNotFound']);
    expect(((await client.api(`${USER}/messages/${moved.id}`).get()) as { subject: string }).subject).toBe('Inbox 1');

    const kept = (await client
      .api(`${USER}/messages/${second.immutableId}/move`)
      .header('Prefer', IMMUTABLE)
      .post({ destinationId: archiveId })) as Entity;
    expect(kept.id).toBe(second.immutableId);
    expect(kept.parentFolderId).toBe(archiveId);

    expect(standIn.folderContents(SHARED, 'inbox')).toEqual([]);
    expect(standIn.folderContents(SHARED, 'Archive').map((m) => [m.subject, m.moves])).toEqual([
      ['Inbox 1', 1],
      ['Inbox 2', 1]
    ]);
    expect(standIn.mailbox(SHARED).stats().moves).toBe(2);
  });

  it('answers 504 to a move that happened: the message is in the destination', async () => {
    const client = graphClient(standIn, noRetries());
    const [seeded] = standIn.seed(SHARED, inboxMessages(1));
    if (!seeded) throw new Error('not seeded');
    standIn.mailbox(SHARED).moveAnswers504(1);

    const failure = await graphFailure(
      client
        .api(`${USER}/messages/${seeded.immutableId}/move`)
        .header('Prefer', IMMUTABLE)
        .post({ destinationId: archiveId })
    );
    expect([failure.statusCode, failure.code]).toEqual([504, 'GatewayTimeout']);
    expect(standIn.folderContents(SHARED, 'archive').map((m) => m.immutableId)).toEqual([seeded.immutableId]);
    // The processor's check before repeating: the immutable id still finds it, in its new folder.
    const check = (await client
      .api(`${USER}/messages/${seeded.immutableId}`)
      .header('Prefer', IMMUTABLE)
      .select(['parentFolderId'])
      .get()) as { parentFolderId: string };
    expect(check.parentFolderId).toBe(archiveId);
    // So is the Internet Message-ID, in the destination folder.
    const inArchive = (await client
      .api(`${USER}/mailFolders/${archiveId}/messages`)
      .filter(`internetMessageId eq '${seeded.internetMessageId}'`)
      .get()) as PageCollection;
    expect(inArchive.value).toHaveLength(1);
  });

  it("shows why blind retries are wrong: the client's RetryHandler repeats a 504'd move, and with a regular id the repeat is 404", async () => {
    const client = graphClient(standIn, new RetryHandlerOptions(0, 3));
    const [seeded] = standIn.seed(SHARED, inboxMessages(1));
    if (!seeded) throw new Error('not seeded');
    standIn.mailbox(SHARED).failRequests(1, { status: 504, execute: true, match: isMove, retryAfterSeconds: 0 });

    const failure = await graphFailure(
      client.api(`${USER}/messages/${seeded.restId}/move`).post({ destinationId: archiveId })
    );
    expect([failure.statusCode, failure.code]).toEqual([404, 'ErrorItemNotFound']);
    expect(
      standIn
        .mailbox(SHARED)
        .requests()
        .map((r) => [r.status, r.fault ?? ''])
    ).toEqual([
      [504, '504 GatewayTimeout after 201'],
      [404, '']
    ]);
    expect(standIn.folderContents(SHARED, 'archive')).toHaveLength(1);
  });

  it('a connection dropped after the move still moved the message', async () => {
    const client = graphClient(standIn, noRetries());
    const [seeded] = standIn.seed(SHARED, inboxMessages(1));
    if (!seeded) throw new Error('not seeded');
    standIn.dropConnections(1, { when: 'after', match: isMove });
    await expect(
      client.api(`${USER}/messages/${seeded.immutableId}/move`).post({ destinationId: archiveId })
    ).rejects.toThrow();
    expect(standIn.mailbox(SHARED).message(seeded.immutableId)?.folder).toBe('Archive');
    expect(standIn.stats().droppedConnections).toBe(1);
  });
});

describe('$batch', () => {
  let standIn: GraphMailbox;
  let token: string;
  beforeEach(async () => {
    standIn = await startGraphMailbox({ mailboxes: [SHARED], limits: TEST_LIMITS });
    token = await appToken(msalFor(standIn));
  });
  afterEach(() => standIn.close());

  const batch = async (requests: unknown[]) => raw(standIn, token, '/$batch', { method: 'POST', body: { requests } });

  it('executes each request on its own and answers each by id', async () => {
    const [seeded] = standIn.seed(SHARED, inboxMessages(1));
    if (!seeded) throw new Error('not seeded');
    const client = graphClient(standIn, noRetries());
    const response = (await client.api('/$batch').post({
      requests: [
        { id: '1', method: 'GET', url: `${USER}/mailFolders/inbox` },
        {
          id: '2',
          method: 'GET',
          url: `${USER}/messages/${seeded.immutableId}?$select=subject`,
          headers: { Prefer: IMMUTABLE }
        },
        {
          id: '3',
          method: 'POST',
          url: `${USER}/messages/${seeded.immutableId}/move`,
          headers: { 'Content-Type': 'application/json', Prefer: IMMUTABLE },
          body: { destinationId: 'archive' },
          dependsOn: ['2']
        },
        { id: '4', method: 'GET', url: `${USER}/messages/${Buffer.alloc(60, 1).toString('base64url')}` }
      ]
    })) as { responses: BatchEntry[] };
    const answers = byId(response.responses);
    expect(answers['1']).toMatchObject({ status: 200, body: { displayName: 'Inbox' } });
    expect(answers['2']).toMatchObject({ status: 200, body: { id: seeded.immutableId, subject: 'Inbox 1' } });
    expect(answers['3']).toMatchObject({ status: 201, body: { id: seeded.immutableId } });
    expect(answers['4']).toMatchObject({ status: 404, body: { error: { code: 'ErrorItemNotFound' } } });
    expect(answers['2']?.headers['Content-Type']).toMatch(/^application\/json/);
    expect(standIn.mailbox(SHARED).stats()).toMatchObject({ requests: 4, batchedRequests: 4, moves: 1 });
  });

  it('holdRequests: N moves run, the rest of the batch hangs; released unexecuted, the batch ends there', async () => {
    const seeded = standIn.seed(SHARED, inboxMessages(4));
    const move = (id: string, index: number) => ({
      id: String(index),
      method: 'POST',
      url: `${USER}/messages/${id}/move`,
      headers: { 'Content-Type': 'application/json' },
      body: { destinationId: 'archive' },
      ...(index > 0 ? { dependsOn: [String(index - 1)] } : {})
    });
    const hold = standIn.mailbox(SHARED).holdRequests({ after: 2 });
    const answer = batch(seeded.map((m, i) => move(m.immutableId, i)));
    await hold.reached;
    expect(hold.held()).toBe(1);
    expect(standIn.mailbox(SHARED).stats().moves).toBe(2);
    hold.release();
    const statuses = byId((await answer).body.responses as BatchEntry[]);
    expect([0, 1, 2, 3].map((i) => statuses[String(i)]?.status)).toEqual([201, 201, 503, 424]);
    expect(standIn.folderContents(SHARED, 'inbox')).toHaveLength(2);
    // Once released, later requests pass.
    const later = await batch([move(seeded[3]?.immutableId ?? '', 0)]);
    expect((later.body.responses as BatchEntry[])[0]?.status).toBe(201);
  });

  it('refuses more than 20 requests as a whole', async () => {
    const response = await batch(
      Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `${USER}/mailFolders/inbox` }))
    );
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('BadRequest');
    expect(standIn.mailbox(SHARED).stats().requests).toBe(0);
  });

  it('throttles sub-requests on their own: some 429 with Retry-After while others succeed', async () => {
    standIn.setLimits({ budget: 5, windowMs: 400 });
    const requests = Array.from({ length: 8 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: `${USER}/mailFolders/inbox`
    }));
    const first = await batch(requests);
    expect(first.status).toBe(200);
    const responses = first.body.responses as BatchEntry[];
    const throttled = responses.filter((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    expect(throttled).toHaveLength(3);
    for (const entry of throttled) {
      expect(entry.body.error).toMatchObject({ code: 'ApplicationThrottled' });
      expect(Number(entry.headers['Retry-After'])).toBeGreaterThan(0);
      expect(Number(entry.headers['Retry-After'])).toBeLessThanOrEqual(0.4);
    }
    // Retry only the throttled ones, after their Retry-After.
    await sleep(Math.max(...throttled.map((t) => Number(t.headers['Retry-After']))) * 1000 + 20);
    const again = await batch(requests.filter((r) => throttled.some((t) => t.id === r.id)));
    expect((again.body.responses as BatchEntry[]).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(standIn.mailbox(SHARED).stats()).toMatchObject({ requests: 8, throttledByBudget: 3 });
  });

  it('sends four sub-requests at a time, so concurrency throttles one only when other requests are in flight', async () => {
    standIn.setLatency(150);
    const requests = Array.from({ length: 6 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: `${USER}/mailFolders/inbox`
    }));
    const alone = await batch(requests);
    expect((alone.body.responses as BatchEntry[]).every((r) => r.status === 200)).toBe(true);
    expect(standIn.mailbox(SHARED).stats().maxConcurrency).toBe(4);

    const [, crowded] = await Promise.all([
      raw(standIn, token, `${USER}/mailFolders/inbox`),
      sleep(10).then(() => batch(requests))
    ]);
    const statuses = (crowded.body.responses as BatchEntry[]).map((r) => r.status);
    expect(statuses).toContain(429);
    const refused = (crowded.body.responses as BatchEntry[]).find((r) => r.status === 429);
    expect(refused?.body.error?.message).toBe('Application is over its MailboxConcurrency limit.');
  });

  it('with more parallelism (as older Graph behaved), a batch of five with latency gets one 429', async () => {
    await standIn.close();
    standIn = await startGraphMailbox({
      mailboxes: [SHARED],
      limits: TEST_LIMITS,
      latencyMs: 150,
      batchParallelism: 20
    });
    token = await appToken(msalFor(standIn));
    const response = await batch(
      Array.from({ length: 5 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `${USER}/mailFolders/inbox` }))
    );
    const statuses = (response.body.responses as BatchEntry[]).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('honours dependsOn: a failed dependency makes its dependants 424; unknown ids and cycles refuse the batch', async () => {
    const missing = Buffer.alloc(60, 2).toString('base64url');
    const chained = await batch([
      { id: 'a', method: 'GET', url: `${USER}/messages/${missing}` },
      { id: 'b', method: 'GET', url: `${USER}/mailFolders/inbox`, dependsOn: ['a'] },
      { id: 'c', method: 'GET', url: `${USER}/mailFolders/inbox`, dependsOn: ['b'] }
    ]);
    const answers = byId(chained.body.responses as BatchEntry[]);
    expect([answers.a?.status, answers.b?.status, answers.c?.status]).toEqual([404, 424, 424]);
    expect(standIn.mailbox(SHARED).stats().requests).toBe(1);

    const unknown = await batch([{ id: '1', method: 'GET', url: `${USER}/mailFolders/inbox`, dependsOn: ['9'] }]);
    expect(unknown.status).toBe(400);
    const cycle = await batch([
      { id: '1', method: 'GET', url: `${USER}/mailFolders/inbox`, dependsOn: ['2'] },
      { id: '2', method: 'GET', url: `${USER}/mailFolders/inbox`, dependsOn: ['1'] }
    ]);
    expect(cycle.status).toBe(400);
  });

  it("answers the Graph client's BatchRequestContent; a full URL with the version is Graph's 'segment v1.0' error", async () => {
    const client = graphClient(standIn, noRetries());
    const content = new BatchRequestContent([
      { id: 'plain', request: new Request(`${standIn.url}${USER}/mailFolders/inbox`, { method: 'GET' }) },
      { id: 'versioned', request: new Request(`${standIn.graphUrl}${USER}/mailFolders/inbox`, { method: 'GET' }) }
    ]);
    const response = new BatchResponseContent(await client.api('/$batch').post(await content.getContent()));
    expect(response.getResponseById('plain').status).toBe(200);
    const versioned = response.getResponseById('versioned');
    expect(versioned.status).toBe(400);
    expect(((await versioned.json()) as { error: { message: string } }).error.message).toBe(
      "Resource not found for the segment 'v1.0'."
    );
  });
});

describe('limits per app and mailbox', () => {
  let standIn: GraphMailbox;
  let token: string;
  beforeEach(async () => {
    standIn = await startGraphMailbox({ mailboxes: [SHARED, 'other@contoso.example'], limits: TEST_LIMITS });
    token = await appToken(msalFor(standIn));
  });
  afterEach(() => standIn.close());

  it('refuses a fifth concurrent request with 429 MailboxConcurrency and Retry-After', async () => {
    standIn.setLatency(200);
    const client = graphClient(standIn, noRetries());
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => client.api(`${USER}/mailFolders/inbox`).get())
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const error = rejected[0]?.reason as GraphError;
    expect([error.statusCode, error.code]).toEqual([429, 'ApplicationThrottled']);
    expect(error.headers?.get('Retry-After')).toBe('0.05');
    expect(standIn.mailbox(SHARED).stats()).toMatchObject({
      requests: 4,
      throttledByConcurrency: 1,
      maxConcurrency: 4
    });
    // Another mailbox has its own four places.
    standIn.setLatency(0);
    expect((await raw(standIn, token, '/users/other@contoso.example/mailFolders/inbox')).status).toBe(200);
  });

  it("lets the client's RetryHandler honour Retry-After, so all five succeed", async () => {
    standIn.setLatency(150);
    const client = graphClient(standIn);
    const results = await Promise.all(Array.from({ length: 5 }, () => client.api(`${USER}/mailFolders/inbox`).get()));
    expect(results).toHaveLength(5);
    // A retried request can meet a full mailbox again while the others are still running.
    expect(standIn.mailbox(SHARED).stats().requests).toBe(5);
    expect(standIn.mailbox(SHARED).stats().throttled).toBeGreaterThanOrEqual(1);
  });

  it('refuses requests over the budget with 429 and a Retry-After until the window has moved on', async () => {
    standIn.setLimits({ budget: 3, windowMs: 300 });
    for (let i = 0; i < 3; i++) expect((await raw(standIn, token, `${USER}/mailFolders/inbox`)).status).toBe(200);
    const refused = await raw(standIn, token, `${USER}/mailFolders/inbox`);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe('ApplicationThrottled');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(0.3);
    // Other mailboxes and other apps have budgets of their own.
    expect((await raw(standIn, token, '/users/other@contoso.example/mailFolders/inbox')).status).toBe(200);
    await sleep(retryAfter * 1000 + 20);
    expect((await raw(standIn, token, `${USER}/mailFolders/inbox`)).status).toBe(200);
    expect(standIn.mailbox(SHARED).stats()).toMatchObject({ requests: 4, throttledByBudget: 1 });
  });

  it('writes Retry-After in whole seconds, as Graph does, unless told otherwise', async () => {
    standIn.setLimits({ budget: 1, windowMs: 600_000, retryAfterFormat: 'seconds' });
    await raw(standIn, token, `${USER}/mailFolders/inbox`);
    const refused = await raw(standIn, token, `${USER}/mailFolders/inbox`);
    expect(refused.headers.get('retry-after')).toBe('600');
    standIn.mailbox(SHARED).resetLimits();
    expect((await raw(standIn, token, `${USER}/mailFolders/inbox`)).status).toBe(200);
  });
});

describe('faults', () => {
  let standIn: GraphMailbox;
  beforeEach(async () => {
    standIn = await startGraphMailbox({
      mailboxes: [SHARED],
      limits: TEST_LIMITS,
      apps: [
        { clientId: 'processor-app', clientSecret: 'processor-secret' },
        { clientId: 'reader-app', clientSecret: 'reader-secret', roles: ['Mail.Read'] }
      ]
    });
  });
  afterEach(() => standIn.close());

  it('a dropped connection surfaces as a network error, and the next request succeeds', async () => {
    const client = graphClient(standIn, noRetries());
    standIn.dropConnections(1);
    const error = await client
      .api(`${USER}/mailFolders/inbox`)
      .get()
      .catch((e: unknown) => e);
    // The client wraps fetch's TypeError ("fetch failed", cause: other side closed): no HTTP status.
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).statusCode).toBe(-1);
    expect(String((error as GraphError).body)).toContain('fetch failed');
    expect(standIn.stats().droppedConnections).toBe(1);
    await expect(client.api(`${USER}/mailFolders/inbox`).get()).resolves.toMatchObject({ displayName: 'Inbox' });
  });

  it('injects 503 with Retry-After, which the RetryHandler honours', async () => {
    const client = graphClient(standIn);
    standIn.mailbox(SHARED).failRequests(2, { status: 503, retryAfterSeconds: 0.05 });
    await expect(client.api(`${USER}/mailFolders/inbox`).get()).resolves.toMatchObject({ displayName: 'Inbox' });
    expect(
      standIn
        .mailbox(SHARED)
        .requests()
        .map((r) => r.status)
    ).toEqual([503, 503, 200]);
  });

  it('denies an app blocked by an application access policy, and a read-only app moving mail', async () => {
    const [seeded] = standIn.seed(SHARED, inboxMessages(1));
    const reader = await appToken(msalFor(standIn, { clientId: 'reader-app', clientSecret: 'reader-secret' }));
    expect((await raw(standIn, reader, `${USER}/messages/${seeded?.immutableId}`)).status).toBe(200);
    const move = await raw(standIn, reader, `${USER}/messages/${seeded?.immutableId}/move`, {
      method: 'POST',
      body: { destinationId: 'archive' }
    });
    expect([move.status, move.body.error?.code]).toEqual([403, 'ErrorAccessDenied']);

    const processor = await appToken(msalFor(standIn));
    standIn.mailbox(SHARED).denyApp('processor-app');
    const blocked = await raw(standIn, processor, `${USER}/mailFolders/inbox`);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error?.message).toMatch(/ApplicationAccessPolicy|AccessPolicy/);
  });
});

describe('events: GET /users/{id}/events/{id} by the calendar permissions (Get event)', () => {
  const apps = [
    { clientId: 'mail-app', clientSecret: 'mail-secret', roles: ['Mail.ReadWrite'] },
    { clientId: 'calendar-app', clientSecret: 'calendar-secret', roles: ['Calendars.Read'] },
    { clientId: 'basic-app', clientSecret: 'basic-secret', roles: ['Calendars.ReadBasic.All'] }
  ];
  const [event] = demoMailbox(Date.parse('2026-11-22T10:37:00Z')).events;
  let standIn: GraphMailbox;
  const tokenOf = (clientId: string) =>
    appToken(
      msalFor(
        standIn,
        apps.find((a) => a.clientId === clientId)
      )
    );
  beforeAll(async () => {
    standIn = await startGraphMailbox({ mailboxes: [SHARED], apps });
    standIn.mailbox(SHARED).seedEvents([event!]);
  });
  afterAll(() => standIn.close());

  it('Calendars.Read gives the whole event, Calendars.ReadBasic.All all but the body, mail permissions none', async () => {
    const path = `${USER}/events/${event!.graph.id}`;
    const full = await raw(standIn, await tokenOf('calendar-app'), path, { headers: { prefer: IMMUTABLE } });
    expect(full.status).toBe(200);
    const { '@odata.context': _context, '@odata.etag': _etag, ...properties } = full.body;
    expect(properties).toEqual(event!.graph);
    const basic = await raw(standIn, await tokenOf('basic-app'), `${path}?$select=subject,body,bodyPreview`);
    expect(basic.status).toBe(200);
    expect(Object.keys(basic.body).sort()).toEqual(['@odata.context', '@odata.etag', 'id', 'subject']);
    const mailOnly = await raw(standIn, await tokenOf('mail-app'), path);
    expect([mailOnly.status, mailOnly.body.error?.code]).toEqual([403, 'ErrorAccessDenied']);
    // And the other way round: a calendar permission reads no mail.
    expect((await raw(standIn, await tokenOf('calendar-app'), `${USER}/messages`)).status).toBe(403);
  });
});
