import { randomBytes, randomUUID } from 'node:crypto';

/** Random bytes from a pool refilled 64 KiB at a time: ids are made per message and per move, in bulk. */
const pool = { bytes: Buffer.alloc(0), at: 0 };
function randomPart(size: number): Buffer {
  if (pool.at + size > pool.bytes.length) {
    pool.bytes = randomBytes(Math.max(65_536, size));
    pool.at = 0;
  }
  pool.at += size;
  return pool.bytes.subarray(pool.at - size, pool.at);
}
import { GRAPH_MESSAGE_PROPERTIES, SELECT_ONLY_MESSAGE_PROPERTIES } from '../demo-mailbox.js';
import { Calendar, type StoredEvent } from './calendar.js';
import { GraphError, malformedId, notFound } from './errors.js';

/*
 * One Exchange Online mailbox as Graph shows it: a folder tree under "Top of Information Store" and the
 * messages in it. Pure state, no HTTP: the Graph layer (graph-api.ts) reads and changes it, tests seed it
 * and look into it.
 *
 * Ids behave as Exchange's do:
 * - every message has an immutable id (fixed for life) and a regular REST id that changes whenever the
 *   message moves to another folder; an old regular id no longer finds anything (404 ErrorItemNotFound);
 * - both forms are accepted wherever an id is read; which form is written depends on the caller's
 *   `Prefer: IdType="ImmutableId"` (the rendering takes that as a flag);
 * - folder ids never change;
 * - ids are base64url with '=' padding, as Graph's are; anything else is ErrorInvalidIdMalformed.
 */

/** Well-known folder names this mailbox has, with their English display names (the default locale). */
export const WELL_KNOWN_FOLDERS = {
  msgfolderroot: 'Top of Information Store',
  archive: 'Archive',
  conversationhistory: 'Conversation History',
  deleteditems: 'Deleted Items',
  drafts: 'Drafts',
  inbox: 'Inbox',
  junkemail: 'Junk Email',
  outbox: 'Outbox',
  sentitems: 'Sent Items'
} as const;
export type WellKnownFolderName = keyof typeof WELL_KNOWN_FOLDERS;

/** Well-known names Graph knows but this stand-in's mailboxes do not have (404 rather than "malformed id"). */
const OTHER_WELL_KNOWN = [
  'clutter',
  'conflicts',
  'localfailures',
  'recoverableitemsdeletions',
  'scheduled',
  'searchfolders',
  'serverfailures',
  'syncissues'
];

export interface MailboxOptions {
  /** The mailbox's primary SMTP address, which is also its userPrincipalName here. */
  address: string;
  displayName?: string;
  /** The directory object id Graph also accepts in /users/{id}; a random GUID when not given. */
  userId?: string;
  /**
   * Exchange Online provisions the well-known `archive` folder (display name "Archive") in every mailbox;
   * `false` models one without it, so a processor's "create when missing" path can be exercised.
   */
  archiveFolder?: boolean;
  /** Localised display names of the well-known folders, e.g. `{ inbox: 'Saapuneet', archive: 'Arkisto' }`. */
  folderNames?: Partial<Record<WellKnownFolderName, string>>;
  /** The clock message dates and modification times use. */
  now?: () => number;
  /** Fixed ids of well-known folders (random otherwise), for a mailbox whose ids others already know. */
  folderIds?: Partial<Record<WellKnownFolderName, string>>;
}

export interface EmailAddress {
  name: string | null;
  address: string | null;
}
export interface Recipient {
  emailAddress: EmailAddress;
}
/** `'Name <a@b.example>'`, `'a@b.example'`, `{ name, address }` or Graph's `{ emailAddress }`. */
export type AddressInput = string | Partial<EmailAddress> | Recipient;

export interface SeedMessage {
  /** Well-known name, display-name path ('Inbox/Sub') or folder id; the Inbox when not given. */
  folder?: string;
  subject?: string | null;
  /** `null` leaves both from and sender empty, as a malformed or system message can. */
  from?: AddressInput | null;
  /** Defaults to `from`. */
  sender?: AddressInput | null;
  to?: AddressInput[];
  cc?: AddressInput[];
  bcc?: AddressInput[];
  replyTo?: AddressInput[];
  /** Plain text, or Graph's body with its content type; bodyPreview is derived from plain text unless given. */
  body?: string | MessageBody;
  bodyPreview?: string;
  receivedDateTime?: string | Date;
  sentDateTime?: string | Date;
  /** Default: the received time. */
  createdDateTime?: string | Date;
  /** Default: the received time. */
  lastModifiedDateTime?: string | Date;
  /** Fixed ids (random otherwise), for a mailbox whose ids others already know (the demo mailbox's). */
  ids?: { immutableId: string; restId: string; changeKey: string };
  /** Generated when not given. */
  conversationIndex?: string;
  /** `null` for a message without one (drafts, some system messages). Generated when not given. */
  internetMessageId?: string | null;
  conversationId?: string;
  isDraft?: boolean;
  isRead?: boolean;
  importance?: 'low' | 'normal' | 'high';
  categories?: string[];
  hasAttachments?: boolean;
  /** The message's internet headers (Graph returns them only when $select names internetMessageHeaders). */
  internetMessageHeaders?: Array<{ name: string; value: string }>;
  /**
   * Written over the rendered message as-is, every time it is served: the way to seed broken data
   * (`{ receivedDateTime: 'yesterday' }`, `{ toRecipients: [{ emailAddress: null }] }`, `{ from: 42 }`).
   */
  raw?: Record<string, unknown>;
}

export interface MessageBody {
  contentType: 'text' | 'html';
  content: string;
}

export interface StoredFolder {
  id: string;
  displayName: string;
  parentId: string | null;
  wellKnownName: WellKnownFolderName | null;
  isHidden: boolean;
}

interface MessageData {
  createdDateTime: string;
  receivedDateTime: string;
  sentDateTime: string;
  hasAttachments: boolean;
  internetMessageId: string | null;
  subject: string | null;
  body: MessageBody;
  bodyPreview: string;
  importance: 'low' | 'normal' | 'high';
  conversationId: string;
  conversationIndex: string;
  isRead: boolean;
  isDraft: boolean;
  categories: string[];
  sender: Recipient | null;
  from: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  internetMessageHeaders: Array<{ name: string; value: string }>;
}

export interface StoredMessage {
  /** Insertion order: the tie-breaker wherever Graph's order is otherwise equal. */
  seq: number;
  immutableId: string;
  restId: string;
  changeKey: string;
  lastModifiedDateTime: string;
  folderId: string;
  /** The delta clock's value when it arrived in its folder (seeded or moved there). */
  arrivedAt: number;
  moves: number;
  data: MessageData;
  raw: Record<string, unknown> | undefined;
}

/** What a test sees of a message: current ids and place, and the message as Graph renders it. */
export interface MessageView {
  immutableId: string;
  /** The current regular REST id (changes on every move). */
  restId: string;
  internetMessageId: string | null;
  subject: string | null;
  receivedDateTime: string;
  /** Display-name path of its folder, e.g. 'Inbox' or 'Inbox/Not logged'. */
  folder: string;
  parentFolderId: string;
  /** How many times it was moved. */
  moves: number;
  /** Graph's rendering with immutable ids (raw overrides applied). */
  graph: Record<string, unknown>;
}

/** Counts a test sets in place of a folder's live ones. */
export interface FolderFigures {
  totalItemCount?: number;
  /** Served as the folder's PR_MESSAGE_SIZE_EXTENDED extended property. */
  sizeBytes?: number;
}

export interface SeededMessage {
  immutableId: string;
  /** The regular REST id at seeding time; it changes when the message moves. */
  restId: string;
  internetMessageId: string | null;
  conversationId: string;
  folder: string;
}

export const MESSAGE_PROPERTIES: readonly string[] = GRAPH_MESSAGE_PROPERTIES;
/** Everything $select may name: the default set and what Graph returns only when selected. */
export const SELECTABLE_MESSAGE_PROPERTIES: readonly string[] = [
  ...GRAPH_MESSAGE_PROPERTIES,
  ...SELECT_ONLY_MESSAGE_PROPERTIES
];
export const FOLDER_PROPERTIES = [
  'id',
  'displayName',
  'parentFolderId',
  'childFolderCount',
  'unreadItemCount',
  'totalItemCount',
  'isHidden'
] as const;
/**
 * A folder's MAPI properties Graph serves as single-value extended properties (its metadata has no size
 * property on mailFolder): PR_MESSAGE_SIZE_EXTENDED, PidTagMessageSizeExtended 0x0E08, PtypInteger64, which
 * Graph calls 'Long' ([MS-OXCFOLD] 2.2.2.2.1.11).
 */
export const FOLDER_SIZE_PROPERTY = { type: 'long', tag: 0x0e08 } as const;

/** Exchange Online's constant head of immutable item ids. */
const IMMUTABLE_ID_HEAD = 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A';
const ID_SHAPE = /^[A-Za-z0-9_-]+=*$/;

const base64url = (bytes: Buffer) => bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
/** Graph's dates: whole seconds, UTC, 'Z'. */
export const graphDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function dateInput(value: string | Date | undefined, fallback: number): string {
  if (value === undefined) return graphDate(fallback);
  if (value instanceof Date) return graphDate(value.getTime());
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? value : graphDate(parsed);
}

export function recipientOf(input: AddressInput): Recipient {
  if (typeof input === 'string') {
    const match = /^\s*(.*?)\s*<([^>]*)>\s*$/.exec(input);
    const address = (match ? match[2] : input)?.trim() ?? '';
    const name = match?.[1] ? match[1].replace(/^"|"$/g, '') : address;
    return { emailAddress: { name, address } };
  }
  if ('emailAddress' in input) return { emailAddress: { ...input.emailAddress } };
  return { emailAddress: { name: input.name ?? input.address ?? null, address: input.address ?? null } };
}

const normalizeName = (name: string) => name.trim().toLowerCase();

export class MailboxState {
  readonly address: string;
  readonly displayName: string;
  readonly userId: string;
  private readonly now: () => number;
  /** The mailbox GUID inside regular ids. */
  private readonly guid = randomUUID();
  private readonly folders = new Map<string, StoredFolder>();
  private readonly wellKnown = new Map<WellKnownFolderName, StoredFolder>();
  private readonly messages: StoredMessage[] = [];
  private readonly byRestId = new Map<string, StoredMessage>();
  private readonly byImmutableId = new Map<string, StoredMessage>();
  private seq = 0;
  /** Counts a test set in place of the real ones (a folder "near its limit" without a million messages). */
  private readonly figureOverrides = new Map<string, FolderFigures>();
  private changeCounter = 0;
  private rootParentId: string | null = null;
  /** Counts arrivals in and departures from folders: what a delta round reports lies between two readings. */
  private deltaClock = 0;
  private readonly departures: Array<{ folderId: string; immutableId: string; restId: string; at: number }> = [];
  private readonly fixedFolderIds: Partial<Record<WellKnownFolderName, string>>;
  private readonly arrivalListeners: Array<(message: StoredMessage, folder: StoredFolder) => void> = [];
  /** The mailbox's calendar: its events (calendar.ts). */
  readonly calendar = new Calendar();

  constructor(options: MailboxOptions) {
    this.fixedFolderIds = options.folderIds ?? {};
    this.address = options.address.toLowerCase();
    this.displayName = options.displayName ?? options.address.split('@')[0] ?? options.address;
    this.userId = options.userId ?? randomUUID();
    this.now = options.now ?? Date.now;
    const root = this.addFolder(null, options.folderNames?.msgfolderroot ?? WELL_KNOWN_FOLDERS.msgfolderroot, {
      wellKnownName: 'msgfolderroot'
    });
    for (const name of Object.keys(WELL_KNOWN_FOLDERS) as WellKnownFolderName[]) {
      if (name === 'msgfolderroot' || (name === 'archive' && options.archiveFolder === false)) continue;
      this.addFolder(root.id, options.folderNames?.[name] ?? WELL_KNOWN_FOLDERS[name], { wellKnownName: name });
    }
  }

  // ---- ids ------------------------------------------------------------------------------------------

  private entryId(kind: 'folder' | 'item'): string {
    const head = Buffer.from([0x00, 0x03, 0x24, 0x00]);
    const tail = randomPart(kind === 'folder' ? 46 : 70);
    return base64url(Buffer.concat([head, Buffer.from(this.guid, 'ascii'), Buffer.from([0x00, 0x46, 0x00]), tail]));
  }

  private newChangeKey(): string {
    this.changeCounter += 1;
    return base64url(Buffer.concat([Buffer.from([0x43, 0x51, 0, 0, 0, this.changeCounter & 0xff]), randomPart(16)]));
  }

  /** Graph rejects what cannot be an id before it looks anything up. */
  static checkIdShape(id: string): void {
    if (!ID_SHAPE.test(id) || Buffer.from(id, 'base64url').length < 32) throw malformedId();
  }

  // ---- folders --------------------------------------------------------------------------------------

  private addFolder(
    parentId: string | null,
    displayName: string,
    extra: { wellKnownName?: WellKnownFolderName; isHidden?: boolean } = {}
  ): StoredFolder {
    const folder: StoredFolder = {
      id: (extra.wellKnownName && this.fixedFolderIds[extra.wellKnownName]) || this.entryId('folder'),
      displayName,
      parentId,
      wellKnownName: extra.wellKnownName ?? null,
      isHidden: extra.isHidden ?? false
    };
    this.folders.set(folder.id, folder);
    if (folder.wellKnownName) this.wellKnown.set(folder.wellKnownName, folder);
    return folder;
  }

  get rootFolder(): StoredFolder {
    const root = this.wellKnown.get('msgfolderroot');
    if (!root) throw new Error('mailbox without a root folder');
    return root;
  }

  /** A folder by id or well-known name, as a URL segment or destinationId names it. */
  resolveFolder(idOrName: string): StoredFolder {
    const lower = idOrName.toLowerCase();
    if (lower in WELL_KNOWN_FOLDERS || OTHER_WELL_KNOWN.includes(lower)) {
      const folder = this.wellKnown.get(lower as WellKnownFolderName);
      if (!folder) {
        throw new GraphError(404, 'ErrorFolderNotFound', 'The specified folder could not be found in the store.');
      }
      return folder;
    }
    MailboxState.checkIdShape(idOrName);
    const folder = this.folders.get(idOrName);
    if (!folder) throw notFound();
    return folder;
  }

  /** For tests: a well-known name, a display-name path from the top ('Inbox/Sub', case-insensitive) or an id. */
  findFolder(reference: string): StoredFolder | undefined {
    const known = this.wellKnown.get(reference.toLowerCase() as WellKnownFolderName);
    if (known) return known;
    const byId = this.folders.get(reference);
    if (byId) return byId;
    let current: StoredFolder | undefined = this.rootFolder;
    for (const part of reference.split('/').filter(Boolean)) {
      current = current
        ? this.childFolders(current.id, true).find((f) => normalizeName(f.displayName) === normalizeName(part))
        : undefined;
    }
    return current === this.rootFolder ? undefined : current;
  }

  folderPath(folder: StoredFolder): string {
    const parts: string[] = [];
    for (let f: StoredFolder | undefined = folder; f && f.parentId; f = this.folders.get(f.parentId)) {
      parts.unshift(f.displayName);
    }
    return parts.join('/');
  }

  childFolders(parentId: string, includeHidden: boolean): StoredFolder[] {
    return [...this.folders.values()].filter((f) => f.parentId === parentId && (includeHidden || !f.isHidden));
  }

  allFolders(): StoredFolder[] {
    return [...this.folders.values()];
  }

  createFolder(parentId: string, displayName: string, isHidden = false): StoredFolder {
    const siblings = [...this.folders.values()].filter((f) => f.parentId === parentId);
    if (siblings.some((f) => normalizeName(f.displayName) === normalizeName(displayName))) {
      throw new GraphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
    }
    return this.addFolder(parentId, displayName, { isHidden });
  }

  /** Makes the folder report these counts (live counts again for what is left out). */
  setFolderFigures(folder: StoredFolder, figures: FolderFigures): void {
    this.figureOverrides.set(folder.id, figures);
  }

  renderFolder(folder: StoredFolder): Record<string, unknown> {
    const inFolder = this.messages.filter((m) => m.folderId === folder.id);
    const override = this.figureOverrides.get(folder.id) ?? {};
    return {
      id: folder.id,
      displayName: folder.displayName,
      parentFolderId: folder.parentId ?? this.entryIdOfRootParent(),
      childFolderCount: this.childFolders(folder.id, true).length,
      unreadItemCount: inFolder.filter((m) => !m.data.isRead).length,
      totalItemCount: override.totalItemCount ?? inFolder.length,
      isHidden: folder.isHidden
    };
  }

  /** The folder's PR_MESSAGE_SIZE_EXTENDED: the bytes of its messages. */
  folderSize(folder: StoredFolder): number {
    const override = this.figureOverrides.get(folder.id)?.sizeBytes;
    return override ?? this.messagesIn(folder.id).reduce((sum, m) => sum + this.sizeOf(m), 0);
  }

  /** The root's parent (the mailbox root, not itself a mail folder): a stable id Graph also shows. */
  private entryIdOfRootParent(): string {
    this.rootParentId ??= this.entryId('folder');
    return this.rootParentId;
  }

  // ---- messages -------------------------------------------------------------------------------------

  seed(messages: SeedMessage[]): SeededMessage[] {
    return messages.map((input) => {
      const folder = this.findFolder(input.folder ?? 'inbox');
      if (!folder) throw new Error(`No folder '${input.folder}' in ${this.address}`);
      this.seq += 1;
      const ids = input.ids ?? {
        immutableId: IMMUTABLE_ID_HEAD + base64url(randomPart(36)),
        restId: this.entryId('item'),
        changeKey: this.newChangeKey()
      };
      const data = this.messageData(input);
      const message: StoredMessage = {
        seq: this.seq,
        ...ids,
        lastModifiedDateTime:
          input.lastModifiedDateTime === undefined ? data.receivedDateTime : dateInput(input.lastModifiedDateTime, 0),
        folderId: folder.id,
        arrivedAt: ++this.deltaClock,
        moves: 0,
        data,
        raw: input.raw
      };
      this.messages.push(message);
      this.byRestId.set(message.restId, message);
      this.byImmutableId.set(message.immutableId, message);
      for (const listener of this.arrivalListeners) listener(message, folder);
      return {
        immutableId: message.immutableId,
        restId: message.restId,
        internetMessageId: data.internetMessageId,
        conversationId: data.conversationId,
        folder: this.folderPath(folder)
      };
    });
  }

  /** A seeded message's contents, with what the test left out filled in as Exchange would. */
  private messageData(input: SeedMessage): MessageData {
    // Spread over the past week, a minute apart, so the seeding order is the received order.
    const received = dateInput(input.receivedDateTime, this.now() - 7 * 86_400_000 + this.seq * 60_000);
    const from = input.from === null ? null : recipientOf(input.from ?? 'Sender <sender@external.example>');
    const sender = input.sender === undefined ? from : input.sender === null ? null : recipientOf(input.sender);
    const domain = from?.emailAddress.address?.split('@')[1] ?? 'stand-in.example';
    const body =
      typeof input.body === 'object'
        ? input.body
        : { contentType: 'text' as const, content: input.body ?? `Message ${this.seq} body.` };
    return {
      createdDateTime: input.createdDateTime === undefined ? received : dateInput(input.createdDateTime, 0),
      receivedDateTime: received,
      sentDateTime: dateInput(input.sentDateTime, Date.parse(received) - 5_000 || this.now()),
      hasAttachments: input.hasAttachments ?? false,
      internetMessageId:
        input.internetMessageId === undefined
          ? `<${randomPart(12).toString('hex').toUpperCase()}@${domain}>`
          : input.internetMessageId,
      subject: input.subject === undefined ? `Message ${this.seq}` : input.subject,
      body,
      bodyPreview: input.bodyPreview ?? body.content.replace(/\s+/g, ' ').trim().slice(0, 255),
      importance: input.importance ?? 'normal',
      conversationId:
        input.conversationId ??
        Buffer.concat([Buffer.from([0, 0x10, 0x24, 0]), Buffer.from(this.guid, 'ascii'), randomPart(20)]).toString(
          'base64'
        ),
      conversationIndex:
        input.conversationIndex ?? Buffer.concat([Buffer.from([1]), randomPart(21)]).toString('base64'),
      isRead: input.isRead ?? false,
      isDraft: input.isDraft ?? false,
      categories: input.categories ?? [],
      sender,
      from,
      toRecipients: (input.to ?? []).map(recipientOf),
      ccRecipients: (input.cc ?? []).map(recipientOf),
      bccRecipients: (input.bcc ?? []).map(recipientOf),
      replyTo: (input.replyTo ?? []).map(recipientOf),
      internetMessageHeaders: structuredClone(input.internetMessageHeaders ?? [])
    };
  }

  /** A message by either form of its id; an old regular id (from before a move) finds nothing. */
  getMessage(id: string): StoredMessage {
    MailboxState.checkIdShape(id);
    const message = this.byImmutableId.get(id) ?? this.byRestId.get(id);
    if (!message) throw notFound();
    return message;
  }

  /** An event of the calendar by either form of its id. */
  getEvent(id: string): StoredEvent {
    MailboxState.checkIdShape(id);
    const event = this.calendar.find(id);
    if (!event) throw notFound();
    return event;
  }

  /** Messages of one folder, or of the whole mailbox (null), in storage order. */
  messagesIn(folderId: string | null): StoredMessage[] {
    return folderId === null ? [...this.messages] : this.messages.filter((m) => m.folderId === folderId);
  }

  /**
   * Exchange's move: the item gets a new regular id and change key in its new folder; the immutable id
   * stays. Moving into the folder it is already in changes nothing.
   */
  /**
   * A move, also into the folder the message is already in: Exchange does not promise that is a no-op, so
   * here it is a move like any other (a new regular id), and a client that repeats moves blindly shows.
   */
  move(message: StoredMessage, destination: StoredFolder): StoredMessage {
    if (destination.wellKnownName === 'msgfolderroot') {
      throw new GraphError(400, 'ErrorMoveCopyFailed', 'The move or copy operation failed.');
    }
    this.departures.push({
      folderId: message.folderId,
      immutableId: message.immutableId,
      restId: message.restId,
      at: ++this.deltaClock
    });
    message.arrivedAt = ++this.deltaClock;
    this.byRestId.delete(message.restId);
    message.restId = this.entryId('item');
    message.changeKey = this.newChangeKey();
    message.lastModifiedDateTime = graphDate(this.now());
    message.folderId = destination.id;
    message.moves += 1;
    this.byRestId.set(message.restId, message);
    for (const listener of this.arrivalListeners) listener(message, destination);
    return message;
  }

  /** Called for every message that arrives in a folder (seeded, or moved there): change notifications. */
  onArrival(listener: (message: StoredMessage, folder: StoredFolder) => void): void {
    this.arrivalListeners.push(listener);
  }

  /** The delta clock now: a delta round covers the changes after one reading up to another. */
  get deltaNow(): number {
    return this.deltaClock;
  }

  /**
   * A folder's changes in (from, to]: messages that arrived (and are still there), and messages that left
   * (reported as removed, with the ids they had there), in the order they happened.
   */
  deltaOf(
    folderId: string,
    from: number,
    to: number
  ): Array<{ at: number; message: StoredMessage } | { at: number; removed: { immutableId: string; restId: string } }> {
    const arrived = this.messages
      .filter((m) => m.folderId === folderId && m.arrivedAt > from && m.arrivedAt <= to)
      .map((message) => ({ at: message.arrivedAt, message }));
    const left = this.departures
      .filter((d) => d.folderId === folderId && d.at > from && d.at <= to)
      .map((d) => ({ at: d.at, removed: { immutableId: d.immutableId, restId: d.restId } }));
    return [...arrived, ...left].sort((a, b) => a.at - b.at);
  }

  /**
   * Just the properties $filter and $orderby can name (raw overrides on top), for picking a page without
   * rendering every message of the folder in full; the page's messages are then rendered with `render`.
   */
  renderSortKeys(message: StoredMessage): Record<string, unknown> {
    const d = message.data;
    const keys: Record<string, unknown> = {
      createdDateTime: d.createdDateTime,
      lastModifiedDateTime: message.lastModifiedDateTime,
      receivedDateTime: d.receivedDateTime,
      sentDateTime: d.sentDateTime,
      hasAttachments: d.hasAttachments,
      internetMessageId: d.internetMessageId,
      subject: d.subject,
      importance: d.importance,
      parentFolderId: message.folderId,
      conversationId: d.conversationId,
      isRead: d.isRead,
      isDraft: d.isDraft,
      sender: d.sender,
      from: d.from
    };
    return message.raw ? { ...keys, ...message.raw } : keys;
  }

  /**
   * The message with Graph's default property set (and the select-only properties `select` names), ids in the
   * form asked for, raw overrides on top.
   */
  render(message: StoredMessage, immutable: boolean, select: readonly string[] | null = null): Record<string, unknown> {
    const id = immutable ? message.immutableId : message.restId;
    const d = message.data;
    const full: Record<string, unknown> = {
      id,
      createdDateTime: d.createdDateTime,
      lastModifiedDateTime: message.lastModifiedDateTime,
      changeKey: message.changeKey,
      categories: d.categories,
      receivedDateTime: d.receivedDateTime,
      sentDateTime: d.sentDateTime,
      hasAttachments: d.hasAttachments,
      internetMessageId: d.internetMessageId,
      subject: d.subject,
      bodyPreview: d.bodyPreview,
      importance: d.importance,
      parentFolderId: message.folderId,
      conversationId: d.conversationId,
      conversationIndex: d.conversationIndex,
      isDeliveryReceiptRequested: false,
      isReadReceiptRequested: false,
      isRead: d.isRead,
      isDraft: d.isDraft,
      // Outlook on the web opens an item by its regular id: the link breaks when the item moves.
      webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(message.restId)}&exvsurl=1&viewmodel=ReadMessageItem`,
      inferenceClassification: 'focused',
      body: { ...d.body },
      sender: d.sender,
      from: d.from,
      toRecipients: d.toRecipients,
      ccRecipients: d.ccRecipients,
      bccRecipients: d.bccRecipients,
      replyTo: d.replyTo,
      flag: { flagStatus: 'notFlagged' }
    };
    const rendered: Record<string, unknown> = { '@odata.etag': `W/"${message.changeKey}"` };
    for (const property of MESSAGE_PROPERTIES) rendered[property] = full[property];
    if (select?.includes('internetMessageHeaders')) {
      rendered.internetMessageHeaders = structuredClone(d.internetMessageHeaders);
    }
    return { ...rendered, ...structuredClone(message.raw ?? {}) };
  }

  view(message: StoredMessage): MessageView {
    const folder = this.folders.get(message.folderId);
    return {
      immutableId: message.immutableId,
      restId: message.restId,
      internetMessageId: message.data.internetMessageId,
      subject: message.data.subject,
      receivedDateTime: message.data.receivedDateTime,
      folder: folder ? this.folderPath(folder) : '',
      parentFolderId: message.folderId,
      moves: message.moves,
      graph: this.render(message, true)
    };
  }

  /** For tests: a message by immutable id, current regular id, or Internet Message-ID. */
  findMessage(reference: string): StoredMessage | undefined {
    return (
      this.byImmutableId.get(reference) ??
      this.byRestId.get(reference) ??
      this.messages.find((m) => m.data.internetMessageId === reference)
    );
  }

  private sizeOf(message: StoredMessage): number {
    return 1024 + Buffer.byteLength(JSON.stringify(message.data));
  }
}
