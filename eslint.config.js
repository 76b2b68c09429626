// What reviewers would catch, checked by a machine in `npm test` (scripts/test-all.sh, zero
// warnings): typescript-eslint's strict type-checked rules everywhere, React's hooks rules and
// jsx-a11y in the panel, and the panel's one boundary (it talks to the engine through the
// contract in electron/api/, never engine internals). Versions are pinned in package.json.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['.scratch/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'compose-specs/**', '**/*.cjs', '**/*.mjs', 'bin/**', 'eslint.config.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` says "deliberately unused" (rest-destructuring a key away, an ignored argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Numbers in words ("3 of 20 ready", ports, sizes) are what a template is for here; the rule
      // keeps catching `undefined`, objects and arrays slipping into text.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `onClick={() => setOpen(false)}`: an arrow's shorthand body returning void is React's idiom.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    // In a test a wrong `x!` throws and fails the test, which is what the test wants to happen.
    files: ['**/*.test.{ts,tsx}', 'e2e/**', 'bench/**', '**/testing/**', 'renderer/src/test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...jsxA11y.flatConfigs.strict,
    languageOptions: { ...jsxA11y.flatConfigs.strict.languageOptions, globals: { ...globals.browser } },
    rules: {
      ...jsxA11y.flatConfigs.strict.rules,
      // A scrolling log or build output must take focus, or a keyboard cannot scroll it.
      'jsx-a11y/no-noninteractive-tabindex': ['error', { roles: ['tabpanel', 'log', 'region'], tags: ['pre'] }],
      // A dialog handles Tab (focus kept inside) and Escape: the WAI-ARIA dialog pattern.
      'jsx-a11y/no-noninteractive-element-interactions': [
        'error',
        { handlers: ['onClick', 'onError', 'onLoad', 'onMouseDown', 'onMouseUp', 'onKeyPress', 'onKeyDown', 'onKeyUp'], dialog: ['onKeyDown', 'onKeyUp', 'onKeyPress'] },
      ],
      // Safari drops a list's semantics when its bullets are styled away: the role says it again.
      'jsx-a11y/no-redundant-roles': ['error', { nav: ['navigation'], ul: ['list'], li: ['listitem'] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // An error like every other rule: a warning fails `npm test` all the same.
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/engine/**', '**/electron/serve/**', '**/electron/desktop/**', '**/electron/cli/**'],
              message: 'The panel talks to the engine only through the contract (electron/api/).',
            },
          ],
        },
      ],
    },
  },
);
