/** @jest-environment jsdom */
import {
  DEMO_MESSAGE_IDS,
  DEMO_PEOPLE,
  DEMO_SHARED_MAILBOX,
  demoMailbox
} from '../../../src/stand-ins/demo-mailbox.js';
import {
  hostStateFromUrl,
  installOfficeStandIn,
  mailboxVersionFromUrl,
  OFFICE_THEMES,
  type HostState,
  type OfficeStandInControl
} from './stand-in.js';

/*
 * The Office stand-in behaves as Outlook on the web does for a pinned task pane. These tests read it the way
 * the pane does: through the global `Office`, with Office.js's own types.
 */

const NOW = Date.parse('2026-11-22T10:37:00Z');
const mailbox = demoMailbox(NOW);
const byId = (id: string) => {
  const message = mailbox.messages.find((m) => m.graph.id === id);
  if (!message) throw new Error(`no demo message ${id}`);
  return message;
};

let navigate: jest.Mock<void, [HostState]>;

async function start(
  initial: Partial<HostState> = {},
  storage: Storage | null = null,
  mailboxVersion?: string
): Promise<OfficeStandInControl> {
  navigate = jest.fn<void, [HostState]>();
  const control = installOfficeStandIn(window, {
    now: NOW,
    initial,
    storage,
    navigate,
    ...(mailboxVersion ? { mailboxVersion } : {})
  });
  await Office.onReady();
  return control;
}

/** Office's callback style as a promise. */
function call<T>(method: (callback: (result: Office.AsyncResult<T>) => void) => void): Promise<Office.AsyncResult<T>> {
  return new Promise((resolve) => method(resolve));
}

const readItem = () => Office.context.mailbox.item as Office.MessageRead | null;
const composeItem = () => Office.context.mailbox.item as unknown as Office.MessageCompose;

beforeEach(() => window.sessionStorage.clear());

describe('loading', () => {
  test('Office.context exists only once the page called Office.onReady, which resolves with Outlook on the web', async () => {
    installOfficeStandIn(window, { now: NOW, storage: null, navigate: jest.fn() });
    expect(Office.context).toBeUndefined();
    const callback = jest.fn();
    const info = await Office.onReady(callback);
    expect(info).toEqual({ host: 'Outlook', platform: 'OfficeOnline' });
    expect(callback).toHaveBeenCalledWith({ host: 'Outlook', platform: 'OfficeOnline' });
    expect(Office.context.mailbox.userProfile).toMatchObject({
      displayName: 'Ana López',
      emailAddress: 'ana.lopez@northwind.example',
      timeZone: 'Romance Standard Time'
    });
    expect(Office.HostType.Outlook).toBe('Outlook');
    expect(Office.EventType.ItemChanged).toBe('olkItemSelectedChanged');
    expect(Office.EventType.OfficeThemeChanged).toBe('officeThemeChanged');
    expect(Office.AsyncResultStatus.Succeeded).toBe('succeeded');
    expect(Office.MailboxEnums.RestVersion.v2_0).toBe('v2.0');
    expect(Office.MailboxEnums.ItemType.Message).toBe('message');
    // Later calls run their callback at once.
    const late = jest.fn();
    await Office.onReady(late);
    expect(late).toHaveBeenCalledTimes(1);
  });

  test('a page that sets Office.initialize instead is initialized too', async () => {
    installOfficeStandIn(window, { now: NOW, storage: null, navigate: jest.fn() });
    const initialized = new Promise<string>((resolve) => {
      (Office as unknown as { initialize: (reason: string) => void }).initialize = resolve;
    });
    expect(await initialized).toBe('inserted');
    expect(Office.context.mailbox).toBeDefined();
  });

  test('requirement sets: Mailbox up to 1.14, nothing else', async () => {
    await start();
    const { requirements } = Office.context;
    expect(requirements.isSetSupported('Mailbox', '1.14')).toBe(true);
    expect(requirements.isSetSupported('mailbox', '1.5')).toBe(true);
    expect(requirements.isSetSupported('Mailbox')).toBe(true);
    expect(requirements.isSetSupported('Mailbox', '1.15')).toBe(false);
    expect(requirements.isSetSupported('Mailbox', '2.0')).toBe(false);
    expect(requirements.isSetSupported('IdentityAPI', '1.3')).toBe(false);
  });

  test('an older client (?mailbox=1.5): isSetSupported answers for it, and newer members are absent', async () => {
    expect(mailboxVersionFromUrl('?mailbox=1.5')).toBe('1.5');
    expect(mailboxVersionFromUrl('?mailbox=1.x')).toBeUndefined();
    await start({ mode: 'compose', messageId: DEMO_MESSAGE_IDS.composeDraft }, null, '1.5');
    const { requirements } = Office.context;
    expect(requirements.isSetSupported('Mailbox', '1.5')).toBe(true);
    expect(requirements.isSetSupported('Mailbox', '1.8')).toBe(false);
    expect(Office.context.officeTheme).toBeUndefined(); // Mailbox 1.14
    expect('getItemIdAsync' in composeItem()).toBe(false); // Mailbox 1.8
    expect(() => Office.context.mailbox.addHandlerAsync(Office.EventType.OfficeThemeChanged, () => undefined)).toThrow(
      /not supported/
    );
    expect(() => Office.context.mailbox.addHandlerAsync(Office.EventType.ItemChanged, () => undefined)).not.toThrow();
  });

  test('Mailbox 1.8: a draft’s id, but no theme yet', async () => {
    await start({ mode: 'compose', messageId: DEMO_MESSAGE_IDS.composeDraft }, null, '1.8');
    expect(typeof composeItem().getItemIdAsync).toBe('function');
    expect(Office.context.officeTheme).toBeUndefined();
  });
});

describe('read mode', () => {
  test('the selected message as Office gives it: EWS item id, Office conversation id, plain properties', async () => {
    await start({ messageId: DEMO_MESSAGE_IDS.contactLatest });
    const message = byId(DEMO_MESSAGE_IDS.contactLatest);
    const item = readItem();
    expect(item).not.toBeNull();
    expect(item?.itemType).toBe(Office.MailboxEnums.ItemType.Message);
    expect(item?.itemId).toBe(message.office.itemId);
    expect(item?.itemId).toMatch(/[/+]/); // EWS format, not REST
    expect(Office.context.mailbox.convertToRestId(item?.itemId ?? '', Office.MailboxEnums.RestVersion.v2_0)).toBe(
      message.restId
    );
    // This thread is the one where Office's conversation id is not Graph's.
    expect(item?.conversationId).toBe(message.office.conversationId);
    expect(item?.conversationId).not.toBe(message.graph.conversationId);
    expect(item?.internetMessageId).toBe(message.graph.internetMessageId);
    expect(item?.subject).toBe('RE: Pricing for the 2027 renewal');
    expect(item?.normalizedSubject).toBe('Pricing for the 2027 renewal');
    expect(item?.from).toEqual({
      displayName: 'Lena Berg',
      emailAddress: 'lena.berg@fabrikam.example',
      recipientType: 'externalUser'
    });
    expect(item?.to).toEqual([
      { displayName: 'Ana López', emailAddress: 'ana.lopez@northwind.example', recipientType: 'user' }
    ]);
    expect(item?.dateTimeCreated).toBeInstanceOf(Date);
    expect(item?.dateTimeCreated.toISOString().replace('.000', '')).toBe(message.graph.createdDateTime);
    expect(Object.isFrozen(item)).toBe(true);
  });

  test('ItemChanged: the item is replaced, not changed, and handlers run afterwards, asynchronously', async () => {
    const control = await start({ messageId: DEMO_MESSAGE_IDS.contactLatest });
    const before = readItem();
    const events: unknown[] = [];
    const seen: Array<string | undefined> = [];
    const registered = await call<void>((done) =>
      Office.context.mailbox.addHandlerAsync(
        Office.EventType.ItemChanged,
        (event: unknown) => {
          events.push(event);
          seen.push(readItem()?.internetMessageId);
        },
        done
      )
    );
    expect(registered.status).toBe(Office.AsyncResultStatus.Succeeded);

    const selecting = control.selectMessage(DEMO_MESSAGE_IDS.newLead);
    expect(readItem()).toBe(before); // nothing changes synchronously
    expect(events).toHaveLength(0);
    await selecting;
    const after = readItem();
    expect(after).not.toBe(before);
    expect(before?.internetMessageId).toBe(byId(DEMO_MESSAGE_IDS.contactLatest).graph.internetMessageId);
    expect(after?.from.emailAddress).toBe(DEMO_PEOPLE.newLead.address);
    expect(events).toEqual([{ type: 'olkItemSelectedChanged' }]);
    expect(seen).toEqual([byId(DEMO_MESSAGE_IDS.newLead).graph.internetMessageId]); // handler saw the new item

    // Selecting the same message again is no change.
    await control.selectMessage(DEMO_MESSAGE_IDS.newLead);
    expect(events).toHaveLength(1);

    // Nothing selected: the item is null, and the handler still runs.
    await control.selectMessage(null);
    expect(Office.context.mailbox.item).toBeNull();
    expect(events).toHaveLength(2);
    expect(control.state.messageId).toBeNull();
  });

  test('every handler runs; removeHandlerAsync removes one by name or all of a type', async () => {
    const control = await start();
    const first = jest.fn();
    const second = jest.fn();
    const add = (handler: () => void) =>
      call<void>((done) => Office.context.mailbox.addHandlerAsync(Office.EventType.ItemChanged, handler, done));
    const remove = (handler: () => void) =>
      call<void>((done) =>
        Office.context.mailbox.removeHandlerAsync(Office.EventType.ItemChanged, { handler } as never, done)
      );
    await add(first);
    await add(second);
    expect((await add(first)).status).toBe(Office.AsyncResultStatus.Failed);

    await control.selectMessage(DEMO_MESSAGE_IDS.internal);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);

    expect((await remove(first)).status).toBe(Office.AsyncResultStatus.Succeeded);
    await control.selectMessage(DEMO_MESSAGE_IDS.newLead);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(2);

    const missing = await remove(first);
    expect(missing.status).toBe(Office.AsyncResultStatus.Failed);
    expect(missing.error.code).toBe(5003);

    await call<void>((done) => Office.context.mailbox.removeHandlerAsync(Office.EventType.ItemChanged, done));
    await control.selectMessage(DEMO_MESSAGE_IDS.internal);
    expect(second).toHaveBeenCalledTimes(2);

    expect(() =>
      Office.context.mailbox.addHandlerAsync('olkNoSuchEvent' as unknown as Office.EventType, () => undefined)
    ).toThrow('The specified event type olkNoSuchEvent is not supported.');
  });

  test('selecting a draft, or a message from compose mode, reloads the pane in the other mode', async () => {
    const control = await start();
    control.selectMessage(DEMO_MESSAGE_IDS.composeDraft);
    expect(navigate).toHaveBeenCalledWith(
      expect.objectContaining({ mode: 'compose', messageId: DEMO_MESSAGE_IDS.composeDraft, saved: true })
    );
    expect(() => control.selectMessage('AAkALgNoSuchId')).toThrow('no message');
  });
});

describe('several selected messages (item multi-select, Mailbox 1.13)', () => {
  const selected = () => call<Office.SelectedItemDetails[]>((cb) => Office.context.mailbox.getSelectedItemsAsync(cb));
  const received = mailbox.messages.filter((m) => !m.graph.isDraft);

  test('getSelectedItemsAsync gives each message’s details; SelectedItemsChanged runs afterwards', async () => {
    const control = await start();
    expect((await selected()).value).toEqual([]);
    const handler = jest.fn();
    Office.context.mailbox.addHandlerAsync(Office.EventType.SelectedItemsChanged, handler);
    const ids = [DEMO_MESSAGE_IDS.contactLatest, DEMO_MESSAGE_IDS.newLead];
    const change = control.selectMessages(ids);
    expect(handler).not.toHaveBeenCalled();
    await change;
    expect(handler).toHaveBeenCalledWith({ type: 'olkSelectedItemsChanged' });
    const result = await selected();
    expect(result.status).toBe('succeeded');
    expect(result.value).toEqual(
      ids.map(byId).map((m) => ({
        itemId: m.office.itemId,
        itemType: 'message',
        itemMode: 'Read',
        subject: m.graph.subject,
        conversationId: m.office.conversationId,
        internetMessageId: m.graph.internetMessageId,
        hasAttachment: m.graph.hasAttachments
      }))
    );
    // The open item stays; clicking one message makes the selection that message alone.
    expect(readItem()?.itemId).toBe(byId(DEMO_MESSAGE_IDS.contactLatest).office.itemId);
    await control.selectMessage(DEMO_MESSAGE_IDS.internal);
    expect((await selected()).value.map((item) => item.itemId)).toEqual([
      byId(DEMO_MESSAGE_IDS.internal).office.itemId
    ]);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  test('at most 100 messages, received ones; 1.13 gives only the 1.13 details; before 1.13, none of it', async () => {
    let control = await start({}, null, '1.13');
    expect(() =>
      control.selectMessages(Array.from({ length: 101 }, (_, i) => received[i % received.length]!.graph.id))
    ).toThrow(/at most 100/);
    expect(() => control.selectMessages([DEMO_MESSAGE_IDS.composeDraft])).toThrow(/not a received message/);
    await control.selectMessages([DEMO_MESSAGE_IDS.newLead]);
    expect(Object.keys((await selected()).value[0] ?? {}).sort()).toEqual([
      'itemId',
      'itemMode',
      'itemType',
      'subject'
    ]);

    control = await start({}, null, '1.12');
    expect('getSelectedItemsAsync' in Office.context.mailbox).toBe(false);
    expect(() => Office.context.mailbox.addHandlerAsync(Office.EventType.SelectedItemsChanged, jest.fn())).toThrow(
      /not supported/
    );
    expect(() => control.selectMessages([DEMO_MESSAGE_IDS.newLead])).toThrow(/Mailbox 1\.13/);
  });
});

describe('the shared mailbox sales@ (getSharedPropertiesAsync, Mailbox 1.8)', () => {
  test('its message gives the owner and the user’s full access; the user’s own message fails the call', async () => {
    const control = await start({ messageId: DEMO_MESSAGE_IDS.sharedInquiry });
    const item = readItem() as Office.MessageRead;
    expect(item.from.emailAddress).toBe(DEMO_PEOPLE.david.address);
    const shared = await call<Office.SharedProperties>((done) => item.getSharedPropertiesAsync(done));
    expect(shared.status).toBe(Office.AsyncResultStatus.Succeeded);
    expect(shared.value).toEqual({
      owner: DEMO_SHARED_MAILBOX.emailAddress,
      targetMailbox: DEMO_SHARED_MAILBOX.emailAddress,
      targetRestUrl: 'https://outlook.office.com/api',
      delegatePermissions: 63
    });

    await control.selectMessage(DEMO_MESSAGE_IDS.contactLatest);
    const own = readItem() as Office.MessageRead;
    const failed = await call<Office.SharedProperties>((done) => own.getSharedPropertiesAsync(done));
    expect(failed.status).toBe(Office.AsyncResultStatus.Failed);
    expect(failed.error.message).toMatch(/isn't shared/);
  });

  test('before Mailbox 1.8 the method is absent', async () => {
    await start({ messageId: DEMO_MESSAGE_IDS.sharedInquiry }, null, '1.7');
    expect('getSharedPropertiesAsync' in (readItem() as object)).toBe(false);
  });
});

describe('compose mode', () => {
  test('a draft reply: no itemId or internetMessageId, fields through getAsync, the thread known', async () => {
    await start({ mode: 'compose' });
    const draft = byId(DEMO_MESSAGE_IDS.composeDraft);
    const item = composeItem();
    expect(item.itemType).toBe('message');
    expect('itemId' in item).toBe(false);
    expect('internetMessageId' in item).toBe(false);
    expect(item.conversationId).toBe(draft.office.conversationId);

    let synchronous = true;
    const subject = call<string>((done) =>
      item.subject.getAsync((result) => {
        expect(synchronous).toBe(false); // host calls never answer synchronously
        done(result);
      })
    );
    synchronous = false;
    expect(await subject).toMatchObject({ status: 'succeeded', value: 'RE: Pricing for the 2027 renewal' });
    expect((await call<Office.EmailAddressDetails[]>((done) => item.to.getAsync(done))).value).toEqual([
      { displayName: 'Lena Berg', emailAddress: 'lena.berg@fabrikam.example', recipientType: 'externalUser' }
    ]);
    expect((await call<Office.EmailAddressDetails[]>((done) => item.cc.getAsync(done))).value).toEqual([
      { displayName: 'Tomás Ortega', emailAddress: 'tomas.ortega@fabrikam.example', recipientType: 'externalUser' }
    ]);
    expect((await call<Office.EmailAddressDetails>((done) => item.from.getAsync(done))).value).toMatchObject({
      emailAddress: 'ana.lopez@northwind.example'
    });
    const withContext = await call<string>((done) => item.subject.getAsync({ asyncContext: 42 }, done));
    expect(withContext.asyncContext).toBe(42);

    const id = await call<string>((done) => item.getItemIdAsync(done));
    expect(id).toMatchObject({ status: 'succeeded', value: draft.office.itemId });
  });

  test('an unsaved draft has no id until saveAsync; recipients can change', async () => {
    const control = await start({ mode: 'compose', saved: false });
    const item = composeItem();
    const before = await call<string>((done) => item.getItemIdAsync(done));
    expect(before.status).toBe(Office.AsyncResultStatus.Failed);
    expect(before.error).toMatchObject({ code: 9046, name: 'ItemNotSaved' });

    await call<void>((done) => item.to.addAsync(['noah.fischer@litware.example'], done));
    const to = await call<Office.EmailAddressDetails[]>((done) => item.to.getAsync(done));
    expect(to.value.map((r) => r.emailAddress)).toEqual(['lena.berg@fabrikam.example', 'noah.fischer@litware.example']);
    await call<void>((done) => item.subject.setAsync('RE: Pricing — updated', done));
    expect((await call<string>((done) => item.subject.getAsync(done))).value).toBe('RE: Pricing — updated');

    const saved = await call<string>((done) => item.saveAsync(done));
    expect(saved).toMatchObject({ status: 'succeeded', value: byId(DEMO_MESSAGE_IDS.composeDraft).office.itemId });
    expect((await call<string>((done) => item.getItemIdAsync(done))).status).toBe('succeeded');
    expect(control.state.saved).toBe(true);
  });

  test('compose() and back: each a reload with the new state', async () => {
    const control = await start();
    control.compose();
    expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ mode: 'compose' }));
    expect(() => control.compose(DEMO_MESSAGE_IDS.internal)).toThrow('is not a draft');

    await start({ mode: 'compose' });
    const composing = (window as unknown as { officeStandIn: OfficeStandInControl }).officeStandIn;
    await composing.selectMessage(DEMO_MESSAGE_IDS.internal);
    expect(navigate).toHaveBeenLastCalledWith(
      expect.objectContaining({ mode: 'read', messageId: DEMO_MESSAGE_IDS.internal })
    );
  });
});

describe('ids, theme and language', () => {
  test('convertToRestId and convertToEwsId swap the id alphabets and check the REST version', async () => {
    await start();
    const { mailbox } = Office.context;
    const ews = 'AAMkAD+abc/def+/==';
    expect(mailbox.convertToRestId(ews, Office.MailboxEnums.RestVersion.v1_0)).toBe('AAMkAD_abc-def_-==');
    expect(mailbox.convertToEwsId('AAMkAD_abc-def_-==', Office.MailboxEnums.RestVersion.Beta)).toBe(ews);
    for (const message of demoMailbox(NOW).messages) {
      expect(mailbox.convertToRestId(message.office.itemId, 'v2.0')).toBe(message.restId);
    }
    expect(() => mailbox.convertToRestId(ews, 'v3.0')).toThrow();
  });

  test('setTheme fires OfficeThemeChanged with the new colours and replaces Office.context.officeTheme', async () => {
    const control = await start({ theme: 'light' });
    expect(Office.context.officeTheme).toEqual(OFFICE_THEMES.light);
    expect('isDarkTheme' in Office.context.officeTheme).toBe(false); // not supported in Outlook
    const light = Office.context.officeTheme;
    const handler = jest.fn();
    await call<void>((done) =>
      Office.context.mailbox.addHandlerAsync(Office.EventType.OfficeThemeChanged, handler, done)
    );
    await control.setTheme('dark');
    expect(handler).toHaveBeenCalledWith({ type: 'officeThemeChanged', officeTheme: OFFICE_THEMES.dark });
    expect(Office.context.officeTheme).toEqual(OFFICE_THEMES.dark);
    expect(light).toEqual(OFFICE_THEMES.light);
    await control.setTheme('dark');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test('the language applies from the next load; the host state survives reloads through sessionStorage', async () => {
    const control = await start({ language: 'en-US' }, window.sessionStorage);
    control.setLanguage('fi-FI');
    expect(Office.context.displayLanguage).toBe('en-US');
    await control.setTheme('dark');
    await control.selectMessage(DEMO_MESSAGE_IDS.internal);
    control.reload();
    expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ language: 'fi-FI' }));

    await start({}, window.sessionStorage); // the next load
    expect(Office.context.displayLanguage).toBe('fi-FI');
    expect(Office.context.officeTheme).toEqual(OFFICE_THEMES.dark);
    expect(readItem()?.internetMessageId).toBe(byId(DEMO_MESSAGE_IDS.internal).graph.internetMessageId);
    expect(() => control.setLanguage('Finnish')).toThrow();
  });

  test('URL parameters give the starting state', async () => {
    expect(
      hostStateFromUrl(`?standIn=1&message=${DEMO_MESSAGE_IDS.newLead}&theme=dark&lang=is-IS&mode=compose&saved=0`)
    ).toEqual({ messageId: DEMO_MESSAGE_IDS.newLead, theme: 'dark', language: 'is-IS', mode: 'compose', saved: false });
    expect(hostStateFromUrl('?message=none')).toEqual({ messageId: null });
    expect(hostStateFromUrl('?theme=purple&lang=<script>')).toEqual({});

    await start(hostStateFromUrl('?message=none&lang=sv-SE'));
    expect(Office.context.mailbox.item).toBeNull();
    expect(Office.context.displayLanguage).toBe('sv-SE');
    // compose mode always opens a draft; a draft always opens in compose mode
    await start(hostStateFromUrl(`?mode=compose&message=${DEMO_MESSAGE_IDS.newLead}`));
    expect(composeItem().conversationId).toBe(byId(DEMO_MESSAGE_IDS.composeDraft).office.conversationId);
    await start(hostStateFromUrl(`?message=${DEMO_MESSAGE_IDS.composeDraft}`));
    expect('itemId' in (Office.context.mailbox.item ?? {})).toBe(false);
  });
});
