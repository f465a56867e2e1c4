/*
 * Values both sides need at run time. Kept apart from the schemas so the pane can use them without
 * bundling the schema library.
 */

/** Largest page any list returns; larger `limit` values are clamped to it. */
export const MAX_PAGE_SIZE = 100;

/** The most messages one log-thread call takes; longer threads are sent in several calls. */
export const MAX_MESSAGES_PER_CALL = 500;

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
