import { MAX_ENTRIES_PER_CALL } from '../../shared/limits.js';
import { marksOf } from '../../shared/message-marks.js';
import type { PersonRef } from '../../shared/schemas/common.js';
import type {
  Direction,
  Interaction,
  InteractionKind,
  InteractionSource,
  LogThreadResult,
  NotLinkedMessage,
  SkipReason
} from '../../shared/schemas/interaction.js';
import type { Opportunity } from '../../shared/schemas/opportunity.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import { LimitExceededError } from '../errors.js';
import { checkPolicy, type LoggingPolicy } from './governance.js';
import { isParticipant, matchMessage, type AddressBook, type MatchedPair } from './matching.js';

/*
 * What logging a batch of messages means, over data already loaded: which message gives which entries, which is
 * skipped and why, and what became of each once the entries were written. usecases/log-messages.ts loads, calls
 * these and saves.
 */

/** An entry of the log as it is written (the store adds the tenant and, for a link, the opportunity). */
export interface NewInteraction {
  id: string;
  internetMessageId: string;
  conversationId: string | null;
  occurredAt: number;
  direction: Direction;
  subject: string;
  preview: string;
  contact: PersonRef;
  salesperson: PersonRef;
  source: InteractionSource;
  webLink: string | null;
  loggedBy: PersonRef | null;
  loggedAt: number;
  /** 'email' unless said. */
  kind?: InteractionKind;
  /** A note's own text. */
  body?: string | null;
  /** A meeting's iCalUId: one entry per (meeting, contact, salesperson), as migration 0015's unique key says. */
  iCalUId?: string | null;
  /** The shared or delegated mailbox the pane read the message from: audited, not kept on the entry. */
  sharedMailbox?: string;
}

/** Who logs from the pane: what they may log, and where. */
export interface LoggingCaller {
  /**
   * The caller's own addresses (their salesperson record's, normalized), and the shared mailbox's when they log
   * from one: one must be on every message.
   */
  addresses: ReadonlySet<string>;
  /** The owner of the shared or delegated mailbox the caller logs from (normalized), already allowed to them. */
  sharedMailbox?: string | undefined;
  /**
   * Whether the caller sees a salesperson's history. Entries are written only there, so nobody writes into a
   * history hidden from them, and the answer speaks only of entries the caller can see.
   */
  sees(salespersonId: string): boolean;
}

/** What the rules need besides the messages. */
export interface LoggingContext {
  book: AddressBook;
  source: InteractionSource;
  /** The salesperson record of the user who logs; null for the shared mailbox. */
  loggedBy: PersonRef | null;
  /** The tenant's never-log rules, checked before the matching rules. */
  policy?: LoggingPolicy | undefined;
  /** Set for the pane: the participant rule, the caller's scope and the per-call limit apply. */
  caller?: LoggingCaller | undefined;
  now: number;
  newId: () => string;
}

/** A message that gives no new entry, and why. */
export interface SkippedVerdict {
  kind: 'skipped';
  internetMessageId: string | null;
  reason: SkipReason;
  detail: string;
}

/** What the rules decided for one message before anything is written. */
export type MessagePlan = { kind: 'write'; internetMessageId: string; entries: NewInteraction[] } | SkippedVerdict;

/** Why a marked message's entries (some or all) were logged without the link to its opportunity. */
export type LinkRefusal = Pick<NotLinkedMessage, 'reason' | 'detail'>;

/**
 * What became of one message handed in: logged (the entries this call created), logged but not (wholly) linked
 * to the opportunity its mark names, or skipped.
 */
export type MessageVerdict =
  | { kind: 'logged'; internetMessageId: string; entries: Interaction[] }
  | ({ kind: 'not-linked'; internetMessageId: string; entries: Interaction[]; opportunityId: string } & LinkRefusal)
  | SkippedVerdict;

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

/** The id the log knows a message by: its Internet message ID, trimmed; null when it has none. */
export const loggedMessageId = (message: GraphMessage): string | null => message.internetMessageId?.trim() || null;

export const skip = (internetMessageId: string | null, reason: SkipReason, detail: string): SkippedVerdict => ({
  kind: 'skipped',
  internetMessageId,
  reason,
  detail
});

/**
 * The rules for one message, in order: the sender's private mark, the tenant's never-log rules, the pane's
 * participant rule, the matching rules, and the caller's scope.
 */
function planMessage(message: GraphMessage, context: LoggingContext): MessagePlan {
  const id = loggedMessageId(message);
  if (marksOf(message).private) {
    return skip(id, 'marked-private', 'Its sender marked it "Private — never log" when writing it.');
  }
  const policy = context.policy ? checkPolicy(message, context.policy) : ({ allowed: true } as const);
  if (!policy.allowed) return skip(id, policy.reason, policy.detail);
  const { caller } = context;
  if (caller && !isParticipant(message, caller.addresses)) {
    const who = caller.sharedMailbox ? `Neither you nor ${caller.sharedMailbox} is` : 'You are not';
    return skip(
      id,
      'not-a-participant',
      `${who} its sender or one of its To, Cc or Bcc recipients; only participants log a message.`
    );
  }
  const match = matchMessage(message, context.book);
  if (match.kind === 'skip') return skip(id, match.reason, match.detail);
  const pairs = caller ? match.pairs.filter((pair) => caller.sees(pair.salesperson.id)) : match.pairs;
  if (pairs.length === 0) {
    return skip(
      match.internetMessageId,
      'outside-visible-history',
      'Its entries belong to histories you cannot see; the shared mailbox logs it for them.'
    );
  }
  const entries = pairs.map((pair) => newEntry(message, match, pair, context));
  return { kind: 'write', internetMessageId: match.internetMessageId, entries };
}

function newEntry(
  message: GraphMessage,
  match: { internetMessageId: string; direction: Direction; occurredAt: number },
  pair: MatchedPair,
  context: LoggingContext
): NewInteraction {
  return {
    id: context.newId(),
    internetMessageId: match.internetMessageId,
    conversationId: message.conversationId ?? null,
    occurredAt: match.occurredAt,
    direction: match.direction,
    subject: storedSubject(message),
    preview: storedPreview(message),
    contact: pair.contact,
    salesperson: pair.salesperson,
    source: context.source,
    webLink: openableLink(message.webLink),
    loggedBy: context.loggedBy,
    loggedAt: context.now,
    ...(context.caller?.sharedMailbox ? { sharedMailbox: context.caller.sharedMailbox } : {})
  };
}

/**
 * Decides each message of a batch, keyed as the caller handed them in. A message whose Internet message ID came
 * earlier in the batch is a duplicate; the pane's call is refused whole when it would make too many entries.
 */
export function planMessages<K>(messages: ReadonlyMap<K, GraphMessage>, context: LoggingContext): Map<K, MessagePlan> {
  const plans = new Map<K, MessagePlan>();
  const seen = new Set<string>();
  let entries = 0;
  for (const [key, message] of messages) {
    const id = loggedMessageId(message);
    if (id !== null && seen.has(id)) {
      plans.set(key, skip(id, 'duplicate-in-request', 'The message appears twice in this request.'));
      continue;
    }
    if (id !== null) seen.add(id);
    const plan = planMessage(message, context);
    if (plan.kind === 'write') entries += plan.entries.length;
    plans.set(key, plan);
  }
  if (context.caller && entries > MAX_ENTRIES_PER_CALL) {
    throw new LimitExceededError(
      'too-many-entries',
      `These messages would make ${entries.toLocaleString('en-US')} entries; one call makes at most ${MAX_ENTRIES_PER_CALL.toLocaleString('en-US')}. Send fewer messages per call.`
    );
  }
  return plans;
}

/** Every entry the plans would write, in the order of the messages. */
export const plannedEntries = (plans: Iterable<MessagePlan>): NewInteraction[] =>
  [...plans].flatMap((plan) => (plan.kind === 'write' ? plan.entries : []));

/**
 * What became of each message once its entries were written: those the store created (an entry that existed
 * already is not created again), or already-logged when it created none.
 */
export function verdictsAfterSave<K>(
  plans: ReadonlyMap<K, MessagePlan>,
  created: Interaction[]
): Map<K, MessageVerdict> {
  const createdById = new Map(created.map((entry) => [entry.id, entry]));
  const verdicts = new Map<K, MessageVerdict>();
  for (const [key, plan] of plans) {
    if (plan.kind === 'skipped') {
      verdicts.set(key, plan);
      continue;
    }
    const entries = plan.entries.flatMap((entry) => createdById.get(entry.id) ?? []);
    verdicts.set(
      key,
      entries.length > 0
        ? { kind: 'logged', internetMessageId: plan.internetMessageId, entries }
        : skip(plan.internetMessageId, 'already-logged', 'Every entry for this message was already logged.')
    );
  }
  return verdicts;
}

/**
 * Whether a message marked with an opportunity may link its entries to it, by the API's rule for linking: the
 * opportunity exists and is open, and the message's sender is its owner or manages its owner. `sender` is the
 * sender's salesperson id and the ids of those they manage; null when the sender is no salesperson.
 */
export function linkRefusal(
  opportunity: Pick<Opportunity, 'status' | 'salesperson'> | null,
  sender: { id: string; manages: readonly string[] } | null
): LinkRefusal | null {
  if (!opportunity) return { reason: 'opportunity-not-found', detail: 'The opportunity it names does not exist.' };
  if (opportunity.status !== 'open') {
    return { reason: 'opportunity-closed', detail: `The opportunity it names is ${opportunity.status}.` };
  }
  const owner = opportunity.salesperson.id;
  if (sender && (sender.id === owner || sender.manages.includes(owner))) return null;
  return { reason: 'sender-may-not-link', detail: "Its sender is neither the opportunity's owner nor their manager." };
}

/** Only entries with the opportunity's contact are linked; the others stay logged unlinked. */
export const OTHER_CONTACT: LinkRefusal = {
  reason: 'other-contact',
  detail: "Only its entries with the opportunity's contact were linked."
};

/**
 * A logged message's verdict once its mark was acted on: its entries carry the opportunity when linked, and the
 * verdict says why not when any of them is not.
 */
export function linkedVerdict(
  verdict: Extract<MessageVerdict, { kind: 'logged' }>,
  opportunityId: string,
  linkedIds: ReadonlySet<string>,
  refusal: LinkRefusal | null
): MessageVerdict {
  const entries = verdict.entries.map((entry) => (linkedIds.has(entry.id) ? { ...entry, opportunityId } : entry));
  const why = refusal ?? (entries.every((entry) => linkedIds.has(entry.id)) ? null : OTHER_CONTACT);
  return why
    ? { kind: 'not-linked', internetMessageId: verdict.internetMessageId, entries, opportunityId, ...why }
    : { ...verdict, entries };
}

/** The pane's answer to log-thread, from the verdicts in the order the messages came. */
export function logThreadResult(verdicts: Iterable<MessageVerdict>): LogThreadResult {
  const result: Required<LogThreadResult> = { logged: [], skipped: [], notLinked: [] };
  for (const verdict of verdicts) {
    if (verdict.kind === 'skipped') {
      const { internetMessageId, reason, detail } = verdict;
      result.skipped.push({ internetMessageId, reason, detail });
      continue;
    }
    result.logged.push(...verdict.entries);
    if (verdict.kind === 'not-linked') {
      const { internetMessageId, opportunityId, reason, detail } = verdict;
      result.notLinked.push({ internetMessageId, opportunityId, reason, detail });
    }
  }
  const { logged, skipped, notLinked } = result;
  return notLinked.length > 0 ? { logged, skipped, notLinked } : { logged, skipped };
}
