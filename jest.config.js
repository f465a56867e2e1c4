/*
 * Jest runs TypeScript through SWC (no type-checking here: `npm run typecheck` does that once).
 * Some dependencies ship only ES modules; SWC turns them into CommonJS for Jest as well.
 */
const esmOnly = ['kysely', 'uuid', 'jose', 'typebox', 'content-disposition'];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          target: 'es2022',
          transform: { react: { runtime: 'automatic' } }
        },
        module: { type: 'commonjs' }
      }
    ]
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  // Sources import siblings as "./x.js" (Node ESM style); in Jest they resolve to the .ts files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/addin/setup-dom.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/addin/fluent-warnings.ts'],
  reporters: ['default', '<rootDir>/test/summary-reporter.cjs'],
  testTimeout: 30_000
};
