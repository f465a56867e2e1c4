import {
  headersFor,
  marksOfHeaderRecord,
  NO_MARKS,
  OPPORTUNITY_HEADER,
  PRIVATE_HEADER
} from '../../shared/message-marks.js';
import type { SendMessage, SendOutcome } from '../domain/send-prompt.js';
import type { Participant } from './types.js';

/*
 * The OnMessageSend handler's side of Office.js (event-based activation, Smart Alerts: Mailbox 1.12,
 * https://learn.microsoft.com/office/dev/add-ins/outlook/onmessagesend-onappointmentsend-events). The manifest's
 * LaunchEvent names the function `onMessageSendHandler`; its SendMode is PromptUser, so a prompt offers
 * "Send Anyway" and the handler can never block a message.
 */

export const SEND_HANDLER_NAME = 'onMessageSendHandler';

/** The Mailbox requirement set Smart Alerts' OnMessageSend needs. */
const SMART_ALERTS = '1.12';

function recipientsOf(item: Office.MessageCompose): Promise<Participant[]> {
  const read = (field: Office.Recipients) =>
    new Promise<Participant[]>((resolve) =>
      field.getAsync((result) =>
        resolve(
          result.status === Office.AsyncResultStatus.Succeeded
            ? result.value
                .filter((r) => r.emailAddress)
                .map((r) => ({ name: r.displayName || r.emailAddress, email: r.emailAddress }))
            : []
        )
      )
    );
  return Promise.all([read(item.to), read(item.cc), read(item.bcc)]).then((lists) => lists.flat());
}

function sendMessageOf(item: Office.MessageCompose): SendMessage {
  if (!Office.context.requirements.isSetSupported('Mailbox', SMART_ALERTS)) {
    throw new Error(`OnMessageSend needs Mailbox ${SMART_ALERTS}.`);
  }
  const headers = item.internetHeaders;
  const settle = (resolve: () => void, reject: (error: Error) => void) => (result: Office.AsyncResult<void>) =>
    result.status === Office.AsyncResultStatus.Succeeded ? resolve() : reject(new Error(result.error.message));
  return {
    recipients: () => recipientsOf(item),
    marks: () =>
      new Promise((resolve) =>
        headers.getAsync([PRIVATE_HEADER, OPPORTUNITY_HEADER], (result) =>
          resolve(result.status === Office.AsyncResultStatus.Succeeded ? marksOfHeaderRecord(result.value) : NO_MARKS)
        )
      ),
    stamp: (marks) => {
      const { set } = headersFor(marks);
      return new Promise<void>((resolve, reject) => headers.setAsync(set, settle(resolve, reject)));
    }
  };
}

/** Answers Outlook's OnMessageSend with `decide`'s outcome; anything unexpected lets the message go unchanged. */
export function handleMessageSend(decide: (message: SendMessage) => Promise<SendOutcome>) {
  return (event: Office.MailboxEvent): void => {
    // Outlook raises OnMessageSend only on clients with Smart Alerts (which have event.completed).
    if (!Office.context.requirements.isSetSupported('Mailbox', SMART_ALERTS)) return;
    const allow = () => event.completed({ allowEvent: true });
    try {
      const item = Office.context.mailbox.item as Office.MessageCompose | null;
      if (!item) return allow();
      decide(sendMessageOf(item)).then(
        (outcome) =>
          event.completed(outcome.allow ? { allowEvent: true } : { allowEvent: false, errorMessage: outcome.prompt }),
        allow
      );
    } catch {
      allow();
    }
  };
}

/** Registers the handler under the name the manifest gives (Office.actions.associate). */
export function registerMessageSend(decide: (message: SendMessage) => Promise<SendOutcome>): void {
  Office.actions.associate(SEND_HANDLER_NAME, handleMessageSend(decide));
}

/** The display language and the signed-in user, for the handler's words and its own domain. */
export async function sendContext(): Promise<{ displayLanguage: string; user: Participant }> {
  await Office.onReady();
  const profile = Office.context.mailbox.userProfile;
  return {
    displayLanguage: Office.context.displayLanguage || 'en-US',
    user: { name: profile.displayName || profile.emailAddress, email: profile.emailAddress }
  };
}
