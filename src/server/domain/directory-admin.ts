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
import type { Actor, Store } from '../store/index.js';
import type { AddressBookEntry, ImportWrite } from '../store/directory.js';

/*
 * The directory's admin side: the address problems that keep mail from being matched, and the CSV import,
 * which checks every row before writing any and then writes all of them in one transaction, or none.
 */

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

/** The CSV as records keyed by header; a file that is not CSV, or lacks a required column, is a 400. */
function readCsv(kind: ImportKind, body: string): Array<{ line: number; record: Record<string, string> }> {
  let rows: string[][];
  const text = body.replace(/^\uFEFF/, '');
  try {
    rows = parse(text, {
      delimiter: csvDelimiterOf(text),
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: false
    }) as string[][];
  } catch (error) {
    throw new InvalidRequestError(`The file is not valid CSV: ${(error as Error).message}`, [
      { location: 'body', pointer: '/', detail: 'must be CSV with a header row' }
    ]);
  }
  const [header, ...data] = rows;
  const columns = (header ?? []).map((name) => name.trim());
  const known: readonly string[] = IMPORT_COLUMNS[kind];
  const byLower = new Map(known.map((name) => [name.toLowerCase(), name]));
  const unknown = columns.filter((name) => !byLower.has(name.toLowerCase()));
  const missingColumns = ['name', 'email'].filter((name) => !columns.some((c) => c.toLowerCase() === name));
  if (missingColumns.length > 0 || unknown.length > 0) {
    throw new InvalidRequestError(
      `The header row must name the columns ${known.join(', ')} (name and email required)` +
        (missingColumns.length ? `; missing: ${missingColumns.join(', ')}` : '') +
        (unknown.length ? `; unknown: ${unknown.join(', ')}` : '') +
        '.',
      [{ location: 'body', pointer: '/0', detail: 'is not the expected header row' }]
    );
  }
  if (data.length === 0) {
    throw new InvalidRequestError('The file has a header row but no rows.', [
      { location: 'body', pointer: '/1', detail: 'no rows' }
    ]);
  }
  if (data.length > IMPORT_MAX_ROWS) {
    throw new InvalidRequestError(`The file has ${data.length} rows; import at most ${IMPORT_MAX_ROWS} at a time.`, [
      { location: 'body', pointer: '/', detail: 'too many rows' }
    ]);
  }
  // Lines counted as in the file (header = line 1); with skip_empty_lines a blank line shifts nothing visible.
  return data.map((cells, index) => ({
    line: index + 2,
    record: Object.fromEntries(columns.map((name, i) => [byLower.get(name.toLowerCase())!, cells[i] ?? '']))
  }));
}

const splitAlternates = (value: string) =>
  value
    .split(/[;\s]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');

interface CheckedRow {
  result: ImportRowResult;
  write: ImportWrite | null;
}

/** Reads, checks and (unless a dry run, or any row is rejected) writes an import; returns its report. */
export async function importDirectory(
  store: Store,
  tenantId: string,
  kind: ImportKind,
  body: string,
  options: { dryRun: boolean; actor: Actor }
): Promise<DirectoryImportReport> {
  const rows = readCsv(kind, body);
  const allAddresses = rows.flatMap(({ record }) =>
    [record.email ?? '', ...splitAlternates(record.alternateEmails ?? '')]
      .map((a) => normalizeEmail(a))
      .filter((a): a is string => a !== null)
  );
  const { owners, teams } = await store.directory.importLookup(tenantId, kind, [...new Set(allAddresses)]);
  const seenInFile = new Map<string, number>();
  const checked: CheckedRow[] = rows.map(({ line, record }) => {
    const reasons: ImportRowResult['reasons'] = [];
    const name = record.name ?? '';
    const email = record.email ?? '';
    if (name === '') reasons.push({ field: 'name', detail: 'is required' });
    else if (name.length > 200) reasons.push({ field: 'name', detail: 'is longer than 200 characters' });
    const alternates = splitAlternates(record.alternateEmails ?? '');
    if (email === '') reasons.push({ field: 'email', detail: 'is required' });
    else if (addressProblem(email))
      reasons.push({ field: 'email', detail: `"${email}" is not a usable email address` });
    for (const alternate of alternates) {
      if (addressProblem(alternate)) {
        reasons.push({ field: 'alternateEmails', detail: `"${alternate}" is not a usable email address` });
      }
    }
    if (alternates.length > 20) reasons.push({ field: 'alternateEmails', detail: 'lists more than 20 addresses' });
    const company = record.company ?? '';
    const phone = record.phone ?? '';
    if (company.length > 200) reasons.push({ field: 'company', detail: 'is longer than 200 characters' });
    if (phone.length > 50) reasons.push({ field: 'phone', detail: 'is longer than 50 characters' });
    let teamId: string | null | undefined;
    if (kind === 'salespeople' && record.team !== undefined) {
      if (record.team === '') teamId = null;
      else {
        teamId = teams.get(record.team.toLowerCase());
        if (teamId === undefined)
          reasons.push({ field: 'team', detail: `no team is named "${record.team}"; create it first` });
      }
    }

    // Addresses: each once in the file, and not held by another person of this kind.
    const normalized = [email, ...alternates].map((a) => normalizeEmail(a)).filter((a): a is string => a !== null);
    const primary = normalizeEmail(email);
    const existingId = primary ? owners.get(primary) : undefined;
    const ownSet = new Set<string>();
    normalized.forEach((address, index) => {
      const field = index === 0 ? 'email' : 'alternateEmails';
      if (ownSet.has(address)) reasons.push({ field, detail: `${address} is listed twice in this row` });
      ownSet.add(address);
      const earlier = seenInFile.get(address);
      if (earlier !== undefined && earlier !== line) {
        reasons.push({ field, detail: `${address} is also in line ${earlier}` });
      } else {
        seenInFile.set(address, line);
      }
      const owner = owners.get(address);
      if (owner !== undefined && owner !== existingId) {
        reasons.push({
          field,
          detail: `${address} already belongs to another ${kind === 'contacts' ? 'contact' : 'salesperson'} (${owner})`
        });
      }
    });

    const rejected = reasons.length > 0;
    // A column the file does not have leaves that field of an existing person as it is.
    const given = <T>(column: string, value: T) => (record[column] === undefined ? undefined : value);
    const changes = {
      name,
      email,
      alternateEmails: given('alternateEmails', alternates),
      ...(kind === 'contacts'
        ? { company: given('company', company || null), phone: given('phone', phone || null) }
        : { teamId })
    };
    return {
      result: {
        row: line,
        status: rejected ? 'rejected' : existingId ? 'updated' : 'created',
        email: email || null,
        id: existingId ?? null,
        reasons
      },
      write: rejected
        ? null
        : {
            id: existingId,
            ...changes,
            changes
          }
    };
  });

  const rejected = checked.filter((row) => row.write === null).length;
  const counts = {
    rows: checked.length,
    created: checked.filter((r) => r.result.status === 'created').length,
    updated: checked.filter((r) => r.result.status === 'updated').length,
    rejected
  };
  let committed = false;
  if (!options.dryRun && rejected === 0) {
    const ids = await store.directory.applyImport(
      tenantId,
      kind,
      checked.map((r) => r.write!),
      options.actor
    );
    ids.forEach((id, index) => (checked[index]!.result.id = id));
    committed = true;
  }
  return { kind, dryRun: options.dryRun, committed, counts, rows: checked.map((r) => r.result) };
}
