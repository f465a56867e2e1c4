import { Type, type Static } from 'typebox';
import { EARLIEST_CLOSE_DATE, LATEST_CLOSE_DATE, MAX_CLOSE_REASON_LENGTH, MAX_DESCRIPTION_LENGTH } from '../limits.js';
import { AddressQuery, Changes, Closed, Id, IsoDate, IsoDateTime, ListQuery, Page, PersonRef } from './common.js';

export { STAGES } from '../limits.js';
export const Stage = Type.Union([Type.Literal('qualification'), Type.Literal('proposal'), Type.Literal('negotiation')]);
export type Stage = Static<typeof Stage>;

export const OpportunityStatus = Type.Union([Type.Literal('open'), Type.Literal('won'), Type.Literal('lost')]);
export type OpportunityStatus = Static<typeof OpportunityStatus>;

const Money = Type.Number({
  minimum: 0,
  maximum: 1e12,
  description: 'Amount in currency units, at most 2 decimals kept'
});
const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 code, e.g. EUR; any code the runtime knows (Intl.supportedValuesOf("currency"))'
});
const Probability = Type.Integer({ minimum: 0, maximum: 100, description: 'Percent' });
const Description = Type.String({ minLength: 1, maxLength: MAX_DESCRIPTION_LENGTH, description: 'Not blank' });
// The bounds are whole years (2000-01-01 to 2100-12-31), so a pattern on the year states them in plain JSON
// Schema, which the OpenAPI document can carry (ajv's formatMinimum/formatMaximum are refused there); `format`
// still refuses dates that do not exist.
const CloseDate = Type.String({
  format: 'date',
  pattern: '^(?:20\\d{2}|2100)-\\d{2}-\\d{2}$',
  description: `Calendar date, YYYY-MM-DD, from ${EARLIEST_CLOSE_DATE} to ${LATEST_CLOSE_DATE}`
});
const CloseReason = Type.String({
  maxLength: MAX_CLOSE_REASON_LENGTH,
  description: 'Why it was won or lost; required when marking it lost'
});
const InteractionIds = Type.Array(Id, { maxItems: 500, uniqueItems: true });

export const Opportunity = Type.Object({
  id: Id,
  description: Type.String(),
  contactId: Id,
  contact: PersonRef,
  salesperson: PersonRef,
  stage: Stage,
  status: OpportunityStatus,
  estimatedValue: Type.Union([Type.Number(), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  probability: Type.Integer(),
  expectedCloseDate: Type.Union([IsoDate, Type.Null()]),
  interactionIds: Type.Array(Id),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  closedAt: Type.Union([IsoDateTime, Type.Null()]),
  closeReason: Type.Union([Type.String(), Type.Null()])
});
export type Opportunity = Static<typeof Opportunity>;

/** The terms of the deal, each optional when it is created and changeable later. */
const terms = {
  stage: Type.Optional(Stage),
  estimatedValue: Type.Optional(Type.Union([Money, Type.Null()])),
  currency: Type.Optional(Type.Union([Currency, Type.Null()])),
  probability: Type.Optional(Probability),
  expectedCloseDate: Type.Optional(Type.Union([CloseDate, Type.Null()]))
};

export const OpportunityCreate = Closed({
  description: Description,
  contactId: Id,
  interactionIds: Type.Optional(InteractionIds),
  ...terms
});
export type OpportunityCreate = Static<typeof OpportunityCreate>;

/** Its contact is fixed once created; entries are linked one change at a time. */
export const OpportunityUpdate = Changes({
  description: Description,
  ...terms,
  status: OpportunityStatus,
  closeReason: Type.Union([CloseReason, Type.Null()]),
  linkInteractionIds: InteractionIds
});
export type OpportunityUpdate = Static<typeof OpportunityUpdate>;

export const OpportunityListQuery = ListQuery({
  contactId: Type.Optional(Id),
  correspondent: Type.Optional(AddressQuery('Any address of the contact')),
  salespersonId: Type.Optional(Id),
  status: Type.Optional(OpportunityStatus)
});
export type OpportunityListQuery = Static<typeof OpportunityListQuery>;

export const OpportunityPage = Page(Opportunity);
export type OpportunityPage = Static<typeof OpportunityPage>;

/** One change of stage or status (the first one is the creation: `fromStage` and `fromStatus` null). */
export const OpportunityChange = Type.Object({
  id: Id,
  at: IsoDateTime,
  by: Type.Union([Type.Object({ name: Type.String() }), Type.Null()], { description: 'Null when unknown' }),
  fromStage: Type.Union([Stage, Type.Null()]),
  toStage: Stage,
  fromStatus: Type.Union([OpportunityStatus, Type.Null()]),
  toStatus: OpportunityStatus,
  reason: Type.Union([Type.String(), Type.Null()])
});
export type OpportunityChange = Static<typeof OpportunityChange>;

export const OpportunityHistory = Type.Object({ items: Type.Array(OpportunityChange) });
export type OpportunityHistory = Static<typeof OpportunityHistory>;
