// ESLint, type-aware (typescript-eslint's recommendedTypeChecked), over src/ and test/.
// Formatting is Prettier's (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/', 'dist/', 'node_modules/', 'src/generated/', 'scripts/', 'examples/', 'fixtures/', '*.mjs', '*.cjs', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      // The `!` after an indexed read is deliberate: it marks where noUncheckedIndexedAccess would ask for a check.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // The readers throw small sentinels without a stack (a failed parse is common input, not a bug).
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'file', name: ['JsonSyntax', 'JsonTooDeep', 'Rejected'] }], allowThrowingUnknown: true, allowRethrowing: true },
      ],
      // A caught `unknown` is passed on as it is: the one catch in main words whatever it is.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `import x = require()` is the TypeScript form for a CommonJS module's whole export (src/shims).
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      // An async function without await still turns a throw into a rejection, which callers rely on.
      '@typescript-eslint/require-await': 'off',
      // The JSON and duration grammars name control characters on purpose.
      'no-control-regex': 'off',
      // Unused bindings are tsc's job (noUnusedLocals/noUnusedParameters); `_` marks the intended ones.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read parsed JSON, CLI output and child processes' results as `any` on purpose: the assertions are the types.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Literals past 2^53 are the point of the exactness tests; assert methods are passed around unbound by design.
      'no-loss-of-precision': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
