// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/**
 * ESLint over the whole tree (npm run lint): JavaScript's and typescript-eslint's recommended rules with type
 * information (each file checked against its own tsconfig: the root one, web/ or bench/), the React hooks
 * rules for web/, and no warning left standing. Formatting is Prettier's (.prettierrc.json); the layers and
 * import cycles are dependency-cruiser's (.dependency-cruiser.cjs).
 */
export default defineConfig(
  globalIgnores([
    'generated/',
    '**/dist/',
    '.tools/',
    '.data/',
    '.test-data/',
    'test-results/',
    'coverage/',
    'bench/peers/flowable/target/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Function members as properties: checked contravariantly (methods are bivariant), and free of `this`, so
      // destructuring them (`const { t } = useI18n()`, `stop: server.stop`) is safe and unbound-method is left
      // to catch class methods passed around without their object.
      '@typescript-eslint/method-signature-style': ['error', 'property'],
      // A variable that a signal handler reads before it is assigned stays `let` (a const would throw there).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // A leading underscore marks what a signature needs but the body does not use (Express's `_next`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Off: an async function without await is how a route handler, an activity or a test double meets an
      // interface that returns a promise; the promise rules below catch the mistakes that matter.
      '@typescript-eslint/require-await': 'off',
      // The rules that catch real bugs for Temporal and Express: a promise nobody awaits or handles.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      // Off in tests and the benchmark: they read response bodies as JSON (supertest's `body` is `any`) and
      // check them with assertions, which is what these rules would ask for.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['test/**'],
    // Off in tests: they damage cloned JSON in place (a rule set, a request) to check that it is refused.
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
    rules: {
      // Off: the data hooks (useGet, the session, the eligibility check) set their loading state as they start a
      // request in an effect, the way React documents fetching without a framework; it costs one render.
      'react-hooks/set-state-in-effect': 'off',
      // Off: it reports what the React Compiler could not optimise, and the web UI is not built with it.
      'react-hooks/preserve-manual-memoization': 'off',
    },
  },
  {
    // The Jest and dependency-cruiser configurations and this file: CommonJS or ES modules run by Node, outside every tsconfig.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    // Off: a CommonJS file loads its neighbours with require().
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // A case type laid over the sources in memory by test/case-type-scaffold.test.ts: it type-checks only there.
    files: ['test/fixtures/scaffold-case-type/**'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
