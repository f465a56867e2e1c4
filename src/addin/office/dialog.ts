/*
 * The Office dialog API, the last sign-in fallback: it opens a page of ours in a window the host allows,
 * and that page sends the token back with messageParent. Only this file touches Office.context.ui.
 */

interface DialogMessage {
  accessToken?: string;
  /** When the token expires, in milliseconds since the epoch. */
  expiresOn?: number;
  error?: string;
}

export interface DialogToken {
  accessToken: string;
  expiresOn: number;
}

/** Without an expiry from the dialog: MSAL's shortest access token lifetime is about an hour; assume less. */
const UNKNOWN_EXPIRY_MS = 30 * 60_000;

/**
 * Opens the dialog and resolves with the token it sends back, or null when the user closed it. Call it from a
 * click handler, before anything is awaited: displayDialogAsync is called synchronously, and with
 * promptBeforeOpen false Office on the web does not ask "Allow or Ignore" first, which Microsoft leaves to
 * add-ins that open the dialog from their own UI (Office.DialogOptions.promptBeforeOpen;
 * https://learn.microsoft.com/office/dev/add-ins/develop/dialog-best-practices#handle-pop-up-blockers-with-office-on-the-web).
 */
export function openAuthDialog(url: string): Promise<DialogToken | null> {
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(url, { height: 60, width: 30, promptBeforeOpen: false }, (result) => {
      if (result.status !== Office.AsyncResultStatus.Succeeded) {
        reject(new Error(result.error.message));
        return;
      }
      const dialog = result.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
        dialog.close();
        let message: DialogMessage = {};
        try {
          message = JSON.parse('message' in arg ? arg.message : '{}') as DialogMessage;
        } catch {
          message = { error: 'The sign-in window sent an unreadable answer.' };
        }
        if (message.accessToken) {
          resolve({ accessToken: message.accessToken, expiresOn: message.expiresOn ?? Date.now() + UNKNOWN_EXPIRY_MS });
        } else if (message.error) reject(new Error(message.error));
        else resolve(null);
      });
      // Closed by the user, or navigation failed: no token.
      dialog.addEventHandler(Office.EventType.DialogEventReceived, () => resolve(null));
    });
  });
}

/** From inside the dialog page: hand the result to the pane. */
export async function messageParent(message: DialogMessage): Promise<void> {
  await Office.onReady();
  Office.context.ui.messageParent(JSON.stringify(message));
}
