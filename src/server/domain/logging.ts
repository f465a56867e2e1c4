import { MAX_ENTRIES_PER_CALL } from '../../shared/limits.js';
import type { PersonRef } from '../../shared/schemas/common.js';
import { marksOf } from '../../shared/message-marks.js';
import type {
  Interaction,
  InteractionSource,
  LogThreadResult,
  NotLinkedMessage,
  SkippedMessage
} from '../../shared/schemas/interaction.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import { LimitExceededError } from '../errors.js';
import { newId } from '../store/ids.js';
import {
  scopeIncludes,
  StoreNotFound,
  WHOLE_TENANT,
  type Actor,
  type NewInteraction,
  type Store,
  type VisibilityScope
} from '../store/index.js';
import { checkPolicy, type LoggingPolicy } from './governance.js';
import { everyParticipant, matchMessage, participantAddresses, senderAddress, type AddressBook } from './matching.js';

/** Who logs from the pane: what they may log, and where. */
export interface PaneCaller {
  /** The caller's own addresses (their salesperson record's, normalized): one must be on every message. */
  addresses: ReadonlySet<string>;
  /**
   * Whose history the caller sees. Entries are written only there, so nobody writes into a history hidden from
   * them, and the answer (logged, already-logged) speaks only of entries the caller can see.
   */
  scope: VisibilityScope;
}

export interface LogOptions {
  source: InteractionSource;
  /** The salesperson record of the user who logs; null for the shared mailbox. */
  loggedBy: PersonRef | null;
  /** Who is audited as having logged the entries; none for automatic logging (its runs are recorded). */
  actor?: Actor | null;
  /** The tenant's never-log rules, checked before the matching rules. */
  policy?: LoggingPolicy;
  /** Set for the pane's log-thread: the participant rule and the caller's scope apply. */
  caller?: PaneCaller;
  now?: number;
}

/** The tenant's never-log rules as its admin set them, for every path that logs. */
export async function tenantLoggingPolicy(store: Store, tenantId: string): Promise<LoggingPolicy> {
  const [settings, organizationDomains] = await Promise.all([
    store.mailbox.getSettings(tenantId),
    store.directory.organizationDomains(tenantId)
  ]);
  return {
    neverLogDomains: settings.neverLogDomains,
    neverLogAddresses: settings.neverLogAddresses,
    skipInternalOnly: settings.skipInternalOnly,
    organizationDomains
  };
}

/**
 * The message's link if it is a web address; anything else (javascript:, data:, ...) is dropped, so no one can
 * plant a link that runs script in a colleague's pane.
 */
export function openableLink(link: string | null | undefined): string | null {
  if (!link) return null;
  try {
    const { protocol } = new URL(link);
    return protocol === 'https:' || protocol === 'http:' ? link : null;
  } catch {
    return null;
  }
}

// Long subjects and previews are cut, not refused: the log keeps what a list row can show.
const MAX_SUBJECT = 1000;
const MAX_PREVIEW = 300;

/** A message's subject as the log keeps it. NUL cannot be stored in PostgreSQL text; a mailbox message could carry one. */
export const storedSubject = (message: Pick<GraphMessage, 'subject'>): string =>
  (message.subject ?? '').replaceAll('\u0000', '').slice(0, MAX_SUBJECT);

/** A message's preview as the log keeps it: one line, cut to what a list row shows. */
export const storedPreview = (message: Pick<GraphMessage, 'bodyPreview'>): string =>
  (message.bodyPreview ?? '').replaceAll('\u0000', '').replace(/\s+/g, ' ').trim().slice(0, MAX_PREVIEW);

function isParticipant(message: GraphMessage, addresses: ReadonlySet<string>): boolean {
  for (const address of everyParticipant(message)) if (addresses.has(address)) return true;
  return false;
}

/**
 * Logs a batch of Graph messages: matches each with the one set of rules, writes every new
 * (message, contact, salesperson) entry in one transaction, and says why each other message was skipped.
 */
export async function logMessages(
  store: Store,
  tenantId: string,
  messages: GraphMessage[],
  options: LogOptions
): Promise<LogThreadResult> {
  const skipped: SkippedMessage[] = [];
  const unique: GraphMessage[] = [];
  const seen = new Set<string>();
  for (const message of messages) {
    const key = message.internetMessageId?.trim();
    if (key && seen.has(key)) {
      skipped.push({
        internetMessageId: key,
        reason: 'duplicate-in-request',
        detail: 'The message appears twice in this request.'
      });
      continue;
    }
    if (key) seen.add(key);
    unique.push(message);
  }

  const book = await store.directory.resolveAddresses(tenantId, [...new Set(unique.flatMap(participantAddresses))]);
  const loggedAt = options.now ?? Date.now();
  const entries: NewInteraction[] = [];
  const entriesByMessage = new Map<string, NewInteraction[]>();
  for (const message of unique) {
    if (marksOf(message).private) {
      skipped.push({
        internetMessageId: message.internetMessageId?.trim() || null,
        reason: 'marked-private',
        detail: 'Its sender marked it "Private — never log" when writing it.'
      });
      continue;
    }
    const verdict = options.policy ? checkPolicy(message, options.policy) : ({ allowed: true } as const);
    if (!verdict.allowed) {
      skipped.push({
        internetMessageId: message.internetMessageId?.trim() || null,
        reason: verdict.reason,
        detail: verdict.detail
      });
      continue;
    }
    const { caller } = options;
    if (caller && !isParticipant(message, caller.addresses)) {
      skipped.push({
        internetMessageId: message.internetMessageId?.trim() || null,
        reason: 'not-a-participant',
        detail: 'You are not its sender or one of its To, Cc or Bcc recipients; only participants log a message.'
      });
      continue;
    }
    const result = matchMessage(message, book);
    if (result.kind === 'skip') {
      skipped.push({
        internetMessageId: message.internetMessageId?.trim() || null,
        reason: result.reason,
        detail: result.detail
      });
      continue;
    }
    const { internetMessageId } = result;
    const pairs = caller
      ? result.pairs.filter((pair) => scopeIncludes(caller.scope, pair.salesperson.id))
      : result.pairs;
    if (pairs.length === 0) {
      skipped.push({
        internetMessageId,
        reason: 'outside-visible-history',
        detail: 'Its entries belong to histories you cannot see; the shared mailbox logs it for them.'
      });
      continue;
    }
    const forMessage = pairs.map((pair): NewInteraction => ({
      id: newId(),
      internetMessageId,
      conversationId: message.conversationId ?? null,
      occurredAt: result.occurredAt,
      direction: result.direction,
      subject: storedSubject(message),
      preview: storedPreview(message),
      contact: pair.contact,
      salesperson: pair.salesperson,
      source: options.source,
      webLink: openableLink(message.webLink),
      loggedBy: options.loggedBy,
      loggedAt
    }));
    entries.push(...forMessage);
    entriesByMessage.set(internetMessageId, forMessage);
  }

  if (options.caller && entries.length > MAX_ENTRIES_PER_CALL) {
    throw new LimitExceededError(
      'too-many-entries',
      `These messages would make ${entries.length.toLocaleString('en-US')} entries; one call makes at most ${MAX_ENTRIES_PER_CALL.toLocaleString('en-US')}. Send fewer messages per call.`
    );
  }
  if (options.caller && entries.length > 0) {
    // The shared mailbox's copy is authoritative: a message it logged already keeps its text and link (as far
    // as the caller sees its entries; a hidden entry's text is not handed out for a guessed message id).
    const archived = await store.interactions.mailboxCopies(
      tenantId,
      [...entriesByMessage.keys()],
      options.caller.scope
    );
    for (const entry of entries) {
      const copy = archived.get(entry.internetMessageId);
      if (copy) Object.assign(entry, copy);
    }
  }
  const logged = await store.interactions.insertNew(tenantId, entries, options.actor ?? null);
  const createdFor = new Set(logged.map((entry) => entry.internetMessageId));
  for (const internetMessageId of entriesByMessage.keys()) {
    if (!createdFor.has(internetMessageId)) {
      skipped.push({
        internetMessageId,
        reason: 'already-logged',
        detail: 'Every entry for this message was already logged.'
      });
    }
  }
  const notLinked = await linkMarkedMessages(store, tenantId, unique, logged, book, options.actor ?? MAILBOX_ACTOR);
  return notLinked.length > 0 ? { logged, skipped, notLinked } : { logged, skipped };
}

/** Who the audit names for links the shared mailbox's processor makes from a message's mark. */
const MAILBOX_ACTOR: Actor = { userId: 'mailbox-processor', name: 'Shared mailbox' };

/**
 * Links the entries just logged from messages marked with an opportunity (X-Interaction-Log-Opportunity), by the
 * API's rule for linking: the opportunity is open and its owner is the message's sender or someone the sender
 * manages. Otherwise the entries stay logged unlinked, and why is audited and answered.
 */
async function linkMarkedMessages(
  store: Store,
  tenantId: string,
  messages: GraphMessage[],
  logged: Interaction[],
  book: AddressBook,
  actor: Actor
): Promise<NotLinkedMessage[]> {
  const notLinked: NotLinkedMessage[] = [];
  for (const message of messages) {
    const { opportunityId } = marksOf(message);
    const internetMessageId = message.internetMessageId?.trim();
    if (!opportunityId || !internetMessageId) continue;
    const entries = logged.filter((entry) => entry.internetMessageId === internetMessageId);
    if (entries.length === 0) continue;
    const refusal = await linkRefusal(store, tenantId, opportunityId, message, book);
    if (refusal) {
      await store.opportunities.linkMarked(tenantId, opportunityId, [], actor, { internetMessageId, ...refusal });
      notLinked.push({ internetMessageId, opportunityId, ...refusal });
      continue;
    }
    const linked = new Set(
      await store.opportunities.linkMarked(
        tenantId,
        opportunityId,
        entries.map((entry) => entry.id),
        actor
      )
    );
    for (const entry of entries) if (linked.has(entry.id)) entry.opportunityId = opportunityId;
    if (entries.some((entry) => !linked.has(entry.id))) {
      notLinked.push({
        internetMessageId,
        opportunityId,
        reason: 'other-contact',
        detail: "Only its entries with the opportunity's contact were linked."
      });
    }
  }
  return notLinked;
}

async function linkRefusal(
  store: Store,
  tenantId: string,
  opportunityId: string,
  message: GraphMessage,
  book: AddressBook
): Promise<Pick<NotLinkedMessage, 'reason' | 'detail'> | null> {
  const opportunity = await store.opportunities.get(tenantId, opportunityId, WHOLE_TENANT).catch((error: unknown) => {
    if (error instanceof StoreNotFound) return null;
    throw error;
  });
  if (!opportunity) {
    return { reason: 'opportunity-not-found', detail: 'The opportunity it names does not exist.' };
  }
  if (opportunity.status !== 'open') {
    return { reason: 'opportunity-closed', detail: `The opportunity it names is ${opportunity.status}.` };
  }
  const sender = book.salespeople.get(senderAddress(message) ?? '');
  const owner = opportunity.salesperson.id;
  const mayLink =
    sender !== undefined &&
    (sender.id === owner ||
      (await store.directory.teamMateIds(tenantId, sender.id, { ownTeam: false })).includes(owner));
  return mayLink
    ? null
    : {
        reason: 'sender-may-not-link',
        detail: "Its sender is neither the opportunity's owner nor their manager."
      };
}
