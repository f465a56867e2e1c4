/** @jest-environment jsdom */
import { OfficeMockObject } from 'office-addin-mock';
import { connectOffice } from '../../src/addin/office/mailbox.js';
import { NotInOutlookError } from '../../src/addin/office/types.js';
import { compareVersions } from '../../src/manifest/build-manifest.js';
import { DEMO_MAILBOX_USER, DEMO_MESSAGE_IDS, demoMailbox } from '../../src/stand-ins/demo-mailbox.js';

// office-addin-mock needs only the OfficeApp enum from office-addin-manifest, whose entry point also loads the
// manifest tooling and, through it, ESM-only packages Jest cannot require on Node 20 (strip-bom). The enum's
// own file from the same package stands in for the entry point.
jest.mock('office-addin-manifest', () => jest.requireActual('office-addin-manifest/lib/officeApp'));

/*
 * The Office adapter (the only code touching Office.js) against Microsoft's office-addin-mock, as Microsoft's
 * unit-testing guide sets it up for Outlook: `host: "outlook"` in the mock data, the mock as `global.Office`.
 *
 * What comes from where: office-addin-mock only turns the data below into an object tree (nested objects
 * become mock objects, arrays and scalars stay values, functions are kept as given). It knows nothing of
 * Office.js itself, so everything the adapter calls is given here explicitly: the enum values (as Office.js
 * defines them: see @microsoft/office-js's outlook-web-16.01.debug.js), Office.onReady, and the mailbox
 * functions (convertToRestId, addHandlerAsync, removeHandlerAsync, getAsync), as jest.fn()s that act as
 * Outlook does.
 */

const NOW = Date.parse('2026-11-22T10:37:00Z');
const mailbox = demoMailbox(NOW);
const lenaMessage = mailbox.messages.find((m) => m.graph.id === DEMO_MESSAGE_IDS.contactLatest);
if (!lenaMessage) throw new Error('no demo message contactLatest');

/** Office.js's own values for what the adapter reads. */
const OFFICE_ENUMS = {
  HostType: { Outlook: 'Outlook', Word: 'Word', Excel: 'Excel' },
  EventType: {
    ItemChanged: 'olkItemSelectedChanged',
    OfficeThemeChanged: 'officeThemeChanged',
    SelectedItemsChanged: 'olkSelectedItemsChanged'
  },
  AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
  MailboxEnums: {
    RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' },
    ItemType: { Message: 'message', Appointment: 'appointment' }
  }
};

const LIGHT = { bodyBackgroundColor: '#ffffff', bodyForegroundColor: '#000000' };
const DARK = { bodyBackgroundColor: '#1f1f1f', bodyForegroundColor: '#ffffff' };

type Handler = (event: unknown) => void;

interface Outlook {
  /** The global Office object: the office-addin-mock tree. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- office-addin-mock's tree is untyped
  office: any;
  convertToRestId: jest.Mock<string, [string, string]>;
  addHandlerAsync: jest.Mock<void, [string, Handler]>;
  removeHandlerAsync: jest.Mock<void, [string]>;
  /** The handler Outlook holds for each event type (mailbox events: one per type, removed by type). */
  handlers: Map<string, Handler>;
}

interface Options {
  /** What Office.onReady reports (Outlook unless given). */
  ready?: { host: string | null; platform: string | null };
  /** No mailbox at all in Office.context (another host, or none). */
  noMailbox?: boolean;
  item?: Record<string, unknown> | null;
  displayLanguage?: string;
  officeTheme?: Record<string, string>;
  userProfile?: { displayName: string; emailAddress: string };
  /** Mailbox 1.5 and later: the event functions. */
  events?: boolean;
  /** The newest Mailbox requirement set the client supports (isSetSupported answers from it); 1.14 unless given. */
  mailboxVersion?: string;
  /** Mailbox 1.13's getSelectedItemsAsync, as given. */
  getSelectedItemsAsync?: jest.Mock;
}

/** Office's rule from an EWS item id to a REST id. */
const ewsToRest = (id: string) => id.replace(/\//g, '-').replace(/\+/g, '_');

const withoutNulls = (data: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(data).filter(([, value]) => value !== null));

function installOutlook(options: Options = {}): Outlook {
  const handlers = new Map<string, Handler>();
  const convertToRestId = jest.fn((id: string, _version: string) => ewsToRest(id));
  const addHandlerAsync = jest.fn((eventType: string, handler: Handler) => {
    handlers.set(eventType, handler);
  });
  const removeHandlerAsync = jest.fn((eventType: string) => {
    handlers.delete(eventType);
  });
  const mailboxVersion = options.mailboxVersion ?? '1.14';
  const isSetSupported = jest.fn(
    (name: string, version = '1.1') =>
      name.toLowerCase() === 'mailbox' && compareVersions(mailboxVersion, String(version)) >= 0
  );
  const data = {
    host: 'outlook',
    ...OFFICE_ENUMS,
    onReady: async () => options.ready ?? { host: 'Outlook', platform: 'OfficeOnline' },
    context: {
      displayLanguage: options.displayLanguage ?? 'fi-FI',
      requirements: { isSetSupported },
      ...(options.officeTheme ? { officeTheme: options.officeTheme } : {}),
      mailbox: {
        userProfile: options.userProfile ?? {
          displayName: DEMO_MAILBOX_USER.displayName,
          emailAddress: DEMO_MAILBOX_USER.emailAddress,
          timeZone: DEMO_MAILBOX_USER.timeZone
        },
        convertToRestId,
        ...(options.events === false ? {} : { addHandlerAsync, removeHandlerAsync }),
        ...(options.getSelectedItemsAsync ? { getSelectedItemsAsync: options.getSelectedItemsAsync } : {}),
        ...(options.item ? { item: withoutNulls(options.item) } : {})
      }
    }
  };
  const office = new OfficeMockObject(data);
  // office-addin-mock cannot take null in its data (it walks into every object): nulls are set afterwards.
  if (!options.item) office.context.mailbox.item = null;
  for (const [key, value] of Object.entries(options.item ?? {})) {
    if (value === null) office.context.mailbox.item[key] = null;
  }
  if (options.noMailbox) delete office.context.mailbox;
  (globalThis as unknown as { Office: unknown }).Office = office;
  return { office, convertToRestId, addHandlerAsync, removeHandlerAsync, handlers };
}

afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

const address = (displayName: string, emailAddress: string) => ({ displayName, emailAddress, recipientType: 'other' });

const readItem = (overrides: Record<string, unknown> = {}) => ({
  itemType: 'message',
  itemId: lenaMessage.office.itemId,
  conversationId: lenaMessage.office.conversationId,
  internetMessageId: lenaMessage.graph.internetMessageId,
  subject: lenaMessage.graph.subject,
  from: address('Lena Berg', 'lena.berg@fabrikam.example'),
  to: [address('Ana López', 'ana.lopez@northwind.example')],
  cc: [address('', 'tomas.ortega@fabrikam.example'), address('Nobody', ''), address('Group', 'sales@fabrikam.example')],
  ...overrides
});

type Result<T> = { status: 'succeeded'; value: T } | { status: 'failed'; error: { code: number; message: string } };
const field = <T>(result: Result<T>) => ({
  getAsync: jest.fn((callback: (result: Result<T>) => void) => callback(result))
});
const ok = <T>(value: T): Result<T> => ({ status: 'succeeded', value });
const failed = <T>(): Result<T> => ({ status: 'failed', error: { code: 9041, message: 'Network error' } });

const composeItem = (overrides: Record<string, unknown> = {}) => ({
  itemType: 'message',
  conversationId: lenaMessage.office.conversationId,
  subject: field(ok('RE: Pricing for the 2027 renewal')),
  to: field(ok([address('Lena Berg', 'lena.berg@fabrikam.example')])),
  cc: field(ok([address('', 'tomas.ortega@fabrikam.example')])),
  bcc: field(ok([])),
  // Mailbox 1.8: an unsaved draft has no id yet.
  getItemIdAsync: jest.fn((callback: (r: Result<string>) => void) => callback(failed())),
  ...overrides
});

describe('the user, the language', () => {
  test('the signed-in user from userProfile; Office’s display language', async () => {
    installOutlook({ displayLanguage: 'fi-FI' });
    const host = await connectOffice();
    expect(host.user).toEqual({ name: 'Ana López', email: 'ana.lopez@northwind.example' });
    expect(host.displayLanguage).toBe('fi-FI');
  });

  test('no display name: the address stands in; no display language: en-US', async () => {
    installOutlook({ displayLanguage: '', userProfile: { displayName: '', emailAddress: 'ana@northwind.example' } });
    const host = await connectOffice();
    expect(host.user).toEqual({ name: 'ana@northwind.example', email: 'ana@northwind.example' });
    expect(host.displayLanguage).toBe('en-US');
  });
});

describe('outside Outlook', () => {
  test('office.js in a plain browser (onReady reports no host, no mailbox): NotInOutlookError, not a TypeError', async () => {
    installOutlook({ ready: { host: null, platform: null }, noMailbox: true });
    await expect(connectOffice()).rejects.toEqual(expect.any(NotInOutlookError));
    await expect(connectOffice()).rejects.toMatchObject({ host: null });
  });

  test('another Office host, which has no mailbox: NotInOutlookError naming it', async () => {
    installOutlook({ ready: { host: 'Word', platform: 'OfficeOnline' }, noMailbox: true });
    await expect(connectOffice()).rejects.toMatchObject({ name: 'NotInOutlookError', host: 'Word' });
  });
});

describe('the current item', () => {
  test('read mode: participants as {name, email}, names fall back to the address, entries without one dropped', async () => {
    const outlook = installOutlook({ item: readItem() });
    const item = await (await connectOffice()).currentItem();
    expect(item).toEqual({
      mode: 'read',
      ewsId: lenaMessage.office.itemId,
      restId: lenaMessage.restId,
      officeConversationId: lenaMessage.office.conversationId,
      internetMessageId: lenaMessage.graph.internetMessageId,
      subject: 'RE: Pricing for the 2027 renewal',
      from: { name: 'Lena Berg', email: 'lena.berg@fabrikam.example' },
      to: [{ name: 'Ana López', email: 'ana.lopez@northwind.example' }],
      cc: [
        { name: 'tomas.ortega@fabrikam.example', email: 'tomas.ortega@fabrikam.example' },
        { name: 'Group', email: 'sales@fabrikam.example' }
      ]
    });
    // The EWS id ('/' and '+') is converted by Office for REST v2.0, the format Graph uses.
    expect(lenaMessage.office.itemId).toMatch(/[/+]/);
    expect(outlook.convertToRestId).toHaveBeenCalledTimes(1);
    expect(outlook.convertToRestId).toHaveBeenCalledWith(lenaMessage.office.itemId, 'v2.0');
    expect(item?.restId).toMatch(/^[A-Za-z0-9_-]+=*$/);
  });

  test('read mode: the REST id is what convertToRestId answers, not a conversion of the adapter’s own', async () => {
    const outlook = installOutlook({ item: readItem() });
    outlook.convertToRestId.mockReturnValueOnce('REST-ID-FROM-OFFICE');
    expect((await (await connectOffice()).currentItem())?.restId).toBe('REST-ID-FROM-OFFICE');
  });

  test('Outlook on iOS and Android: itemId is already a REST id and there is no converter', async () => {
    for (const hostName of ['OutlookIOS', 'OutlookAndroid']) {
      const outlook = installOutlook({ item: readItem({ itemId: 'AAMkREST-id_1' }) });
      outlook.office.context.mailbox.diagnostics = { hostName };
      outlook.office.context.mailbox.convertToRestId = undefined;
      expect((await (await connectOffice()).currentItem())?.restId).toBe('AAMkREST-id_1');
    }
  });

  test('compose mode: a saved draft has an id (getItemIdAsync), converted like a read item’s', async () => {
    const outlook = installOutlook({
      item: composeItem({
        getItemIdAsync: jest.fn((callback: (r: Result<string>) => void) => callback(ok('AAMk/draft+1')))
      })
    });
    expect(await (await connectOffice()).currentItem()).toMatchObject({
      mode: 'compose',
      ewsId: 'AAMk/draft+1',
      restId: 'AAMk-draft_1'
    });
    expect(outlook.convertToRestId).toHaveBeenCalledWith('AAMk/draft+1', 'v2.0');
    installOutlook({
      item: composeItem({ getItemIdAsync: jest.fn((callback: (r: Result<string>) => void) => callback(failed())) })
    });
    expect(await (await connectOffice()).currentItem()).toMatchObject({ ewsId: null, restId: null });
  });

  test('compose mode before Mailbox 1.8: a draft’s id is not asked for (getItemIdAsync is 1.8)', async () => {
    const getItemIdAsync = jest.fn((callback: (r: Result<string>) => void) => callback(ok('AAMk/draft+1')));
    installOutlook({ item: composeItem({ getItemIdAsync }), mailboxVersion: '1.7' });
    expect(await (await connectOffice()).currentItem()).toMatchObject({ mode: 'compose', ewsId: null, restId: null });
    expect(getItemIdAsync).not.toHaveBeenCalled();
  });

  test('read mode: missing sender, recipients, ids and subject', async () => {
    const outlook = installOutlook({
      item: readItem({
        itemId: undefined,
        conversationId: '',
        internetMessageId: '',
        subject: undefined,
        from: address('Someone', ''),
        to: [],
        cc: undefined
      })
    });
    expect(await (await connectOffice()).currentItem()).toEqual({
      mode: 'read',
      ewsId: null,
      restId: null,
      officeConversationId: null,
      internetMessageId: null,
      subject: '',
      from: null,
      to: [],
      cc: []
    });
    expect(outlook.convertToRestId).not.toHaveBeenCalled();
  });

  test('compose mode: subject and recipients through getAsync; no ids but the conversation', async () => {
    const item = composeItem();
    const outlook = installOutlook({ item });
    expect(await (await connectOffice()).currentItem()).toEqual({
      mode: 'compose',
      ewsId: null,
      restId: null,
      officeConversationId: lenaMessage.office.conversationId,
      internetMessageId: null,
      subject: 'RE: Pricing for the 2027 renewal',
      from: null,
      to: [{ name: 'Lena Berg', email: 'lena.berg@fabrikam.example' }],
      cc: [{ name: 'tomas.ortega@fabrikam.example', email: 'tomas.ortega@fabrikam.example' }]
    });
    expect(item.subject.getAsync).toHaveBeenCalledTimes(1);
    expect(item.to.getAsync).toHaveBeenCalledTimes(1);
    expect(item.cc.getAsync).toHaveBeenCalledTimes(1);
    expect(outlook.convertToRestId).not.toHaveBeenCalled();
  });

  test('compose mode: a failed getAsync reads as empty; a new message has no conversation', async () => {
    installOutlook({
      item: composeItem({
        conversationId: null,
        subject: field(failed()),
        to: field(failed()),
        cc: field(failed())
      })
    });
    expect(await (await connectOffice()).currentItem()).toMatchObject({
      mode: 'compose',
      officeConversationId: null,
      subject: '',
      to: [],
      cc: []
    });
  });

  test('compose mode: answers only once every getAsync has called back', async () => {
    let answerTo: (result: Result<unknown[]>) => void = () => undefined;
    installOutlook({
      item: composeItem({ to: { getAsync: (callback: typeof answerTo) => (answerTo = callback) } })
    });
    let settled = false;
    const pending = (async () => (await connectOffice()).currentItem())().then((item) => {
      settled = true;
      return item;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    answerTo(ok([address('Lena Berg', 'lena.berg@fabrikam.example')]));
    expect((await pending)?.to).toEqual([{ name: 'Lena Berg', email: 'lena.berg@fabrikam.example' }]);
  });

  describe('a calendar item (issue 21): the meeting, its organizer and attendees', () => {
    const START = new Date('2026-11-03T09:00:00Z');
    const END = new Date('2026-11-03T10:00:00Z');
    const attendees = {
      requiredAttendees: [address('Ana López', 'ana.lopez@northwind.example'), address('Ben', 'ben@northwind.example')],
      optionalAttendees: [address('Oskar', 'oskar@fabrikam.example')]
    };
    const expected = {
      ewsId: 'AAMkAD/event+1',
      restId: 'AAMkAD-event_1',
      subject: 'Quarterly review',
      officeConversationId: null,
      internetMessageId: null,
      to: [
        { name: 'Ana López', email: 'ana.lopez@northwind.example' },
        { name: 'Ben', email: 'ben@northwind.example' }
      ],
      cc: [{ name: 'Oskar', email: 'oskar@fabrikam.example' }],
      meeting: { start: '2026-11-03T09:00:00.000Z', end: '2026-11-03T10:00:00.000Z' }
    };
    /** The organizer's form (AppointmentCompose): every field through getAsync. */
    const organizerForm = (overrides: Record<string, unknown> = {}) => ({
      itemType: 'appointment',
      subject: field(ok('Quarterly review')),
      start: field(ok(START)),
      end: field(ok(END)),
      requiredAttendees: field(ok(attendees.requiredAttendees)),
      optionalAttendees: field(ok(attendees.optionalAttendees)),
      organizer: field(ok(address('Ana López', 'ana.lopez@northwind.example'))),
      getItemIdAsync: jest.fn((callback: (r: Result<string>) => void) => callback(ok('AAMkAD/event+1'))),
      ...overrides
    });

    test("an attendee's read form (AppointmentRead): times as Dates, the organizer, required and optional", async () => {
      const outlook = installOutlook({
        item: {
          itemType: 'appointment',
          itemId: 'AAMkAD/event+1',
          subject: 'Quarterly review',
          organizer: address('Lena Berg', 'lena.berg@fabrikam.example'),
          ...attendees
        }
      });
      // office-addin-mock would walk into a Date: Outlook's Dates are set on the item afterwards.
      Object.assign(outlook.office.context.mailbox.item, { start: START, end: END });
      expect(await (await connectOffice()).currentItem()).toEqual({
        ...expected,
        mode: 'read',
        from: { name: 'Lena Berg', email: 'lena.berg@fabrikam.example' }
      });
    });

    test("the organizer's form (AppointmentCompose) on Mailbox 1.8 and later: the saved item's id, the organizer", async () => {
      installOutlook({ item: organizerForm() });
      expect(await (await connectOffice()).currentItem()).toEqual({
        ...expected,
        mode: 'compose',
        from: { name: 'Ana López', email: 'ana.lopez@northwind.example' }
      });
    });

    test("the organizer's form on Mailbox 1.5: neither getItemIdAsync (1.8) nor Organizer.getAsync (1.7) is called", async () => {
      const item = organizerForm();
      installOutlook({ item, mailboxVersion: '1.5' });
      const snapshot = await (await connectOffice()).currentItem();
      expect(snapshot).toMatchObject({ mode: 'compose', ewsId: null, restId: null, from: null });
      expect(item.getItemIdAsync).not.toHaveBeenCalled();
      expect(item.organizer.getAsync).not.toHaveBeenCalled();
    });

    test('a new meeting not saved yet has no id', async () => {
      installOutlook({
        item: organizerForm({ getItemIdAsync: jest.fn((callback: (r: Result<string>) => void) => callback(failed())) })
      });
      expect(await (await connectOffice()).currentItem()).toMatchObject({ ewsId: null, restId: null });
    });
  });

  test('nothing selected (a pinned pane after the selection is cleared): null', async () => {
    installOutlook({ item: null });
    expect(await (await connectOffice()).currentItem()).toBeNull();
  });

  test('reads the item Office holds at each call: Outlook replaces it when the selection changes', async () => {
    const outlook = installOutlook({ item: readItem() });
    const host = await connectOffice();
    expect((await host.currentItem())?.subject).toBe('RE: Pricing for the 2027 renewal');
    outlook.office.context.mailbox.item = readItem({ subject: 'Another message' });
    expect((await host.currentItem())?.subject).toBe('Another message');
    outlook.office.context.mailbox.item = null;
    expect(await host.currentItem()).toBeNull();
  });
});

describe('events', () => {
  test('onItemChanged registers on ItemChanged; the returned function unsubscribes', async () => {
    const outlook = installOutlook({ item: readItem() });
    const host = await connectOffice();
    const listener = jest.fn();
    const unsubscribe = host.onItemChanged(listener);
    expect(outlook.addHandlerAsync).toHaveBeenCalledTimes(1);
    expect(outlook.addHandlerAsync).toHaveBeenCalledWith('olkItemSelectedChanged', expect.any(Function));
    expect(listener).not.toHaveBeenCalled();

    outlook.handlers.get('olkItemSelectedChanged')?.({ type: 'olkItemSelectedChanged' });
    expect(listener).toHaveBeenCalledTimes(1);

    unsubscribe();
    expect(outlook.removeHandlerAsync).toHaveBeenCalledWith('olkItemSelectedChanged');
    expect(outlook.handlers.has('olkItemSelectedChanged')).toBe(false);
    expect(outlook.removeHandlerAsync).not.toHaveBeenCalledWith('officeThemeChanged');
  });

  test('a mailbox without events (before Mailbox 1.5): subscribing does nothing and does not throw', async () => {
    installOutlook({ item: readItem(), events: false, mailboxVersion: '1.4' });
    const host = await connectOffice();
    const unsubscribe = host.onItemChanged(jest.fn());
    expect(() => unsubscribe()).not.toThrow();
    expect(() => host.onThemeChanged(jest.fn())()).not.toThrow();
  });
});

describe('several selected messages (Mailbox 1.13)', () => {
  const selectedItem = (itemId: string, subject: string, itemType = 'message') => ({
    itemId,
    itemType,
    itemMode: 'Read',
    subject
  });
  const selectedItems = (result: Result<unknown[]>) =>
    jest.fn((callback: (result: Result<unknown[]>) => void) => callback(result));

  test('reads the selected messages with REST ids, and follows SelectedItemsChanged', async () => {
    const getSelectedItemsAsync = selectedItems(
      ok([
        selectedItem('AAMk/one+1', 'Pricing'),
        selectedItem('AAMk/two+2', ''),
        selectedItem('AAMk/meeting', 'Review', 'appointment')
      ])
    );
    const outlook = installOutlook({ item: readItem(), mailboxVersion: '1.13', getSelectedItemsAsync });
    const host = await connectOffice();
    expect(await host.selection?.read()).toEqual([
      { ewsId: 'AAMk/one+1', restId: 'AAMk-one_1', subject: 'Pricing' },
      { ewsId: 'AAMk/two+2', restId: 'AAMk-two_2', subject: '' }
    ]);
    const listener = jest.fn();
    const unsubscribe = host.selection?.onChanged(listener);
    outlook.handlers.get('olkSelectedItemsChanged')?.({ type: 'olkSelectedItemsChanged' });
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe?.();
    expect(outlook.removeHandlerAsync).toHaveBeenCalledWith('olkSelectedItemsChanged');
  });

  test('Outlook cannot say: no messages', async () => {
    installOutlook({ item: readItem(), getSelectedItemsAsync: selectedItems(failed()) });
    expect(await (await connectOffice()).selection?.read()).toEqual([]);
  });

  test('before Mailbox 1.13: no selection, and getSelectedItemsAsync is never called', async () => {
    const getSelectedItemsAsync = selectedItems(ok([selectedItem('AAMk/one+1', 'Pricing')]));
    installOutlook({ item: readItem(), mailboxVersion: '1.12', getSelectedItemsAsync });
    expect((await connectOffice()).selection).toBeUndefined();
    expect(getSelectedItemsAsync).not.toHaveBeenCalled();
  });
});

describe('theme', () => {
  test.each([
    ['#1f1f1f', 'dark'],
    ['#1F1F1F', 'dark'],
    ['1f1f1f', 'dark'],
    ['#000000', 'dark'],
    ['#ffffff', 'light'],
    ['#f3f2f1', 'light'],
    ['', 'light'],
    ['black', 'light'],
    ['#fff', 'light'],
    ['rgb(0, 0, 0)', 'light'],
    ['#zzzzzz', 'light']
  ])('bodyBackgroundColor %j → %s', async (color, theme) => {
    installOutlook({ officeTheme: { bodyBackgroundColor: color } });
    expect((await connectOffice()).theme()).toBe(theme);
  });

  test('before Mailbox 1.14: light, and no OfficeThemeChanged handler (officeTheme and the event are 1.14)', async () => {
    const outlook = installOutlook({ officeTheme: DARK, mailboxVersion: '1.13' });
    const host = await connectOffice();
    expect(host.theme()).toBe('light');
    const unsubscribe = host.onThemeChanged(jest.fn());
    expect(outlook.addHandlerAsync).not.toHaveBeenCalledWith('officeThemeChanged', expect.anything());
    expect(() => unsubscribe()).not.toThrow();
    expect(outlook.removeHandlerAsync).not.toHaveBeenCalled();
  });

  test('no officeTheme at all: light', async () => {
    installOutlook({});
    expect((await connectOffice()).theme()).toBe('light');
  });

  test('onThemeChanged passes the event’s officeTheme through, not the one Office held before', async () => {
    const outlook = installOutlook({ officeTheme: LIGHT });
    const host = await connectOffice();
    const listener = jest.fn();
    const unsubscribe = host.onThemeChanged(listener);
    expect(outlook.addHandlerAsync).toHaveBeenCalledWith('officeThemeChanged', expect.any(Function));
    const handler = outlook.handlers.get('officeThemeChanged');

    handler?.({ type: 'officeThemeChanged', officeTheme: DARK });
    expect(listener).toHaveBeenLastCalledWith('dark');
    handler?.({ type: 'officeThemeChanged', officeTheme: LIGHT });
    expect(listener).toHaveBeenLastCalledWith('light');
    // An event without a theme: the one Office holds now.
    outlook.office.context.officeTheme = DARK;
    handler?.({ type: 'officeThemeChanged' });
    expect(listener).toHaveBeenLastCalledWith('dark');
    expect(listener).toHaveBeenCalledTimes(3);

    unsubscribe();
    expect(outlook.removeHandlerAsync).toHaveBeenCalledWith('officeThemeChanged');
    expect(outlook.handlers.has('officeThemeChanged')).toBe(false);
  });
});

describe('a message in a shared folder or shared mailbox (getSharedPropertiesAsync)', () => {
  // Office.SharedProperties as Outlook gives it (https://learn.microsoft.com/javascript/api/outlook/office.sharedproperties).
  const shared = {
    owner: 'sales@northwind.example',
    targetMailbox: 'sales@northwind.example',
    targetRestUrl: 'https://outlook.office.com/api',
    delegatePermissions: 1
  };
  const sharedProperties = (result: Result<unknown>) =>
    jest.fn((callback: (result: Result<unknown>) => void) => callback(result));

  test('the mailbox owner comes with the item as sharedOwner', async () => {
    installOutlook({ item: readItem({ getSharedPropertiesAsync: sharedProperties(ok(shared)) }) });
    expect(await (await connectOffice()).currentItem()).toMatchObject({ sharedOwner: 'sales@northwind.example' });
  });

  test("an item of the user's own mailbox: Outlook fails the call, and there is no sharedOwner", async () => {
    installOutlook({ item: readItem({ getSharedPropertiesAsync: sharedProperties(failed()) }) });
    const item = await (await connectOffice()).currentItem();
    expect(item).not.toBeNull();
    expect(item).not.toHaveProperty('sharedOwner');
  });

  test('before Mailbox 1.13 (shared mailboxes) the owner is not asked for', async () => {
    const getSharedPropertiesAsync = sharedProperties(ok(shared));
    installOutlook({ item: readItem({ getSharedPropertiesAsync }), mailboxVersion: '1.12' });
    expect(await (await connectOffice()).currentItem()).not.toHaveProperty('sharedOwner');
    expect(getSharedPropertiesAsync).not.toHaveBeenCalled();
  });
});
