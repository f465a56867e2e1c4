import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { graphMessage } from '../../helpers/messages.js';
import { startTestApi, type TestApi } from '../../helpers/api.js';

/*
 * npm run backup: an online copy of the SQLite store taken while the server writes, which a server then starts
 * on (the restore), with everything written before the backup began.
 */

jest.setTimeout(60_000);

const run = promisify(execFile);
const backup = (databaseUrl: string, ...args: string[]) =>
  run(join('node_modules', '.bin', 'tsx'), ['src/server/cli/backup.ts', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl }
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error
  );

let dir: string;
let api: TestApi;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'backup-'));
  api = await startTestApi('sqlite');
});
afterEach(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

async function logBatch(token: string, count: number) {
  const response = await api.call('POST', '/api/v1/interactions/log-thread', {
    as: token,
    body: {
      messages: Array.from({ length: count }, () => graphMessage('lena@fabrikam.example', ['ana@northwind.example']))
    }
  });
  expect(response.status).toBe(200);
}

async function historyCount(url: string, token: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const response: Response = await fetch(
      `${url}/api/v1/interactions?correspondent=lena@fabrikam.example&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: { authorization: `Bearer ${token}` } }
    );
    const page = (await response.json()) as { items: unknown[]; nextCursor: string | null };
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

test('a backup taken while the server writes restores to a working store', async () => {
  const token = await api.token({ email: 'ana@northwind.example' });
  const contact = await api.call('POST', '/api/v1/contacts', {
    as: token,
    body: { name: 'Lena Berg', email: 'lena@fabrikam.example' }
  });
  expect(contact.status).toBe(201);
  await logBatch(token, 300);

  const target = join(dir, 'copy.sqlite');
  // Writes go on during the backup.
  let writing = true;
  const writer = (async () => {
    while (writing) await logBatch(token, 20);
  })();
  const result = await backup(api.testStore.url, target);
  writing = false;
  await writer;
  expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Backed up .* \(\d+ pages, integrity ok\)/) });

  // Restore: a server on the copy (as if copied back into place while the server was stopped).
  const restoredFile = join(dir, 'restored.sqlite');
  copyFileSync(target, restoredFile);
  const restored = await startTestApi('sqlite', { env: { DATABASE_URL: restoredFile } });
  try {
    const restoredToken = await restored.token({ email: 'ana@northwind.example' });
    const entries = await historyCount(restored.url, restoredToken);
    expect(entries).toBeGreaterThanOrEqual(300);
    expect(entries % 20).toBe(0); // whole requests only: every batch is in the copy entirely or not at all
    expect(entries).toBeLessThanOrEqual(await historyCount(api.url, token));
    // The restored store takes writes.
    const more = await restored.call('POST', '/api/v1/interactions/log-thread', {
      as: restoredToken,
      body: { messages: [graphMessage('lena@fabrikam.example', ['ana@northwind.example'])] }
    });
    expect(more.body.logged).toHaveLength(1);
  } finally {
    await restored.close();
  }
});

test('refusals say what to do instead', async () => {
  const existing = join(dir, 'existing.sqlite');
  writeFileSync(existing, '');
  expect(await backup(api.testStore.url, existing)).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('already exists; name a new file')
  });
  expect(await backup('postgres://postgres@127.0.0.1:5432/test', join(dir, 'pg.sqlite'))).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('back it up with pg_dump')
  });
  expect(await backup(join(dir, 'absent.sqlite'), join(dir, 'copy.sqlite'))).toMatchObject({
    code: 1,
    stderr: expect.stringContaining('There is no SQLite store at')
  });
  expect(existsSync(join(dir, 'copy.sqlite'))).toBe(false);
  expect(await backup(api.testStore.url)).toMatchObject({ code: 2, stderr: expect.stringContaining('Usage') });
});
