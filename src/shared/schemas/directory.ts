import { Type, type Static } from 'typebox';
import { MAX_NAME_LENGTH, MAX_SEARCH_LENGTH } from '../limits.js';
import {
  AddressQuery,
  Changes,
  Closed,
  EmailAddress,
  Id,
  IsoDateTime,
  ListQuery,
  Name,
  Page,
  PersonRef
} from './common.js';

const AlternateEmails = Type.Array(EmailAddress, { maxItems: 20, uniqueItems: true });
const OptionalText = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()]);
const Company = OptionalText(MAX_NAME_LENGTH);
/** Longest phone number kept: room for an international number with its extension and spacing. */
const Phone = OptionalText(50);

/** A contact or a salesperson as listed: what a reference to them shows, and their other addresses. */
const personRecord = { ...PersonRef.properties, alternateEmails: Type.Array(Type.String()) };

export const Contact = Type.Object({
  ...personRecord,
  company: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  /** False once deactivated: the contact keeps its history but no longer matches new mail. */
  active: Type.Boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime
});
export type Contact = Static<typeof Contact>;

/** What a contact and a salesperson are created with alike: a name and their addresses. */
const personFields = { name: Name, email: EmailAddress, alternateEmails: Type.Optional(AlternateEmails) };

export const ContactCreate = Closed({
  ...personFields,
  company: Type.Optional(Company),
  phone: Type.Optional(Phone)
});
export type ContactCreate = Static<typeof ContactCreate>;

/** Anything a contact is created with, and deactivating or reactivating it. */
export const ContactUpdate = Changes({ ...ContactCreate.properties, active: Type.Boolean() });
export type ContactUpdate = Static<typeof ContactUpdate>;

export const DirectoryListQuery = ListQuery({
  query: Type.Optional(
    Type.String({ maxLength: MAX_SEARCH_LENGTH, description: 'Matches name, any email address or company' })
  ),
  email: Type.Optional(AddressQuery('Exact match on any address'))
});
export type DirectoryListQuery = Static<typeof DirectoryListQuery>;

export const ContactPage = Page(Contact);
export type ContactPage = Static<typeof ContactPage>;

export const Salesperson = Type.Object({
  ...personRecord,
  teamId: Type.Union([Id, Type.Null()]),
  active: Type.Boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime
});
export type Salesperson = Static<typeof Salesperson>;

export const SalespersonCreate = Closed({ ...personFields, teamId: Type.Optional(Type.Union([Id, Type.Null()])) });
export type SalespersonCreate = Static<typeof SalespersonCreate>;

/** Anything a salesperson is created with, and deactivating or reactivating them. */
export const SalespersonUpdate = Changes({ ...SalespersonCreate.properties, active: Type.Boolean() });
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

export const TeamCreate = Closed({ name: Name, managerId: Type.Optional(Type.Union([Id, Type.Null()])) });
export type TeamCreate = Static<typeof TeamCreate>;

export const TeamUpdate = Changes(TeamCreate.properties);
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
