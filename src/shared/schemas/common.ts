import { Type, type Static, type TProperties, type TSchema } from 'typebox';
import { MAX_ADDRESS_LENGTH, MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_PAGE_SIZE } from '../limits.js';

/** Random, non-sequential identifiers (UUID v7 text). */
export const Id = Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH, description: 'Opaque identifier' });

/** An address as people type it; compared after trimming and lower-casing. */
export const EmailAddress = Type.String({ format: 'email', maxLength: MAX_ADDRESS_LENGTH });

/** An address to look up, as text (a filter matches it or not; no format is required of it). */
export const AddressQuery = (description: string) =>
  Type.String({ minLength: 1, maxLength: MAX_ADDRESS_LENGTH, description });

/** A person's, team's or company's name as given; not blank. */
export const Name = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH });

/** A query parameter given once per value (?x=a&x=b): one value at least, `maxItems` at most. */
export const RepeatedParameter = (maxLength: number, maxItems: number, description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength }), { minItems: 1, maxItems, description });

export const IsoDateTime = Type.String({ format: 'date-time', description: 'ISO 8601 date and time' });
export const IsoDate = Type.String({ format: 'date', description: 'Calendar date, YYYY-MM-DD' });

/*
 * The bounds of a date range in a query string. A date alone is read in UTC: `from=2026-12-01` starts at
 * 2026-12-01T00:00:00Z and `to=2026-12-01` ends at the start of the next day, 2026-12-02T00:00:00Z, exclusive,
 * so the day named is included whole. The format is checked in src/server/http/validation.ts.
 */
export const RANGE_BOUND_FORMAT = 'date-or-date-time';
export const RangeFrom = Type.String({
  format: RANGE_BOUND_FORMAT,
  description:
    'Start of the range, inclusive: an ISO 8601 date and time, or a date alone (YYYY-MM-DD), which means the start of that day in UTC'
});
export const RangeTo = Type.String({
  format: RANGE_BOUND_FORMAT,
  description:
    'End of the range, exclusive: an ISO 8601 date and time, or a date alone (YYYY-MM-DD), which includes that whole day (UTC): the range ends at the start of the next day'
});

export const PageLimit = Type.Integer({
  minimum: 1,
  maximum: MAX_PAGE_SIZE,
  default: 25,
  description: `Page size, at most ${MAX_PAGE_SIZE} (larger values are clamped to ${MAX_PAGE_SIZE})`
});
export const Cursor = Type.String({ minLength: 1, maxLength: 512, description: 'Opaque cursor from nextCursor' });

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** A person a record points at: what a list row needs to show, without another request. */
export const PersonRef = Type.Object({ id: Id, name: Type.String(), email: Type.String() });
export type PersonRef = Static<typeof PersonRef>;
/** A person record as a reference: its id, name and address only (a record carries more, e.g. its team). */
export const personRef = ({ id, name, email }: PersonRef): PersonRef => ({ id, name, email });

/** A request part (body, query or path) with only the fields it names: a misspelt field is a 400, never ignored. */
export const Closed = <P extends TProperties>(fields: P) => Type.Object(fields, { additionalProperties: false });

/** A list's query string: its filters, then the page size and the cursor that every paged list takes. */
export const ListQuery = <P extends TProperties>(filters: P) =>
  Closed({ ...filters, limit: Type.Optional(PageLimit), cursor: Type.Optional(Cursor) });

/** A change to a record: the fields it may change, each optional, and at least one of them. */
export const Changes = <P extends TProperties>(fields: P) =>
  Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });

export const IdParams = Closed({ id: Id });

/** RFC 9457 problem document. */
export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  instance: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  errors: Type.Optional(
    Type.Array(
      Type.Object({
        pointer: Type.String({ description: 'JSON pointer into the request part named by location' }),
        location: Type.String({ description: 'body, querystring, params or headers' }),
        detail: Type.String()
      })
    )
  )
});
export type Problem = Static<typeof Problem>;

export { MAX_PAGE_SIZE } from '../limits.js';
