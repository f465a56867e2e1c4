import type { Opportunity, OpportunityCreate, OpportunityUpdate, Stage } from '../../shared/schemas/opportunity.js';
import { InvalidRequestError } from '../errors.js';
import type { OpportunityValues } from '../store/index.js';

/** The chance of closing that a stage implies, unless the salesperson says otherwise. */
export const DEFAULT_PROBABILITY: Record<Stage, number> = {
  qualification: 20,
  proposal: 50,
  negotiation: 75
};

function checkMoney(values: OpportunityValues): OpportunityValues {
  if (values.estimatedValue !== null && values.currency === null) {
    throw new InvalidRequestError('An estimated value needs its currency.', [
      { location: 'body', pointer: '/currency', detail: 'is required when estimatedValue is set, e.g. "EUR"' }
    ]);
  }
  return values;
}

export function valuesForCreate(input: OpportunityCreate): OpportunityValues {
  const stage = input.stage ?? 'qualification';
  return checkMoney({
    description: input.description.trim(),
    stage,
    status: 'open',
    estimatedValue: input.estimatedValue ?? null,
    currency: input.currency ?? null,
    probability: input.probability ?? DEFAULT_PROBABILITY[stage],
    expectedCloseDate: input.expectedCloseDate ?? null,
    closedAt: null
  });
}

/**
 * Merges a change into the current opportunity. Winning sets the probability to 100 and losing to 0;
 * reopening or moving stage falls back to the stage's default unless a probability is given.
 */
export function valuesForUpdate(current: Opportunity, patch: OpportunityUpdate, now = Date.now()): OpportunityValues {
  const stage = patch.stage ?? current.stage;
  const status = patch.status ?? current.status;
  const statusChanged = status !== current.status;
  let probability = patch.probability ?? current.probability;
  if (patch.probability === undefined && (statusChanged || patch.stage !== undefined)) {
    probability = status === 'won' ? 100 : status === 'lost' ? 0 : DEFAULT_PROBABILITY[stage];
  }
  const closedAt =
    status === 'open' ? null : statusChanged ? now : current.closedAt ? Date.parse(current.closedAt) : now;
  return checkMoney({
    description: patch.description?.trim() ?? current.description,
    stage,
    status,
    estimatedValue: patch.estimatedValue === undefined ? current.estimatedValue : patch.estimatedValue,
    currency: patch.currency === undefined ? current.currency : patch.currency,
    probability,
    expectedCloseDate: patch.expectedCloseDate === undefined ? current.expectedCloseDate : patch.expectedCloseDate,
    closedAt
  });
}
