import { personRef } from '../../shared/schemas/common.js';
import type { GraphEvent } from '../../shared/schemas/event.js';
import type { LogThreadResult } from '../../shared/schemas/interaction.js';
import { logThreadResult, plannedEntries, verdictsAfterSave } from '../domain/logging.js';
import { meetingAsMessage, participantAddresses } from '../domain/matching.js';
import { planMeeting } from '../domain/meetings.js';
import { newId } from '../store/ids.js';
import { scopeIncludes, type Store } from '../store/index.js';
import { ownAddresses, tenantLoggingPolicy, type PaneLogger } from './log-messages.js';

/**
 * The pane's "Log this meeting": load the address book and the tenant's never-log rules, decide with
 * domain/meetings.ts, write the new entries, in one unit of work. The store's unique key on (iCalUId, contact,
 * salesperson) keeps one entry per pair whichever attendee logs it, however many race; answered as log-thread's.
 */
export async function logMeetingFromPane(
  store: Store,
  tenantId: string,
  event: GraphEvent,
  { me, actor, scope }: PaneLogger,
  now = Date.now()
): Promise<LogThreadResult> {
  // Loaded, decided and written in one unit, as log-thread's.
  return store.transaction(async (tx) => {
    const book = await tx.directory.resolveAddresses(tenantId, participantAddresses(meetingAsMessage(event)));
    const policy = await tenantLoggingPolicy(tx, tenantId);
    const plan = planMeeting(event, {
      book,
      source: 'addin',
      loggedBy: personRef(me),
      policy,
      caller: { addresses: ownAddresses(me), sees: (id) => scopeIncludes(scope, id) },
      now,
      newId
    });
    const plans = new Map([[event.iCalUId, plan]]);
    const created = await tx.interactions.insertNew(tenantId, plannedEntries(plans.values()), actor);
    return logThreadResult(verdictsAfterSave(plans, created).values());
  });
}
