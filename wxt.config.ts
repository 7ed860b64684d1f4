import { fileURLToPath } from 'node:url';
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import { bundledListProblems } from './lib/lists/bundled-lists.ts';

/**
 * zod probes once whether `new Function` works, to learn whether its JIT may run. RelayGuard sets
 * `jitless` (lib/core/zod-setup.ts), so the probe never runs, yet it stays in the bundle, where
 * store review (`web-ext lint`: DANGEROUS_EVAL) reads it as eval. Bundles get the probe replaced by
 * its answer under jitless, `false`. A zod release that changes the probe fails the build here
 * instead of bringing the warning back unnoticed.
 */
function zodWithoutEvalProbe(): Plugin {
  const probe = /try \{\s*const F = Function;\s*new F\(""\);\s*return true;\s*\}\s*catch \(_\) \{\s*return false;\s*\}/;
  return {
    name: 'relayguard:zod-without-eval-probe',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').endsWith('/zod/v4/core/util.js')) return null;
      if (!probe.test(code)) throw new Error(`zod's \`new Function\` probe changed in ${id}: update zodWithoutEvalProbe in wxt.config.ts`);
      return { code: code.replace(probe, 'return false;'), map: null };
    },
  };
}

/**
 * The service worker takes the bundled lists as they ship, without validating them on every start
 * (lib/lists/bundled-lists.ts): they are validated here instead, and a list that is invalid, or
 * that validation would change, stops the build.
 */
function bundledListsValidated(): Plugin {
  return {
    name: 'relayguard:bundled-lists-validated',
    buildStart() {
      const problems = bundledListProblems();
      if (problems.length > 0) this.error(`A bundled list (assets/lists/) cannot ship:\n${problems.join('\n')}`);
    },
  };
}

/**
 * The English catalogue (lib/core/i18n.ts reads its placeholders, and its text as a fallback) is
 * bundled without the translators' `description`s, which no code reads: 40% of its size, parsed
 * at every start of the service worker and every load of a page.
 */
function catalogueWithoutDescriptions(): Plugin {
  return {
    name: 'relayguard:catalogue-without-descriptions',
    enforce: 'pre',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').split('?')[0]!.endsWith('/public/_locales/en/messages.json')) return null;
      const catalogue = JSON.parse(code) as Record<string, { description?: string }>;
      for (const entry of Object.values(catalogue)) delete entry.description;
      return { code: JSON.stringify(catalogue), map: null };
    },
  };
}

/**
 * The service worker's script is written in ASCII, every other character as a \u escape (the
 * Chinese relay vocabulary, the English catalogue's typographic quotes). One non-ASCII character
 * makes V8 read the whole 590 KB script as two-byte text, which measurably slows every start of
 * the worker. An escape means the same character in a string, template, regular expression or
 * identifier; only a tagged template's raw text would differ, so a String.raw over non-ASCII text
 * stops the build. After minification, which would write the characters back.
 */
function asciiOnlyServiceWorker(): Plugin {
  return {
    name: 'relayguard:ascii-only-service-worker',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const worker = bundle['background.js'];
      if (worker?.type !== 'chunk' || !/[^\0-\x7f]/.test(worker.code)) return;
      if (/String\.raw`[^`]*[^\0-\x7f]/.test(worker.code)) this.error('background.js: a String.raw template holds non-ASCII text, which escaping would change');
      worker.code = worker.code.replace(/[^\0-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    },
  };
}

const iconSet = (name: string) => ({ 16: `icons/${name}-16.png`, 32: `icons/${name}-32.png`, 48: `icons/${name}-48.png`, 128: `icons/${name}-128.png` });
const ICONS = iconSet('relayguard');
const ICONS_ON_DARK = iconSet('relayguard-on-dark');

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
    plugins: [preact(), zodWithoutEvalProbe(), bundledListsValidated(), catalogueWithoutDescriptions(), asciiOnlyServiceWorker()],
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
    // Drawn in assets/icons/*.svg, rendered by assets/icons/render.sh. The default is a dark shield
    // for light toolbars and the stores; Firefox swaps in the light one on dark themes.
    icons: ICONS,
    // Firefox (MV2) calls it browser_action, and there WXT keeps only a browser_action given here.
    [browser === 'firefox' ? 'browser_action' : 'action']: {
      default_icon: { 16: ICONS[16], 32: ICONS[32] },
      ...(browser === 'firefox' && {
        // Firefox's `light` is the light-coloured icon, shown on dark toolbars; `dark` the reverse.
        theme_icons: ([16, 32] as const).map((size) => ({ size, dark: ICONS[size], light: ICONS_ON_DARK[size] })),
      }),
    },
    // Every permission is explained in README.md ("Permissions"); keep the two in step.
    permissions: ['storage', 'webNavigation', 'webRequest', 'declarativeNetRequest', 'scripting', 'alarms', 'notifications'],
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
            // data_collection_permissions arrived in Firefox 140 on desktop but 142 on Android.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
