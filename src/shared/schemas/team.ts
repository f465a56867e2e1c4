import { Type, type Static } from 'typebox';
import { MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_SEARCH_LENGTH } from '../limits.js';
import { Closed, Id, IsoDate, IsoDateTime, ListQuery, PersonRef, RangeFrom, RangeTo } from './common.js';
import { Direction, InteractionPage, InteractionSource, SEARCH_CANDIDATES } from './interaction.js';
import { Stage } from './opportunity.js';

/*
 * The manager's team view: the team's log with filters, its weekly activity, its open opportunities by
 * stage, and a CSV export of the same filtered log.
 */

/** Longest range the weekly summary covers (a year, rounded up to whole weeks). */
export const MAX_SUMMARY_WEEKS = 53;
/** Weeks the summary covers when no range is given. */
export const DEFAULT_SUMMARY_WEEKS = 12;

const filterFields = {
  teamId: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MAX_ID_LENGTH,
      description: 'One team; managers may name a team they manage, admins any team. Default: every team in view'
    })
  ),
  salespersonId: Type.Optional(Id),
  contactId: Type.Optional(Id),
  company: Type.Optional(
    Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH, description: "The contacts' company, exactly as stored" })
  ),
  from: Type.Optional(RangeFrom),
  to: Type.Optional(RangeTo),
  direction: Type.Optional(Direction),
  source: Type.Optional(InteractionSource)
};

export const TeamInteractionQuery = ListQuery({
  ...filterFields,
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MAX_SEARCH_LENGTH,
      description:
        'Words to search for, as in GET /interactions: every word must match; best match first, then newest, ' +
        `among the newest ${SEARCH_CANDIDATES} matches within the team and the filters' salesperson, contact and ` +
        'dates (the page says searchCapped when there were more)'
    })
  )
});
export type TeamInteractionQuery = Static<typeof TeamInteractionQuery>;

export const TeamExportQuery = Closed(filterFields);
export type TeamExportQuery = Static<typeof TeamExportQuery>;

export const TeamSummaryQuery = Closed(filterFields);
export type TeamSummaryQuery = Static<typeof TeamSummaryQuery>;

export const TeamInteractionPage = InteractionPage;
export type TeamInteractionPage = Static<typeof TeamInteractionPage>;

export const TeamRef = Type.Object({ id: Id, name: Type.String() });
export type TeamRef = Static<typeof TeamRef>;

export const MoneyTotal = Type.Object({
  currency: Type.String(),
  amount: Type.Number({ description: 'Sum of estimated values in currency units' })
});
export type MoneyTotal = Static<typeof MoneyTotal>;

export const StageTotal = Type.Object({
  stage: Stage,
  count: Type.Integer(),
  values: Type.Array(MoneyTotal, { description: 'Per currency; opportunities without a value count but add nothing' })
});
export type StageTotal = Static<typeof StageTotal>;

export const WeeklySeries = Type.Object({
  salesperson: PersonRef,
  counts: Type.Array(Type.Integer(), { description: 'One count per entry of weeks' })
});
export type WeeklySeries = Static<typeof WeeklySeries>;

export const TeamSummary = Type.Object({
  teams: Type.Array(TeamRef, { description: 'The teams this view covers' }),
  salespeople: Type.Array(PersonRef, { description: 'Their members: whose entries the view shows' }),
  from: IsoDateTime,
  to: IsoDateTime,
  weeks: Type.Array(IsoDate, { description: 'Monday (UTC) of each week in the range, oldest first' }),
  series: Type.Array(WeeklySeries),
  opportunitiesByStage: Type.Array(StageTotal, { description: 'Open opportunities, every stage in order' })
});
export type TeamSummary = Static<typeof TeamSummary>;
