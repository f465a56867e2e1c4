import { pipeline, Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { stringify } from 'csv-stringify';

/*
 * CSV downloads that Excel opens as written: UTF-8 with a byte order mark (so non-Latin names survive),
 * every field quoted and inner quotes doubled (RFC 4180), CRLF line ends, and cells that a spreadsheet
 * would run as a formula defused as OWASP advises (a leading = + - @, also after blanks, a BOM or a line
 * break, or a leading tab or line break, gets a ' in front).
 * Rows are pulled a page at a time from an async source, so memory stays bounded whatever the size.
 */

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

// A formula sign first, or after what spreadsheets skip before it (spaces, no-break and ideographic spaces, a byte
// order mark, line breaks: \s holds them all); a leading tab or line break on its own, as OWASP lists them.
const FORMULA_START = /^(?:\s*[=+\-@]|[\t\r\n])/;

/** The text a spreadsheet shows as typed instead of evaluating it. */
export const defuseFormula = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);

export interface CsvColumn<Row> {
  header: string;
  value: (row: Row) => string | null;
}

/** A readable CSV stream of the pages' rows, header first. An error from the source ends the stream with it. */
export function csvStream<Row>(pages: AsyncIterable<readonly Row[]>, columns: ReadonlyArray<CsvColumn<Row>>): Readable {
  async function* records(): AsyncGenerator<string[]> {
    for await (const page of pages) {
      for (const row of page) yield columns.map((column) => column.value(row) ?? '');
      // Over a fast socket every write completes at once and the next page follows in the same turn of the
      // event loop; with SQLite's synchronous reads the whole export would then run as one turn, holding every
      // other request. One page per turn lets them in between.
      await setImmediate();
    }
  }
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: columns.map((column) => column.header),
    quoted: true,
    record_delimiter: 'windows',
    cast: { string: defuseFormula }
  });
  return pipeline(Readable.from(records()), stringifier, () => {
    // Errors reach the consumer through the returned stream, which pipeline destroys with them.
  });
}

/** `attachment; filename=...` with an ASCII name and its RFC 6266 UTF-8 form. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
