import { get, type IncomingMessage } from 'node:http';
import { DEMO_TENANT_ID } from '../../../../src/shared/demo.js';
import { startTestApi, type TestApi } from '../../../helpers/api.js';
import { bulkInsertInteractions } from '../../../helpers/bulk.js';
import { ENGINES } from '../../../helpers/stores.js';

/*
 * The CSV export reads the store only as fast as the client takes the file: a client that stops reading stops
 * the export once the sockets' buffers are full, instead of the server reading the whole log into its memory.
 */

jest.setTimeout(180_000);

const ROWS = 200_000;
/**
 * At most this many rows may be read while the client reads nothing. The kernel's socket buffers on loopback take
 * a few MB of the file (about 27,000 of these rows were seen); a server that buffered would read all of them.
 */
const PAUSED_ROWS_BOUND = ROWS / 2;

const linesIn = (chunk: Buffer) => {
  let lines = 0;
  for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines += 1;
  return lines;
};

/** The response and its first bytes, with the client reading no further. */
function pausedDownload(url: string, token: string): Promise<{ response: IncomingMessage; first: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      response.once('data', (first: Buffer) => {
        response.pause();
        resolve({ response, first });
      });
    }).on('error', reject);
  });
}

/** Waits until `read()` has not changed for a second: the server has stopped reading. */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  let still = 0;
  for (let polls = 0; polls < 300 && still < 10; polls++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = read();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

describe.each(ENGINES)('%s', (engine) => {
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi(engine);
    admin = await api.token({ email: 'mia@northwind.example', roles: ['Manager', 'Admin'] });
    const me = await api.call('GET', '/api/v1/me', { as: admin });
    const contact = await api.testStore.store.directory.createContact(DEMO_TENANT_ID, {
      name: 'Customer',
      email: 'customer@fabrikam.example',
      company: 'Fabrikam'
    });
    await bulkInsertInteractions(api.testStore, {
      tenantId: DEMO_TENANT_ID,
      contactIds: [contact.id],
      salespersonIds: [me.body.salesperson.id as string],
      count: ROWS,
      newestAt: Date.now() - 60_000
    });
  });
  afterAll(() => api.close());

  test(`a client that stops reading stops the export: at most ${PAUSED_ROWS_BOUND.toLocaleString('en')} of ${ROWS.toLocaleString('en')} rows are read meanwhile`, async () => {
    const teamHistory = api.server.store.teamHistory;
    const exportRows = teamHistory.exportRows.bind(teamHistory);
    let rowsRead = 0;
    const spy = jest.spyOn(teamHistory, 'exportRows').mockImplementation(async function* (...args) {
      for await (const page of exportRows(...args)) {
        rowsRead += page.length;
        yield page;
      }
    });
    try {
      const { response, first } = await pausedDownload(`${api.url}/api/v1/team/interactions.csv`, admin);
      expect(response.statusCode).toBe(200);
      const readWhilePaused = await settled(() => rowsRead);
      expect(readWhilePaused).toBeGreaterThan(0);
      expect(readWhilePaused).toBeLessThan(PAUSED_ROWS_BOUND);

      // Reading again, the client gets the whole file.
      let lines = linesIn(first);
      for await (const chunk of response as AsyncIterable<Buffer>) lines += linesIn(chunk);
      expect(lines).toBe(ROWS + 1);
      expect(rowsRead).toBe(ROWS);
    } finally {
      spy.mockRestore();
    }
  });
});
