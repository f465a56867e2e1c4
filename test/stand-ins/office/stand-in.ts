import { DEMO_ORG_DOMAIN } from '../../../src/shared/demo.js';
import {
  DEMO_MESSAGE_IDS,
  demoMailbox,
  demoSharedMailbox,
  type DemoEmailAddress,
  type DemoEvent,
  type DemoMailboxUser,
  type DemoMessage
} from '../../../src/stand-ins/demo-mailbox.js';

/*
 * A stand-in for Office.js as Outlook on the web gives it to a task pane, for the subset the pane uses: the
 * mailbox item in read and compose mode, the user, the theme, the display language, events, id conversion.
 * It follows Outlook's behaviour where a pane can tell the difference:
 * - `Office.context` exists only once the page has called `Office.onReady()` (or set `Office.initialize`);
 * - a pinned pane stays loaded while the user moves between messages: the item object is replaced, never
 *   changed in place, and ItemChanged handlers run afterwards, asynchronously; with nothing selected the
 *   item is null;
 * - compose mode is another add-in instance in Outlook: switching between reading and composing reloads the
 *   pane; in compose mode there is no itemId or internetMessageId, fields are read with getAsync, and
 *   getItemIdAsync fails with ItemNotSaved until the draft is saved;
 * - the display language is fixed for the session: a new one applies at the next load.
 * - a calendar item opens as Outlook documents it: an attendee's AppointmentRead (start and end as Dates, the
 *   organizer, requiredAttendees and optionalAttendees as arrays) or the organizer's AppointmentCompose (each
 *   through getAsync; Organizer.getAsync is Mailbox 1.7, getItemIdAsync 1.8, absent below). Calendar items are
 *   handed in by the caller (openAppointment), not kept in the host's state: they do not survive a reload.
 * - a client supports the Mailbox requirement sets up to a version (1.14, Outlook on the web's, unless told
 *   otherwise): isSetSupported answers from it, and the members the pane could use without asking are absent
 *   below their set, as in older clients (getItemIdAsync before 1.8; officeTheme and OfficeThemeChanged
 *   before 1.14).
 * - several messages can be selected at once (item multi-select, Mailbox 1.13): getSelectedItemsAsync gives each
 *   one's itemId, itemType, itemMode and subject (conversationId, internetMessageId and hasAttachment from 1.14),
 *   and SelectedItemsChanged handlers run afterwards, asynchronously; Outlook takes at most 100. The open item
 *   stays as it was.
 * - a message of the shared mailbox sales@ (which Outlook lists beside the user's own) answers
 *   getSharedPropertiesAsync (Mailbox 1.8, absent below) with its owner, the mailbox and the user's full access; on
 *   the user's own messages the call fails, as Outlook's does ("the current folder or mailbox isn't shared").
 * The "host" state (selection, mode, theme, language) lives in sessionStorage, so it survives those reloads
 * as Outlook's does; URL parameters set a starting state for tests and links.
 */

export type ThemeName = 'light' | 'dark';
export type ItemMode = 'read' | 'compose';

export interface HostState {
  mode: ItemMode;
  /** Graph id (immutable or regular REST) of the selected message or the open draft; null: nothing selected. */
  messageId: string | null;
  /** Compose mode: whether the draft is saved (getItemIdAsync needs that). */
  saved: boolean;
  theme: ThemeName;
  /** Office's display language for this load. */
  language: string;
}

export type OfficeThemeColors = Pick<
  Office.OfficeTheme,
  'bodyBackgroundColor' | 'bodyForegroundColor' | 'controlBackgroundColor' | 'controlForegroundColor'
>;

/** Outlook gives only the four colours (isDarkTheme and themeId are not supported there). */
export const OFFICE_THEMES: Record<ThemeName, OfficeThemeColors> = {
  light: {
    bodyBackgroundColor: '#ffffff',
    bodyForegroundColor: '#242424',
    controlBackgroundColor: '#f5f5f5',
    controlForegroundColor: '#242424'
  },
  dark: {
    bodyBackgroundColor: '#292929',
    bodyForegroundColor: '#ffffff',
    controlBackgroundColor: '#1f1f1f',
    controlForegroundColor: '#ffffff'
  }
};

/** The control surface for the preview page and tests: `window.officeStandIn`. */
export interface OfficeStandInControl {
  readonly messages: readonly DemoMessage[];
  readonly user: DemoMailboxUser;
  /** The host's current state (a copy). */
  readonly state: HostState;
  /** Selects a message (by Graph id) or nothing; resolves once ItemChanged handlers have run. A draft opens in compose mode. */
  selectMessage(id: string | null): Promise<void>;
  /**
   * Selects several received messages at once (by Graph id; Mailbox 1.13); resolves once SelectedItemsChanged
   * handlers have run.
   */
  selectMessages(ids: string[]): Promise<void>;
  /**
   * Opens a calendar item: the attendee's read form, or with `organizer` the organizer's form; resolves once
   * ItemChanged handlers have run.
   */
  openAppointment(appointment: StandInAppointment, options?: { organizer?: boolean }): Promise<void>;
  /** Opens a draft in compose mode (a reload, as in Outlook). */
  compose(draftId?: string, options?: { saved?: boolean }): void;
  /** Changes Outlook's theme; resolves once OfficeThemeChanged handlers have run. */
  setTheme(theme: ThemeName): Promise<void>;
  /** Changes the display language from the next load on, like Office. */
  setLanguage(locale: string): void;
  /** Reloads the pane with the current host state (and a language set since). */
  reload(): void;
  /** The internet headers set on the message being written, as Outlook would send them. */
  composeHeaders(): Record<string, string>;
  /**
   * The user selects Send: Outlook raises OnMessageSend and runs the handler the add-in associated under
   * `handlerName` (Office.actions.associate), waiting for `event.completed(options)`. Resolves with those options
   * (none when no handler is associated: the message goes) and how long the handler took.
   */
  send(handlerName?: string): Promise<{ completed: SendCompletedOptions | undefined; elapsedMs: number }>;
}

/** What a Smart Alerts handler passes to event.completed (Office.SmartAlertsEventCompletedOptions). */
export type SendCompletedOptions = Pick<
  Office.SmartAlertsEventCompletedOptions,
  'allowEvent' | 'errorMessage' | 'sendModeOverride' | 'cancelLabel' | 'commandId'
>;

export interface InstallOptions {
  /** The demo mailbox's clock. */
  now?: number;
  /** Starting state, over what sessionStorage holds (e.g. from URL parameters). */
  initial?: Partial<HostState>;
  /** Where the host state persists; sessionStorage by default, null for none. */
  storage?: Storage | null;
  /** How the pane reloads (mode switch, new language); by default the page navigates to itself. */
  navigate?: (state: HostState) => void;
  /** The newest Mailbox requirement set the client supports, such as "1.5"; 1.14 unless given. */
  mailboxVersion?: string;
}

export const STATE_PARAMETERS = ['message', 'mode', 'saved', 'theme', 'lang'] as const;
const STORAGE_KEY = 'officeStandIn.host';
export const DEFAULT_MAILBOX_VERSION = '1.14';
const MAILBOX_VERSION = /^1\.(\d|1[0-5])$/;
const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const HostType = {
  Word: 'Word',
  Excel: 'Excel',
  PowerPoint: 'PowerPoint',
  Outlook: 'Outlook',
  OneNote: 'OneNote',
  Project: 'Project',
  Access: 'Access'
} as const;
const PlatformType = {
  PC: 'PC',
  OfficeOnline: 'OfficeOnline',
  Mac: 'Mac',
  iOS: 'iOS',
  Android: 'Android',
  Universal: 'Universal'
} as const;
const EventType = {
  ItemChanged: 'olkItemSelectedChanged',
  OfficeThemeChanged: 'officeThemeChanged',
  SelectedItemsChanged: 'olkSelectedItemsChanged',
  RecipientsChanged: 'olkRecipientsChanged',
  AttachmentsChanged: 'olkAttachmentsChanged',
  DialogMessageReceived: 'dialogMessageReceived',
  DialogEventReceived: 'dialogEventReceived'
} as const;
const AsyncResultStatus = { Succeeded: 'succeeded', Failed: 'failed' } as const;
const InitializationReason = { Inserted: 'inserted', DocumentOpened: 'documentOpened' } as const;
const MailboxEnums = {
  RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' },
  ItemType: { Message: 'message', Appointment: 'appointment' },
  RecipientType: { DistributionList: 'distributionList', User: 'user', ExternalUser: 'externalUser', Other: 'other' },
  ResponseType: {
    None: 'none',
    Organizer: 'organizer',
    Tentative: 'tentative',
    Accepted: 'accepted',
    Declined: 'declined'
  }
} as const;
const MAILBOX_EVENTS: string[] = [EventType.ItemChanged, EventType.OfficeThemeChanged, EventType.SelectedItemsChanged];
/** The most messages Outlook lets the user select for an add-in. */
const MAX_SELECTED = 100;
const REST_VERSIONS: string[] = Object.values(MailboxEnums.RestVersion);

type Address = Pick<Office.EmailAddressDetails, 'displayName' | 'emailAddress' | 'recipientType'>;
type Callback<T> = (result: Office.AsyncResult<T>) => void;
type AnyArgs = (...args: unknown[]) => void;

/** The read-mode item: what a pane reads from `Office.context.mailbox.item` for a selected message. */
export interface StandInReadItem extends Pick<
  Office.MessageRead,
  | 'itemType'
  | 'itemClass'
  | 'itemId'
  | 'conversationId'
  | 'internetMessageId'
  | 'subject'
  | 'normalizedSubject'
  | 'dateTimeCreated'
  | 'dateTimeModified'
> {
  from: Address;
  sender: Address;
  to: Address[];
  cc: Address[];
  attachments: [];
  /** Mailbox 1.8: absent on older clients. */
  getSharedPropertiesAsync?: Office.MessageRead['getSharedPropertiesAsync'];
}

/** The compose-mode item: no itemId, no internetMessageId; fields through getAsync. */
export interface StandInComposeItem extends Pick<
  Office.MessageCompose,
  'itemType' | 'conversationId' | 'getItemIdAsync' | 'saveAsync'
> {
  subject: Pick<Office.Subject, 'getAsync' | 'setAsync'>;
  to: Pick<Office.Recipients, 'getAsync' | 'setAsync' | 'addAsync'>;
  cc: Pick<Office.Recipients, 'getAsync' | 'setAsync' | 'addAsync'>;
  bcc: Pick<Office.Recipients, 'getAsync' | 'setAsync' | 'addAsync'>;
  from: Pick<Office.From, 'getAsync'>;
  /** Mailbox 1.8: absent on older clients. */
  internetHeaders: Pick<Office.InternetHeaders, 'getAsync' | 'setAsync' | 'removeAsync'>;
}

/** A calendar item as the caller hands it in: a meeting, with the EWS id Outlook knows it by (null: not saved). */
export interface StandInAppointment {
  itemId: string | null;
  subject: string;
  start: Date;
  end: Date;
  organizer: DemoEmailAddress;
  requiredAttendees: DemoEmailAddress[];
  optionalAttendees: DemoEmailAddress[];
}

/**
 * A demo meeting (Ana's calendar in the demo mailbox) as Outlook opens its calendar item: the EWS id Office gives
 * for the event the Graph stand-in serves, its times, organizer and attendees. Open it with `organizer` when Ana
 * organized it (Graph's isOrganizer), as Outlook opens the organizer's form.
 */
export function demoAppointment(event: DemoEvent): StandInAppointment {
  const { graph } = event;
  const utc = (time: { dateTime: string }) => new Date(`${time.dateTime.slice(0, 19)}Z`);
  const attendees = (type: 'required' | 'optional') =>
    graph.attendees.filter((a) => a.type === type).map((a) => ({ ...a.emailAddress }));
  return {
    itemId: event.office.itemId,
    subject: graph.subject,
    start: utc(graph.start),
    end: utc(graph.end),
    organizer: { ...graph.organizer.emailAddress },
    requiredAttendees: attendees('required'),
    optionalAttendees: attendees('optional')
  };
}

/** An attendee's calendar item (AppointmentRead). */
export interface StandInAppointmentRead extends Pick<
  Office.AppointmentRead,
  'itemType' | 'itemClass' | 'subject' | 'start' | 'end' | 'location'
> {
  itemId: string | null;
  organizer: Address;
  requiredAttendees: Address[];
  optionalAttendees: Address[];
}

/** The organizer's calendar item (AppointmentCompose): fields through getAsync. */
export interface StandInAppointmentCompose extends Pick<Office.AppointmentCompose, 'itemType' | 'getItemIdAsync'> {
  subject: Pick<Office.Subject, 'getAsync'>;
  start: Pick<Office.Time, 'getAsync'>;
  end: Pick<Office.Time, 'getAsync'>;
  requiredAttendees: Pick<Office.Recipients, 'getAsync'>;
  optionalAttendees: Pick<Office.Recipients, 'getAsync'>;
  /** Mailbox 1.7: absent on older clients. */
  organizer: Pick<Office.Organizer, 'getAsync'>;
}

export type StandInItem = StandInReadItem | StandInComposeItem | StandInAppointmentRead | StandInAppointmentCompose;

interface ReadyInfo {
  host: typeof HostType.Outlook;
  platform: typeof PlatformType.OfficeOnline;
}

function asyncResult<T>(status: 'succeeded' | 'failed', value: T, asyncContext: unknown, error?: Office.Error) {
  // Office's AsyncResult: `error` exists only on failure.
  const result = { status, value, asyncContext, diagnostics: undefined, ...(error ? { error } : {}) };
  return result as unknown as Office.AsyncResult<T>; // its status is an enum whose values are these strings
}

/** Office's (options?, callback?) argument convention. */
function optionsAndCallback<T>(args: unknown[]): { context: unknown; callback: Callback<T> | null; options: object } {
  const callback = args.find((arg): arg is Callback<T> => typeof arg === 'function') ?? null;
  const options = (args.find((arg) => typeof arg === 'object' && arg !== null) ?? {}) as { asyncContext?: unknown };
  return { context: options.asyncContext, callback, options };
}

/** Host calls answer on a later task, never synchronously. */
function later<T>(callback: Callback<T> | null, result: Office.AsyncResult<T>): void {
  if (callback) setTimeout(() => callback(result), 0);
}

function argumentError(message: string): Error {
  const error = new Error(message);
  error.name = 'Sys.ArgumentException';
  return error;
}

const address = ({ name, address: email }: DemoEmailAddress): Address => ({
  displayName: name,
  emailAddress: email,
  recipientType: email.toLowerCase().endsWith(`@${DEMO_ORG_DOMAIN}`) ? 'user' : 'externalUser'
});

function toAddress(input: unknown): Address {
  if (typeof input === 'string') return address({ name: input, address: input });
  const value = input as Partial<Office.EmailAddressDetails> | null;
  if (!value?.emailAddress) throw argumentError('Recipients must be email addresses or EmailAddressDetails.');
  return address({ name: value.displayName || value.emailAddress, address: value.emailAddress });
}

/** Outlook's normalized subject: without one leading prefix such as "RE:", "FW:", "VS:" or "SV:". */
export const normalizeSubject = (subject: string) => subject.replace(/^\s*\p{L}{1,3}:\s+/u, '');

/** `?mailbox=1.5`: the client's newest Mailbox requirement set, for trying the pane as an older client would run it. */
export function mailboxVersionFromUrl(search: string): string | undefined {
  const version = new URLSearchParams(search).get('mailbox');
  return version !== null && MAILBOX_VERSION.test(version) ? version : undefined;
}

function versionAtLeast(supported: number[], wanted: string): boolean {
  const parts = wanted.split('.').map((part) => Number.parseInt(part, 10));
  for (let i = 0; i < Math.max(parts.length, supported.length); i++) {
    const have = supported[i] ?? 0;
    const want = parts[i] ?? 0;
    if (Number.isNaN(want)) return false;
    if (have !== want) return have > want;
  }
  return true;
}

/** The starting state a URL asks for: ?message=<graph id>|none&mode=compose&saved=0&theme=dark&lang=fi-FI */
export function hostStateFromUrl(search: string): Partial<HostState> {
  const params = new URLSearchParams(search);
  const state: Partial<HostState> = {};
  const message = params.get('message');
  if (message !== null) state.messageId = message === 'none' || message === '' ? null : message;
  const mode = params.get('mode');
  if (mode === 'read' || mode === 'compose') state.mode = mode;
  const saved = params.get('saved');
  if (saved !== null) state.saved = !['0', 'false', 'no'].includes(saved.toLowerCase());
  const theme = params.get('theme');
  if (theme === 'light' || theme === 'dark') state.theme = theme;
  const lang = params.get('lang');
  if (lang !== null && LOCALE.test(lang)) state.language = lang;
  return state;
}

function defaultStorage(target: Window): Storage | null {
  try {
    return target.sessionStorage;
  } catch {
    return null; // sandboxed frames may refuse storage
  }
}

function readStored(storage: Storage | null): Partial<HostState> {
  try {
    const parsed = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null') as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<HostState>) : {};
  } catch {
    return {};
  }
}

/** Graph's id, the REST id or Office's item id of a demo message. */
const findIn = (messages: DemoMessage[], id: string | null | undefined) =>
  id ? messages.find((m) => m.graph.id === id || m.restId === id || m.office.itemId === id) : undefined;

/** What the parts of the stand-in share: the host's state, the demo mailbox, the events and the draft's headers. */
interface Host {
  readonly state: HostState;
  readonly messages: DemoMessage[];
  readonly user: DemoMailboxUser;
  /** The mailbox events this client knows (OfficeThemeChanged is Mailbox 1.14). */
  readonly mailboxEvents: string[];
  readonly handlers: Map<string, Array<(args: unknown) => void>>;
  /** Graph ids of the messages selected at once (item multi-select); empty until selectMessages. */
  selectedIds: string[];
  /**
   * The draft's internet headers (item.internetHeaders), kept by the name they were set with; names match
   * case-insensitively, as header names do (RFC 5322).
   */
  readonly composeHeaders: Map<string, { name: string; value: string }>;
  /** A display language chosen for the next load. */
  nextLanguage: string | null;
  supports(version: string): boolean;
  persist(): void;
  find(id: string | null | undefined): DemoMessage | undefined;
}

/** What the host replaces rather than changes: the open item, and the theme's colours. */
interface LiveHost {
  item: StandInItem | null;
  theme: OfficeThemeColors;
}

type RecipientLists = Record<'to' | 'cc' | 'bcc', Address[]>;

/** The host's state from storage and options, made consistent as Outlook's is. */
function createHost(target: Window, options: InstallOptions): Host {
  const mailboxData = demoMailbox(options.now ?? Date.now());
  // The shared mailbox's messages are selectable as the user's own are: Outlook shows both.
  const messages = [...mailboxData.messages, ...demoSharedMailbox(options.now ?? Date.now())];
  const user = mailboxData.user;
  const storage = options.storage === undefined ? defaultStorage(target) : options.storage;
  const mailboxVersion = options.mailboxVersion ?? DEFAULT_MAILBOX_VERSION;
  if (!MAILBOX_VERSION.test(mailboxVersion)) throw new Error(`Mailbox ${mailboxVersion} is not a requirement set.`);
  const supportedVersion = mailboxVersion.split('.').map(Number);
  const supports = (version: string) => versionAtLeast(supportedVersion, version);

  const state: HostState = {
    mode: 'read',
    messageId: DEMO_MESSAGE_IDS.contactLatest,
    saved: true,
    theme: 'light',
    language: 'en-US',
    ...readStored(storage),
    ...options.initial
  };
  // Outlook opens a draft in compose mode, and compose mode always has a draft.
  const selected = findIn(messages, state.messageId);
  if (state.messageId !== null && !selected) state.messageId = null;
  if (selected?.graph.isDraft) state.mode = 'compose';
  else if (state.mode === 'compose') state.messageId = DEMO_MESSAGE_IDS.composeDraft;
  if (state.theme !== 'light' && state.theme !== 'dark') state.theme = 'light';
  if (typeof state.language !== 'string' || !LOCALE.test(state.language)) state.language = 'en-US';
  const host: Host = {
    state,
    messages,
    user,
    mailboxEvents: MAILBOX_EVENTS.filter(
      (type) =>
        (type !== EventType.OfficeThemeChanged || supports('1.14')) &&
        (type !== EventType.SelectedItemsChanged || supports('1.13'))
    ),
    handlers: new Map(MAILBOX_EVENTS.map((type) => [type, []])),
    selectedIds: [],
    composeHeaders: new Map(),
    nextLanguage: null,
    supports,
    persist: () => {
      try {
        storage?.setItem(STORAGE_KEY, JSON.stringify({ ...state, language: host.nextLanguage ?? state.language }));
      } catch {
        // storage full or refused: the state simply does not survive a reload
      }
    },
    find: (id) => findIn(messages, id)
  };
  host.persist();
  return host;
}

/**
 * A change made by the host: applied on a later task, then the pane's handlers run, as Office's dispatcher
 * runs them: in order, and a throwing handler stops the ones after it.
 */
function hostChange(host: Host, apply: () => { type: string; args: object } | null): Promise<void> {
  return new Promise<void>((resolve) => {
    setTimeout(() => {
      try {
        const event = apply();
        if (event) for (const handler of [...(host.handlers.get(event.type) ?? [])]) handler(event.args);
      } finally {
        resolve();
      }
    }, 0);
  });
}

/** Every permission a shared mailbox's full access gives (Office.MailboxEnums.DelegatePermissions, summed). */
const FULL_ACCESS = 1 + 2 + 4 + 8 + 16 + 32;

/**
 * getSharedPropertiesAsync (https://learn.microsoft.com/javascript/api/outlook/office.sharedproperties): the owner
 * of a shared mailbox's message; on the user's own it fails (Outlook documents no code for it: the generic one).
 */
function sharedPropertiesOf(message: DemoMessage): AnyArgs {
  return (...args: unknown[]) => {
    const { context, callback } = optionsAndCallback<Office.SharedProperties>(args);
    const owner = message.sharedOwner;
    const properties = owner && {
      owner,
      targetMailbox: owner,
      targetRestUrl: 'https://outlook.office.com/api',
      delegatePermissions: FULL_ACCESS
    };
    later(
      callback,
      properties
        ? asyncResult('succeeded', properties as unknown as Office.SharedProperties, context)
        : asyncResult('failed', undefined as unknown as Office.SharedProperties, context, {
            code: 9020,
            name: 'GenericResponseError',
            message: "The current folder or mailbox isn't shared."
          })
    );
  };
}

function readItem(host: Host, message: DemoMessage): StandInReadItem {
  const g = message.graph;
  return Object.freeze({
    ...(host.supports('1.8') ? { getSharedPropertiesAsync: sharedPropertiesOf(message) } : {}),
    itemType: MailboxEnums.ItemType.Message,
    itemClass: 'IPM.Note',
    itemId: message.office.itemId,
    conversationId: message.office.conversationId,
    internetMessageId: g.internetMessageId,
    subject: g.subject,
    normalizedSubject: normalizeSubject(g.subject),
    dateTimeCreated: new Date(g.createdDateTime),
    dateTimeModified: new Date(g.lastModifiedDateTime),
    from: address(g.from.emailAddress),
    sender: address(g.sender.emailAddress),
    to: g.toRecipients.map((r) => address(r.emailAddress)),
    cc: g.ccRecipients.map((r) => address(r.emailAddress)),
    attachments: [] as []
  });
}

function recipientsField(lists: RecipientLists, field: keyof RecipientLists): StandInComposeItem['to'] {
  return {
    getAsync: ((...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<Office.EmailAddressDetails[]>(args);
      later(
        callback,
        asyncResult('succeeded', lists[field].map((a) => ({ ...a })) as Office.EmailAddressDetails[], context)
      );
    }) as AnyArgs,
    setAsync: ((value: unknown, ...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<void>(args);
      lists[field] = (Array.isArray(value) ? value : []).map(toAddress);
      later(callback, asyncResult('succeeded', undefined, context));
    }) as AnyArgs,
    addAsync: ((value: unknown, ...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<void>(args);
      lists[field] = [...lists[field], ...(Array.isArray(value) ? value : []).map(toAddress)];
      later(callback, asyncResult('succeeded', undefined, context));
    }) as AnyArgs
  };
}

function internetHeadersOf(
  composeHeaders: Map<string, { name: string; value: string }>
): StandInComposeItem['internetHeaders'] {
  return {
    getAsync: ((names: unknown, ...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<Record<string, string>>(args);
      if (!Array.isArray(names)) throw argumentError('names must be an array of header names.');
      // Headers not set are left out of the answer, as Outlook does.
      const found: Record<string, string> = {};
      for (const name of names) {
        const header = composeHeaders.get(String(name).toLowerCase());
        if (header) found[header.name] = header.value;
      }
      later(callback, asyncResult('succeeded', found, context));
    }) as AnyArgs,
    setAsync: ((headers: unknown, ...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<void>(args);
      if (typeof headers !== 'object' || headers === null) throw argumentError('headers must be an object.');
      for (const [name, value] of Object.entries(headers)) {
        composeHeaders.set(name.toLowerCase(), { name, value: String(value) });
      }
      later(callback, asyncResult('succeeded', undefined, context));
    }) as AnyArgs,
    removeAsync: ((names: unknown, ...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<void>(args);
      if (!Array.isArray(names)) throw argumentError('names must be an array of header names.');
      for (const name of names) composeHeaders.delete(String(name).toLowerCase());
      later(callback, asyncResult('succeeded', undefined, context));
    }) as AnyArgs
  };
}

function composeItem(host: Host, message: DemoMessage): StandInComposeItem {
  const g = message.graph;
  let subject = g.subject;
  const lists: RecipientLists = {
    to: g.toRecipients.map((r) => address(r.emailAddress)),
    cc: g.ccRecipients.map((r) => address(r.emailAddress)),
    bcc: g.bccRecipients.map((r) => address(r.emailAddress))
  };
  const itemIdResult = (context: unknown) =>
    host.state.saved
      ? asyncResult('succeeded', message.office.itemId, context)
      : asyncResult('failed', undefined as unknown as string, context, {
          code: 9046,
          name: 'ItemNotSaved',
          message: "The id can't be retrieved until the item is saved."
        });
  const item: StandInComposeItem = {
    itemType: MailboxEnums.ItemType.Message,
    // A reply belongs to its conversation from the start (a new message would have none until saved).
    conversationId: message.office.conversationId,
    subject: {
      getAsync: ((...args: unknown[]) => {
        const { context, callback } = optionsAndCallback<string>(args);
        later(callback, asyncResult('succeeded', subject, context));
      }) as AnyArgs,
      setAsync: ((value: unknown, ...args: unknown[]) => {
        const { context, callback } = optionsAndCallback<void>(args);
        subject = String(value);
        later(callback, asyncResult('succeeded', undefined, context));
      }) as AnyArgs
    },
    to: recipientsField(lists, 'to'),
    cc: recipientsField(lists, 'cc'),
    bcc: recipientsField(lists, 'bcc'),
    from: {
      getAsync: ((...args: unknown[]) => {
        const { context, callback } = optionsAndCallback<Office.EmailAddressDetails>(args);
        const me = address({ name: host.user.displayName, address: host.user.emailAddress });
        later(callback, asyncResult('succeeded', me as Office.EmailAddressDetails, context));
      }) as AnyArgs
    },
    getItemIdAsync: ((...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<string>(args);
      later(callback, itemIdResult(context));
    }) as AnyArgs,
    internetHeaders: internetHeadersOf(host.composeHeaders),
    saveAsync: ((...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<string>(args);
      host.state.saved = true;
      host.persist();
      later(callback, asyncResult('succeeded', message.office.itemId, context));
    }) as AnyArgs
  };
  // getItemIdAsync and internetHeaders are Mailbox 1.8: older clients do not have them.
  if (!host.supports('1.8')) {
    delete (item as Partial<StandInComposeItem>).getItemIdAsync;
    delete (item as Partial<StandInComposeItem>).internetHeaders;
  }
  return Object.freeze(item);
}

function appointmentRead(appointment: StandInAppointment): StandInAppointmentRead {
  return Object.freeze({
    itemType: MailboxEnums.ItemType.Appointment,
    itemClass: 'IPM.Appointment',
    itemId: appointment.itemId,
    subject: appointment.subject,
    start: new Date(appointment.start),
    end: new Date(appointment.end),
    location: '',
    organizer: address(appointment.organizer),
    requiredAttendees: appointment.requiredAttendees.map(address),
    optionalAttendees: appointment.optionalAttendees.map(address)
  }) as StandInAppointmentRead;
}

/** A field read with getAsync, answered on a later task. */
function gettable<T>(value: () => T): { getAsync: AnyArgs } {
  return {
    getAsync: ((...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<T>(args);
      later(callback, asyncResult('succeeded', value(), context));
    }) as AnyArgs
  };
}

function appointmentCompose(host: Host, appointment: StandInAppointment): StandInAppointmentCompose {
  const { itemId } = appointment;
  const item: StandInAppointmentCompose = {
    itemType: MailboxEnums.ItemType.Appointment,
    subject: gettable(() => appointment.subject),
    start: gettable(() => new Date(appointment.start)),
    end: gettable(() => new Date(appointment.end)),
    requiredAttendees: gettable(() => appointment.requiredAttendees.map(address)),
    optionalAttendees: gettable(() => appointment.optionalAttendees.map(address)),
    organizer: gettable(() => address(appointment.organizer)),
    getItemIdAsync: ((...args: unknown[]) => {
      const { context, callback } = optionsAndCallback<string>(args);
      later(
        callback,
        itemId
          ? asyncResult('succeeded', itemId, context)
          : asyncResult('failed', undefined as unknown as string, context, {
              code: 9046,
              name: 'ItemNotSaved',
              message: "The id can't be retrieved until the item is saved."
            })
      );
    }) as AnyArgs
  } as StandInAppointmentCompose;
  // Organizer.getAsync is Mailbox 1.7 and getItemIdAsync 1.8: older clients do not have them.
  if (!host.supports('1.7')) delete (item as Partial<StandInAppointmentCompose>).organizer;
  if (!host.supports('1.8')) delete (item as Partial<StandInAppointmentCompose>).getItemIdAsync;
  return Object.freeze(item);
}

/** The item open in the host, in the mode it is open in; null with nothing selected. */
function itemOf(host: Host): StandInItem | null {
  const message = host.find(host.state.messageId);
  if (!message) return null;
  return host.state.mode === 'compose' ? composeItem(host, message) : readItem(host, message);
}

function addHandlerAsync(host: Host): AnyArgs {
  return ((eventType: unknown, handler: unknown, ...args: unknown[]) => {
    if (typeof eventType !== 'string' || !host.mailboxEvents.includes(eventType)) {
      throw argumentError(`The specified event type ${String(eventType)} is not supported.`);
    }
    const { context, callback } = optionsAndCallback<void>(args);
    const list = host.handlers.get(eventType) ?? [];
    if (typeof handler !== 'function' || list.includes(handler as (args: unknown) => void)) {
      const error = { code: 5001, name: 'Event Registration Error', message: 'Failed to add the event handler.' };
      return later(callback, asyncResult('failed', undefined, context, error));
    }
    list.push(handler as (args: unknown) => void);
    later(callback, asyncResult('succeeded', undefined, context));
  }) as AnyArgs;
}

function removeHandlerAsync(host: Host): AnyArgs {
  return ((eventType: unknown, ...args: unknown[]) => {
    if (typeof eventType !== 'string' || !host.mailboxEvents.includes(eventType)) {
      throw argumentError(`The specified event type ${String(eventType)} is not supported.`);
    }
    const { context, callback, options: removeOptions } = optionsAndCallback<void>(args);
    const handler = (removeOptions as { handler?: unknown }).handler;
    const list = host.handlers.get(eventType) ?? [];
    if (handler === undefined) {
      list.length = 0; // no handler named: all of them go
    } else {
      const index = list.indexOf(handler as (args: unknown) => void);
      if (index < 0) {
        const error = {
          code: 5003,
          name: 'Event Registration Error',
          message: 'The specified event handler was not found for this binding.'
        };
        return later(callback, asyncResult('failed', undefined, context, error));
      }
      list.splice(index, 1);
    }
    later(callback, asyncResult('succeeded', undefined, context));
  }) as AnyArgs;
}

/** convertToRestId and convertToEwsId: the two forms differ in two characters. */
const convert = (from: RegExp[], to: string[]) => (id: string, restVersion: string) => {
  if (id === null || id === undefined) throw argumentError('Value cannot be null. Parameter name: itemId');
  if (!REST_VERSIONS.includes(restVersion)) throw argumentError(`Invalid restVersion: ${String(restVersion)}`);
  return id.replace(from[0] as RegExp, to[0] ?? '').replace(from[1] as RegExp, to[1] ?? '');
};

/** getSelectedItemsAsync: each selected message's details, the 1.14 ones only on a 1.14 client. */
function getSelectedItemsAsync(host: Host): AnyArgs {
  return ((...args: unknown[]) => {
    const { context, callback } = optionsAndCallback<Office.SelectedItemDetails[]>(args);
    const details = host.selectedIds.flatMap((id) => {
      const message = host.find(id);
      if (!message) return [];
      const base = {
        itemId: message.office.itemId,
        itemType: MailboxEnums.ItemType.Message,
        itemMode: 'Read',
        subject: message.graph.subject
      };
      const newer = {
        conversationId: message.office.conversationId,
        internetMessageId: message.graph.internetMessageId,
        hasAttachment: message.graph.hasAttachments
      };
      return [(host.supports('1.14') ? { ...base, ...newer } : base) as Office.SelectedItemDetails];
    });
    later(callback, asyncResult('succeeded', details, context));
  }) as AnyArgs;
}

/** Office.context.mailbox. */
function mailboxApi(host: Host, currentItem: () => StandInItem | null) {
  return {
    // Mailbox 1.13: older clients have no item multi-select.
    ...(host.supports('1.13') ? { getSelectedItemsAsync: getSelectedItemsAsync(host) } : {}),
    get item(): StandInItem | null {
      return currentItem();
    },
    userProfile: Object.freeze({
      displayName: host.user.displayName,
      emailAddress: host.user.emailAddress,
      timeZone: host.user.timeZone,
      accountType: 'enterprise'
    }) satisfies Office.UserProfile,
    diagnostics: Object.freeze({ hostName: 'OutlookWebApp', hostVersion: '20261106003.17', OWAView: 'ThreeColumns' }),
    convertToRestId: convert([/\//g, /\+/g], ['-', '_']) satisfies Office.Mailbox['convertToRestId'],
    convertToEwsId: convert([/-/g, /_/g], ['/', '+']) satisfies Office.Mailbox['convertToEwsId'],
    addHandlerAsync: addHandlerAsync(host) satisfies Office.Mailbox['addHandlerAsync'],
    removeHandlerAsync: removeHandlerAsync(host) satisfies Office.Mailbox['removeHandlerAsync']
  };
}

/** Office.context, as Outlook on the web has it. */
function officeContext(host: Host, mailbox: ReturnType<typeof mailboxApi>, theme: () => OfficeThemeColors) {
  return {
    host: HostType.Outlook,
    platform: PlatformType.OfficeOnline,
    diagnostics: Object.freeze({
      host: HostType.Outlook,
      platform: PlatformType.OfficeOnline,
      version: '16.0.19426.10000'
    }),
    get displayLanguage() {
      return host.state.language;
    },
    get contentLanguage() {
      return host.state.language;
    },
    // Mailbox 1.14: older Outlook clients have no officeTheme.
    get officeTheme(): OfficeThemeColors | undefined {
      return host.supports('1.14') ? theme() : undefined;
    },
    requirements: {
      isSetSupported: ((name: string, minVersion?: string | number) =>
        name.toLowerCase() === 'mailbox' &&
        host.supports(
          minVersion === undefined ? '1.1' : String(minVersion)
        )) satisfies Office.RequirementSetSupport['isSetSupported']
    },
    mailbox
  };
}

/**
 * The Office global: Office.context exists once the page has asked for it (onReady or initialize), and
 * functions the add-in associates by name (Office.actions.associate) are kept for the host to call.
 */
function officeGlobal(target: Window, context: ReturnType<typeof officeContext>) {
  const readyInfo: ReadyInfo = { host: HostType.Outlook, platform: PlatformType.OfficeOnline };
  let loaded = false;
  let onReadyCalled = false;
  const waiting: Array<() => void> = [];
  // Functions the add-in associated by name (Office.actions.associate), as event-based activation calls them.
  const associated = new Map<string, (event: unknown) => void>();
  const office = {
    actions: {
      associate(actionId: string, actionFunction: (event: unknown) => void) {
        associated.set(actionId, actionFunction);
      }
    },
    HostType,
    PlatformType,
    EventType,
    AsyncResultStatus,
    InitializationReason,
    MailboxEnums,
    initialize: undefined as ((reason: string) => void) | undefined,
    get context() {
      return loaded ? context : undefined;
    },
    onReady(callback?: (info: ReadyInfo) => unknown): Promise<ReadyInfo> {
      onReadyCalled = true;
      const run = (): ReadyInfo | Promise<ReadyInfo> => {
        const result = callback?.({ ...readyInfo });
        return result instanceof Promise ? result.then(() => ({ ...readyInfo })) : { ...readyInfo };
      };
      if (loaded) return Promise.resolve(run());
      return new Promise((resolve, reject) => {
        waiting.push(() => {
          try {
            resolve(run());
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
    }
  };

  // Office.js finishes loading after the page has loaded and asked for it; it gives up after 20 seconds.
  const finishLoading = (attempt: number) => {
    const initialize = office.initialize;
    if (!onReadyCalled && typeof initialize !== 'function') {
      if (attempt >= 400) {
        throw new Error(
          'Office.js has not fully loaded. Your app must call "Office.onReady()" as part of it\'s loading sequence (or set the "Office.initialize" function). If your app has this functionality, try reloading this page.'
        );
      }
      setTimeout(() => finishLoading(attempt + 1), 50);
      return;
    }
    loaded = true;
    if (typeof initialize === 'function') initialize(InitializationReason.Inserted);
    for (const resume of waiting.splice(0)) resume();
  };
  const start = () => setTimeout(() => finishLoading(0), 0);
  if (target.document.readyState === 'loading') target.document.addEventListener('DOMContentLoaded', start);
  else start();
  return { office, associated };
}

/**
 * The user selects Send: Outlook raises OnMessageSend and runs the handler the add-in associated, waiting for
 * `event.completed(options)`; with no handler the message goes.
 */
function send(
  host: Host,
  handler: ((event: unknown) => void) | undefined
): Promise<{ completed: SendCompletedOptions | undefined; elapsedMs: number }> {
  if (host.state.mode !== 'compose') return Promise.reject(new Error('Only a message being written can be sent.'));
  const started = performance.now();
  if (!handler) return Promise.resolve({ completed: undefined, elapsedMs: 0 });
  return new Promise((resolve) => {
    // Outlook's MailboxEvent for OnMessageSend: the handler ends it with completed(options).
    const event = {
      type: 'olkBeforeMessageSend',
      completed: (options?: SendCompletedOptions) =>
        resolve({ completed: options ?? { allowEvent: true }, elapsedMs: performance.now() - started })
    };
    handler(event);
  });
}

/** A new selection of messages (Mailbox 1.13 only); SelectedItemsChanged runs only when it differs. */
function selectionChange(host: Host, ids: string[]): Promise<void> {
  if (!host.supports('1.13')) return Promise.resolve();
  return hostChange(host, () => {
    if (ids.length === host.selectedIds.length && ids.every((id, i) => id === host.selectedIds[i])) return null;
    host.selectedIds = [...ids];
    return { type: EventType.SelectedItemsChanged, args: { type: EventType.SelectedItemsChanged } };
  });
}

/** window.officeStandIn: what the user does in Outlook, for the preview page and tests. */
function controlSurface(
  host: Host,
  live: LiveHost,
  navigate: (state: HostState) => void,
  associated: Map<string, (event: unknown) => void>
): OfficeStandInControl {
  const control: OfficeStandInControl = {
    messages: host.messages,
    user: host.user,
    get state() {
      return { ...host.state };
    },
    selectMessage(id) {
      const message = id === null ? null : host.find(id);
      if (message === undefined) throw new Error(`The demo mailbox has no message with the id ${String(id)}.`);
      if (message?.graph.isDraft) {
        control.compose(message.graph.id);
        return Promise.resolve();
      }
      if (host.state.mode === 'compose') {
        Object.assign(host.state, { mode: 'read', messageId: message?.graph.id ?? null, saved: true });
        control.reload();
        return Promise.resolve();
      }
      const next = message?.graph.id ?? null;
      const opened = hostChange(host, () => {
        if (next === host.state.messageId) return null; // selecting the open message again changes nothing
        host.state.messageId = next;
        host.persist();
        live.item = itemOf(host);
        return { type: EventType.ItemChanged, args: { type: EventType.ItemChanged } };
      });
      // Clicking one message ends a selection of several: the selection is that message alone.
      return opened.then(() => selectionChange(host, next === null ? [] : [next]));
    },
    selectMessages(ids) {
      if (!host.supports('1.13')) throw new Error('Selecting several messages needs Mailbox 1.13.');
      if (ids.length > MAX_SELECTED) throw new Error(`Outlook selects at most ${MAX_SELECTED} messages.`);
      for (const id of ids) {
        const message = host.find(id);
        if (!message || message.graph.isDraft) throw new Error(`${id} is not a received message in the demo mailbox.`);
      }
      return selectionChange(host, ids);
    },
    openAppointment(appointment, appointmentOptions = {}) {
      return hostChange(host, () => {
        live.item = appointmentOptions.organizer ? appointmentCompose(host, appointment) : appointmentRead(appointment);
        return { type: EventType.ItemChanged, args: { type: EventType.ItemChanged } };
      });
    },
    compose(draftId = DEMO_MESSAGE_IDS.composeDraft, composeOptions = {}) {
      const draft = host.find(draftId);
      if (!draft?.graph.isDraft) throw new Error(`${draftId} is not a draft in the demo mailbox.`);
      Object.assign(host.state, { mode: 'compose', messageId: draft.graph.id, saved: composeOptions.saved ?? true });
      control.reload();
    },
    setTheme(theme) {
      if (theme !== 'light' && theme !== 'dark') throw new Error(`Unknown theme ${String(theme)}.`);
      return hostChange(host, () => {
        if (theme === host.state.theme) return null;
        host.state.theme = theme;
        host.persist();
        live.theme = { ...OFFICE_THEMES[theme] };
        return {
          type: EventType.OfficeThemeChanged,
          args: { type: EventType.OfficeThemeChanged, officeTheme: { ...live.theme } }
        };
      });
    },
    setLanguage(locale) {
      if (!LOCALE.test(locale)) throw new Error(`"${locale}" is not a language tag such as fi-FI.`);
      host.nextLanguage = locale;
      host.persist();
    },
    reload() {
      host.persist();
      navigate({ ...host.state, language: host.nextLanguage ?? host.state.language });
    },
    composeHeaders() {
      return Object.fromEntries([...host.composeHeaders.values()].map(({ name, value }) => [name, value]));
    },
    send: (handlerName = 'onMessageSendHandler') => send(host, associated.get(handlerName))
  };
  return control;
}

/** Defines `window.Office` (Outlook on the web, a task pane) and `window.officeStandIn` on the target. */
export function installOfficeStandIn(target: Window, options: InstallOptions = {}): OfficeStandInControl {
  const host = createHost(target, options);
  const navigate =
    options.navigate ??
    (() => {
      const url = new URL(target.location.href);
      for (const name of STATE_PARAMETERS) url.searchParams.delete(name);
      target.location.replace(url.href);
    });
  const live: LiveHost = { item: itemOf(host), theme: { ...OFFICE_THEMES[host.state.theme] } };
  const mailbox = mailboxApi(host, () => live.item);
  const { office, associated } = officeGlobal(
    target,
    officeContext(host, mailbox, () => live.theme)
  );
  const control = controlSurface(host, live, navigate, associated);
  Object.assign(target, { Office: office, officeStandIn: control });
  return control;
}
