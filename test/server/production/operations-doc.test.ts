import { readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/server/config.js';

/*
 * docs/OPERATIONS.md's environment reference is kept in step with src/server/config.ts: every variable the
 * configuration reads has a row, and every row is a variable it reads. The variables are found by watching
 * loadConfig read the environment in each of its modes, so a new setting cannot be missed.
 */

function variablesRead(env: Record<string, string>): Set<string> {
  const read = new Set<string>();
  const watched = new Proxy(env, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return target[name as string];
    }
  });
  try {
    loadConfig(watched);
  } catch {
    // A refused environment still shows what was read.
  }
  return read;
}

const GUID = '11111111-2222-4333-8444-555555555555';
const everyMode: Record<string, string>[] = [
  {},
  { NODE_ENV: 'production', AUTH_MODE: 'entra' },
  { MAILBOX_CLIENT_ID: GUID, MAILBOX_CLIENT_SECRET: 's3cret' },
  { MAILBOX_CLIENT_ID: GUID, MAILBOX_CERTIFICATE_KEY_FILE: 'package.json', MAILBOX_CERTIFICATE_THUMBPRINT: 'ab' }
];

const documented = () =>
  new Set(
    [...readFileSync('docs/OPERATIONS.md', 'utf8').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1] ?? '')
  );

test('every variable the configuration reads is documented, and nothing else is', () => {
  const read = new Set(everyMode.flatMap((env) => [...variablesRead(env)]));
  expect(read.size).toBeGreaterThan(20); // the watching works
  expect([...read].filter((name) => !documented().has(name)).sort()).toEqual([]);
  expect([...documented()].filter((name) => !read.has(name)).sort()).toEqual([]);
});

test('the reverse-proxy example keeps the pane precompressed and cached as the server sends it', () => {
  const nginx = /```nginx\n([\s\S]*?)```/.exec(readFileSync('docs/OPERATIONS.md', 'utf8'))?.[1] ?? '';
  expect(nginx).toContain('proxy_pass http://127.0.0.1:3000;');
  // Each of these would undo it: Accept-Encoding cleared (everything sent uncompressed), responses decompressed
  // or cached by the proxy, Cache-Control replaced, ETag or Vary hidden.
  for (const undoing of [
    /Accept-Encoding/i,
    /gunzip\s+on/,
    /\bexpires\b/,
    /add_header\s+Cache-Control/i,
    /proxy_hide_header/,
    /proxy_cache\s/
  ]) {
    expect(nginx).not.toMatch(undoing);
  }
});
