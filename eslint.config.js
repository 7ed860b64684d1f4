// ESLint for RelayGuard. `npm run lint` runs this and knip (see knip.jsonc).
import './tests/tools/eslint-typescript.js';
import tseslint from 'typescript-eslint';
import regexp from 'eslint-plugin-regexp';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

export default tseslint.config(
  // tests/e2e/.artifacts/ holds what the real-browser tests write (SDK bundles, screenshots).
  { ignores: ['.output/', '.wxt/', 'node_modules/', 'test-results/', 'coverage/', 'tests/e2e/.artifacts/'] },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    extends: [tseslint.configs.recommended, regexp.configs['flat/recommended']],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })] },
    rules: {
      // Pages RelayGuard judges are hostile: a pattern that can backtrack super-linearly on
      // page-controlled text lets one request stall the service worker (issue 8).
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      // `[A-Za-z0-9+/]` spells out an alphabet (base64, key bodies); an `i` flag would hide it.
      'regexp/use-ignore-case': 'off',
      // Value cycles; import-x ignores `import type` edges (they vanish at runtime).
      'import-x/no-cycle': 'error',
      // A leading underscore marks a parameter kept for its position (callbacks, fakes).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // One-way layering: components → lib, entrypoints → both, never back.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './lib', from: ['./components', './entrypoints'], message: 'lib/ is pure logic: it never imports components/ or entrypoints/.' },
            { target: './components', from: './entrypoints', message: 'components/ never import entrypoints/.' },
          ],
        },
      ],
      // tldts derives its trie's tables when it loads; lib/core/public-suffix.cjs loads it on the
      // first call. A static import anywhere in the extension would load it at every worker start again.
      'no-restricted-imports': ['error', { paths: [{ name: 'tldts', message: 'Use getDomain from lib/core/public-suffix.cjs: it loads tldts on first use.' }] }],
    },
  },
  {
    // Tests and tools may import tldts itself (nothing there starts a worker).
    files: ['tests/**', '**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // wxt-browser.cjs and public-suffix.cjs must stay CommonJS (see their headers).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
