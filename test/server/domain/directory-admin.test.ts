import {
  acceptedWrites,
  checkImport,
  csvDelimiterOf,
  directoryProblems,
  importAddresses,
  importReport,
  readImportCsv,
  type AddressBookEntry,
  type ImportLookup
} from '../../../src/server/domain/directory-admin.js';
import { InvalidRequestError } from '../../../src/server/errors.js';

const noOne: ImportLookup = { owners: new Map(), teams: new Map() };

/** The reasons of each row, as `field: detail`. */
const reasonsOf = (rows: ReturnType<typeof checkImport>) =>
  rows.map((row) => row.result.reasons.map((reason) => `${reason.field}: ${reason.detail}`));

describe('reading an import file', () => {
  test("the separator is the header row's commonest of ; and ,", () => {
    expect(csvDelimiterOf('name;email\r\nA, B;a@x.example')).toBe(';');
    expect(csvDelimiterOf('name,email\n')).toBe(',');
    expect(csvDelimiterOf('name')).toBe(',');
  });

  test('records are keyed by the canonical column names, lines counted as in the file', () => {
    const text =
      '\uFEFFName;EMAIL;alternateemails\n\nLena;lena@fabrikam.example;\nTomás;tomas@fabrikam.example;t@x.example\n';
    expect(readImportCsv('contacts', text)).toEqual([
      { line: 2, record: { name: 'Lena', email: 'lena@fabrikam.example', alternateEmails: '' } },
      { line: 3, record: { name: 'Tomás', email: 'tomas@fabrikam.example', alternateEmails: 't@x.example' } }
    ]);
  });

  test('a wrong header, a file without rows or not CSV at all is a 400 pointing into it', () => {
    const pointerOf = (kind: 'contacts' | 'salespeople', text: string) => {
      try {
        readImportCsv(kind, text);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidRequestError);
        return {
          message: (error as InvalidRequestError).message,
          pointer: (error as InvalidRequestError).errors[0]?.pointer
        };
      }
      throw new Error('not refused');
    };
    expect(pointerOf('contacts', 'name,team\nA,B')).toEqual({
      message:
        'The header row must name the columns name, email, alternateEmails, company, phone (name and email required); missing: email; unknown: team.',
      pointer: '/0'
    });
    expect(pointerOf('salespeople', 'name,email\n')).toEqual({
      message: 'The file has a header row but no rows.',
      pointer: '/1'
    });
    expect(pointerOf('contacts', 'name,email\n"A,b@x.example').pointer).toBe('/');
  });
});

describe('checking import rows', () => {
  test('every address of the file, normalized, once', () => {
    const records = readImportCsv(
      'contacts',
      'name,email,alternateEmails\nA,A@X.example,a2@x.example b@x.example\nB,b@x.example,\n'
    );
    expect(importAddresses(records)).toEqual(['a@x.example', 'a2@x.example', 'b@x.example']);
  });

  test("a row's own values: required, usable, within their lengths", () => {
    const text = `name,email,alternateEmails,company,phone\n,,not-an-address,${'c'.repeat(201)},${'5'.repeat(51)}\n`;
    expect(reasonsOf(checkImport('contacts', readImportCsv('contacts', text), noOne))).toEqual([
      [
        'name: is required',
        'email: is required',
        'alternateEmails: "not-an-address" is not a usable email address',
        'company: is longer than 200 characters',
        'phone: is longer than 50 characters'
      ]
    ]);
  });

  test('addresses once in the row and in the file, and not held by another person', () => {
    const text = 'name,email,alternateEmails\nA,a@x.example,a@x.example\nB,b@x.example,a@x.example\nC,c@x.example,\n';
    const lookup: ImportLookup = { owners: new Map([['c@x.example', 'contact-9']]), teams: new Map() };
    expect(reasonsOf(checkImport('contacts', readImportCsv('contacts', text), lookup))).toEqual([
      ['alternateEmails: a@x.example is listed twice in this row'],
      ['alternateEmails: a@x.example is also in line 2'],
      []
    ]);
    // c@x.example's holder is the person the row updates: no conflict.
    const [updated] = checkImport('contacts', readImportCsv('contacts', 'name,email\nC,c@x.example\n'), lookup);
    expect(updated!.result).toMatchObject({ status: 'updated', id: 'contact-9', reasons: [] });
    const held = 'name,email,alternateEmails\nD,d@x.example,c@x.example\n';
    expect(reasonsOf(checkImport('contacts', readImportCsv('contacts', held), lookup))).toEqual([
      ['alternateEmails: c@x.example already belongs to another contact (contact-9)']
    ]);
  });

  test("salespeople's teams by name, any case; an empty cell takes them out; a column left out leaves fields as they are", () => {
    const lookup: ImportLookup = { owners: new Map(), teams: new Map([['north', 'team-n']]) };
    const text = 'name,email,team\nAna,ana@x.example,NORTH\nBen,ben@x.example,\nCara,cara@x.example,South\n';
    const rows = checkImport('salespeople', readImportCsv('salespeople', text), lookup);
    expect(rows.map((row) => row.write?.teamId)).toEqual(['team-n', null, undefined]);
    expect(reasonsOf(rows)[2]).toEqual(['team: no team is named "South"; create it first']);
    const [withoutColumns] = checkImport(
      'contacts',
      readImportCsv('contacts', 'name,email\nLena,l@x.example\n'),
      noOne
    );
    expect(withoutColumns!.write).toMatchObject({ alternateEmails: undefined, company: undefined, phone: undefined });
  });
});

describe('the import report', () => {
  const checked = (text: string) => checkImport('contacts', readImportCsv('contacts', text), noOne);

  test('all rows are written or none', () => {
    expect(acceptedWrites(checked('name,email\nA,a@x.example\nB,b@x.example\n'))).toHaveLength(2);
    expect(acceptedWrites(checked('name,email\nA,a@x.example\n,b@x.example\n'))).toBeNull();
  });

  test('counts rows by status and names the ids written', () => {
    const rows = checked('name,email\nA,a@x.example\n,b@x.example\n');
    expect(importReport('contacts', false, rows, null)).toMatchObject({
      committed: false,
      counts: { rows: 2, created: 1, updated: 0, rejected: 1 }
    });
    const written = importReport('contacts', false, checked('name,email\nA,a@x.example\n'), ['contact-1']);
    expect(written).toMatchObject({ committed: true, rows: [{ row: 2, status: 'created', id: 'contact-1' }] });
  });
});

describe('directory problems', () => {
  const entry = (id: string, email: string, addresses: AddressBookEntry['addresses']): AddressBookEntry => ({
    kind: 'contact',
    id,
    name: id,
    email,
    active: true,
    addresses
  });

  test('missing, unusable and shared addresses', () => {
    const problems = directoryProblems([
      entry('a', '', []),
      entry('b', 'b@x', [{ address: 'b@x', display: 'b@x', primary: true }]),
      entry('c', 'c@x.example', [{ address: 'c@x.example', display: 'c@x.example', primary: true }]),
      entry('d', 'd@x.example', [
        { address: 'd@x.example', display: 'd@x.example', primary: true },
        { address: 'c@x.example', display: 'C@x.example', primary: false }
      ])
    ]);
    expect(problems.counts).toEqual({ missing: 1, invalid: 1, duplicates: 1 });
    expect(problems.invalid[0]).toMatchObject({ field: 'email', address: 'b@x' });
    expect(problems.duplicates[0]!.people.map((person) => person.id)).toEqual(['c', 'd']);
  });
});
