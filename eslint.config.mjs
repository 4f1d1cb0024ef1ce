// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'coverage/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Workflow code is replayed: it must stay deterministic and free of I/O. (Date and Math.random
    // are the SDK's deterministic versions inside the workflow sandbox.)
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['../activities/*', '../activities', '*/activities/*'], allowTypeImports: true, message: 'Workflows may import activity types only (use proxyActivities).' },
          { group: ['fs', 'node:*', 'axios', 'better-sqlite3', 'express', 'openai', 'http', 'https', 'child_process'], message: 'No I/O in workflow code.' },
        ],
      }],
    },
  },
);
