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
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'readonly' } }
  }
);
