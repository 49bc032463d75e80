// `npm run lint`: a small rule set that guards what issue 15 fixed, not a style guide (tsc checks types,
// and formatting is left alone). Import cycles are checked by dependency-cruiser (.dependency-cruiser.cjs),
// which, unlike eslint-plugin-import(-x)'s no-cycle, counts type-only imports.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test/e2e/out/**', 'bench/results/**', '**/*.vsix'] },
  {
    // The e2e runners and scenarios are type-checked JavaScript (test/e2e/tsconfig.json): one of their
    // async helpers called without `await` is a flaky end-to-end test, so they get the typed rules too
    // (Playwright's own objects are untyped there, so its calls are not covered).
    files: ['**/*.ts', '**/*.mts', '**/*.cts', 'test/e2e/*.mjs', 'test/e2e/{lib,scenarios,electron}/*.mjs'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection (an unhandled rejection kills the server) and its ordering.
      // `void p` says "fire and forget" on purpose.
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      // Dead imports and variables: what is left behind when code moves between modules.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ignores: ['test/e2e/*.mjs', 'test/e2e/{lib,scenarios,electron}/*.mjs'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
);
