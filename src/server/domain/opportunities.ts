import type {
  Opportunity,
  OpportunityCreate,
  OpportunityStatus,
  OpportunityUpdate,
  Stage
} from '../../shared/schemas/opportunity.js';
import { InvalidRequestError } from '../errors.js';

/** What the domain decided an opportunity looks like after a create or an update. */
export interface OpportunityValues {
  description: string;
  stage: Stage;
  status: OpportunityStatus;
  estimatedValue: number | null;
  currency: string | null;
  probability: number;
  expectedCloseDate: string | null;
  closedAt: number | null;
  closeReason: string | null;
}

/** The chance of closing that a stage implies, unless the salesperson says otherwise. */
export const DEFAULT_PROBABILITY: Record<Stage, number> = {
  qualification: 20,
  proposal: 50,
  negotiation: 75
};

/** ISO 4217 codes as the runtime's ICU knows them (the pane offers the same list). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** The rules the schema cannot say: a description that is more than blanks, money with a real currency. */
function check(values: OpportunityValues): OpportunityValues {
  if (values.description === '') {
    throw new InvalidRequestError('Describe the opportunity: the description is blank.', [
      { location: 'body', pointer: '/description', detail: 'must not be blank' }
    ]);
  }
  if (values.currency !== null && !CURRENCIES.has(values.currency)) {
    throw new InvalidRequestError(`"${values.currency}" is not an ISO 4217 currency code.`, [
      { location: 'body', pointer: '/currency', detail: 'is not an ISO 4217 currency code, e.g. "EUR"' }
    ]);
  }
  if (values.estimatedValue !== null && values.currency === null) {
    throw new InvalidRequestError('An estimated value needs its currency.', [
      { location: 'body', pointer: '/currency', detail: 'is required when estimatedValue is set, e.g. "EUR"' }
    ]);
  }
  return values;
}

export function valuesForCreate(input: OpportunityCreate): OpportunityValues {
  const stage = input.stage ?? 'qualification';
  return check({
    description: input.description.trim(),
    stage,
    status: 'open',
    estimatedValue: input.estimatedValue ?? null,
    currency: input.currency ?? null,
    probability: input.probability ?? DEFAULT_PROBABILITY[stage],
    expectedCloseDate: input.expectedCloseDate ?? null,
    closedAt: null,
    closeReason: null
  });
}

/**
 * Merges a change into the current opportunity. Winning sets the probability to 100 and losing to 0;
 * reopening or moving stage falls back to the stage's default unless a probability is given. Losing needs
 * a reason (winning may give one); reopening forgets it.
 */
export function valuesForUpdate(current: Opportunity, patch: OpportunityUpdate, now: number): OpportunityValues {
  const stage = patch.stage ?? current.stage;
  const status = patch.status ?? current.status;
  const statusChanged = status !== current.status;
  let probability = patch.probability ?? current.probability;
  if (patch.probability === undefined && (statusChanged || patch.stage !== undefined)) {
    probability = status === 'won' ? 100 : status === 'lost' ? 0 : DEFAULT_PROBABILITY[stage];
  }
  const closedAt =
    status === 'open' ? null : statusChanged ? now : current.closedAt ? Date.parse(current.closedAt) : now;
  const closeReason = closeReasonFor(current, patch, status);
  return check({
    description: patch.description?.trim() ?? current.description,
    stage,
    status,
    estimatedValue: patch.estimatedValue === undefined ? current.estimatedValue : patch.estimatedValue,
    currency: patch.currency === undefined ? current.currency : patch.currency,
    probability,
    expectedCloseDate: patch.expectedCloseDate === undefined ? current.expectedCloseDate : patch.expectedCloseDate,
    closedAt,
    closeReason
  });
}

function closeReasonFor(current: Opportunity, patch: OpportunityUpdate, status: Opportunity['status']): string | null {
  const given = patch.closeReason === undefined ? undefined : (patch.closeReason?.trim() ?? '') || null;
  if (status === 'open') {
    if (given) {
      throw new InvalidRequestError('Only a won or lost opportunity has a close reason.', [
        { location: 'body', pointer: '/closeReason', detail: 'is only for a won or lost opportunity' }
      ]);
    }
    return null;
  }
  const reason = given === undefined ? (status === current.status ? current.closeReason : null) : given;
  if (status === 'lost' && !reason) {
    throw new InvalidRequestError('Say why the opportunity was lost.', [
      { location: 'body', pointer: '/closeReason', detail: 'is required when the opportunity is lost' }
    ]);
  }
  return reason;
}
