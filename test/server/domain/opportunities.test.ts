import { valuesForCreate, valuesForUpdate } from '../../../src/server/domain/opportunities.js';
import { InvalidRequestError } from '../../../src/server/errors.js';
import type { Opportunity } from '../../../src/shared/schemas/opportunity.js';
import { NEW_OPPORTUNITY_DEFAULTS } from '../../helpers/contract.js';

/** Any time will do where the change does not close the opportunity. */
const NOW = Date.UTC(2026, 5, 1);

const current: Opportunity = {
  id: 'o1',
  description: 'Renewal',
  contactId: 'c1',
  contact: { id: 'c1', name: 'Lena', email: 'lena@fabrikam.example' },
  salesperson: { id: 's1', name: 'Ana', email: 'ana@northwind.example' },
  stage: 'qualification',
  status: 'open',
  estimatedValue: 1000,
  currency: 'EUR',
  probability: 20,
  expectedCloseDate: null,
  interactionIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  closedAt: null,
  closeReason: null
};

test('create defaults: qualification, open, the stage probability', () => {
  expect(valuesForCreate({ description: ' Deal ', contactId: 'c1' })).toEqual({
    description: 'Deal',
    ...NEW_OPPORTUNITY_DEFAULTS
  });
  expect(valuesForCreate({ description: 'D', contactId: 'c1', stage: 'negotiation' }).probability).toBe(75);
  expect(valuesForCreate({ description: 'D', contactId: 'c1', stage: 'negotiation', probability: 5 }).probability).toBe(
    5
  );
});

test('a value needs a currency', () => {
  expect(() => valuesForCreate({ description: 'D', contactId: 'c1', estimatedValue: 10 })).toThrow(InvalidRequestError);
  expect(() => valuesForUpdate(current, { currency: null }, NOW)).toThrow(InvalidRequestError);
  expect(valuesForUpdate(current, { estimatedValue: null, currency: null }, NOW)).toMatchObject({
    estimatedValue: null
  });
});

test('winning, losing and reopening set probability and closedAt', () => {
  const won = valuesForUpdate(current, { status: 'won' }, 1_000);
  expect(won).toMatchObject({ status: 'won', probability: 100, closedAt: 1_000 });
  const lost = valuesForUpdate(current, { status: 'lost', closeReason: 'Budget cut' }, 2_000);
  expect(lost).toMatchObject({ probability: 0, closedAt: 2_000 });
  const closed = { ...current, status: 'won' as const, probability: 100, closedAt: '2026-02-01T00:00:00.000Z' };
  expect(valuesForUpdate(closed, { description: 'Renamed' }, 3_000).closedAt).toBe(
    Date.parse('2026-02-01T00:00:00.000Z')
  );
  expect(valuesForUpdate(closed, { status: 'open' }, NOW)).toMatchObject({
    status: 'open',
    closedAt: null,
    probability: 20
  });
});

test('moving stage takes its default probability unless one is given', () => {
  expect(valuesForUpdate(current, { stage: 'proposal' }, NOW).probability).toBe(50);
  expect(valuesForUpdate(current, { stage: 'proposal', probability: 42 }, NOW).probability).toBe(42);
  expect(valuesForUpdate(current, { description: 'x' }, NOW).probability).toBe(20);
});
