/*
 * The Office dialog API, the last sign-in fallback: it opens a page of ours in a window the host allows,
 * and that page sends the token back with messageParent. Only this file touches Office.context.ui.
 */

interface DialogMessage {
  accessToken?: string;
  error?: string;
}

/** Opens the dialog and resolves with the token it sends back, or null when the user closed it. */
export function openAuthDialog(url: string): Promise<string | null> {
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
        if (message.accessToken) resolve(message.accessToken);
        else if (message.error) reject(new Error(message.error));
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
