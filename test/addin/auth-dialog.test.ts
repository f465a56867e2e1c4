/** @jest-environment jsdom */
import { openAuthDialog } from '../../src/addin/office/dialog.js';

/*
 * The Office dialog, the sign-in's last fallback, opens from the Sign in button's click: displayDialogAsync must
 * be called before openAuthDialog returns, and without Office on the web's own "Allow or Ignore" prompt
 * (promptBeforeOpen: false), which Microsoft leaves to add-ins that open dialogs from their own UI.
 */

type Handler = (arg: unknown) => void;

function installDialogHost() {
  const handlers = new Map<string, Handler>();
  const dialog = { close: jest.fn(), addEventHandler: jest.fn((type: string, h: Handler) => handlers.set(type, h)) };
  const displayDialogAsync = jest.fn(
    (_url: string, _options: unknown, callback: (result: unknown) => void) =>
      void setTimeout(() => callback({ status: 'succeeded', value: dialog }), 0)
  );
  (globalThis as unknown as { Office: unknown }).Office = {
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    EventType: { DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' },
    context: { ui: { displayDialogAsync } }
  };
  return { displayDialogAsync, dialog, handlers };
}

afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

test('opens in the calling task without Office’s prompt, and resolves with the token and its expiry', async () => {
  const host = installDialogHost();
  const pending = openAuthDialog('https://addin.contoso.com/auth-dialog.html');
  expect(host.displayDialogAsync).toHaveBeenCalledWith(
    'https://addin.contoso.com/auth-dialog.html',
    expect.objectContaining({ promptBeforeOpen: false }),
    expect.any(Function)
  );
  await new Promise((resolve) => setTimeout(resolve, 0));
  host.handlers.get('dialogMessageReceived')?.({ message: JSON.stringify({ accessToken: 't', expiresOn: 1234 }) });
  await expect(pending).resolves.toEqual({ accessToken: 't', expiresOn: 1234 });
  expect(host.dialog.close).toHaveBeenCalled();
});

test('closed by the user: null', async () => {
  const host = installDialogHost();
  const pending = openAuthDialog('https://addin.contoso.com/auth-dialog.html');
  await new Promise((resolve) => setTimeout(resolve, 0));
  host.handlers.get('dialogEventReceived')?.({ error: 12006 });
  await expect(pending).resolves.toBeNull();
});
