import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';

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

const BOM = '\uFEFF';

/** A field quoted, inner quotes doubled, a formula defused; an empty field stays empty. */
const csvField = (value: string): string => (value === '' ? '' : `"${defuseFormula(value).replaceAll('"', '""')}"`);

const csvLine = (values: readonly string[]): string => `${values.map(csvField).join(',')}\r\n`;

/**
 * A readable CSV stream of the pages' rows, header first, one chunk of text per page. The next page is read only
 * once the reader has taken the last one, so a slow or paused client holds the store back instead of filling the
 * server's memory. An error from the source ends the stream with it. When the stream closes, however it closes
 * (the end, an error, a client gone even before the first page), the source is returned, so that it lets go of
 * what it reads from.
 * Written here rather than by a general CSV library: one string per field and one per line keep an export's
 * garbage, and with it the heap's growth while it streams, a fraction of what a general writer's per-field
 * objects made (see docs/PERFORMANCE.md).
 */
export function csvStream<Row>(pages: AsyncIterable<readonly Row[]>, columns: ReadonlyArray<CsvColumn<Row>>): Readable {
  const source = pages[Symbol.asyncIterator]();
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(BOM + csvLine(columns.map((column) => column.header)));
    for (let page = await source.next(); page.done !== true; page = await source.next()) {
      const lines = page.value.map((row) => csvLine(columns.map((column) => column.value(row) ?? '')));
      yield Buffer.from(lines.join(''));
      // Over a fast socket every write completes at once and the next page follows in the same turn of the
      // event loop; with SQLite's synchronous reads the whole export would then run as one turn, holding every
      // other request. One page per turn lets them in between.
      await setImmediate();
    }
  }
  // Bytes, not objects: with a high-water mark of one byte, a chunk the reader has not taken stops the reading.
  const stream = Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
  // Returned here rather than by the loop: a generator destroyed before it started never runs its loop. The
  // stream has closed by then, so a failure to let go has no one left to hear it.
  stream.once('close', () => void source.return?.().catch(() => undefined));
  return stream;
}

/** `attachment; filename=...` with an ASCII name and its RFC 6266 UTF-8 form. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
