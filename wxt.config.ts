import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// Chromium's MV3 build is the primary target; Firefox gets MV2 (WXT's default), where
// background pages and webRequest behave the same for our observers.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  // Explicit imports everywhere: a reader sees where every name comes from.
  imports: false,
  hooks: {
    // WXT 0.21.4 still runs unimport's transform when `imports` is false, so a local variable
    // named `storage` or `browser` silently pulled in WXT's module; switch the transform off too.
    'config:resolved': (wxt) => {
      Object.assign(wxt.config.imports, { autoImport: false });
    },
  },
  vite: ({ command }) => ({
    plugins: [preact()],
    // Built bundles get the same polyfill object without the bundler's CommonJS interop walking
    // every extension API on every page (see lib/platform/wxt-browser.cjs). Overrides
    // @wxt-dev/webextension-polyfill's alias of the same name (a module's vite config is merged
    // under the project's). Not for the dev server, which serves source files as ES modules.
    ...(command === 'build' && { resolve: { alias: { 'wxt/browser': fileURLToPath(new URL('./lib/platform/wxt-browser.cjs', import.meta.url)) } } }),
  }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // Every permission is explained in README.md ("Permissions"); keep the two in step.
    permissions: ['storage', 'webNavigation', 'webRequest', 'declarativeNetRequest', 'scripting'],
    host_permissions: ['<all_urls>'],
    // The page watch (entrypoints/page-watch.ts) is declared here rather than as a WXT content
    // script: WXT's wrapper would bring webextension-polyfill into every page. The page guard
    // (entrypoints/page-guard/) is an unlisted script the background runs with
    // scripting.executeScript where it is needed (lib/background/page-guards.ts).
    // Every frame, not only the top one: a key field in an iframe is as dangerous as one in the page
    // (lib/page/watch-page.ts says how little a sub-frame does). Frames without a URL of their own
    // (about:blank, srcdoc, blob:, data:) are matched by their creator's origin: Chromium's
    // match_origin_as_fallback; Firefox's MV2 build uses match_about_blank (about:blank, srcdoc).
    content_scripts: [
      {
        matches: ['http://*/*', 'https://*/*'],
        run_at: 'document_start',
        js: ['page-watch.js'],
        all_frames: true,
        ...(browser === 'firefox' ? { match_about_blank: true } : { match_origin_as_fallback: true }),
      },
    ],
    // The block page must be web-accessible, or link clicks to a blocked host fail to redirect. In
    // Chromium, use_dynamic_url keeps pages from fetching, framing or opening it at the extension's
    // fixed address (the way a page would probe for RelayGuard), while redirects still land on it;
    // measured in tests/e2e/hostile-block-page.e2e.ts and written down in docs/hostile-pages.md.
    web_accessible_resources:
      browser === 'firefox' ? ['blocked.html'] : [{ resources: ['blocked.html'], matches: ['<all_urls>'], use_dynamic_url: true }],
    // No extension page may be framed by another page (Chromium honours frame-ancestors here);
    // the block page also refuses to act when framed, for browsers that do not.
    ...(browser !== 'firefox' && {
      content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'; frame-ancestors 'none'" },
    }),
    storage: { managed_schema: 'managed_schema.json' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'relayguard@relayguard.dev',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
