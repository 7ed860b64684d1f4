// typescript-eslint parses through the TypeScript 5/6 compiler API (`ts.createSourceFile`, …).
// The project compiles with TypeScript 7, whose package no longer exports that API, so the
// linter gets its own TypeScript 6 (installed as the alias `typescript-for-eslint`). This hook
// sends only the lint plugins' `require('typescript')` there; `tsc` and the build
// keep TypeScript 7. Imported first by eslint.config.js, before any plugin loads.
import { registerHooks } from 'node:module';

const LINT_PACKAGES = /[\\/]node_modules[\\/](?:@typescript-eslint|typescript-eslint|ts-api-utils|eslint-plugin-regexp|eslint-plugin-import-x)[\\/]/;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'typescript' && context.parentURL && LINT_PACKAGES.test(context.parentURL)) {
      return nextResolve('typescript-for-eslint', context);
    }
    return nextResolve(specifier, context);
  },
});
