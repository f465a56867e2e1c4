import type { AddressBook } from '../../src/server/domain/matching.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';

/* The people the domain rules' tests meet, and the address book the store would load for them. */

/** Salespeople (sp-) at northwind, contacts (c-) at fabrikam. */
export const bookPeople = {
  ana: { id: 'sp-ana', name: 'Ana', email: 'ana@northwind.example' },
  ben: { id: 'sp-ben', name: 'Ben', email: 'ben@northwind.example' },
  mikko: { id: 'sp-mikko', name: 'Mikko', email: 'mikko@northwind.example' },
  lena: { id: 'c-lena', name: 'Lena', email: 'lena@fabrikam.example' },
  tomas: { id: 'c-tomas', name: 'Tomás', email: 'tomas@fabrikam.example' },
  oskar: { id: 'c-oskar', name: 'Oskar', email: 'oskar@fabrikam.example' }
} satisfies Record<string, PersonRef>;

/**
 * An address book as the store resolves it: keys are normalized addresses, each person under their own, and
 * `alternates` (another address of a contact) mapping to the same person.
 */
export function addressBook(
  salespeople: PersonRef[],
  contacts: PersonRef[],
  alternates: Record<string, PersonRef> = {}
): AddressBook {
  return {
    salespeople: new Map(salespeople.map((person) => [person.email, person])),
    contacts: new Map([
      ...contacts.map((person): [string, PersonRef] => [person.email, person]),
      ...Object.entries(alternates)
    ])
  };
}
