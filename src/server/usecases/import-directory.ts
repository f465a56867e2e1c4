import type { ImportKind } from '../../shared/admin-checks.js';
import type { DirectoryImportReport } from '../../shared/schemas/admin.js';
import {
  acceptedWrites,
  checkImport,
  importAddresses,
  importReport,
  readImportCsv
} from '../domain/directory-admin.js';
import type { Actor, Store } from '../store/index.js';

/**
 * A directory import: the file is read and every row checked (domain/directory-admin.ts) against who holds its
 * addresses and the tenant's teams; unless it is a dry run or any row is rejected, every row is then written.
 * The check's reads and the writes are one unit of work: the rows are written as checked, or not at all.
 * Returns the per-row report either way.
 */
export async function importDirectory(
  store: Store,
  tenantId: string,
  kind: ImportKind,
  body: string,
  options: { dryRun: boolean; actor: Actor }
): Promise<DirectoryImportReport> {
  const records = readImportCsv(kind, body);
  return store.transaction(async (tx) => {
    const lookup = await tx.directory.importLookup(tenantId, kind, importAddresses(records));
    const checked = checkImport(kind, records, lookup);
    const writes = acceptedWrites(checked);
    const writtenIds =
      options.dryRun || writes === null ? null : await tx.directory.applyImport(tenantId, kind, writes, options.actor);
    return importReport(kind, options.dryRun, checked, writtenIds);
  });
}
