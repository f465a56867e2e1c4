import { spawnSync } from 'node:child_process';

/*
 * The rooms are kept by the linter (eslint.config.mjs): each case is a line of code placed in a room where it does
 * not belong, and the project's own configuration must refuse it; the same line in its own room passes.
 */

/** Lints each [path, code] with the project's configuration, in one child process (the config is an ES module). */
function ruleIdsFor(cases: [string, string][]): string[][] {
  const script = `
    import { ESLint } from 'eslint';
    const cases = JSON.parse(await new Response(process.stdin).text());
    const eslint = new ESLint({ cwd: process.cwd() });
    const results = [];
    for (const [filePath, code] of cases) {
      const [result] = await eslint.lintText(code + '\\nexport const used = value;\\n', { filePath });
      results.push(result.messages.map((message) => message.ruleId ?? message.message));
    }
    process.stdout.write(JSON.stringify(results));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(cases),
    encoding: 'utf8'
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[][];
}

const roomRules = (ids: string[]) => ids.filter((id) => /no-restricted-(imports|globals|properties|syntax)/.test(id));

const refused: [string, string, string][] = [
  ['the server imports the add-in', 'src/server/http/x.ts', "import { value } from '../../addin/taskpane/data.js';"],
  ['the add-in imports the server', 'src/addin/taskpane/x.ts', "import { value } from '../../server/store/index.js';"],
  ['shared code imports the server', 'src/shared/x.ts', "import { value } from '../server/config.js';"],
  ['a route reaches the database library', 'src/server/http/routes/x.ts', "import { value } from 'kysely';"],
  ['the domain reaches PostgreSQL', 'src/server/domain/x.ts', "import value from 'pg';"],
  ['the processor opens SQLite', 'src/server/mailbox/x.ts', "import value from 'better-sqlite3';"],
  ['the pane uses MSAL outside auth/', 'src/addin/taskpane/x.ts', "import { value } from '@azure/msal-browser';"],
  ['the add-in imports Fastify', 'src/addin/api/x.ts', "import value from 'fastify';"],
  ['shared code imports React', 'src/shared/x.ts', "import value from 'react';"],
  ['the server imports Fluent UI', 'src/server/x.ts', "import { value } from '@fluentui/react-components';"],
  ['the pane touches Office outside office/', 'src/addin/taskpane/x.ts', 'const value = Office.context;'],
  ['the server touches Office', 'src/server/x.ts', 'const value = Office.context;'],
  ['the domain reads the store', 'src/server/domain/x.ts', "import { value } from '../store/index.js';"],
  ['the domain answers HTTP', 'src/server/domain/x.ts', "import { value } from '../http/problems.js';"],
  ['the domain calls a use case', 'src/server/domain/x.ts', "import { value } from '../usecases/access.js';"],
  ['the domain imports Fastify', 'src/server/domain/x.ts', "import value from 'fastify';"],
  ['the domain reads the clock', 'src/server/domain/x.ts', 'const value = Date.now();'],
  ['the domain makes its own now', 'src/server/domain/x.ts', 'const value = new Date();'],
  ['a route uses a stand-in', 'src/server/http/x.ts', "import { value } from '../../stand-ins/graph/state.js';"],
  [
    'the pane uses the demo mailbox',
    'src/addin/taskpane/x.ts',
    "import { value } from '../../stand-ins/demo-mailbox.js';"
  ],
  ['shared code uses a stand-in', 'src/shared/x.ts', "import { value } from '../stand-ins/office/stand-in.js';"],
  ['a stand-in imports the server', 'src/stand-ins/graph/x.ts', "import { value } from '../../server/config.js';"],
  ['a stand-in imports the add-in', 'src/stand-ins/office/x.ts', "import { value } from '../../addin/office/x.js';"]
];

test('a line in a room where it does not belong is refused', () => {
  const found = ruleIdsFor(refused.map(([, filePath, code]) => [filePath, code]));
  const notRefused = refused.filter((_, index) => roomRules(found[index] ?? []).length !== 1).map(([name]) => name);
  expect(notRefused).toEqual([]);
});

const allowed: [string, string, string][] = [
  ['the store uses Kysely', 'src/server/store/x.ts', "import { value } from 'kysely';"],
  ['auth/ uses MSAL', 'src/addin/auth/x.ts', "import { value } from '@azure/msal-browser';"],
  ['office/ touches Office', 'src/addin/office/x.ts', 'const value = Office.context;'],
  ['the pane uses shared schemas', 'src/addin/taskpane/x.ts', "import { value } from '../../shared/schemas/index.js';"],
  ['the server uses shared schemas', 'src/server/http/x.ts', "import { value } from '../../shared/schemas/index.js';"],
  ['a use case reads the store', 'src/server/usecases/x.ts', "import { value } from '../store/index.js';"],
  ['the domain uses domain errors', 'src/server/domain/x.ts', "import { value } from '../errors.js';"],
  ['the domain formats a given time', 'src/server/domain/x.ts', 'const value = new Date(0);'],
  [
    'dev mode wires the stand-ins in',
    'src/server/dev-stand-ins.ts',
    "import { value } from '../stand-ins/graph/x.js';"
  ],
  ['a stand-in uses shared code', 'src/stand-ins/graph/x.ts', "import { value } from '../../shared/email.js';"]
];

test('the same lines in their own rooms pass', () => {
  const found = ruleIdsFor(allowed.map(([, filePath, code]) => [filePath, code]));
  const refusedWrongly = allowed.filter((_, index) => roomRules(found[index] ?? []).length > 0).map(([name]) => name);
  expect(refusedWrongly).toEqual([]);
});

test('a function longer than 80 lines is refused in src/, not in a test file', () => {
  const longFunction = `export function long(): number {\n  let value = 0;\n${'  value += 1;\n'.repeat(80)}  return value;\n}\nconst value = long();`;
  const [inSource, inTest] = ruleIdsFor([
    ['src/server/usecases/x.ts', longFunction],
    ['test/server/x.test.ts', longFunction]
  ]);
  expect(inSource).toContain('max-lines-per-function');
  expect(inTest).not.toContain('max-lines-per-function');
});
