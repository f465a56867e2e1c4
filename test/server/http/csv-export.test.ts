import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import {
  attachmentDisposition,
  csvStream,
  defuseFormula,
  type CsvColumn
} from '../../../src/server/http/csv-export.js';

/* The CSV writer: Excel-safe encoding, RFC 4180 quoting, OWASP formula defusing, and pulling rows only as read. */

interface Row {
  name: string;
  note: string | null;
}
const columns: CsvColumn<Row>[] = [
  { header: 'Name', value: (row) => row.name },
  { header: 'Note', value: (row) => row.note }
];

async function* pagesOf<T>(pages: T[][]): AsyncGenerator<T[]> {
  for (const page of pages) yield page;
}

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('defuseFormula', () => {
  test.each(['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x","y")'])(
    '%j gets a leading apostrophe',
    (value) => {
      expect(defuseFormula(value)).toBe(`'${value}`);
    }
  );
  // Spreadsheets skip leading blanks, a byte order mark and line breaks before reading a formula.
  test.each([' =1+1', '   @SUM(A1)', '\uFEFF=1+1', '\n=cmd|"/c calc"!A1', '\r\n+1', '\u00A0-2', ' \t=x', '\u3000=1'])(
    '%j, a formula after blanks, a BOM or a line break, gets a leading apostrophe',
    (value) => {
      expect(defuseFormula(value)).toBe(`'${value}`);
    }
  );
  test.each(['Pricing', '', ' not a formula', "'already", '1-2', 'Договор', 'a =b'])('%j is left alone', (value) => {
    expect(defuseFormula(value)).toBe(value);
  });
});

describe('csvStream', () => {
  test('UTF-8 with BOM, a header, every field quoted, CRLF, nulls empty, non-Latin intact', async () => {
    const bytes = await bytesOf(
      csvStream(
        pagesOf([
          [{ name: 'Дмитрий Иванов', note: 'say "hi", then\nleave' }],
          [
            { name: 'Guðrún Jónsdóttir', note: null },
            { name: '山田太郎', note: '=cmd|"/c calc"!A1' }
          ]
        ]),
        columns
      )
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('"Name","Note"');
    expect(text).toContain('"Дмитрий Иванов","say ""hi"", then\nleave"\r\n');
    expect(text).toContain('"Guðrún Jónsdóttir",\r\n');
    expect(parse(bytes, { bom: true })).toEqual([
      ['Name', 'Note'],
      ['Дмитрий Иванов', 'say "hi", then\nleave'],
      ['Guðrún Jónsdóttir', ''],
      ['山田太郎', '\'=cmd|"/c calc"!A1']
    ]);
  });

  test('any text reads back as written, except that a formula start gets its apostrophe', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ name: fc.string(), note: fc.option(fc.string(), { nil: null }) })),
        async (rows) => {
          const parsed: string[][] = parse(await bytesOf(csvStream(pagesOf([rows]), columns)), {
            bom: true,
            relax_column_count: false
          });
          expect(parsed.slice(1)).toEqual(rows.map((row) => [defuseFormula(row.name), defuseFormula(row.note ?? '')]));
        }
      ),
      { numRuns: 200 }
    );
  });

  test('pages are pulled as the reader reads, not all at once', async () => {
    let pulled = 0;
    async function* many(): AsyncGenerator<Row[]> {
      for (let page = 0; page < 1000; page++) {
        pulled += 1;
        yield Array.from({ length: 100 }, (_, i) => ({ name: `row ${page}-${i}`, note: 'x'.repeat(100) }));
      }
    }
    const stream = csvStream(many(), columns);
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pulled).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(50);
    stream.destroy();
  });

  test('an error from the source ends the stream with that error', async () => {
    async function* failing(): AsyncGenerator<Row[]> {
      yield [{ name: 'a', note: null }];
      throw new Error('database went away');
    }
    await expect(bytesOf(csvStream(failing(), columns))).rejects.toThrow('database went away');
  });
});

describe('attachmentDisposition', () => {
  test('an ASCII filename and its UTF-8 form', () => {
    expect(attachmentDisposition('team-2026.csv')).toBe(
      `attachment; filename="team-2026.csv"; filename*=UTF-8''team-2026.csv`
    );
    expect(attachmentDisposition('tiimi "ä".csv')).toBe(
      `attachment; filename="tiimi ___.csv"; filename*=UTF-8''tiimi%20%22%C3%A4%22.csv`
    );
  });
});
