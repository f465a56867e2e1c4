import { newId } from '../../src/server/store/ids.js';
import type { NewInteraction, Store } from '../../src/server/store/index.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import type { GraphMessage } from '../../src/shared/schemas/message.js';

let counter = 0;

/** A message in Microsoft Graph's shape, as the pane or the processor would hand it over. */
export function graphMessage(
  from: string,
  to: string[],
  overrides: Partial<GraphMessage> & { cc?: string[] } = {}
): GraphMessage {
  counter += 1;
  const { cc = [], ...rest } = overrides;
  const at = new Date(Date.UTC(2026, 9, 1, 9, 0, counter)).toISOString();
  const recipient = (address: string) => ({ emailAddress: { name: address.split('@')[0] ?? address, address } });
  return {
    internetMessageId: `<msg-${counter}-${Math.random().toString(36).slice(2)}@test.example>`,
    conversationId: 'AAQkConversation1',
    subject: `Subject ${counter}`,
    bodyPreview: `Preview ${counter}`,
    webLink: `https://outlook.office365.com/owa/?ItemID=${counter}`,
    sentDateTime: at,
    receivedDateTime: at,
    isDraft: false,
    from: recipient(from),
    sender: recipient(from),
    toRecipients: to.map(recipient),
    ccRecipients: cc.map(recipient),
    ...rest
  };
}

/**
 * A history entry to write straight into the store, between a contact and a salesperson: an inbound email the
 * processor logged now, unless `fields` say otherwise (logged when it occurred).
 */
export function storedEntry(
  contact: PersonRef,
  salesperson: PersonRef,
  fields: Partial<NewInteraction> = {}
): NewInteraction {
  const occurredAt = fields.occurredAt ?? Date.now();
  return {
    id: newId(),
    internetMessageId: `<${newId()}@entries.example>`,
    conversationId: null,
    occurredAt,
    direction: 'inbound',
    subject: 'An entry',
    preview: '',
    contact,
    salesperson,
    source: 'mailbox',
    webLink: null,
    loggedBy: null,
    loggedAt: occurredAt,
    ...fields
  };
}

/** `count` messages from Lena (a contact) to Ana (a salesperson), as the Graph stand-in seeds them: a mailbox's backlog. */
export const fromLenaToAna = (count: number, subjectOf: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => ({
    from: 'lena@fabrikam.example',
    to: ['ana@northwind.example'],
    subject: subjectOf(i)
  }));

/** Ana as a salesperson and Lena as a contact of the tenant: fromLenaToAna's messages are logged between them. */
export async function addAnaAndLena(store: Store, tenantId: string): Promise<void> {
  await store.directory.createSalesperson(tenantId, { name: 'Ana', email: 'ana@northwind.example' });
  await store.directory.createContact(tenantId, { name: 'Lena', email: 'lena@fabrikam.example' }, null);
}
