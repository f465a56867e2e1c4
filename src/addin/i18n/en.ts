/*
 * English, the reference catalogue: every other language has exactly these keys (the type checks it).
 * {name} placeholders are filled by the translator; plural entries pick a form by Intl.PluralRules.
 */
export const en = {
  appTitle: 'Interaction log',
  loading: 'Loading…',
  retry: 'Try again',
  cancel: 'Cancel',
  close: 'Close',

  noItemTitle: 'No message selected',
  noItemText: 'Select a message to see your team’s history with the people on it.',
  noParticipantsText: 'This message has no one but you on it.',
  internalOnlyText: 'Everyone on this message is in your organization. Pick a person to see their history.',

  signedOutTitle: 'Sign in to see the history',
  signedOutText: 'Your organization’s interaction log needs you to sign in once.',
  signIn: 'Sign in',
  signInBlockedText: 'The sign-in window couldn’t open. Select Sign in again to open it in Outlook’s own window.',
  unreachableTitle: 'The interaction log can’t be reached',
  unreachableText: 'Check your connection, then try again.',
  errorTitle: 'Something went wrong',
  outsideOutlookTitle: 'Open the interaction log from Outlook',
  outsideOutlookText:
    'This page is the interaction log’s side pane for Outlook. Open a message in Outlook and choose Interaction log in the ribbon or the message’s add-ins menu.',
  outsideOutlookPreview: 'Try it beside a demo mailbox',

  person: 'Person',
  showHistoryFor: 'Show history for',
  notAContact: 'Not a contact yet',
  addContact: 'Add contact',
  addContactTitle: 'Add contact',
  contactName: 'Name',
  contactEmail: 'Email',
  contactCompany: 'Company',
  contactPhone: 'Phone',
  save: 'Save',
  nameRequired: 'Enter a name.',
  contactAdded: '{name} is now a contact.',

  loggedBy: 'Logged by {name}, {date}',
  loggedAutomatically: 'Logged automatically, {date}',
  notLogged: 'This message is not logged yet',

  logThread: 'Log this thread',
  loggingThread: 'Logging this thread…',
  readingThread: { one: 'Read {count} message', other: 'Read {count} messages' },
  loggedResult: { one: 'Logged {count} entry.', other: 'Logged {count} entries.' },
  skippedResult: { one: 'Skipped {count} message:', other: 'Skipped {count} messages:' },
  nothingNew: 'Everything in this thread was already logged.',
  logFailed: 'The thread could not be logged.',

  reason_no_internet_message_id: 'it has no message ID',
  reason_draft: 'it is a draft',
  reason_no_sender: 'it has no sender',
  reason_no_date: 'it has no date',
  reason_sender_not_matched: 'the sender is neither a salesperson nor a contact',
  reason_no_matching_recipient: 'no recipient is a contact or salesperson on the other side',
  reason_already_logged: 'already logged',
  reason_duplicate_in_request: 'it appears twice',
  reason_never_log: 'someone on it is on the never-log list',
  reason_internal_only: 'nobody outside the organization is on it',
  reason_not_a_participant: 'you are not on it',
  reason_outside_visible_history: 'its entries belong to histories you cannot see',
  reason_marked_private: 'it was marked private when written',

  historyTitle: 'History',
  historyEmpty: 'No logged email with {name} yet.',
  historyNotContact: 'Add {name} as a contact to start their history.',
  loadMore: 'Load more',
  inbound: 'Received',
  outbound: 'Sent',
  withSalesperson: 'with {name}',
  openMessage: 'Open message',
  noSubject: '(no subject)',
  viaMailbox: 'automatic',

  opportunitiesTitle: 'Open opportunities',
  opportunitiesEmpty: 'No open opportunities.',
  stage_qualification: 'Qualification',
  stage_proposal: 'Proposal',
  stage_negotiation: 'Negotiation',
  closes: 'closes {date}',

  createOpportunity: 'Create opportunity',
  createOpportunityTitle: 'Create opportunity',
  description: 'Description',
  stage: 'Stage',
  estimatedValue: 'Estimated value',
  currency: 'Currency',
  expectedCloseDate: 'Expected close date',
  create: 'Create',
  descriptionRequired: 'Describe the opportunity.',
  valueInvalid: 'Enter an amount of 0 or more.',
  currencyInvalid: 'Use a three-letter code such as EUR.',
  dateInvalid: 'Pick a date.',
  goToToday: 'Go to today',
  previousMonth: 'Previous month',
  nextMonth: 'Next month',
  previousYear: 'Previous year',
  nextYear: 'Next year',
  linkThreadNote: {
    one: 'This thread’s {count} logged entry will be linked.',
    other: 'This thread’s {count} logged entries will be linked.'
  },
  linkToExisting: 'Or add this thread to an open opportunity',
  addToOpportunity: 'Add to opportunity',
  opportunityCreated: 'Opportunity “{name}” created.',
  opportunityLinked: 'Thread added to “{name}”.',
  needsContact: 'Add this person as a contact first.',
  internalOnlyTitle: 'Internal message: nothing to log',
  colleagueText:
    '{name} works in your organization. Colleagues are salespeople, not contacts: their email is logged with your contacts’ histories.',
  logNeedsContact: 'Logging keeps email with contacts. Add {name} as a contact first, then log this thread.',
  threadLogged: 'Logged',
  logNewReplies: 'Logged: log new replies in this thread',

  composeNote: 'You are writing a message.',

  marksTitle: 'How this message is logged',

  markPrivate: 'Private — never log',

  linkOpportunity: 'Link to opportunity …',

  noOpportunityLink: 'No opportunity',

  noRecipientOpportunities: 'No recipient has an open opportunity.',

  marksUnsupported:
    'This version of Outlook cannot mark a message as private or link it to an opportunity (that needs Outlook with Mailbox 1.8 or later). The message is logged as usual.',

  marksFailed: 'Outlook could not save this choice on the message. Try again.',

  sendPrompt:
    'This goes to {company}, which has an open opportunity ‘{name}’. Link it? Send Anyway sends it linked; Don’t Send lets you change that in the pane.',

  // The manager's team view.
  viewSwitch: 'View',
  contactView: 'This message',
  teamView: 'Team',
  adminView: 'Admin',
  backToMessage: 'Back to the message',
  teamTitle: 'Team activity',
  teamFilters: 'Filters',
  filterTeam: 'Team',
  allTeams: 'All teams',
  filterSalesperson: 'Salesperson',
  allSalespeople: 'Everyone',
  filterContact: 'Contact or company',
  contactSearchPlaceholder: 'Search contacts and companies',
  companyOption: 'Company: {name}',
  filterFrom: 'From',
  filterTo: 'To',
  filterDirection: 'Direction',
  allDirections: 'Sent and received',
  filterSource: 'Logged',
  allSources: 'Any way',
  sourceAddin: 'From the pane',
  sourceMailbox: 'Automatically',
  clearFilters: 'Clear filters',
  chartTitle: 'Emails per week',
  chartWeek: 'Week of {date}: {details}',
  chartEmpty: 'No logged email in this period.',
  chartHint: 'Use the arrow keys to move between weeks.',
  stagesTitle: 'Open opportunities by stage',
  stageCount: { one: '{count} opportunity', other: '{count} opportunities' },
  teamListTitle: 'Team history',
  teamEmpty: 'No logged email matches these filters.',
  exportCsv: 'Export CSV',
  exportFailed: 'The export failed.',
  backToTeam: 'Back to team',
  showContactHistory: 'Show the history with {name}',
  noTeams: 'You don’t manage a team yet. An admin sets each team’s manager.',
  teamRowMeta: '{date} · {direction} · {salesperson}',

  // Notes and search.
  kindNote: 'Note',
  kindMeeting: 'Meeting',
  addNote: 'Add note',
  addNoteTitle: 'Add a note about {name}',
  noteSubject: 'Subject',
  noteText: 'Note',
  noteDate: 'Date',
  noteSubjectRequired: 'Enter a subject.',
  noteDateInvalid: 'Pick a date within the last ten years, not in the future.',
  noteAdded: 'Note added.',
  searchHistory: 'Search the history',
  searchPlaceholder: 'Words in subject, text, people',
  searchNoResults: 'Nothing in the history matches “{query}”.'
};

export type Catalogue = { [K in keyof typeof en]: (typeof en)[K] extends string ? string : PluralForms };
export interface PluralForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}
export type MessageKey = keyof typeof en;
