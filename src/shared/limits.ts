/*
 * Values both sides need at run time. Kept apart from the schemas so the pane can use them without
 * bundling the schema library.
 */

/** Ids: ours are UUIDs, but a path or query may carry one of any kind up to this length. */
export const MAX_ID_LENGTH = 64;

/** An email address, as RFC 5321 bounds a path (64 + 1 + 255). */
export const MAX_ADDRESS_LENGTH = 320;

/** A person's, team's or company's name. */
export const MAX_NAME_LENGTH = 200;

/** Graph's message and conversation ids (internetMessageId, conversationId). */
export const MAX_GRAPH_ID_LENGTH = 1000;

/** An opportunity's description. */
export const MAX_DESCRIPTION_LENGTH = 500;

/** Largest page any list returns; larger `limit` values are clamped to it. */
export const MAX_PAGE_SIZE = 100;

/** The most messages one log-thread call takes; longer threads are sent in several calls. */
export const MAX_MESSAGES_PER_CALL = 500;

/**
 * The most entries one log-thread call may write (one per message, contact and salesperson). A call that would
 * write more is refused with a 413; the pane then sends the thread in smaller calls.
 */
export const MAX_ENTRIES_PER_CALL = 1000;

/**
 * A log-thread call weighs one request of the caller's budget per this many messages and recipients it names,
 * so a few calls naming thousands of addresses spend the budget as fast as thousands of small requests.
 */
export const ADDRESSES_PER_REQUEST = 50;

/** The most message ids one status request asks about. */
export const MAX_STATUS_IDS = 100;

/** The default sales cycle, in order. */
export const STAGES = ['qualification', 'proposal', 'negotiation'] as const;
export type Stage = (typeof STAGES)[number];

/** The expected close dates an opportunity may have (inclusive): the API refuses others, the pane's picker too. */
export const EARLIEST_CLOSE_DATE = '2000-01-01';
export const LATEST_CLOSE_DATE = '2100-12-31';

/** Longest reason a won or lost opportunity keeps. */
export const MAX_CLOSE_REASON_LENGTH = 500;

/** App roles a token can carry; everyone else is a salesperson. */
export const ROLES = ['Admin', 'Manager'] as const;
export type Role = (typeof ROLES)[number];

/** A note's subject and text, in characters. */
export const MAX_NOTE_SUBJECT_LENGTH = 255;
export const MAX_NOTE_BODY_LENGTH = 10_000;
/** How far back and ahead a note may be dated: a note records something that happened (clocks may differ a day). */
export const NOTE_MAX_AGE_DAYS = 3653;
export const NOTE_MAX_AHEAD_DAYS = 1;

/** A search's words: the text as typed, and how many words count. */
export const MAX_SEARCH_LENGTH = 200;
export const MAX_SEARCH_WORDS = 16;
