import js from '@eslint/js';
import prettierConfig from 'eslint-config-prettier';
import officeAddins from 'eslint-plugin-office-addins';
import prettierPlugin from 'eslint-plugin-prettier';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/*
 * One flat config (office-addin-lint reads only this file). TypeScript rules everywhere; the add-in code
 * also gets office-addin-lint's rule set: its Office.js rules, React, and Prettier formatting. Its
 * bundled typescript-eslint is older than ours, so its rules are taken without its plugin copies.
 */
const officeRules = Object.assign(
  {},
  ...officeAddins.configs.react.filter((config) => config.rules).map((config) => config.rules)
);
delete officeRules['@typescript-eslint/no-unused-vars'];

/*
 * The rooms (README, "Layout"), kept by the linter: the browser and the server never import each other; only
 * src/server/store/ reaches the database libraries; only src/addin/auth/ uses MSAL in the browser; only
 * src/addin/office/ touches the Office global; src/server/domain/ holds pure rules (no store, HTTP, auth, use case,
 * mailbox, config or clock of its own); the stand-ins for Microsoft's cloud (src/stand-ins/) are no part of the
 * product: only src/server/dev-stand-ins.ts reaches them, and they reach nothing of it but src/shared. A file gets
 * exactly one of the room rules below (flat config replaces a rule rather than merging it), so each room lists
 * everything it may not import.
 */
const forbidden = {
  server: { group: ['**/server/**'], message: 'The server is not part of this room: share types through src/shared.' },
  addin: { group: ['**/addin/**'], message: 'The add-in is browser code: share types through src/shared.' },
  database: {
    group: ['kysely', 'kysely/*', 'pg', 'pg-*', 'better-sqlite3'],
    message: 'Only src/server/store/ talks to the database: add a store method.'
  },
  serverLibraries: {
    group: ['fastify', 'fastify-*', '@fastify/*', '@azure/msal-node', 'node:*'],
    message: 'Server libraries do not belong in browser or shared code.'
  },
  browserLibraries: {
    group: ['react', 'react-dom', 'react-dom/*', '@fluentui/*', '@azure/msal-browser'],
    message: 'Browser libraries do not belong in server or shared code.'
  },
  msalBrowser: { group: ['@azure/msal-browser'], message: 'Only src/addin/auth/ uses MSAL: ask it for a token.' },
  impure: {
    group: ['**/store/**', '**/http/**', '**/auth/**', '**/usecases/**', '**/mailbox/**', '**/config.js'],
    message: 'The domain holds pure rules over data already loaded: load and save in a use case (src/server/usecases/).'
  },
  standIns: {
    group: ['**/stand-ins/**'],
    message: 'The stand-ins are not product code: dev mode reaches them through src/server/dev-stand-ins.ts alone.'
  }
};
/** The one file of the server that wires the stand-ins in (dev mode only). */
const DEV_STAND_INS = 'src/server/dev-stand-ins.ts';
const room = (files, ignores, ...patterns) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns }] }
});
const rooms = [
  room(['src/server/store/**'], [], forbidden.addin, forbidden.browserLibraries, forbidden.standIns),
  room(
    ['src/server/**'],
    ['src/server/store/**', 'src/server/domain/**', DEV_STAND_INS],
    forbidden.addin,
    forbidden.browserLibraries,
    forbidden.database,
    forbidden.standIns
  ),
  room(
    ['src/server/domain/**'],
    [],
    forbidden.addin,
    forbidden.browserLibraries,
    forbidden.database,
    forbidden.serverLibraries,
    forbidden.impure,
    forbidden.standIns
  ),
  room([DEV_STAND_INS], [], forbidden.addin, forbidden.browserLibraries, forbidden.database),
  room(
    ['src/shared/**'],
    [],
    forbidden.server,
    forbidden.addin,
    forbidden.database,
    forbidden.serverLibraries,
    forbidden.browserLibraries,
    forbidden.standIns
  ),
  room(['src/addin/auth/**'], [], forbidden.server, forbidden.database, forbidden.serverLibraries, forbidden.standIns),
  room(
    ['src/addin/**'],
    ['src/addin/auth/**'],
    forbidden.server,
    forbidden.database,
    forbidden.serverLibraries,
    forbidden.msalBrowser,
    forbidden.standIns
  ),
  // The stand-ins the server runs: Graph's in Node, the hook that serves the pane with Office's (whose browser
  // code is test code, test/stand-ins/office/: only src/addin/office/ touches Office.js in src/); the demo data.
  room(
    ['src/stand-ins/graph/**'],
    [],
    forbidden.server,
    forbidden.addin,
    forbidden.database,
    forbidden.browserLibraries
  ),
  room(['src/stand-ins/office/**'], [], forbidden.server, forbidden.addin, forbidden.database),
  room(
    ['src/stand-ins/*'],
    [],
    forbidden.server,
    forbidden.addin,
    forbidden.database,
    forbidden.serverLibraries,
    forbidden.browserLibraries
  ),
  {
    // The domain has no clock of its own: the use case passes `now`, so every rule can be tested at any time.
    files: ['src/server/domain/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Take `now` as an argument: the use case owns the clock.' }
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Take `now` as an argument: the use case owns the clock.'
        }
      ]
    }
  },
  {
    files: ['src/**'],
    ignores: ['src/addin/office/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Office', message: 'Only src/addin/office/ touches Office.js: add what you need to its adapter.' }
      ]
    }
  }
];

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'coverage/', 'node_modules/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettierConfig,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always']
    }
  },
  {
    files: ['src/addin/**/*.{ts,tsx}'],
    plugins: { 'office-addins': officeAddins, react, 'react-hooks': reactHooks, prettier: prettierPlugin },
    settings: { react: { version: '18' } },
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      ...officeRules,
      ...react.configs.flat.recommended.rules,
      ...react.configs.flat['jsx-runtime'].rules,
      ...reactHooks.configs.recommended.rules,
      'react/prop-types': 'off',
      // TypeScript checks names; the JS recommended set inside office-addins' config does not know DOM types.
      'no-undef': 'off'
    }
  },
  ...rooms,
  {
    // A function a reader can hold in mind: longer ones get split into named steps. Test files are exempt (a
    // describe block is a list of cases, not a function to read through); translations are JSON data.
    files: ['src/**/*.{ts,tsx}'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] }
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'readonly' } }
  }
);
