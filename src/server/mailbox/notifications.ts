import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * Graph change notifications for the shared mailbox's Inbox, as Microsoft Learn describes them:
 * - subscriptions: https://learn.microsoft.com/graph/api/resources/subscription (an Outlook message subscription
 *   lasts at most 10,080 minutes, under 7 days; clientState at most 128 characters);
 * - delivery by webhook, the validation handshake and clientState:
 *   https://learn.microsoft.com/graph/change-notifications-delivery-webhooks
 * - lifecycle events (reauthorizationRequired, subscriptionRemoved, missed):
 *   https://learn.microsoft.com/graph/change-notifications-lifecycle-events
 * A notification only says "something was created": the processor then reads the Inbox's delta, so a dropped,
 * late or repeated notification changes when a message is logged, never whether or how often.
 */

/** What we ask for: under Graph's 10,080-minute maximum for messages, so Graph never shortens it. */
export const SUBSCRIPTION_LIFETIME_MS = 10_000 * 60_000;
/** Renewed when less than this is left: a day of failed renewals still leaves a day before it lapses. */
export const RENEW_WHEN_LEFT_MS = 2 * 86_400_000;
/** After a failed create or renewal, the next try waits this long. */
export const SUBSCRIPTION_RETRY_MS = 60_000;

export const NOTIFICATIONS_PATH = '/api/v1/graph/notifications';
export const LIFECYCLE_PATH = '/api/v1/graph/lifecycle';

/** A fresh per-subscription secret: 32 random bytes, base64url (43 characters). */
export const newClientState = () => randomBytes(32).toString('base64url');

/** What the store keeps instead of the secret. */
export const hashClientState = (clientState: string) => createHash('sha256').update(clientState, 'utf8').digest('hex');

/** Constant-time comparison of a received clientState with the stored hash (hashing makes the lengths equal). */
export function clientStateMatches(received: unknown, storedHash: string): boolean {
  if (typeof received !== 'string') return false;
  const expected = Buffer.from(storedHash, 'hex');
  const actual = createHash('sha256').update(received, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The Inbox's created messages of one mailbox, as a subscription's resource. */
export const inboxResource = (mailbox: string) => `users/${mailbox}/mailFolders('inbox')/messages`;

/** One item of a notification or lifecycle POST's `value` (only what is read here). */
export interface ChangeNotification {
  subscriptionId: string;
  clientState?: string | null | undefined;
  changeType?: string | undefined;
  lifecycleEvent?: string | undefined;
}

export interface NotificationCounters {
  /** Items that matched a subscription and its clientState. */
  accepted: number;
  /** Items dropped: unknown subscription, or a clientState that did not match. */
  dropped: number;
}
