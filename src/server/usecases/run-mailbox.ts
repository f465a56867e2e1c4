import type { SkipReason } from '../../shared/schemas/interaction.js';
import type { LoggingPolicy } from '../domain/governance.js';
import { captureFacts, type CaptureFacts } from '../domain/capture.js';
import { storedPreview, storedSubject, type MessageVerdict } from '../domain/logging.js';
import { participantAddresses } from '../domain/matching.js';
import type { ArchivedCopy, MailboxMessageRef, MailboxSettings, RunMessageRecord, Store } from '../store/index.js';
import { logMessages, tenantLoggingPolicy } from './log-messages.js';
import { describeGraphFailure, graphFailure, isGraphAnswer } from '../mailbox/graph-errors.js';
import { DeltaResetError, type MailboxGraph, type MailboxMessage } from '../mailbox/graph.js';

/*
 * One run over a tenant's shared mailbox, as a plain pipeline:
 *   fetch (an Inbox page, by time; or, for a notification's catch-up, the Inbox's delta since the last
 *   round) → classify and match (the tenant's never-log rules, then the same
 *   matching rules as the pane) → record (the entries, idempotently) → file away (Archive, "Not logged",
 *   or after three failures the quarantine folder).
 * Recording comes before filing away: a run killed between the two finds the message still in the Inbox,
 * records nothing new (the unique key), and files it. Nothing is ever deleted.
 */

export const MAX_ATTEMPTS = 3;
/** How long a run's hold on the mailbox lasts without renewal (renewed every third of it while the run works). */
export const LEASE_TTL_MS = 5 * 60_000;
/** Bookkeeping kept: messages not logged (the health view counts the last 7 days) and past runs. */
export const RETENTION = { messagesMs: 30 * 86_400_000, runsMs: 90 * 86_400_000 };
/** After a crash, entries of this period without a link are looked for in the archive (at most RELINK_LIMIT). */
const RELINK_WINDOW_MS = 7 * 86_400_000;
const RELINK_LIMIT = 500;

/** 'notification': a change notification, a lifecycle event or a restart asked for a delta catch-up. */
export type RunTrigger = 'schedule' | 'manual' | 'cli' | 'notification';

/**
 * Where a run finds its messages: 'scan' reads the whole Inbox by received time (the interval poll, the
 * backstop); 'delta' reads what changed in the Inbox since the last delta round (notifications and catch-up).
 */
export type RunSource = 'scan' | 'delta';

export interface RunSummary {
  runId: string | null;
  /** 'locked': another instance holds this mailbox right now. */
  status: 'succeeded' | 'failed' | 'locked' | 'disabled';
  seen: number;
  logged: number;
  skipped: Partial<Record<SkipReason, number>>;
  failed: number;
  quarantined: number;
  requests: number;
  throttled: number;
  durationMs: number;
  error?: string;
}

export interface ProcessorDeps {
  store: Store;
  /** A Graph connection to the tenant's shared mailbox. */
  graphFor(tenantId: string, settings: MailboxSettings): MailboxGraph;
  /** Who this process is, for the mailbox lease. */
  holder: string;
  now?: () => number;
  /** Asked between pages: the process is shutting down. */
  shouldStop?: () => boolean;
  /** Lease duration; a dead holder's lease frees the mailbox after this long. Default LEASE_TTL_MS. */
  leaseTtlMs?: number;
}

interface Folders {
  archive: string;
  notLogged: string;
  quarantine: string;
}

/**
 * `link`: the message's entries (written now, by a run that died before filing it, or from the pane) take the
 * archived copy's subject, preview and link.
 */
type Destination = {
  folder: keyof Folders;
  /** Why it is not logged (only for "Not logged"). */
  reason?: SkipReason;
  link: boolean;
  facts?: CaptureFacts;
  /** What this run did with it, for the run's own list; `note` says more (a second copy in the same page). */
  fate: 'logged' | 'already-logged' | 'not-logged';
  note?: SkipReason;
  /** Entries this run created for it. */
  entries: number;
};

export async function runMailboxOnce(
  deps: ProcessorDeps,
  tenantId: string,
  trigger: RunTrigger,
  source: RunSource = 'scan'
): Promise<RunSummary> {
  const now = deps.now ?? Date.now;
  const started = now();
  const settings = await deps.store.mailbox.getSettings(tenantId);
  const summary = emptySummary();
  const mailbox = settings.mailboxAddress;
  if (!mailbox) return summary;
  const leaseTtlMs = deps.leaseTtlMs ?? LEASE_TTL_MS;
  const acquiredAt = now();
  if (!(await deps.store.mailbox.acquireLease(tenantId, mailbox, deps.holder, leaseTtlMs, acquiredAt))) {
    return { ...summary, status: 'locked' };
  }
  const lease = new LeaseKeeper(deps, tenantId, mailbox, leaseTtlMs, acquiredAt);
  // Holding the lease, no other run of this mailbox is alive: one still marked running died with its process.
  const abandoned = await deps.store.mailbox.abandonStaleRuns(tenantId, mailbox, now());
  const runId = await deps.store.mailbox.startRun(tenantId, mailbox, trigger, now());
  summary.runId = runId;
  const graph = deps.graphFor(tenantId, settings);
  try {
    const run: Run = { deps, tenantId, mailbox, graph, lease, summary, folders: await ensureFolders(graph, settings) };
    await returnRequestedMessages(deps, tenantId, mailbox, graph, run.folders);
    const policy = await tenantLoggingPolicy(deps.store, tenantId);
    if (source === 'delta') await deltaRound(run, policy, settings.batchSize);
    else await scanInbox(run, policy, settings.batchSize);
    if (abandoned > 0) await relinkAfterCrash(deps, tenantId, graph, run.folders.archive, now() - RELINK_WINDOW_MS);
    await deps.store.mailbox.pruneBookkeeping(tenantId, {
      messages: now() - RETENTION.messagesMs,
      runs: now() - RETENTION.runsMs
    });
    await deps.store.runMessages.prune(tenantId, now() - RETENTION.messagesMs);
    summary.status = 'succeeded';
  } catch (error) {
    summary.status = 'failed';
    summary.error = runError(error);
  } finally {
    lease.stop();
    summary.requests = graph.counters.requests;
    summary.throttled = graph.counters.throttled;
    summary.durationMs = now() - started;
    await recordRun(deps, tenantId, runId, summary);
    await deps.store.mailbox.releaseLease(tenantId, mailbox, deps.holder);
  }
  return summary;
}

/** A run that did nothing: no mailbox address, or not started. */
export function emptySummary(): RunSummary {
  return {
    runId: null,
    status: 'disabled',
    seen: 0,
    logged: 0,
    skipped: {},
    failed: 0,
    quarantined: 0,
    requests: 0,
    throttled: 0,
    durationMs: 0
  };
}

/** What every stage of one run works with. */
interface Run {
  deps: ProcessorDeps;
  tenantId: string;
  mailbox: string;
  graph: MailboxGraph;
  lease: LeaseKeeper;
  folders: Folders;
  summary: RunSummary;
}

async function ensureFolders(graph: MailboxGraph, settings: MailboxSettings): Promise<Folders> {
  return {
    archive: (await graph.ensureFolder(settings.archiveFolder)).id,
    notLogged: (await graph.ensureFolder(settings.notLoggedFolder)).id,
    quarantine: (await graph.ensureFolder(settings.quarantineFolder)).id
  };
}

/** Why a run failed, for its record: a Graph failure says of which kind, so the admin sees what to do. */
function runError(error: unknown): string {
  if (error instanceof DeltaResetError || !isGraphAnswer(error)) {
    return error instanceof Error ? error.message : String(error);
  }
  const failure = graphFailure(error);
  return `Microsoft Graph: ${failure.kind} (${describeGraphFailure(failure)})`;
}

async function recordRun(deps: ProcessorDeps, tenantId: string, runId: string, summary: RunSummary) {
  await deps.store.mailbox.finishRun(tenantId, runId, {
    status: summary.status === 'succeeded' ? 'succeeded' : 'failed',
    seen: summary.seen,
    logged: summary.logged,
    skipped: summary.skipped,
    failed: summary.failed,
    quarantined: summary.quarantined,
    requests: summary.requests,
    throttled: summary.throttled,
    durationMs: summary.durationMs,
    ...(summary.error ? { error: summary.error } : {})
  });
}

/**
 * The run's hold on its mailbox, renewed every third of its length while the run works — a page whose moves
 * wait out Graph's throttling can take longer than the lease — and confirmed between pages. Once it is lost
 * (another instance took the mailbox over), the run stops at the next page.
 */
class LeaseKeeper {
  private lost: string | null = null;
  /** When the lease was last acquired or renewed (its term runs ttlMs from then). */
  private renewedAt: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly deps: ProcessorDeps,
    private readonly tenantId: string,
    private readonly mailbox: string,
    private readonly ttlMs: number,
    acquiredAt: number
  ) {
    this.renewedAt = acquiredAt;
    this.timer = setInterval(() => void this.renew(), Math.max(1, Math.floor(ttlMs / 3)));
    this.timer.unref();
  }

  /**
   * Between pages: the run stops here if the lease was lost. It is renewed unless it was within the last third of
   * its term: until it expires nobody else can take it, and a renewal is a commit (one per page was a tenth of
   * the processor's writes).
   */
  async confirm(): Promise<void> {
    const now = (this.deps.now ?? Date.now)();
    if (now - this.renewedAt >= this.ttlMs / 3) await this.renew();
    if (this.lost) throw new Error(this.lost);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async renew(): Promise<void> {
    if (this.lost) return;
    const now = (this.deps.now ?? Date.now)();
    try {
      const { tenantId, mailbox, ttlMs } = this;
      if (await this.deps.store.mailbox.renewLease(tenantId, mailbox, this.deps.holder, ttlMs, now)) {
        this.renewedAt = Math.max(this.renewedAt, now);
      } else {
        this.lost = 'The mailbox lease was lost to another instance; stopping this run.';
      }
    } catch (error) {
      this.lost = `The mailbox lease could not be renewed (${error instanceof Error ? error.message : String(error)}); stopping this run.`;
    }
  }
}

/**
 * The scan path: the Inbox by received time, page after page, in three overlapping stages: the next page is asked
 * for as soon as this one's last received time is known, this one is recorded meanwhile, and the page before is
 * filed away. Each message is still recorded before it is moved, pages are filed in order, one at a time, and the
 * Graph client's gate keeps at most 4 requests in flight for the mailbox.
 */
async function scanInbox(run: Run, policy: LoggingPolicy, batchSize: number): Promise<void> {
  const { deps, tenantId, summary } = run;
  const nextMessages = folderPager(run.graph, 'inbox', batchSize);
  const read = (since: string | null) => (deps.shouldStop?.() ? Promise.resolve(null) : nextMessages(since));
  let reading = read(null);
  let filing: Promise<void> = Promise.resolve();
  // A stage that fails stops the others at their next step; the first failure is the run's.
  let failure: { error: unknown } | null = null;
  const fail = (error: unknown) => {
    failure ??= { error };
  };
  try {
    let since: string | null = null;
    for (;;) {
      const found = await reading;
      if (!found || failure) break;
      const last = found.fresh[found.fresh.length - 1]?.receivedDateTime;
      since = typeof last === 'string' ? last : since;
      reading = found.more ? read(since) : Promise.resolve(null);
      reading.catch(fail);
      const recorded = await recordPage(deps, tenantId, policy, found.fresh, summary);
      await filing;
      if (failure) break;
      filing = fileAway(run, recorded).then(() => run.lease.confirm());
      filing.catch(fail);
    }
  } catch (error) {
    fail(error);
  }
  await Promise.allSettled([reading, filing]);
  if (failure) throw (failure as { error: unknown }).error;
}

/** The next messages of a folder not seen yet by this pager, from `since` on; null when there are no more. */
export function folderPager(graph: MailboxGraph, folder: string, batchSize: number) {
  const seen = new Set<string>();
  let top = batchSize;
  return async (since: string | null) => {
    for (;;) {
      const page = await graph.folderPage(folder, since, top);
      const fresh = page.filter((message) => !seen.has(message.id));
      if (fresh.length === 0) {
        // A full page of messages already seen this run (the same receivedDateTime): look further.
        if (page.length === top && top < 1000) {
          top = Math.min(1000, top * 2);
          continue;
        }
        return null;
      }
      for (const message of fresh) seen.add(message.id);
      return { fresh, more: page.length === top };
    }
  };
}

/**
 * The delta path: the Inbox's changes since the last round (or, with no delta link, all of it), page by page
 * through the same record → file away stages. The new delta link is kept only once every page was filed, so a
 * run that fails part-way repeats the round (recording is idempotent) rather than skipping messages; a delta
 * link Graph no longer accepts starts a new round. Messages that left the Inbox come back as removals: nothing
 * to do for them.
 */
async function deltaRound(run: Run, policy: LoggingPolicy, pageSize: number): Promise<void> {
  const { deps, tenantId, mailbox, graph, summary } = run;
  const now = deps.now ?? Date.now;
  // Notifications that arrive from here on ask for another run; those before are handled by this one.
  await deps.store.mailboxSync.clearDirty(tenantId, mailbox);
  let link = (await deps.store.mailboxSync.get(tenantId, mailbox)).deltaLink;
  const seen = new Set<string>();
  for (;;) {
    if (deps.shouldStop?.()) return;
    let page;
    try {
      page = await graph.inboxDelta(link, pageSize);
    } catch (error) {
      if (!(error instanceof DeltaResetError) || link === null) throw error;
      link = null;
      seen.clear();
      continue;
    }
    const fresh = page.messages.filter((message) => !seen.has(message.id));
    for (const message of fresh) seen.add(message.id);
    if (fresh.length > 0) {
      const recorded = await recordPage(deps, tenantId, policy, fresh, summary);
      await fileAway(run, recorded);
      await run.lease.confirm();
    }
    if (page.deltaLink) {
      await deps.store.mailboxSync.saveDeltaLink(tenantId, mailbox, page.deltaLink, now());
      return;
    }
    if (!page.nextLink) throw new Error('Graph answered a delta page with neither a nextLink nor a deltaLink.');
    link = page.nextLink;
  }
}

/**
 * Entries are recorded without a link (the message's Inbox link breaks when it moves) and get the archived
 * copy's link once it is filed. A process killed between a move and that write leaves entries without a
 * link whose messages are no longer in the Inbox: after such a crash, find them in the archive and link them.
 */
async function relinkAfterCrash(
  deps: ProcessorDeps,
  tenantId: string,
  graph: MailboxGraph,
  archiveId: string,
  sinceMs: number
): Promise<void> {
  const ids = await deps.store.interactions.mailboxEntriesWithoutLink(tenantId, sinceMs, RELINK_LIMIT);
  const links: Array<{ internetMessageId: string; webLink: string | null }> = [];
  await Promise.all(
    ids.map(async (internetMessageId) => {
      // Best effort: an entry not found (or not asked for) keeps no link, as before the crash.
      const archived = await graph.findInFolder(archiveId, internetMessageId).catch(() => null);
      if (archived?.webLink) links.push({ internetMessageId, webLink: archived.webLink });
    })
  );
  await deps.store.interactions.setMailboxWebLinks(tenantId, links);
}

/**
 * Messages an admin sent back go to the Inbox, where this run processes them like new: quarantined ones they asked
 * to retry (from zero attempts), and not-logged ones a contact was added for. A not-logged one keeps its request
 * until it is filed again; one no longer in "Not logged" (moved by hand) stays as it was recorded; one Graph kept
 * throttling is asked for again by the next run.
 */
async function returnRequestedMessages(
  deps: ProcessorDeps,
  tenantId: string,
  mailbox: string,
  graph: MailboxGraph,
  folders: Folders
) {
  const [retried, reprocessed] = await Promise.all([
    deps.store.mailbox.retryRequested(tenantId, mailbox),
    deps.store.mailbox.reprocessRequested(tenantId, mailbox)
  ]);
  const toInbox = (sourceId: string) => (messageId: string) => ({ messageId, sourceId, destinationId: 'inbox' });
  const moves = [...retried.map(toInbox(folders.quarantine)), ...reprocessed.map(toInbox(folders.notLogged))];
  if (moves.length === 0) return;
  const outcomes = await graph.move(moves);
  const notLogged = new Set(reprocessed);
  for (const outcome of outcomes) {
    if (outcome.moved && !notLogged.has(outcome.messageId)) {
      await deps.store.mailbox.clearFailures(tenantId, mailbox, outcome.messageId);
    }
  }
  const refused = outcomes.filter((o) => notLogged.has(o.messageId) && !o.moved && !o.throttled);
  await deps.store.mailbox.reprocessRefused(
    tenantId,
    mailbox,
    refused.map((o) => o.messageId)
  );
}

/**
 * Where a message goes, from what logging said of it: logged, or logged before (by the pane, or by a run that died
 * before filing it), to the archive, whose copy its entries then point at; a second copy of a message in the same
 * page to the archive as well; anything else to "Not logged", with why.
 */
function destinationOf(verdict: MessageVerdict): Destination {
  if (verdict.kind !== 'skipped')
    return { folder: 'archive', link: true, fate: 'logged', entries: verdict.entries.length };
  if (verdict.reason === 'already-logged') return { folder: 'archive', link: true, fate: 'already-logged', entries: 0 };
  if (verdict.reason === 'duplicate-in-request') {
    return { folder: 'archive', link: false, fate: 'already-logged', note: verdict.reason, entries: 0 };
  }
  return { folder: 'notLogged', reason: verdict.reason, link: false, fate: 'not-logged', entries: 0 };
}

/** A page of messages, recorded, with where each goes; `failures`: messages that could not be recorded. */
interface RecordedPage {
  messages: MailboxMessage[];
  plan: Map<string, Destination>;
  failures: Map<string, string>;
}

/** Records a page: one transaction; if it fails, message by message, so one bad message cannot hold back the others. */
async function recordPage(
  deps: ProcessorDeps,
  tenantId: string,
  policy: LoggingPolicy,
  messages: MailboxMessage[],
  summary: RunSummary
): Promise<RecordedPage> {
  summary.seen += messages.length;
  const plan = new Map<string, Destination>();
  const failures = new Map<string, string>();
  try {
    await recordBatch(deps, tenantId, policy, messages, summary, plan);
  } catch {
    for (const message of messages) {
      try {
        await recordBatch(deps, tenantId, policy, [message], summary, plan);
      } catch (error) {
        failures.set(message.id, error instanceof Error ? error.message : String(error));
      }
    }
  }
  for (const destination of plan.values()) {
    if (destination.reason) summary.skipped[destination.reason] = (summary.skipped[destination.reason] ?? 0) + 1;
  }
  return { messages, plan, failures };
}

/** Logs the messages, keyed by their Graph ids, and adds where each goes to `plan` once all were recorded. */
async function recordBatch(
  deps: ProcessorDeps,
  tenantId: string,
  policy: LoggingPolicy,
  messages: MailboxMessage[],
  summary: RunSummary,
  plan: Map<string, Destination>
): Promise<void> {
  // Recorded without the Inbox link, which breaks when the message moves; filing sets the archived one.
  const byId = new Map(messages.map((message) => [message.id, { ...message, webLink: null }]));
  const verdicts = await logMessages(deps.store, tenantId, byId, { source: 'mailbox', loggedBy: null, policy });
  // For capture health: who each message concerns, whatever became of it.
  const book = await deps.store.directory.resolveAddresses(tenantId, [
    ...new Set(messages.flatMap(participantAddresses))
  ]);
  for (const [messageId, verdict] of verdicts) {
    if (verdict.kind !== 'skipped') summary.logged += verdict.entries.length;
    const message = byId.get(messageId);
    const facts = message ? captureFacts(message, book, policy.organizationDomains) : undefined;
    plan.set(messageId, { ...destinationOf(verdict), ...(facts ? { facts } : {}) });
  }
}

/** What a run did with one message, as its run list says. */
type Fate = { fate: RunMessageRecord['fate']; reason: string | null };

/** Moves a recorded page's messages to their folders, then notes what was filed, what failed, and each one's fate. */
async function fileAway(run: Run, page: RecordedPage): Promise<void> {
  const { deps, tenantId, mailbox, graph, folders, summary } = run;
  const { plan } = page;
  const failures = new Map(page.failures);
  const byId = new Map(page.messages.map((message) => [message.id, message]));
  const outcomes = await graph.move(
    [...plan.entries()].map(([messageId, destination]) => ({
      messageId,
      sourceId: inboxOf(byId.get(messageId)),
      destinationId: folders[destination.folder]
    }))
  );
  const fates = new Map<string, Fate>();
  const copies: ArchivedCopy[] = [];
  const filed: string[] = [];
  const notLogged: Array<{ message: MailboxMessageRef; reason: string }> = [];
  const logged: MailboxMessageRef[] = [];
  for (const outcome of outcomes) {
    const message = byId.get(outcome.messageId);
    const destination = plan.get(outcome.messageId);
    if (!message || !destination) continue;
    if (outcome.throttled) {
      // Graph kept throttling: the message stays in the Inbox for the next run, and is not blamed for it.
      summary.failed += 1;
      fates.set(message.id, { fate: 'deferred', reason: null });
      continue;
    }
    if (!outcome.moved) {
      failures.set(outcome.messageId, outcome.error ?? 'The message could not be moved.');
      continue;
    }
    filed.push(message.id);
    fates.set(message.id, { fate: destination.fate, reason: destination.reason ?? destination.note ?? null });
    if (destination.link && message.internetMessageId) {
      copies.push({
        internetMessageId: message.internetMessageId.trim(),
        subject: storedSubject(message),
        preview: storedPreview(message),
        webLink: outcome.moved.webLink ?? null
      });
    }
    const facts = { ...messageFacts(message), ...destination.facts };
    if (destination.folder === 'notLogged' && destination.reason) {
      notLogged.push({ message: facts, reason: destination.reason });
    } else if (destination.folder === 'archive') logged.push(facts);
  }
  // One commit for what filing the page changed: on SQLite a commit costs more than these writes.
  await deps.store.transaction(async (tx) => {
    await tx.interactions.adoptArchivedCopies(tenantId, copies);
    await tx.mailbox.recordFiled(tenantId, mailbox, { filed, notLogged, logged });
    if (summary.runId) await tx.runMessages.record(tenantId, summary.runId, runMessages(byId, plan, fates));
  });
  if (failures.size === 0) return;
  const failed = new Map<string, Fate>();
  await countFailures(run, byId, failures, failed);
  if (summary.runId) await deps.store.runMessages.record(tenantId, summary.runId, runMessages(byId, plan, failed));
}

/** Failures: counted across runs; the third sends the message to the quarantine folder. */
async function countFailures(
  run: Run,
  byId: Map<string, MailboxMessage>,
  failures: Map<string, string>,
  fates: Map<string, Fate>
): Promise<void> {
  const { deps, tenantId, mailbox, graph, folders, summary } = run;
  for (const [messageId, error] of failures) {
    const message = byId.get(messageId);
    if (!message) continue;
    summary.failed += 1;
    fates.set(messageId, { fate: 'failed', reason: error });
    const attempts = await deps.store.mailbox.recordFailure(tenantId, mailbox, messageFacts(message), error);
    if (attempts < MAX_ATTEMPTS) continue;
    const [moved] = await graph.move([{ messageId, sourceId: inboxOf(message), destinationId: folders.quarantine }]);
    if (moved?.moved) {
      await deps.store.mailbox.markQuarantined(tenantId, mailbox, messageId, folders.quarantine);
      summary.quarantined += 1;
      fates.set(messageId, { fate: 'quarantined', reason: error });
    }
  }
}

/** The page's messages as the run's list keeps them: who sent each, when, its fate and the entries it made. */
function runMessages(
  byId: Map<string, MailboxMessage>,
  plan: Map<string, Destination>,
  fates: Map<string, Fate>
): RunMessageRecord[] {
  return [...fates].flatMap(([messageId, { fate, reason }]) => {
    const message = byId.get(messageId);
    if (!message) return [];
    const destination = plan.get(messageId);
    const { subject, sender, receivedAt, internetMessageId } = messageFacts(message);
    return [
      {
        messageId,
        internetMessageId,
        fate,
        reason,
        subject,
        sender,
        receivedAt,
        direction: destination?.facts?.direction ?? null,
        entries: destination?.entries ?? 0
      }
    ];
  });
}

/** The folder an Inbox message was read from: its parentFolderId, else the Inbox by its well-known name. */
const inboxOf = (message: MailboxMessage | undefined) => message?.parentFolderId ?? 'inbox';

function messageFacts(message: MailboxMessage) {
  const sender = message.from?.emailAddress?.address ?? message.sender?.emailAddress?.address ?? null;
  const received = message.receivedDateTime ? Date.parse(message.receivedDateTime) : NaN;
  return {
    messageId: message.id,
    internetMessageId: message.internetMessageId ?? null,
    subject: typeof message.subject === 'string' ? message.subject : null,
    sender: typeof sender === 'string' ? sender : null,
    receivedAt: Number.isNaN(received) ? null : received
  };
}
