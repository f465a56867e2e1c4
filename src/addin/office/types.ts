/* The pane's view of Outlook: plain data, free of Office.js, so the rest of the pane tests without it. */

import type { MessageMarks } from '../../shared/message-marks.js';

export interface Participant {
  name: string;
  email: string;
}

export type ThemeName = 'light' | 'dark';

/**
 * A calendar item's meeting: when it is, in UTC (ISO 8601). On a calendar item the MailItem's `from` is the
 * organizer, `to` the required and `cc` the optional attendees; `mode` is 'compose' on the organizer's own form.
 */
export interface MeetingTimes {
  start: string;
  end: string;
}

export interface MailItem {
  mode: 'read' | 'compose';
  /** Set on a calendar item (AppointmentRead, AppointmentCompose); absent on a message. */
  meeting?: MeetingTimes;
  /** Office's (EWS-format) item id; null for an unsaved draft. */
  ewsId: string | null;
  /** The same id in Graph's REST format. */
  restId: string | null;
  /** Office's conversation id, which can differ from Graph's. */
  officeConversationId: string | null;
  internetMessageId: string | null;
  subject: string;
  from: Participant | null;
  to: Participant[];
  cc: Participant[];
  /**
   * Set on a message in a shared folder or shared mailbox (another's mailbox, which Outlook shows the user): the
   * mailbox owner's address, from the item's shared properties. Absent in the user's own mailbox.
   */
  sharedOwner?: string;
}

/** The marks on the message being written, stamped as its internet headers (Mailbox 1.8). */
export interface ComposeMarks {
  /** False on clients before Mailbox 1.8, which cannot set internet headers: the pane says so. */
  supported: boolean;
  read(): Promise<MessageMarks>;
  /** Rejects if Outlook could not stamp them. */
  write(marks: MessageMarks): Promise<void>;
}

/** One of several messages selected at once (Mailbox 1.13's getSelectedItemsAsync), as plain data. */
export interface SelectedMessage {
  /** Office's (EWS-format) item id. */
  ewsId: string;
  /** The same id in Graph's REST format. */
  restId: string | null;
  subject: string;
}

/** The messages selected in Outlook's message list, followed as the selection changes. */
export interface MessageSelection {
  /** The selected messages; empty when Outlook cannot say. */
  read(): Promise<SelectedMessage[]>;
  onChanged(listener: () => void): () => void;
}

export interface OfficeHost {
  user: Participant;
  displayLanguage: string;
  currentItem(): Promise<MailItem | null>;
  /** Pinned panes stay open while the user moves between items; the new item may be null. */
  onItemChanged(listener: () => void): () => void;
  theme(): ThemeName;
  onThemeChanged(listener: (theme: ThemeName) => void): () => void;
  /** The open compose item's marks; meaningful only while composing. */
  composeMarks(): ComposeMarks;
  /** Absent on clients before Mailbox 1.13, which cannot tell the pane about several selected messages. */
  selection?: MessageSelection;
}

/** Office.js is ready but there is no Outlook mailbox: the page opened in a browser, or in another Office host. */
export class NotInOutlookError extends Error {
  constructor(readonly host: string | null) {
    super(host ? `Opened in ${host}, which has no Outlook mailbox.` : 'Opened outside Office: there is no mailbox.');
    this.name = 'NotInOutlookError';
  }
}
