// One type-aware lint for the whole repository; the folder zones (lint/zones.js) keep the layers pointing one way.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { zones } from './lint/zones.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
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
  zones,
  {
    files: ['scripts/*.mjs', 'lint/*.js', 'lint/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  // ESLint's import resolvers are loaded with require(), so the one we ship is CommonJS.
  { files: ['lint/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
