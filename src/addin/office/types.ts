/* The pane's view of Outlook: plain data, free of Office.js, so the rest of the pane tests without it. */

export interface Participant {
  name: string;
  email: string;
}

export type ThemeName = 'light' | 'dark';

export interface MailItem {
  mode: 'read' | 'compose';
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
}

export interface OfficeHost {
  user: Participant;
  displayLanguage: string;
  currentItem(): Promise<MailItem | null>;
  /** Pinned panes stay open while the user moves between items; the new item may be null. */
  onItemChanged(listener: () => void): () => void;
  theme(): ThemeName;
  onThemeChanged(listener: (theme: ThemeName) => void): () => void;
}

/** Office.js is ready but there is no Outlook mailbox: the page opened in a browser, or in another Office host. */
export class NotInOutlookError extends Error {
  constructor(readonly host: string | null) {
    super(host ? `Opened in ${host}, which has no Outlook mailbox.` : 'Opened outside Office: there is no mailbox.');
    this.name = 'NotInOutlookError';
  }
}
