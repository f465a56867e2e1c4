import {
  headersFor,
  marksOfHeaderRecord,
  NO_MARKS,
  OPPORTUNITY_HEADER,
  PRIVATE_HEADER
} from '../../shared/message-marks.js';
import {
  NotInOutlookError,
  type ComposeMarks,
  type MailItem,
  type MessageSelection,
  type OfficeHost,
  type Participant,
  type ThemeName
} from './types.js';

/*
 * The only code that touches Office.js. Everything else in the pane sees plain data (MailItem,
 * Participant) and subscribes to changes through OfficeHost, so it can be tested without Office.
 *
 * The manifest asks for Mailbox 1.5. Anything newer is used only after
 * Office.context.requirements.isSetSupported('Mailbox', …) says the client has it, with a fallback where
 * it does not (test/addin/office-requirement-sets.test.ts holds this code to @types/office-js's Api set
 * annotations). Versions are strings: isSetSupported's number overload would read 1.14 below 1.8.
 */

const toParticipant = (details: Office.EmailAddressDetails | null | undefined): Participant | null =>
  details?.emailAddress ? { name: details.displayName || details.emailAddress, email: details.emailAddress } : null;

const toParticipants = (list: Office.EmailAddressDetails[] | null | undefined): Participant[] =>
  (list ?? []).map(toParticipant).filter((p): p is Participant => p !== null);

function getAsync<T>(
  source: { getAsync(callback: (result: Office.AsyncResult<T>) => void): void } | undefined
): Promise<T | null> {
  if (!source || typeof source.getAsync !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    source.getAsync((result) => resolve(result.status === Office.AsyncResultStatus.Succeeded ? result.value : null));
  });
}

function isComposeItem(item: Office.Item): item is Office.Item & Office.MessageCompose {
  // In compose mode, recipients are objects with getAsync; in read mode they are arrays.
  const to = (item as Office.MessageRead).to as unknown;
  return to !== undefined && !Array.isArray(to);
}

/** Outlook on iOS and Android hand out REST-formatted ids already, and have no converter. */
const MOBILE_HOSTS = new Set(['OutlookIOS', 'OutlookAndroid']);

function restIdOf(itemId: string | null | undefined): string | null {
  if (!itemId) return null;
  const mailbox = Office.context.mailbox;
  if (MOBILE_HOSTS.has(mailbox.diagnostics?.hostName ?? '') || typeof mailbox.convertToRestId !== 'function') {
    return itemId;
  }
  return mailbox.convertToRestId(itemId, Office.MailboxEnums.RestVersion.v2_0);
}

/**
 * A draft's id once it has been saved; null for a new, unsaved message, and on clients before Mailbox 1.8,
 * which cannot tell a draft's id without saving it (saveAsync would save on the user's behalf: not done).
 */
function savedDraftId(item: Office.MessageCompose | Office.AppointmentCompose): Promise<string | null> {
  if (!Office.context.requirements.isSetSupported('Mailbox', '1.8')) return Promise.resolve(null);
  return new Promise((resolve) => {
    item.getItemIdAsync((result) =>
      resolve(result.status === Office.AsyncResultStatus.Succeeded && result.value ? result.value : null)
    );
  });
}

const iso = (date: Date | null | undefined) =>
  date instanceof Date && !Number.isNaN(date.getTime()) ? date.toISOString() : null;

/**
 * The organizer of a meeting being organized: Organizer.getAsync is Mailbox 1.7; before it, the form is the user's
 * own (the organizer surface opens on meetings the user organizes), so null and the user stands for it.
 */
function composeOrganizer(item: Office.AppointmentCompose): Promise<Office.EmailAddressDetails | null> {
  if (!Office.context.requirements.isSetSupported('Mailbox', '1.7')) return Promise.resolve(null);
  return getAsync<Office.EmailAddressDetails>(item.organizer);
}

/** A calendar item: the attendee's read form or the organizer's compose form (start is a Time, not a Date). */
async function appointmentSnapshot(item: Office.Item): Promise<MailItem | null> {
  const compose = item as Office.Item & Office.AppointmentCompose;
  if (typeof compose.start?.getAsync === 'function') {
    const [subject, start, end, required, optional, organizer, savedId] = await Promise.all([
      getAsync<string>(compose.subject),
      getAsync<Date>(compose.start),
      getAsync<Date>(compose.end),
      getAsync<Office.EmailAddressDetails[]>(compose.requiredAttendees),
      getAsync<Office.EmailAddressDetails[]>(compose.optionalAttendees),
      composeOrganizer(compose),
      savedDraftId(compose)
    ]);
    const [from, until] = [iso(start), iso(end)];
    return {
      ...appointmentFields(savedId, subject, organizer, required, optional),
      mode: 'compose',
      ...(from && until ? { meeting: { start: from, end: until } } : {})
    };
  }
  const read = item as Office.Item & Office.AppointmentRead;
  const [from, until] = [iso(read.start), iso(read.end)];
  return {
    ...appointmentFields(read.itemId, read.subject, read.organizer, read.requiredAttendees, read.optionalAttendees),
    mode: 'read',
    ...(from && until ? { meeting: { start: from, end: until } } : {})
  };
}

function appointmentFields(
  itemId: string | null | undefined,
  subject: string | null | undefined,
  organizer: Office.EmailAddressDetails | null | undefined,
  required: Office.EmailAddressDetails[] | null | undefined,
  optional: Office.EmailAddressDetails[] | null | undefined
): Omit<MailItem, 'mode' | 'meeting'> {
  return {
    ewsId: itemId || null,
    restId: restIdOf(itemId),
    officeConversationId: null,
    internetMessageId: null,
    subject: subject ?? '',
    from: toParticipant(organizer),
    to: toParticipants(required),
    cc: toParticipants(optional)
  };
}

async function snapshot(item: Office.Item | null | undefined): Promise<MailItem | null> {
  if (!item) return null;
  const { itemType } = item as Office.Item & { itemType?: unknown };
  if (itemType === Office.MailboxEnums.ItemType.Appointment) return appointmentSnapshot(item);
  if (itemType !== Office.MailboxEnums.ItemType.Message) return null;
  if (isComposeItem(item)) {
    const [subject, to, cc, draftId] = await Promise.all([
      getAsync<string>(item.subject),
      getAsync<Office.EmailAddressDetails[]>(item.to),
      getAsync<Office.EmailAddressDetails[]>(item.cc),
      savedDraftId(item)
    ]);
    // A saved draft is a Graph message of its own, whose conversation is the thread being answered.
    return {
      mode: 'compose',
      ewsId: draftId,
      restId: restIdOf(draftId),
      officeConversationId: item.conversationId || null,
      internetMessageId: null,
      subject: subject ?? '',
      from: null,
      to: toParticipants(to),
      cc: toParticipants(cc)
    };
  }
  const read = item as Office.Item & Office.MessageRead;
  const sharedOwner = await sharedOwnerOf(read);
  return {
    ...(sharedOwner ? { sharedOwner } : {}),
    mode: 'read',
    ewsId: read.itemId ?? null,
    restId: restIdOf(read.itemId),
    officeConversationId: read.conversationId || null,
    internetMessageId: read.internetMessageId || null,
    subject: read.subject ?? '',
    from: toParticipant(read.from),
    to: toParticipants(read.to),
    cc: toParticipants(read.cc)
  };
}

/**
 * The mailbox owner of a message in a shared folder or shared mailbox: getSharedPropertiesAsync
 * (https://learn.microsoft.com/javascript/api/outlook/office.sharedproperties) is Mailbox 1.8 for shared folders and
 * 1.13 for shared mailboxes such as sales@, so it is asked from 1.13 on, where it covers both. It fails on an item that
 * is not shared (null then), and Outlook on iOS and Android do not have it.
 */
function sharedOwnerOf(item: Office.MessageRead): Promise<string | null> {
  if (!Office.context.requirements.isSetSupported('Mailbox', '1.13')) return Promise.resolve(null);
  if (typeof item.getSharedPropertiesAsync !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    item.getSharedPropertiesAsync((result) =>
      resolve(result.status === Office.AsyncResultStatus.Succeeded ? result.value?.owner || null : null)
    );
  });
}

function themeOf(theme: Office.OfficeTheme | undefined): ThemeName {
  const color = theme?.bodyBackgroundColor;
  if (!color || !/^#?[0-9a-f]{6}$/i.test(color)) return 'light';
  const hex = color.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 ? 'dark' : 'light';
}

const UNSUPPORTED_MARKS: ComposeMarks = {
  supported: false,
  read: () => Promise.resolve(NO_MARKS),
  write: () => Promise.reject(new Error('This Outlook cannot set internet headers (Mailbox 1.8).'))
};

/** Resolves on success, rejects with Office's error otherwise. */
const settle =
  (resolve: () => void, reject: (error: Error) => void) =>
  (result: Office.AsyncResult<void>): void =>
    result.status === Office.AsyncResultStatus.Succeeded ? resolve() : reject(new Error(result.error.message));

/**
 * The compose item's marks as internet headers: `item.internetHeaders` is Mailbox 1.8
 * (https://learn.microsoft.com/javascript/api/outlook/office.internetheaders). Outlook sends them with the message,
 * so the shared mailbox's BCC copy carries them.
 */
function composeMarks(): ComposeMarks {
  if (!Office.context.requirements.isSetSupported('Mailbox', '1.8')) return UNSUPPORTED_MARKS;
  const item = Office.context.mailbox.item;
  if (!item || !isComposeItem(item)) return UNSUPPORTED_MARKS;
  const headers = item.internetHeaders;
  return {
    supported: true,
    read: () =>
      new Promise((resolve) => {
        headers.getAsync([PRIVATE_HEADER, OPPORTUNITY_HEADER], (result) =>
          resolve(result.status === Office.AsyncResultStatus.Succeeded ? marksOfHeaderRecord(result.value) : NO_MARKS)
        );
      }),
    write: async (marks) => {
      const { set, remove } = headersFor(marks);
      await new Promise<void>((resolve, reject) => headers.removeAsync(remove, settle(resolve, reject)));
      if (Object.keys(set).length > 0) {
        await new Promise<void>((resolve, reject) => headers.setAsync(set, settle(resolve, reject)));
      }
    }
  };
}

/** Mailbox events hold one handler per type (removal is by type): the pane subscribes once per type. */
function addHandler(eventType: Office.EventType, handler: (event: unknown) => void): () => void {
  const mailbox = Office.context.mailbox;
  if (typeof mailbox?.addHandlerAsync !== 'function') return () => undefined;
  mailbox.addHandlerAsync(eventType, handler);
  return () => mailbox.removeHandlerAsync(eventType);
}

/**
 * Several selected messages: getSelectedItemsAsync and SelectedItemsChanged are Mailbox 1.13
 * (https://learn.microsoft.com/office/dev/add-ins/outlook/item-multi-select); before it, no selection at all.
 */
function messageSelection(): MessageSelection | undefined {
  if (!Office.context.requirements.isSetSupported('Mailbox', '1.13')) return undefined;
  const mailbox = Office.context.mailbox;
  if (typeof mailbox.getSelectedItemsAsync !== 'function') return undefined;
  return {
    read: () =>
      new Promise((resolve) => {
        mailbox.getSelectedItemsAsync((result) => {
          const items = result.status === Office.AsyncResultStatus.Succeeded ? (result.value ?? []) : [];
          resolve(
            items
              .filter((item) => item.itemId && item.itemType === Office.MailboxEnums.ItemType.Message)
              .map((item) => ({ ewsId: item.itemId, restId: restIdOf(item.itemId), subject: item.subject ?? '' }))
          );
        });
      }),
    onChanged: (listener) => addHandler(Office.EventType.SelectedItemsChanged, () => listener())
  };
}

/**
 * Waits for Office, then exposes the mailbox as plain data. Rejects with NotInOutlookError when Office.onReady
 * reports another host, or none (Microsoft's office.js in a plain browser resolves with `host: null` and leaves
 * `Office.context.mailbox` undefined).
 */
export async function connectOffice(): Promise<OfficeHost> {
  const { host } = await Office.onReady();
  const mailbox = Office.context?.mailbox;
  const profile = mailbox?.userProfile;
  if (host !== Office.HostType.Outlook || !profile) throw new NotInOutlookError(host ? String(host) : null);
  const selection = messageSelection();
  return {
    user: { name: profile.displayName || profile.emailAddress, email: profile.emailAddress },
    displayLanguage: Office.context.displayLanguage || 'en-US',
    currentItem: () => snapshot(Office.context.mailbox.item),
    onItemChanged: (listener) => addHandler(Office.EventType.ItemChanged, () => listener()),
    // Office's theme and its change event are Mailbox 1.14; before it, Outlook's default light theme.
    theme: () =>
      Office.context.requirements.isSetSupported('Mailbox', '1.14') ? themeOf(Office.context.officeTheme) : 'light',
    onThemeChanged: (listener) => {
      if (!Office.context.requirements.isSetSupported('Mailbox', '1.14')) return () => undefined;
      return addHandler(Office.EventType.OfficeThemeChanged, (event) =>
        listener(themeOf((event as { officeTheme?: Office.OfficeTheme }).officeTheme ?? Office.context.officeTheme))
      );
    },
    composeMarks,
    ...(selection ? { selection } : {})
  };
}
