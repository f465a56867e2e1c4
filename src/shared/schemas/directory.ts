import { Type, type Static } from 'typebox';
import { MAX_NAME_LENGTH, MAX_SEARCH_LENGTH } from '../limits.js';
import { AddressQuery, Cursor, EmailAddress, Id, IsoDateTime, Name, Page, PageLimit } from './common.js';

const AlternateEmails = Type.Array(EmailAddress, { maxItems: 20, uniqueItems: true });
const OptionalText = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()]);
const Company = OptionalText(MAX_NAME_LENGTH);
/** Longest phone number kept: room for an international number with its extension and spacing. */
const Phone = OptionalText(50);

export const Contact = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  alternateEmails: Type.Array(Type.String()),
  company: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  /** False once deactivated: the contact keeps its history but no longer matches new mail. */
  active: Type.Boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime
});
export type Contact = Static<typeof Contact>;

export const ContactCreate = Type.Object(
  {
    name: Name,
    email: EmailAddress,
    alternateEmails: Type.Optional(AlternateEmails),
    company: Type.Optional(Company),
    phone: Type.Optional(OptionalText(50))
  },
  { additionalProperties: false }
);
export type ContactCreate = Static<typeof ContactCreate>;

export const ContactUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(EmailAddress),
    alternateEmails: Type.Optional(AlternateEmails),
    company: Type.Optional(Company),
    phone: Type.Optional(Phone),
    active: Type.Optional(Type.Boolean())
  },
  { additionalProperties: false, minProperties: 1 }
);
export type ContactUpdate = Static<typeof ContactUpdate>;

export const DirectoryListQuery = Type.Object(
  {
    query: Type.Optional(
      Type.String({ maxLength: MAX_SEARCH_LENGTH, description: 'Matches name, any email address or company' })
    ),
    email: Type.Optional(AddressQuery('Exact match on any address')),
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(Cursor)
  },
  { additionalProperties: false }
);
export type DirectoryListQuery = Static<typeof DirectoryListQuery>;

export const ContactPage = Page(Contact);
export type ContactPage = Static<typeof ContactPage>;

export const Salesperson = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  alternateEmails: Type.Array(Type.String()),
  teamId: Type.Union([Id, Type.Null()]),
  active: Type.Boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime
});
export type Salesperson = Static<typeof Salesperson>;

export const SalespersonCreate = Type.Object(
  {
    name: Name,
    email: EmailAddress,
    alternateEmails: Type.Optional(AlternateEmails),
    teamId: Type.Optional(Type.Union([Id, Type.Null()]))
  },
  { additionalProperties: false }
);
export type SalespersonCreate = Static<typeof SalespersonCreate>;

export const SalespersonUpdate = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(EmailAddress),
    alternateEmails: Type.Optional(AlternateEmails),
    teamId: Type.Optional(Type.Union([Id, Type.Null()])),
    active: Type.Optional(Type.Boolean())
  },
  { additionalProperties: false, minProperties: 1 }
);
export type SalespersonUpdate = Static<typeof SalespersonUpdate>;

export const SalespersonPage = Page(Salesperson);
export type SalespersonPage = Static<typeof SalespersonPage>;

export const Team = Type.Object({
  id: Id,
  name: Type.String(),
  managerId: Type.Union([Id, Type.Null()]),
  memberIds: Type.Array(Id),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime
});
export type Team = Static<typeof Team>;

export const TeamCreate = Type.Object(
  { name: Name, managerId: Type.Optional(Type.Union([Id, Type.Null()])) },
  { additionalProperties: false }
);
export type TeamCreate = Static<typeof TeamCreate>;

export const TeamUpdate = Type.Object(
  { name: Type.Optional(Name), managerId: Type.Optional(Type.Union([Id, Type.Null()])) },
  { additionalProperties: false, minProperties: 1 }
);
export type TeamUpdate = Static<typeof TeamUpdate>;

export const TeamList = Type.Object({ items: Type.Array(Team) });
export type TeamList = Static<typeof TeamList>;

export const Me = Type.Object({
  tenantId: Type.String(),
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  roles: Type.Array(Type.String()),
  salesperson: Salesperson
});
export type Me = Static<typeof Me>;
