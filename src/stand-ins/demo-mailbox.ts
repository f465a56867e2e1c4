import { DEMO_ORG_DOMAIN } from '../shared/demo.js';

/*
 * Ana López's mailbox in the demo organization, as pure data for both stand-ins: the Graph stand-in on the
 * server serves it, and the Office stand-in in the browser shows it as Outlook would. Everything that names a
 * message (ids, conversation ids, Internet Message-IDs) is fixed, so tests and links can point at it; dates
 * are relative to "now" so the demo always looks recent.
 *
 * The people are the demo organization's: salespeople and contacts exactly as src/server/demo/seed.ts creates
 * them (addresses derived from names by its slug rule), plus one external sender who is nobody's contact.
 *
 * Ids look like Exchange Online's: each message has an immutable id (what Graph returns when asked with
 * `Prefer: IdType="ImmutableId"`), a regular REST id (what Graph returns otherwise), and Office's EWS-format
 * item id (the regular REST id with '-' → '/' and '_' → '+'). Graph's conversation ids are standard base64,
 * so some contain '+' and '/' and must be URL-encoded in a $filter. For one thread, Office's conversationId
 * differs from Graph's, as it can in Outlook.
 */

export interface DemoEmailAddress {
  name: string;
  address: string;
}

export interface DemoRecipient {
  emailAddress: DemoEmailAddress;
}

/** A message with the properties Graph returns for it when no $select is given. */
export interface DemoGraphMessage {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  categories: string[];
  receivedDateTime: string;
  sentDateTime: string;
  hasAttachments: boolean;
  internetMessageId: string;
  subject: string;
  bodyPreview: string;
  importance: 'low' | 'normal' | 'high';
  parentFolderId: string;
  conversationId: string;
  conversationIndex: string;
  isDeliveryReceiptRequested: boolean;
  isReadReceiptRequested: boolean;
  isRead: boolean;
  isDraft: boolean;
  webLink: string;
  inferenceClassification: 'focused' | 'other';
  body: { contentType: 'html' | 'text'; content: string };
  sender: DemoRecipient;
  from: DemoRecipient;
  toRecipients: DemoRecipient[];
  ccRecipients: DemoRecipient[];
  bccRecipients: DemoRecipient[];
  replyTo: DemoRecipient[];
  flag: { flagStatus: 'notFlagged' | 'flagged' | 'complete' };
}

/** Graph's default property set of a message, in the order Graph writes them. */
export const GRAPH_MESSAGE_PROPERTIES = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'importance',
  'parentFolderId',
  'conversationId',
  'conversationIndex',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
  'isRead',
  'isDraft',
  'webLink',
  'inferenceClassification',
  'body',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'flag'
] as const satisfies ReadonlyArray<keyof DemoGraphMessage>;
export type GraphMessageProperty = (typeof GRAPH_MESSAGE_PROPERTIES)[number];
/**
 * Message properties Graph returns only when `$select` names them (outside the default set above):
 * https://learn.microsoft.com/graph/api/resources/message#properties ("internetMessageHeaders ... Returned only on
 * applying a $select query option").
 */
export const SELECT_ONLY_MESSAGE_PROPERTIES = ['internetMessageHeaders'] as const;
export type SelectableMessageProperty = GraphMessageProperty | (typeof SELECT_ONLY_MESSAGE_PROPERTIES)[number];
/** True only when `Listed` names every property of `Shape`: a property list checked at compile time. */
type ListsEvery<Shape, Listed> = [Exclude<keyof Shape, Listed>] extends [never] ? true : false;
// Every property of DemoGraphMessage is listed above.
const _allPropertiesListed: ListsEvery<DemoGraphMessage, GraphMessageProperty> = true;
void _allPropertiesListed;

/** What Office.js exposes for the same message. */
export interface DemoOfficeIds {
  /** EWS-format item id, as Outlook's `mailbox.item.itemId` gives it. */
  itemId: string;
  /** `item.conversationId`: usually Graph's, but not always. */
  conversationId: string;
}

export type DemoThreadKey =
  | 'renewal'
  | 'pilot'
  | 'security'
  | 'warehouses'
  | 'onboarding'
  | 'demo-follow-up'
  | 'new-lead'
  | 'internal'
  | 'contract'
  | 'shared-inquiry';

export interface DemoMessage {
  thread: DemoThreadKey;
  /** The message as Graph returns it with `Prefer: IdType="ImmutableId"`: `id` is the immutable id. */
  graph: DemoGraphMessage;
  /** The regular REST id: Graph's `id` without that preference, and what Office's itemId converts to. */
  restId: string;
  office: DemoOfficeIds;
  /** Set on a message of a mailbox shared with the user (DEMO_SHARED_MAILBOX): its owner's address. */
  sharedOwner?: string;
}

export interface DemoMailboxUser {
  displayName: string;
  emailAddress: string;
  /** Windows time zone name, as Office's userProfile gives it. */
  timeZone: string;
}

export interface DemoMailbox {
  user: DemoMailboxUser;
  /** Newest first, like a mail list. */
  messages: DemoMessage[];
  /** Meetings in Ana's calendar, newest first. */
  events: DemoEvent[];
}

/** Graph's dateTimeTimeZone. */
export interface DemoDateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

export interface DemoResponseStatus {
  response: 'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded';
  time: string;
}

export interface DemoAttendee extends DemoRecipient {
  type: 'required' | 'optional' | 'resource';
  status: DemoResponseStatus;
}

export interface DemoLocation {
  displayName: string;
  locationType: 'default';
  uniqueId: string;
  uniqueIdType: 'private';
}

/** A meeting with the properties Graph returns for it when no $select is given (Graph's event resource). */
export interface DemoGraphEvent {
  id: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  categories: string[];
  transactionId: string | null;
  originalStartTimeZone: string;
  originalEndTimeZone: string;
  iCalUId: string;
  reminderMinutesBeforeStart: number;
  isReminderOn: boolean;
  hasAttachments: boolean;
  subject: string;
  bodyPreview: string;
  importance: 'low' | 'normal' | 'high';
  sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  isAllDay: boolean;
  isCancelled: boolean;
  isOrganizer: boolean;
  responseRequested: boolean;
  seriesMasterId: string | null;
  showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  type: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  webLink: string;
  onlineMeetingUrl: string | null;
  isOnlineMeeting: boolean;
  onlineMeetingProvider: 'unknown' | 'teamsForBusiness' | 'skypeForBusiness' | 'skypeForConsumer';
  allowNewTimeProposals: boolean;
  isDraft: boolean;
  hideAttendees: boolean;
  responseStatus: DemoResponseStatus;
  body: { contentType: 'html' | 'text'; content: string };
  start: DemoDateTimeTimeZone;
  end: DemoDateTimeTimeZone;
  location: DemoLocation;
  locations: DemoLocation[];
  recurrence: null;
  attendees: DemoAttendee[];
  organizer: DemoRecipient;
  onlineMeeting: null;
}

/** Graph's default property set of an event, in the order Graph writes them. */
export const GRAPH_EVENT_PROPERTIES = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'transactionId',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'iCalUId',
  'reminderMinutesBeforeStart',
  'isReminderOn',
  'hasAttachments',
  'subject',
  'bodyPreview',
  'importance',
  'sensitivity',
  'isAllDay',
  'isCancelled',
  'isOrganizer',
  'responseRequested',
  'seriesMasterId',
  'showAs',
  'type',
  'webLink',
  'onlineMeetingUrl',
  'isOnlineMeeting',
  'onlineMeetingProvider',
  'allowNewTimeProposals',
  'isDraft',
  'hideAttendees',
  'responseStatus',
  'body',
  'start',
  'end',
  'location',
  'locations',
  'recurrence',
  'attendees',
  'organizer',
  'onlineMeeting'
] as const satisfies ReadonlyArray<keyof DemoGraphEvent>;
export type GraphEventProperty = (typeof GRAPH_EVENT_PROPERTIES)[number];
// Every property of DemoGraphEvent is listed above.
const _allEventPropertiesListed: ListsEvery<DemoGraphEvent, GraphEventProperty> = true;
void _allEventPropertiesListed;

export type DemoEventKey = 'renewal-review' | 'pilot-results';

export interface DemoEvent {
  key: DemoEventKey;
  /** The event as Graph returns it with `Prefer: IdType="ImmutableId"`: `id` is the immutable id. */
  graph: DemoGraphEvent;
  /** The regular REST id, what Office's itemId converts to. */
  restId: string;
  /** Office's EWS-format item id of the calendar item. */
  office: { itemId: string };
}

export const DEMO_MAILBOX_USER: DemoMailboxUser = {
  displayName: 'Ana López',
  emailAddress: `ana.lopez@${DEMO_ORG_DOMAIN}`,
  timeZone: 'Romance Standard Time'
};

/** Everyone in the demo mailbox. Contacts and salespeople exactly as the demo seed names them. */
export const DEMO_PEOPLE = {
  ana: { name: DEMO_MAILBOX_USER.displayName, address: DEMO_MAILBOX_USER.emailAddress },
  mikko: { name: 'Mikko Virtanen', address: `mikko.virtanen@${DEMO_ORG_DOMAIN}` },
  sofia: { name: 'Sofia Lindqvist', address: `sofia.lindqvist@${DEMO_ORG_DOMAIN}` },
  jon: { name: 'Jón Sigurðsson', address: `jon.sigurdsson@${DEMO_ORG_DOMAIN}` },
  lena: { name: 'Lena Berg', address: 'lena.berg@fabrikam.example' },
  tomas: { name: 'Tomás Ortega', address: 'tomas.ortega@fabrikam.example' },
  sanna: { name: 'Sanna Mäkelä', address: 'sanna.makela@contoso.example' },
  marta: { name: 'Marta Kowalska', address: 'marta.kowalska@contoso.example' },
  david: { name: 'David Chen', address: 'david.chen@contoso.example' },
  gudrun: { name: 'Guðrún Jónsdóttir', address: 'gudrun.jonsdottir@adatum.example' },
  noah: { name: 'Noah Fischer', address: 'noah.fischer@litware.example' },
  aisha: { name: 'Aisha Bello', address: 'aisha.bello@litware.example' },
  pavel: { name: 'Pavel Smirnov', address: 'pavel.smirnov@litware.example' },
  matteo: { name: 'Matteo Greco', address: 'matteo.greco@wideworld.example' },
  anya: { name: 'Anya Volkova', address: 'anya.volkova@wideworld.example' },
  /** External, and nobody's contact: the pane offers "Add contact". */
  newLead: { name: 'Jordan Blake', address: 'new.lead@globex.example' },
  /** The team's shared mailbox: nobody's own, neither contact nor salesperson; Ana works it (issue 21). */
  sales: { name: 'Northwind Sales', address: `sales@${DEMO_ORG_DOMAIN}` }
} as const satisfies Record<string, DemoEmailAddress>;
export type DemoPersonKey = keyof typeof DEMO_PEOPLE;

// ---------------------------------------------------------------------------------------------------------
// The threads

interface MessageSpec {
  from: DemoPersonKey;
  to: DemoPersonKey[];
  cc?: DemoPersonKey[];
  /** How long before the demo's "now" it was sent. */
  minutesAgo: number;
  /** Reply prefix as the sender's mail client writes it ("RE: ", "VS: ", "Re: "); none for the first. */
  prefix?: string;
  text: string;
  draft?: boolean;
  unread?: boolean;
  importance?: 'high';
  hasAttachments?: boolean;
}

interface ThreadSpec {
  key: DemoThreadKey;
  subject: string;
  /** Office's conversationId is another form of the same id (Outlook can give either). */
  officeConversationIdDiffers?: boolean;
  /** Graph's conversation id is chosen to contain '+' and '/', which a $filter must percent-encode. */
  needsEncoding?: boolean;
  messages: MessageSpec[];
}

const ago = (days: number, hours = 0, minutes = 0) => (days * 24 + hours) * 60 + minutes;

const THREADS: ThreadSpec[] = [
  {
    key: 'renewal',
    subject: 'Pricing for the 2027 renewal',
    officeConversationIdDiffers: true,
    messages: [
      {
        from: 'ana',
        to: ['lena'],
        minutesAgo: ago(12, 5, 12),
        text: 'Hi Lena, ahead of the renewal I have put together the 2027 price list for your current 240 seats, with the two tiers we discussed in Malmö. The second tier includes the analytics add-on.'
      },
      {
        from: 'lena',
        to: ['ana'],
        cc: ['tomas'],
        minutesAgo: ago(11, 2, 40),
        prefix: 'RE: ',
        text: 'Thanks Ana. Copying Tomás from finance. The second tier looks right for us, but we would need the price held until March while our budget round closes. Is that possible?'
      },
      {
        from: 'ana',
        to: ['lena'],
        cc: ['tomas'],
        minutesAgo: ago(10, 21, 5),
        prefix: 'RE: ',
        text: 'Hi Lena, hi Tomás, yes: I can hold the tier-two price until 31 March if we have a signed order form by then. I will send the form with the quote this week.',
        hasAttachments: true
      },
      {
        from: 'lena',
        to: ['ana'],
        minutesAgo: ago(2, 3, 18),
        prefix: 'RE: ',
        text: 'Ana, finance approved the budget. Before we sign: could you add the 20 seats for the Gdańsk office at the same per-seat price, and confirm the support hours in the order form?',
        unread: true,
        importance: 'high'
      },
      {
        from: 'ana',
        to: ['lena'],
        cc: ['tomas'],
        minutesAgo: ago(0, 1, 25),
        prefix: 'RE: ',
        text: 'Hi Lena, good news on the budget. Adding the 20 Gdańsk seats at the same price is fine; I have updated the order form and',
        draft: true
      }
    ]
  },
  {
    key: 'pilot',
    subject: 'Pilot results',
    needsEncoding: true,
    messages: [
      {
        from: 'sanna',
        to: ['ana'],
        minutesAgo: ago(9, 6, 2),
        text: 'Hei Ana, the pilot in our Espoo lab is finished. Attached is the usage report for the first month: 31 active users, and the batch tracking saved the team about six hours a week.',
        hasAttachments: true
      },
      {
        from: 'ana',
        to: ['sanna'],
        minutesAgo: ago(9, 2, 47),
        prefix: 'RE: ',
        text: 'Thank you Sanna, these are great numbers. Shall we present them together to your steering group? I can prepare the rollout plan for the other two labs.'
      },
      {
        from: 'sanna',
        to: ['ana'],
        minutesAgo: ago(4, 7, 30),
        prefix: 'VS: ',
        text: 'Yes please. The steering group meets on the 14th; 30 minutes at 10:00 would work. Please include the validation effort for the GxP documentation.'
      }
    ]
  },
  {
    key: 'security',
    subject: 'Security questionnaire',
    messages: [
      {
        from: 'pavel',
        to: ['ana'],
        minutesAgo: ago(7, 4, 10),
        text: 'Hello Ana, our security team needs the attached questionnaire completed before the contract review. Section C (data residency) is the one they care most about.',
        hasAttachments: true
      },
      {
        from: 'ana',
        to: ['pavel'],
        minutesAgo: ago(6, 22, 55),
        prefix: 'RE: ',
        text: 'Hi Pavel, thanks, I have passed it to our security office. All data stays in the EU region; you will have the completed questionnaire by Friday.'
      }
    ]
  },
  {
    key: 'warehouses',
    subject: 'New warehouse locations',
    messages: [
      {
        from: 'matteo',
        to: ['ana'],
        cc: ['anya'],
        minutesAgo: ago(15, 3, 0),
        text: 'Ciao Ana, we are opening two warehouses next year, in Verona and in Łódź. Anya runs the Łódź project. Could the scanning licences move with the staff from Padua?'
      },
      {
        from: 'ana',
        to: ['matteo'],
        cc: ['anya'],
        minutesAgo: ago(14, 23, 20),
        prefix: 'RE: ',
        text: 'Ciao Matteo, hello Anya: yes, licences are per user, not per site, so they move with your staff. For the new hires we can add seats month by month.'
      },
      {
        from: 'anya',
        to: ['ana'],
        cc: ['matteo'],
        minutesAgo: ago(5, 5, 45),
        prefix: 'RE: ',
        text: 'Thank you Ana. Łódź starts with 35 people in April. Could you send a quote for 35 seats from April and 20 more from September?'
      }
    ]
  },
  {
    key: 'onboarding',
    subject: 'Onboarding schedule',
    messages: [
      {
        from: 'ana',
        to: ['gudrun'],
        cc: ['jon'],
        minutesAgo: ago(20, 4, 0),
        text: 'Hi Guðrún, welcome aboard! My colleague Jón will run your onboarding. He suggests three sessions of two hours in the first two weeks; could you share which days suit your team?'
      },
      {
        from: 'gudrun',
        to: ['ana'],
        cc: ['jon'],
        minutesAgo: ago(19, 6, 15),
        prefix: 'SV: ',
        text: 'Takk Ana and Jón. Tuesdays and Thursdays after 13:00 work best for us. We will have eight people in the first session.'
      }
    ]
  },
  {
    key: 'demo-follow-up',
    subject: 'Follow-up on last week’s demo',
    messages: [
      {
        from: 'ana',
        to: ['noah', 'aisha'],
        minutesAgo: ago(8, 3, 33),
        text: 'Hi Noah, hi Aisha, thank you for your time last Thursday. As promised, here is the summary of what we discussed and the next steps on both sides.'
      },
      {
        from: 'noah',
        to: ['ana'],
        cc: ['aisha'],
        minutesAgo: ago(7, 20, 12),
        prefix: 'Re: ',
        text: 'Thanks Ana, very helpful. Aisha has one question on the API limits; otherwise we would like to start a four-week trial.'
      },
      {
        from: 'aisha',
        to: ['ana'],
        cc: ['noah'],
        minutesAgo: ago(3, 2, 5),
        prefix: 'Re: ',
        text: 'Hi Ana, how many API calls per minute does the standard plan allow, and is there a sandbox we can use during the trial?'
      }
    ]
  },
  {
    key: 'new-lead',
    subject: 'Fleet tracking for 40 vans',
    messages: [
      {
        from: 'newLead',
        to: ['ana'],
        minutesAgo: ago(1, 6, 40),
        text: 'Hello, I found your name on the Northwind website. We run 40 delivery vans in the Lyon area and are looking for route and stock tracking. Could we have a call next week?',
        unread: true
      },
      {
        from: 'ana',
        to: ['newLead'],
        minutesAgo: ago(1, 2, 15),
        prefix: 'RE: ',
        text: 'Hello Jordan, thank you for reaching out. I would be glad to show you how other logistics customers use Northwind. Does Tuesday at 14:00 CET suit you?'
      }
    ]
  },
  {
    key: 'internal',
    subject: 'Handover: Contoso notes before my leave',
    messages: [
      {
        from: 'mikko',
        to: ['ana'],
        cc: ['sofia'],
        minutesAgo: ago(0, 5, 50),
        text: 'Hi Ana, I am off from Monday for three weeks. My Contoso notes are in the shared folder; Marta expects the revised contract draft before the 20th. Sofia covers the Helsinki accounts.',
        unread: true
      }
    ]
  }
];

const CONTRACT_TEXTS = [
  'Our legal team has reviewed the draft. Main points: the liability cap in clause 9, and the notice period in clause 14.',
  'Thank you Marta. On clause 9 we can raise the cap to twelve months of fees. Clause 14: would 60 days work instead of 90?',
  '60 days is acceptable. We also need clause 4.3 to say that price changes apply only at renewal.',
  'Agreed on 4.3; I have rewritten it in the attached version. Changes are tracked.',
  'Thanks. David from our IT team has a comment on the service levels in annex B.',
  'The 99.5% availability in annex B should be measured monthly, not yearly. Can Northwind accept that?',
  'Monthly measurement is fine. I have also added the maintenance window you asked for (Sundays 02:00–04:00 CET).',
  'Good. Procurement asks whether the payment term can be 45 days instead of 30.',
  'We can do 45 days for annual invoicing. For monthly invoicing it stays at 30.',
  'Annual invoicing then. Please update clause 6 accordingly.',
  'Done, see clause 6.1. I also fixed the company registration number in the preamble.',
  'Our DPO wants the list of sub-processors attached as annex D rather than linked.',
  'Annex D is attached now, with the three sub-processors and their locations.',
  'We are nearly there. One last question on termination for convenience in clause 15.',
  'Clause 15 now allows termination with 90 days’ notice after the first year, without penalty.'
];

function contractThread(): ThreadSpec {
  const messages: MessageSpec[] = [];
  const count = 60;
  const start = ago(30, 4);
  const step = Math.floor((start - ago(1, 9)) / (count - 1));
  for (let i = 0; i < count; i++) {
    const fromAna = i % 2 === 1;
    const fromDavid = !fromAna && i % 10 === 4;
    const from: DemoPersonKey = fromAna ? 'ana' : fromDavid ? 'david' : 'marta';
    messages.push({
      from,
      to: fromAna ? ['marta'] : ['ana'],
      cc: fromAna ? (i % 6 === 1 ? ['david', 'mikko'] : ['david']) : from === 'david' ? ['marta'] : ['david'],
      minutesAgo: start - i * step - (i % 7) * 11,
      prefix: i === 0 ? '' : 'RE: ',
      text: `${CONTRACT_TEXTS[i % CONTRACT_TEXTS.length] ?? ''}${i >= CONTRACT_TEXTS.length ? ` (round ${Math.floor(i / CONTRACT_TEXTS.length) + 1})` : ''}`,
      unread: i === count - 1,
      hasAttachments: i % 5 === 3
    });
  }
  return { key: 'contract', subject: 'Contract draft — comments', messages };
}

const ALL_THREADS: ThreadSpec[] = [...THREADS, contractThread()];

/** The shared mailbox sales@ (DEMO_SHARED_MAILBOX): a contact with history writes to the team, Ana answers as sales@. */
const SHARED_THREADS: ThreadSpec[] = [
  {
    key: 'shared-inquiry',
    subject: 'Extra seats for the Espoo office',
    messages: [
      {
        from: 'david',
        to: ['sales'],
        minutesAgo: ago(1, 6, 10),
        text: 'Hello, we are opening an office in Espoo in February and need 15 more seats on our Contoso agreement. Who can send us a quote?'
      },
      {
        from: 'sales',
        to: ['david'],
        minutesAgo: ago(0, 22, 35),
        prefix: 'RE: ',
        text: 'Hi David, thank you: Ana López will prepare the quote for the 15 Espoo seats at your current per-seat price and send it by Friday.'
      },
      {
        from: 'david',
        to: ['sales'],
        minutesAgo: ago(0, 3, 5),
        prefix: 'RE: ',
        text: 'Thanks. Could the quote also cover onboarding for the new team? Two half-days would do.',
        unread: true
      }
    ]
  }
];

// ---------------------------------------------------------------------------------------------------------
// Exchange-looking identifiers, from a fixed seed: the same on every machine and at every "now".

/** Ana's mailbox GUID in the demo's Exchange Online. */
const MAILBOX_GUID = '5c2d9a71-0e4b-4c8f-9d36-7f1ab2e4c058';
/** The store's provider uid inside entry ids. */
const STORE_UID = [0x8e, 0xfb, 0xef, 0xbe, 0x41, 0x9c, 0x2a, 0x4d, 0xb0, 0x6e, 0x17, 0xd3, 0x5a, 0x80, 0x3f, 0xc2];
/** The constant head of Exchange Online's immutable item ids. */
const IMMUTABLE_ID_HEAD = 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A';

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Mulberry32, as the demo seed uses: small and the same everywhere. */
function randomBytes(seedText: string, count: number): number[] {
  let state = fnv1a(seedText);
  const bytes: number[] = [];
  while (bytes.length < count) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const value = (t ^ (t >>> 14)) >>> 0;
    bytes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  }
  return bytes.slice(0, count);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function base64(bytes: number[], urlSafe = false, pad = true): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | (b << 8) | c;
    const chars = [(n >>> 18) & 63, (n >>> 12) & 63, (n >>> 6) & 63, n & 63].map((v) => BASE64[v] ?? '');
    const valid = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    out += chars.slice(0, valid).join('') + (pad ? '='.repeat(4 - valid) : '');
  }
  return urlSafe ? out.replace(/\+/g, '-').replace(/\//g, '_') : out;
}

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** Office's EWS-format id for a REST id (the reverse of Office's convertToRestId). */
export const ewsIdFromRestId = (restId: string): string => restId.replace(/-/g, '/').replace(/_/g, '+');

/** A regular REST entry id: mailbox GUID, then a MAPI entry id (folder and item parts). */
function entryId(kind: 'folder' | 'item', folderCounter: number, itemSeed: string | null): string {
  const folderGuid = randomBytes('folders', 16);
  const folderPart = [...folderGuid, 0, 0, 0, 0, 0, folderCounter];
  const body =
    kind === 'folder'
      ? [0, 0, 0, 0, ...STORE_UID, 0x01, 0x00, ...folderPart, 0, 0]
      : [
          0,
          0,
          0,
          0,
          ...STORE_UID,
          0x07,
          0x00,
          ...folderPart,
          0,
          0,
          ...folderGuid,
          ...randomBytes(itemSeed ?? '', 6),
          0,
          0
        ];
  return base64([0x00, 0x03, 0x24, 0x00, ...ascii(MAILBOX_GUID), 0x00, body.length, 0x00, ...body], true);
}

type FolderName = 'inbox' | 'sentitems' | 'drafts';
const FOLDER_COUNTER: Record<FolderName, number> = { inbox: 0x0c, sentitems: 0x09, drafts: 0x0f };
/** Regular REST ids of the well-known folders the demo uses. */
export const DEMO_FOLDER_IDS: Record<FolderName, string> = {
  inbox: entryId('folder', FOLDER_COUNTER.inbox, null),
  sentitems: entryId('folder', FOLDER_COUNTER.sentitems, null),
  drafts: entryId('folder', FOLDER_COUNTER.drafts, null)
};

function conversationIds(spec: ThreadSpec): { graph: string; office: string; bytes: number[] } {
  for (let attempt = 0; ; attempt++) {
    const bytes = randomBytes(`conversation/${spec.key}/${attempt}`, 16);
    const graph = base64([0x00, 0x04, 0x24, 0x00, ...ascii(MAILBOX_GUID), 0x00, 0x10, 0x00, ...bytes]);
    if (spec.needsEncoding && !(graph.includes('+') && graph.includes('/'))) continue;
    if (!spec.needsEncoding && /[+/]/.test(graph)) continue;
    // Outlook can hand out the compact form of the same conversation id ("AQQk..."), which Graph's filter
    // does not match: read the message from Graph for Graph's own conversationId.
    const office = spec.officeConversationIdDiffers
      ? base64([0x01, 0x04, 0x24, 0x00, ...randomBytes('mailbox-compact', 12), 0x00, 0x10, 0x00, ...bytes])
      : graph;
    return { graph, office, bytes };
  }
}

const SERVERS: Record<string, { host: string; style: 'exchange' | 'gmail' | 'plain' }> = {
  [DEMO_ORG_DOMAIN]: { host: 'AM9PR07MB7203.eurprd07.prod.outlook.com', style: 'exchange' },
  'fabrikam.example': { host: 'DB9PR02MB6921.eurprd02.prod.outlook.com', style: 'exchange' },
  'contoso.example': { host: 'mail.gmail.com', style: 'gmail' }
};

function internetMessageId(address: string, seed: string): string {
  const domain = address.split('@')[1] ?? 'example';
  const server = SERVERS[domain] ?? { host: `mail.${domain}`, style: 'plain' as const };
  const bytes = randomBytes(`imid/${seed}`, 18);
  switch (server.style) {
    case 'exchange': {
      const machine = server.host.split('.')[0] ?? 'MAIL';
      return `<${machine}${hex(bytes.slice(0, 8)).toUpperCase()}@${server.host}>`;
    }
    case 'gmail':
      // Gmail's ids carry '+', '/' and '=': a query string must percent-encode them.
      return `<CA${base64(bytes.slice(0, 15))}+${base64(bytes.slice(15), false, false)}=@${server.host}>`;
    default:
      return `<${hex(bytes.slice(0, 6))}.${hex(bytes.slice(6, 10))}@${server.host}>`;
  }
}

const HOUR_MS = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
const recipient = (key: DemoPersonKey): DemoRecipient => ({ emailAddress: { ...DEMO_PEOPLE[key] } });

/** The ids of one message: fixed, whatever "now" is. */
function idsOf(thread: DemoThreadKey, index: number, folder: FolderName) {
  const seed = `${thread}/${index}`;
  const immutable = IMMUTABLE_ID_HEAD + base64([...STORE_UID, 0, 0, ...randomBytes(`immutable/${seed}`, 6)], true);
  return { id: immutable, restId: entryId('item', FOLDER_COUNTER[folder], seed), seed };
}

/** Where a message lies in its mailbox, whose owner is `owner`. */
function folderOf(spec: MessageSpec, owner: DemoPersonKey): FolderName {
  if (spec.draft) return 'drafts';
  return spec.from === owner ? 'sentitems' : 'inbox';
}

const newestFirst = (messages: DemoMessage[]) =>
  messages.sort((a, b) => Date.parse(b.graph.receivedDateTime) - Date.parse(a.graph.receivedDateTime));

/**
 * Ana López's mailbox. Dates count back from `now` rounded down to the hour, so the browser and the server
 * agree on every date within the same hour, and no date lies in the future.
 */
export function demoMailbox(now: number = Date.now()): DemoMailbox {
  const anchor = Math.floor(now / HOUR_MS) * HOUR_MS;
  const messages = ALL_THREADS.flatMap((thread) => threadMessages(thread, anchor, 'ana'));
  const events = MEETINGS.map((spec) => demoEvent(spec, anchor)).sort(
    (a, b) => Date.parse(`${b.graph.start.dateTime}Z`) - Date.parse(`${a.graph.start.dateTime}Z`)
  );
  return { user: { ...DEMO_MAILBOX_USER }, messages: newestFirst(messages), events };
}

/** The team's shared mailbox, which Ana has full access to: Outlook lists it beside her own (issue 21). */
export const DEMO_SHARED_MAILBOX = {
  displayName: DEMO_PEOPLE.sales.name,
  emailAddress: DEMO_PEOPLE.sales.address
} as const;

/** The messages of DEMO_SHARED_MAILBOX, newest first, dated as demoMailbox's. */
export function demoSharedMailbox(now: number = Date.now()): DemoMessage[] {
  const anchor = Math.floor(now / HOUR_MS) * HOUR_MS;
  return newestFirst(SHARED_THREADS.flatMap((thread) => threadMessages(thread, anchor, 'sales')));
}

/** One thread's messages as the mailbox of `owner` holds them. */
function threadMessages(thread: ThreadSpec, anchor: number, owner: DemoPersonKey): DemoMessage[] {
  const messages: DemoMessage[] = [];
  const conversation = conversationIds(thread);
  const indexHeader = [0x01, ...randomBytes(`index/${thread.key}`, 5), ...conversation.bytes];
  let conversationIndex = indexHeader;
  thread.messages.forEach((spec, index) => {
    const folder = folderOf(spec, owner);
    const { id, restId, seed } = idsOf(thread.key, index, folder);
    const jitterSeconds = (randomBytes(`jitter/${seed}`, 1)[0] ?? 0) % 60;
    const sent = anchor - spec.minutesAgo * 60_000 - jitterSeconds * 1000;
    const received = folder === 'inbox' ? sent + (3 + (jitterSeconds % 37)) * 1000 : sent;
    const modified = spec.draft ? received + 4 * 60_000 : received;
    if (index > 0) conversationIndex = [...conversationIndex, ...randomBytes(`index/${seed}`, 5)];
    const subject = `${spec.prefix ?? ''}${thread.subject}`;
    const signature = DEMO_PEOPLE[spec.from].name;
    // Graph's bodyPreview is the start of the body as plain text; a draft has no signature yet.
    const preview = spec.draft ? spec.text : `${spec.text}\r\n\r\nBest regards,\r\n${signature}`;
    const changeKey = base64([0x09, 0, 0, 0, 0x16, 0, 0, 0, ...STORE_UID, ...randomBytes(`change/${seed}`, 6)]);
    const graph: DemoGraphMessage = {
      id,
      createdDateTime: iso(received),
      lastModifiedDateTime: iso(modified),
      changeKey,
      categories: [],
      // A draft's sent and received times are those of its last save.
      receivedDateTime: iso(spec.draft ? modified : received),
      sentDateTime: iso(spec.draft ? modified : sent),
      hasAttachments: spec.hasAttachments ?? false,
      internetMessageId: internetMessageId(DEMO_PEOPLE[spec.from].address, seed),
      subject,
      bodyPreview: preview.slice(0, 255),
      importance: spec.importance ?? 'normal',
      parentFolderId: DEMO_FOLDER_IDS[folder],
      conversationId: conversation.graph,
      conversationIndex: base64(conversationIndex),
      isDeliveryReceiptRequested: false,
      isReadReceiptRequested: false,
      isRead: !spec.unread,
      isDraft: spec.draft ?? false,
      webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(restId)}&exvsurl=1&viewmodel=ReadMessageItem`,
      inferenceClassification: 'focused',
      body: {
        contentType: 'html',
        content:
          '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>' +
          `<div>${escapeHtml(spec.text)}</div>` +
          (spec.draft ? '' : `<div><br></div><div>Best regards,<br>${escapeHtml(signature)}</div>`) +
          '</body></html>'
      },
      sender: recipient(spec.from),
      from: recipient(spec.from),
      toRecipients: spec.to.map(recipient),
      ccRecipients: (spec.cc ?? []).map(recipient),
      bccRecipients: [],
      replyTo: [],
      flag: { flagStatus: 'notFlagged' }
    };
    messages.push({
      thread: thread.key,
      graph,
      restId,
      office: { itemId: ewsIdFromRestId(restId), conversationId: conversation.office },
      ...(owner === 'ana' ? {} : { sharedOwner: DEMO_PEOPLE[owner].address })
    });
  });
  return messages;
}

// ---------------------------------------------------------------------------------------------------------
// Ana's calendar: two meetings with customers, one she organized and one she was invited to.

interface MeetingSpec {
  key: DemoEventKey;
  subject: string;
  organizer: DemoPersonKey;
  required: DemoPersonKey[];
  optional: DemoPersonKey[];
  /** How long before the demo's "now" it starts, and how long it lasts. */
  minutesAgo: number;
  minutes: number;
  location: string;
  text: string;
}

const MEETINGS: MeetingSpec[] = [
  {
    key: 'renewal-review',
    subject: 'Renewal 2027: order form walkthrough',
    organizer: 'ana',
    required: ['lena', 'tomas'],
    optional: ['mikko'],
    minutesAgo: ago(1, 2),
    minutes: 45,
    location: 'Fabrikam, Malmö office',
    text: 'Going through the updated order form together: the 20 Gdańsk seats, support hours, and the price hold until 31 March.'
  },
  {
    key: 'pilot-results',
    subject: 'Pilot results review',
    organizer: 'sanna',
    required: ['ana', 'marta'],
    optional: ['david'],
    minutesAgo: ago(3, 4),
    minutes: 60,
    location: 'Contoso HQ, room Aurora',
    text: 'Results of the pilot in the two Contoso regions, and what a wider roll-out would need.'
  }
];

/** The Calendar folder's counter inside entry ids (the mail folders' are FOLDER_COUNTER's). */
const CALENDAR_FOLDER_COUNTER = 0x0d;
/** The head every Outlook iCalUId (Global Object ID, [MS-OXOCAL] 2.2.1.27) starts with. */
const GLOBAL_OBJECT_ID_HEAD = '040000008200E00074C5B7101A82E008';
const NO_RESPONSE_TIME = '0001-01-01T00:00:00Z';
/** Graph's wall-clock form of a UTC time: seven fractional digits, no offset. */
const wallClock = (ms: number) => ({
  dateTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.0000000'),
  timeZone: 'UTC'
});

/**
 * An Outlook-made meeting's iCalUId: its Global Object ID in hex ([MS-OXOCAL] 2.2.1.27): the head, no instance date,
 * the creation time, eight reserved bytes, then the size (16, little-endian) of the 16 bytes of data that follow.
 */
function globalObjectId(seed: string): string {
  const creation = hex(randomBytes(`filetime/${seed}`, 8));
  const data = hex(randomBytes(`uid/${seed}`, 16));
  return `${GLOBAL_OBJECT_ID_HEAD}00000000${creation}${'00'.repeat(8)}10000000${data}`.toUpperCase();
}

function demoEvent(spec: MeetingSpec, anchor: number): DemoEvent {
  const seed = `event/${spec.key}`;
  const immutable = IMMUTABLE_ID_HEAD + base64([...STORE_UID, 0, 0, ...randomBytes(`immutable/${seed}`, 6)], true);
  const restId = entryId('item', CALENDAR_FOLDER_COUNTER, seed);
  const start = anchor - spec.minutesAgo * 60_000;
  const created = start - 5 * 24 * HOUR_MS;
  const isOrganizer = spec.organizer === 'ana';
  const attendee = (type: DemoAttendee['type']) => (key: DemoPersonKey) => ({
    type,
    // The organizer's copy tracks answers; an attendee's copy knows only its own.
    status: isOrganizer
      ? { response: 'accepted' as const, time: iso(created + HOUR_MS) }
      : { response: 'none' as const, time: NO_RESPONSE_TIME },
    ...recipient(key)
  });
  const location: DemoLocation = {
    displayName: spec.location,
    locationType: 'default',
    uniqueId: spec.location,
    uniqueIdType: 'private'
  };
  const graph: DemoGraphEvent = {
    id: immutable,
    createdDateTime: iso(created),
    lastModifiedDateTime: iso(created + 2 * HOUR_MS),
    changeKey: base64([0x09, 0, 0, 0, 0x16, 0, 0, 0, ...STORE_UID, ...randomBytes(`change/${seed}`, 6)]),
    categories: [],
    transactionId: null,
    originalStartTimeZone: DEMO_MAILBOX_USER.timeZone,
    originalEndTimeZone: DEMO_MAILBOX_USER.timeZone,
    iCalUId: globalObjectId(seed),
    reminderMinutesBeforeStart: 15,
    isReminderOn: true,
    hasAttachments: false,
    subject: spec.subject,
    bodyPreview: spec.text,
    importance: 'normal',
    sensitivity: 'normal',
    isAllDay: false,
    isCancelled: false,
    isOrganizer,
    responseRequested: true,
    seriesMasterId: null,
    showAs: 'busy',
    type: 'singleInstance',
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(restId)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: false,
    onlineMeetingProvider: 'unknown',
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: isOrganizer
      ? { response: 'organizer', time: NO_RESPONSE_TIME }
      : { response: 'accepted', time: iso(created + HOUR_MS) },
    body: {
      contentType: 'html',
      content: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div>${escapeHtml(spec.text)}</div></body></html>`
    },
    start: wallClock(start),
    end: wallClock(start + spec.minutes * 60_000),
    location,
    locations: [{ ...location }],
    recurrence: null,
    attendees: [...spec.required.map(attendee('required')), ...spec.optional.map(attendee('optional'))],
    organizer: recipient(spec.organizer),
    onlineMeeting: null
  };
  return { key: spec.key, graph, restId, office: { itemId: ewsIdFromRestId(restId) } };
}

function idOf(thread: DemoThreadKey, index: number): string {
  const shared = SHARED_THREADS.some((t) => t.key === thread);
  const spec = (shared ? SHARED_THREADS : ALL_THREADS).find((t) => t.key === thread)?.messages[index];
  if (!spec) throw new Error(`The demo has no message ${index} in thread ${thread}.`);
  return idsOf(thread, index, folderOf(spec, shared ? 'sales' : 'ana')).id;
}

/** Graph (immutable) ids of the messages that show each situation the pane handles. */
export const DEMO_MESSAGE_IDS = {
  /** Latest message from a contact with history (Lena Berg); Office's conversationId differs from Graph's. */
  contactLatest: idOf('renewal', 3),
  /** Ana's draft reply in the same thread: the compose view. */
  composeDraft: idOf('renewal', 4),
  /** Graph's conversation id contains '+' and '/' (Sanna Mäkelä). */
  encodedConversation: idOf('pilot', 2),
  /** From an external sender who is nobody's contact. */
  newLead: idOf('new-lead', 0),
  /** From a colleague: nobody external on it. */
  internal: idOf('internal', 0),
  /** Latest message of a 60-message thread (Marta Kowalska): paging and progress. */
  longThreadLatest: idOf('contract', 59),
  /** In the shared mailbox sales@ (DEMO_SHARED_MAILBOX): David Chen (Contoso, with history) writes to the team. */
  sharedInquiry: idOf('shared-inquiry', 2)
} as const;
