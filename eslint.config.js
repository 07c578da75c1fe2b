// One type-aware lint for the whole repository; the import rules keep the layers pointing one way.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const restrict = (patterns, message) => ['error', { patterns: [{ group: patterns, message }] }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      // With noUncheckedIndexedAccess, `x[i]!` after a bounds check is the honest way to say "checked".
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['parsers/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ['../db/*', '../server/*', '../classify/*', '../web/*', 'node:*', 'better-sqlite3', 'express'],
        'parsers are pure: they import nothing of ours and do no I/O',
      ),
    },
  },
  {
    files: ['classify/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ['../db/*', '../server/*', '../web/*', 'node:*', 'better-sqlite3', 'express'],
        'the classifier is pure: only parser types may be imported',
      ),
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ['../server/*', '../web/*', 'express'],
        'db/ does not know the server',
      ),
    },
  },
  {
    files: ['web/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        ['../../db/*', '../../parsers/*', '../../classify/*', 'better-sqlite3', 'express'],
        'the web UI talks to the server only over HTTP (import type from server/http/contract is fine)',
      ),
    },
  },
  {
    files: ['scripts/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
