import { parse } from 'csv-parse/sync';
import { IMPORT_COLUMNS, IMPORT_MAX_ROWS, type ImportKind } from '../../shared/admin-checks.js';
import type {
  DirectoryImportReport,
  DirectoryPerson,
  DirectoryProblems,
  ImportRowResult
} from '../../shared/schemas/admin.js';
import { normalizeEmail } from '../../shared/email.js';
import { checkAddress, SetupValueError } from '../../shared/setup-commands.js';
import { InvalidRequestError } from '../errors.js';

/*
 * The directory's admin side, over data already loaded: the address problems that keep mail from being
 * matched, and the CSV import's reading and checking of every row (usecases/import-directory.ts then writes all
 * of them in one transaction, or none).
 */

/** A salesperson or contact with all their addresses as written: what the problem report reads. */
export interface AddressBookEntry {
  kind: 'salesperson' | 'contact';
  id: string;
  name: string;
  email: string;
  active: boolean;
  addresses: Array<{ address: string; display: string; primary: boolean }>;
}

/** One accepted import row: `id` set to update that person, absent to create one. */
export interface ImportWrite {
  id?: string | undefined;
  name: string;
  email: string;
  /** Undefined (the file has no such column) keeps an existing person's; likewise company and phone. */
  alternateEmails: string[] | undefined;
  company?: string | null | undefined;
  phone?: string | null | undefined;
  /** Salespeople: undefined leaves the team as it is; null takes them out of their team. */
  teamId?: string | null | undefined;
  /** The row's fields, for the audit. */
  changes: object;
}

/** What the import's checks need from the store: who holds each address of the file, and the teams by name. */
export interface ImportLookup {
  /** Normalized address → the id of the person of the import's kind who holds it. */
  owners: ReadonlyMap<string, string>;
  /** Lower-cased team name → team id. */
  teams: ReadonlyMap<string, string>;
}

/** Why an address is not usable for matching; null when it is. */
function addressProblem(display: string): string | null {
  try {
    checkAddress('mailboxAddress', display);
    return null;
  } catch (error) {
    if (error instanceof SetupValueError) return 'is not a usable email address';
    throw error;
  }
}

export function directoryProblems(book: AddressBookEntry[]): DirectoryProblems {
  const person = (entry: AddressBookEntry): DirectoryPerson => ({
    kind: entry.kind,
    id: entry.id,
    name: entry.name,
    email: entry.email,
    active: entry.active
  });
  const missing: DirectoryPerson[] = [];
  const invalid: DirectoryProblems['invalid'] = [];
  const holders = new Map<string, AddressBookEntry[]>();
  for (const entry of book) {
    if (entry.email.trim() === '' || entry.addresses.length === 0) missing.push(person(entry));
    for (const address of entry.addresses) {
      const problem = addressProblem(address.display);
      if (problem) {
        invalid.push({
          person: person(entry),
          field: address.primary ? 'email' : 'alternateEmails',
          address: address.display,
          detail: problem
        });
      }
      const list = holders.get(address.address) ?? [];
      if (!list.includes(entry)) list.push(entry);
      holders.set(address.address, list);
    }
  }
  const duplicates = [...holders.entries()]
    .filter(([, people]) => people.length > 1)
    .map(([address, people]) => ({ address, people: people.map(person) }))
    .sort((a, b) => a.address.localeCompare(b.address));
  return {
    missing,
    invalid,
    duplicates,
    counts: { missing: missing.length, invalid: invalid.length, duplicates: duplicates.length }
  };
}

/**
 * The separator of a CSV file, read from its header row: Excel writes `;` where the decimal separator is a
 * comma (fi, sv, it, ru and more), `,` elsewhere. csv-parse cannot detect it, and the header row's column
 * names contain neither, so whichever occurs more often there is the separator (a comma when neither does).
 */
export function csvDelimiterOf(text: string): ',' | ';' {
  const headerRow = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (separator: string) => headerRow.split(separator).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** One data row of an import file: its line as counted in the file (the header is line 1), cells by column. */
export interface ImportRecord {
  line: number;
  record: Record<string, string>;
}

/** A 400 about the file as a whole, pointing into it. */
const badFile = (message: string, pointer: string, detail: string) =>
  new InvalidRequestError(message, [{ location: 'body', pointer, detail }]);

function parseCsv(body: string): string[][] {
  const text = body.replace(/^\uFEFF/, '');
  try {
    return parse(text, {
      delimiter: csvDelimiterOf(text),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: false
    }) as string[][];
  } catch (error) {
    throw badFile(`The file is not valid CSV: ${(error as Error).message}`, '/', 'must be CSV with a header row');
  }
}

/** The header row's columns under their canonical names; a 400 when one is unknown or name or email is missing. */
function importColumns(kind: ImportKind, header: string[]): string[] {
  const columns = header.map((name) => name.trim());
  const known: readonly string[] = IMPORT_COLUMNS[kind];
  const byLower = new Map(known.map((name) => [name.toLowerCase(), name]));
  const unknown = columns.filter((name) => !byLower.has(name.toLowerCase()));
  const missing = ['name', 'email'].filter((name) => !columns.some((c) => c.toLowerCase() === name));
  if (missing.length > 0 || unknown.length > 0) {
    throw badFile(
      `The header row must name the columns ${known.join(', ')} (name and email required)` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (unknown.length ? `; unknown: ${unknown.join(', ')}` : '') +
        '.',
      '/0',
      'is not the expected header row'
    );
  }
  return columns.map((name) => byLower.get(name.toLowerCase())!);
}

/** The CSV as records keyed by column; a file that is not CSV, lacks a required column or rows, is a 400. */
export function readImportCsv(kind: ImportKind, body: string): ImportRecord[] {
  const [header, ...data] = parseCsv(body);
  const columns = importColumns(kind, header ?? []);
  if (data.length === 0) throw badFile('The file has a header row but no rows.', '/1', 'no rows');
  if (data.length > IMPORT_MAX_ROWS) {
    throw badFile(
      `The file has ${data.length} rows; import at most ${IMPORT_MAX_ROWS} at a time.`,
      '/',
      'too many rows'
    );
  }
  // Lines counted as in the file (header = line 1); with skip_empty_lines a blank line shifts nothing visible.
  return data.map((cells, index) => ({
    line: index + 2,
    record: Object.fromEntries(columns.map((name, i) => [name, cells[i] ?? '']))
  }));
}

const splitAlternates = (value: string) =>
  value
    .split(/[;\s]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

const normalizedAll = (addresses: readonly string[]) =>
  addresses.map((a) => normalizeEmail(a)).filter((a): a is string => a !== null);

/** Every usable address the file names: those the lookup must find holders for. */
export function importAddresses(records: readonly ImportRecord[]): string[] {
  const all = records.flatMap(({ record }) =>
    normalizedAll([record.email ?? '', ...splitAlternates(record.alternateEmails ?? '')])
  );
  return [...new Set(all)];
}

type Reasons = ImportRowResult['reasons'];

/** One row's cells, read. */
interface RowFields {
  name: string;
  email: string;
  alternates: string[];
  company: string;
  phone: string;
}

function rowFields(record: Record<string, string>): RowFields {
  return {
    name: record.name ?? '',
    email: record.email ?? '',
    alternates: splitAlternates(record.alternateEmails ?? ''),
    company: record.company ?? '',
    phone: record.phone ?? ''
  };
}

/** What is wrong with the row's own values. */
function valueReasons({ name, email, alternates, company, phone }: RowFields): Reasons {
  const reasons: Reasons = [];
  if (name === '') reasons.push({ field: 'name', detail: 'is required' });
  else if (name.length > 200) reasons.push({ field: 'name', detail: 'is longer than 200 characters' });
  if (email === '') reasons.push({ field: 'email', detail: 'is required' });
  else if (addressProblem(email)) reasons.push({ field: 'email', detail: `"${email}" is not a usable email address` });
  for (const alternate of alternates) {
    if (addressProblem(alternate)) {
      reasons.push({ field: 'alternateEmails', detail: `"${alternate}" is not a usable email address` });
    }
  }
  if (alternates.length > 20) reasons.push({ field: 'alternateEmails', detail: 'lists more than 20 addresses' });
  if (company.length > 200) reasons.push({ field: 'company', detail: 'is longer than 200 characters' });
  if (phone.length > 50) reasons.push({ field: 'phone', detail: 'is longer than 50 characters' });
  return reasons;
}

/** A salesperson row's team: undefined without a team column, null for an empty cell; a reason if none has the name. */
function rowTeam(
  kind: ImportKind,
  record: Record<string, string>,
  teams: ImportLookup['teams'],
  reasons: Reasons
): string | null | undefined {
  if (kind !== 'salespeople' || record.team === undefined) return undefined;
  if (record.team === '') return null;
  const teamId = teams.get(record.team.toLowerCase());
  if (teamId === undefined)
    reasons.push({ field: 'team', detail: `no team is named "${record.team}"; create it first` });
  return teamId;
}

/**
 * The row's addresses: each once in the row and in the file (`seenInFile` remembers each address's first line),
 * and not held by another person of this kind than the one the row updates.
 */
function addressReasons(
  kind: ImportKind,
  line: number,
  addresses: readonly string[],
  holders: { existingId: string | undefined; owners: ImportLookup['owners'] },
  seenInFile: Map<string, number>
): Reasons {
  const reasons: Reasons = [];
  const inRow = new Set<string>();
  addresses.forEach((address, index) => {
    const field = index === 0 ? 'email' : 'alternateEmails';
    if (inRow.has(address)) reasons.push({ field, detail: `${address} is listed twice in this row` });
    inRow.add(address);
    const earlier = seenInFile.get(address);
    if (earlier !== undefined && earlier !== line)
      reasons.push({ field, detail: `${address} is also in line ${earlier}` });
    else seenInFile.set(address, line);
    const owner = holders.owners.get(address);
    if (owner !== undefined && owner !== holders.existingId) {
      const other = kind === 'contacts' ? 'contact' : 'salesperson';
      reasons.push({ field, detail: `${address} already belongs to another ${other} (${owner})` });
    }
  });
  return reasons;
}

/** One checked row: its line of the report, and what to write unless it was rejected. */
export interface CheckedRow {
  result: ImportRowResult;
  write: ImportWrite | null;
}

function checkRow(
  kind: ImportKind,
  { line, record }: ImportRecord,
  lookup: ImportLookup,
  seenInFile: Map<string, number>
): CheckedRow {
  const fields = rowFields(record);
  const reasons = valueReasons(fields);
  const teamId = rowTeam(kind, record, lookup.teams, reasons);
  const primary = normalizeEmail(fields.email);
  const existingId = primary ? lookup.owners.get(primary) : undefined;
  const addresses = normalizedAll([fields.email, ...fields.alternates]);
  reasons.push(...addressReasons(kind, line, addresses, { existingId, owners: lookup.owners }, seenInFile));
  const rejected = reasons.length > 0;
  // A column the file does not have leaves that field of an existing person as it is.
  const given = <T>(column: string, value: T) => (record[column] === undefined ? undefined : value);
  const changes = {
    name: fields.name,
    email: fields.email,
    alternateEmails: given('alternateEmails', fields.alternates),
    ...(kind === 'contacts'
      ? { company: given('company', fields.company || null), phone: given('phone', fields.phone || null) }
      : { teamId })
  };
  return {
    result: {
      row: line,
      status: rejected ? 'rejected' : existingId ? 'updated' : 'created',
      email: fields.email || null,
      id: existingId ?? null,
      reasons
    },
    write: rejected ? null : { id: existingId, ...changes, changes }
  };
}

/** Every row checked against the file's other rows and the directory as loaded. */
export function checkImport(kind: ImportKind, records: readonly ImportRecord[], lookup: ImportLookup): CheckedRow[] {
  const seenInFile = new Map<string, number>();
  return records.map((record) => checkRow(kind, record, lookup, seenInFile));
}

/** The writes of an import that may be written: every row's, or none when any row was rejected. */
export function acceptedWrites(checked: readonly CheckedRow[]): ImportWrite[] | null {
  const writes = checked.map((row) => row.write);
  return writes.every((write) => write !== null) ? writes : null;
}

/** The import's report; `writtenIds` are the ids the rows were written under, null when nothing was written. */
export function importReport(
  kind: ImportKind,
  dryRun: boolean,
  checked: readonly CheckedRow[],
  writtenIds: readonly string[] | null
): DirectoryImportReport {
  const rows = checked.map((row, index) => ({ ...row.result, id: writtenIds?.[index] ?? row.result.id }));
  const count = (status: ImportRowResult['status']) => rows.filter((row) => row.status === status).length;
  return {
    kind,
    dryRun,
    committed: writtenIds !== null,
    counts: { rows: rows.length, created: count('created'), updated: count('updated'), rejected: count('rejected') },
    rows
  };
}
