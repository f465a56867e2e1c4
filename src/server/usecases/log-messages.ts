import { normalizeEmail } from '../../shared/email.js';
import { marksOf } from '../../shared/message-marks.js';
import { personRef, type PersonRef } from '../../shared/schemas/common.js';
import type { Salesperson } from '../../shared/schemas/directory.js';
import type { InteractionSource, LogThreadResult } from '../../shared/schemas/interaction.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import type { LoggingPolicy } from '../domain/governance.js';
import {
  linkedVerdict,
  linkRefusal,
  logThreadResult,
  plannedEntries,
  planMessages,
  verdictsAfterSave,
  type MessageVerdict,
  type NewInteraction
} from '../domain/logging.js';
import { participantAddresses, senderAddress, type AddressBook } from '../domain/matching.js';
import { InvalidRequestError } from '../errors.js';
import { newId } from '../store/ids.js';
import {
  scopeIncludes,
  StoreNotFound,
  WHOLE_TENANT,
  type Actor,
  type Repositories,
  type VisibilityScope
} from '../store/index.js';

/*
 * Logging messages, for the pane's log-thread, the shared mailbox's processor and the demo seed: load the
 * address book (and, for the pane, the shared mailbox's copies), decide with domain/logging.ts, write the new
 * entries and act on the messages' opportunity marks, all in one unit of work: an entry is never left logged
 * without the link (or the audited refusal) its mark asked for.
 */

/** Who logs from the pane: their own addresses (one must be on every message) and whose history they see. */
export interface PaneCaller {
  addresses: ReadonlySet<string>;
  scope: VisibilityScope;
  /** The shared or delegated mailbox the caller logs from, as allowedSharedMailbox allowed it (normalized). */
  sharedMailbox?: string | undefined;
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

/** Who the audit names for links the shared mailbox's processor makes from a message's mark. */
const MAILBOX_ACTOR: Actor = { userId: 'mailbox-processor', name: 'Shared mailbox' };

/** The tenant's never-log rules as its admin set them, for every path that logs. */
export async function tenantLoggingPolicy(store: Repositories, tenantId: string): Promise<LoggingPolicy> {
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
 * Logs a batch of Graph messages and says what became of each, keyed as the caller handed them in: the entries
 * it logged, or why it was skipped, or why its opportunity mark was not followed.
 */
export async function logMessages<K>(
  store: Repositories,
  tenantId: string,
  messages: ReadonlyMap<K, GraphMessage>,
  options: LogOptions
): Promise<Map<K, MessageVerdict>> {
  return store.transaction(async (tx) => {
    const resolved = await tx.directory.resolveAddresses(tenantId, [
      ...new Set([...messages.values()].flatMap(participantAddresses))
    ]);
    const { caller } = options;
    const book =
      caller?.sharedMailbox && options.loggedBy
        ? workingAs(resolved, caller.sharedMailbox, options.loggedBy)
        : resolved;
    const plans = planMessages(messages, {
      book,
      source: options.source,
      loggedBy: options.loggedBy,
      policy: options.policy,
      caller: caller && {
        addresses: caller.addresses,
        sharedMailbox: caller.sharedMailbox,
        sees: (id) => scopeIncludes(caller.scope, id)
      },
      now: options.now ?? Date.now(),
      newId
    });
    const entries = plannedEntries(plans.values());
    if (caller) await adoptMailboxCopies(tx, tenantId, entries, caller.scope);
    const created = await tx.interactions.insertNew(tenantId, entries, options.actor ?? null);
    const verdicts = verdictsAfterSave(plans, created);
    await followOpportunityMarks(tx, tenantId, messages, verdicts, book, options.actor ?? MAILBOX_ACTOR);
    return verdicts;
  });
}

/**
 * The address book with a shared mailbox's address read as the salesperson who works it: mail between a contact
 * and sales@ is the caller's exchange with that contact. A salesperson's own mailbox (delegated) keeps its owner.
 */
function workingAs(book: AddressBook, sharedMailbox: string, worker: PersonRef): AddressBook {
  if (book.salespeople.has(sharedMailbox) || book.contacts.has(sharedMailbox)) return book;
  return { ...book, salespeople: new Map([...book.salespeople, [sharedMailbox, worker]]) };
}

/** Logs messages as sent (the pane's, the demo seed's), answered as the pane's LogThreadResult. */
export async function logThread(
  store: Repositories,
  tenantId: string,
  messages: readonly GraphMessage[],
  options: LogOptions
): Promise<LogThreadResult> {
  const verdicts = await logMessages(store, tenantId, new Map(messages.entries()), options);
  return logThreadResult(verdicts.values());
}

/** Who logs from the pane: their salesperson record, as whom they are audited, and whose history they see. */
export interface PaneLogger {
  me: Pick<Salesperson, 'id' | 'name' | 'email' | 'alternateEmails'>;
  actor: Actor;
  scope: VisibilityScope;
  /** The owner of the shared or delegated mailbox the messages were read from (log-thread's sharedMailbox). */
  sharedMailbox?: string | undefined;
}

/**
 * The pane's log-thread, under the tenant's never-log rules: the caller logs only messages they are on (by any of
 * their addresses), into the histories they see.
 */
export async function logFromPane(
  store: Repositories,
  tenantId: string,
  messages: readonly GraphMessage[],
  { me, actor, scope, sharedMailbox }: PaneLogger
): Promise<LogThreadResult> {
  // The never-log rules are read in the unit that logs under them.
  return store.transaction(async (tx) => {
    const policy = await tenantLoggingPolicy(tx, tenantId);
    const own = ownAddresses(me);
    const shared =
      sharedMailbox === undefined
        ? undefined
        : await allowedSharedMailbox(tx, tenantId, sharedMailbox, { me, scope, own }, policy.organizationDomains);
    return logThread(tx, tenantId, messages, {
      source: 'addin',
      loggedBy: personRef(me),
      actor,
      policy,
      caller: { addresses: shared ? new Set([...own, shared]) : own, scope, sharedMailbox: shared }
    });
  });
}

/** Refuses a log-thread call for its sharedMailbox field, saying what to fix. */
const sharedMailboxRefused = (detail: string) =>
  new InvalidRequestError(detail, [{ pointer: '/sharedMailbox', location: 'body', detail }]);

/**
 * Whose mailbox a caller may log from besides their own (issue 21), as its owner's address normalized; undefined
 * when it is the caller's own. The rule, kept simple on purpose:
 * - the owner must be an address of the caller's organization: a domain of its salespeople's addresses, the same
 *   "internal" the never-log rules use (so another tenant's mailbox, or anyone outside, is refused), and never a
 *   contact's address;
 * - a shared mailbox that is nobody's (sales@) is the caller's to work: its entries are the caller's;
 * - a salesperson's own mailbox, delegated, only if the caller sees that salesperson's history (their manager, or
 *   an admin's whole-tenant view): a peer with delegate access gains no history they could not see before, and
 *   entries stay the owner's.
 * Outlook and Exchange have already checked the caller's access to the mailbox; this is about whose history grows.
 */
async function allowedSharedMailbox(
  store: Repositories,
  tenantId: string,
  given: string,
  caller: { me: PaneLogger['me']; scope: VisibilityScope; own: ReadonlySet<string> },
  organizationDomains: readonly string[]
): Promise<string | undefined> {
  const address = normalizeEmail(given);
  if (address === null) throw sharedMailboxRefused('sharedMailbox must be an email address.');
  if (caller.own.has(address)) return undefined;
  if (!organizationDomains.includes(address.slice(address.lastIndexOf('@') + 1))) {
    throw sharedMailboxRefused(`sharedMailbox ${address} is not an address of your organization's domains.`);
  }
  const known = await store.directory.resolveAddresses(tenantId, [address]);
  if (known.contacts.has(address)) {
    throw sharedMailboxRefused(`sharedMailbox ${address} is a contact's address, not a mailbox of your organization.`);
  }
  const owner = known.salespeople.get(address);
  if (owner && !scopeIncludes(caller.scope, owner.id)) {
    throw sharedMailboxRefused(
      `sharedMailbox ${address} is ${owner.name}'s own mailbox, and their history is not yours to see.`
    );
  }
  return address;
}

/** The caller's own addresses, normalized: the participant rule looks for one of them on what they log. */
export function ownAddresses(me: PaneLogger['me']): Set<string> {
  return new Set([me.email, ...me.alternateEmails].map(normalizeEmail).filter((a): a is string => a !== null));
}

/**
 * The shared mailbox's copy is authoritative: a message it logged already keeps its text and link (as far as the
 * caller sees its entries; a hidden entry's text is not handed out for a guessed message id).
 */
async function adoptMailboxCopies(
  store: Repositories,
  tenantId: string,
  entries: NewInteraction[],
  scope: VisibilityScope
): Promise<void> {
  if (entries.length === 0) return;
  const ids = [...new Set(entries.map((entry) => entry.internetMessageId))];
  const copies = await store.interactions.mailboxCopies(tenantId, ids, scope);
  for (const entry of entries) {
    const copy = copies.get(entry.internetMessageId);
    if (copy) Object.assign(entry, copy);
  }
}

/**
 * Links the entries just logged from messages marked with an opportunity (X-Interaction-Log-Opportunity), when
 * domain/logging.ts's rule allows; otherwise the entries stay logged unlinked, and why is audited and answered.
 */
async function followOpportunityMarks<K>(
  store: Repositories,
  tenantId: string,
  messages: ReadonlyMap<K, GraphMessage>,
  verdicts: Map<K, MessageVerdict>,
  book: AddressBook,
  actor: Actor
): Promise<void> {
  for (const [key, verdict] of verdicts) {
    const message = messages.get(key);
    const { opportunityId } = message ? marksOf(message) : { opportunityId: null };
    if (!message || !opportunityId || verdict.kind !== 'logged') continue;
    const { internetMessageId } = verdict;
    const refusal = linkRefusal(
      await opportunityOrNull(store, tenantId, opportunityId),
      await senderWithTeam(store, tenantId, message, book)
    );
    const entryIds = refusal ? [] : verdict.entries.map((entry) => entry.id);
    const refused = refusal ? { internetMessageId, ...refusal } : undefined;
    const linked = await store.opportunities.linkMarked(tenantId, opportunityId, entryIds, actor, refused);
    verdicts.set(key, linkedVerdict(verdict, opportunityId, new Set(linked), refusal));
  }
}

async function opportunityOrNull(store: Repositories, tenantId: string, opportunityId: string) {
  return store.opportunities.get(tenantId, opportunityId, WHOLE_TENANT).catch((error: unknown) => {
    if (error instanceof StoreNotFound) return null;
    throw error;
  });
}

/** The message's sender as a salesperson, with those they manage; null when the sender is no salesperson. */
async function senderWithTeam(store: Repositories, tenantId: string, message: GraphMessage, book: AddressBook) {
  const sender = book.salespeople.get(senderAddress(message) ?? '');
  if (!sender) return null;
  return { id: sender.id, manages: await store.directory.teamMateIds(tenantId, sender.id, { ownTeam: false }) };
}
