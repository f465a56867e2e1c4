import type { Client } from '@microsoft/microsoft-graph-client';
import {
  describeGraphFailure,
  graphAnswerFailure,
  graphFailure,
  notRunForDependency,
  type GraphFailure
} from './graph-errors.js';
import type { FolderMove, GraphCounters, MailboxMessage, MoveOutcome } from './graph.js';

/*
 * Filing messages away in $batch requests of chained moves. A move answered 504, or lost with its connection,
 * may have happened, alone or inside a $batch: it is never sent again before the message was looked at (by its
 * immutable id, which survives moves) and found still in the folder it was to leave. Exchange does not promise
 * that moving a message into the folder it is already in changes nothing.
 *
 * Bounded twice: a move that itself failed MAX_MOVE_ATTEMPTS times is given up, and so is every move still
 * waiting once Graph's Retry-After waits would add up past MOVE_WAIT_BUDGET_MS. Given-up moves come back as
 * failures; the messages stay where they are for the next run.
 */

export const MAX_BATCH = 20;
/**
 * How often one move may fail itself (throttled, or answered 504 and found still in its folder) before it is
 * given up for this run; a 424 (not run because a move before it failed) does not count.
 */
export const MAX_MOVE_ATTEMPTS = 8;
/** The most one batch of moves waits for Graph's Retry-After in all: well inside the run's lease. */
export const MOVE_WAIT_BUDGET_MS = 60_000;
const IMMUTABLE_IDS = 'IdType="ImmutableId"';

export interface MoveContext {
  client: Client;
  /** The mailbox's path: /users/{address}. */
  user: string;
  counters: GraphCounters;
  sleep: (ms: number) => Promise<void>;
  getMessage(messageId: string): Promise<MailboxMessage | null>;
}

/** A move on its way: how often it failed itself, and the last failure it met. */
interface PendingMove {
  move: FolderMove;
  failures: number;
  last?: GraphFailure;
}

interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { error?: { code?: string; message?: string } } & Partial<MailboxMessage>;
}

/** What one round of a batch left: settled outcomes, moves to send again, and how long Graph asked to wait. */
interface Round {
  outcomes: MoveOutcome[];
  again: PendingMove[];
  waitMs: number;
}

const failedOutcome = (messageId: string, error: string): MoveOutcome => ({ messageId, moved: null, error });

/** Moves of one batch (at most MAX_BATCH), sent again as long as the bounds allow. */
export async function moveBatch(context: MoveContext, moves: FolderMove[]): Promise<MoveOutcome[]> {
  const outcomes: MoveOutcome[] = [];
  let pending: PendingMove[] = moves.map((move) => ({ move, failures: 0 }));
  let waited = 0;
  while (pending.length > 0) {
    const round = await moveRound(context, pending);
    outcomes.push(...round.outcomes);
    const spent = round.again.filter((item) => item.failures >= MAX_MOVE_ATTEMPTS);
    for (const item of spent) outcomes.push(givenUp(item, `Not moved after ${MAX_MOVE_ATTEMPTS} attempts`));
    pending = round.again.filter((item) => item.failures < MAX_MOVE_ATTEMPTS);
    if (pending.length === 0) break;
    if (waited + round.waitMs > MOVE_WAIT_BUDGET_MS) {
      const why = `Graph asked to wait longer than ${MOVE_WAIT_BUDGET_MS / 1000} s in all`;
      for (const item of pending) outcomes.push(givenUp(item, why));
      break;
    }
    waited += round.waitMs;
    await context.sleep(round.waitMs);
  }
  return outcomes;
}

/** Left in its folder; the processor counts the failure, and quarantines what keeps failing. */
function givenUp(item: PendingMove, why: string): MoveOutcome {
  const last = item.last ? describeGraphFailure(item.last) : 'no response';
  const outcome = failedOutcome(item.move.messageId, `${why} (last answer: ${last}); left for the next run.`);
  return item.last?.kind === 'throttled' ? { ...outcome, throttled: true } : outcome;
}

/**
 * One $batch of the pending moves, chained: each depends on the one before, so Graph runs them one at a time
 * (one of the mailbox's four places). A failed move makes the rest of its chain 424, unexecuted.
 */
async function moveRound(context: MoveContext, pending: PendingMove[]): Promise<Round> {
  const requests = pending.map(({ move }, index) => ({
    id: String(index),
    method: 'POST',
    url: `${context.user}/messages/${encodeURIComponent(move.messageId)}/move`,
    headers: { 'Content-Type': 'application/json', Prefer: IMMUTABLE_IDS },
    body: { destinationId: move.destinationId },
    ...(index > 0 ? { dependsOn: [String(index - 1)] } : {})
  }));
  const round: Round = { outcomes: [], again: [], waitMs: 0 };
  let responses: BatchResponse[];
  try {
    const answer = (await context.client.api('/$batch').post({ requests })) as { responses?: BatchResponse[] };
    responses = answer.responses ?? [];
  } catch (error) {
    await settleRefusedBatch(context, pending, graphFailure(error), round);
    return round;
  }
  // A sub-response missing from the answer counts as no answer: looked at like a 504.
  const byId = new Map(responses.map((r) => [r.id, r]));
  await Promise.all(pending.map((item, index) => settleMove(context, item, byId.get(String(index)), round)));
  return round;
}

/** The $batch as a whole failed: throttled (nothing ran), refused (nothing ran), or it may have run. */
async function settleRefusedBatch(context: MoveContext, pending: PendingMove[], failure: GraphFailure, round: Round) {
  if (failure.kind === 'throttled') {
    // The middleware counted it already.
    round.waitMs = failure.retryAfterMs ?? 0;
    for (const item of pending) failedAgain(round, item, failure);
  } else if (failure.kind === 'temporary') {
    // A server failure or a lost connection: any of its moves may have happened. Look before sending again.
    await Promise.all(pending.map((item) => look(context, item, failure, round)));
  } else {
    for (const { move } of pending) round.outcomes.push(failedOutcome(move.messageId, describeGraphFailure(failure)));
  }
}

async function settleMove(context: MoveContext, item: PendingMove, response: BatchResponse | undefined, round: Round) {
  const status = response?.status ?? null;
  if (response && status !== null && status >= 200 && status < 300 && response.body?.id) {
    round.outcomes.push({ messageId: item.move.messageId, moved: response.body as MailboxMessage, error: null });
    return;
  }
  const failure = graphAnswerFailure({
    status,
    code: response?.body?.error?.code ?? null,
    message: response?.body?.error?.message ?? null,
    retryAfter: response?.headers?.['Retry-After'] ?? response?.headers?.['retry-after'] ?? null
  });
  if (notRunForDependency(failure)) {
    // A move before it in the chain failed.
    round.again.push({ ...item, last: failure });
  } else if (failure.kind === 'throttled') {
    // Throttled before it ran: safe to send again, after Graph's wait.
    context.counters.throttled += 1;
    round.waitMs = Math.max(round.waitMs, failure.retryAfterMs ?? 0);
    failedAgain(round, item, failure);
  } else if (failure.uncertain) {
    await look(context, item, failure, round);
  } else {
    round.outcomes.push(failedOutcome(item.move.messageId, describeGraphFailure(failure)));
  }
}

const failedAgain = (round: Round, item: PendingMove, failure: GraphFailure) =>
  round.again.push({ move: item.move, failures: item.failures + 1, last: failure });

/** A move that may have happened: settled by where the message is now, or sent again. */
async function look(context: MoveContext, item: PendingMove, failure: GraphFailure, round: Round) {
  const outcome = await lookAfter(context, item.move);
  if (outcome === 'again') failedAgain(round, item, failure);
  else round.outcomes.push(outcome);
}

/** Where a move that may have happened left the message: moved, to send again, or settled with an error. */
async function lookAfter(context: MoveContext, move: FolderMove): Promise<MoveOutcome | 'again'> {
  let found: MailboxMessage | null;
  try {
    found = await context.getMessage(move.messageId);
  } catch (error) {
    const reason = describeGraphFailure(graphFailure(error));
    return failedOutcome(move.messageId, `The move could not be checked (${reason}); left for the next run.`);
  }
  if (!found) return failedOutcome(move.messageId, 'The message disappeared during the move.');
  // Folder ids are the same with or without the immutable-id preference (containers' ids never change:
  // https://learn.microsoft.com/graph/outlook-immutable-id), so they compare with the resolved ids as they are.
  if (found.parentFolderId === move.destinationId) return { messageId: move.messageId, moved: found, error: null };
  if (found.parentFolderId === move.sourceId) return 'again';
  return failedOutcome(move.messageId, 'The message is in another folder now; it was left there.');
}
