import { createLifetime } from '../lib/page/lifetime.ts';
import { contentExtensionApi } from '../lib/platform/extension-api.ts';
import { contentShadowRoots } from '../lib/page/paste/paste-target.ts';
import { watchPage } from '../lib/page/watch-page.ts';
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';

// The page watch: the one content script on every page (every frame, document_start; declared in
// wxt.config.ts). Built as an unlisted script because WXT's content-script wrapper brings
// webextension-polyfill and a start-up DOM event into every page (lib/platform/extension-api.ts);
// lib/page/watch-page.ts says what it does, and README.md "Performance" what it costs.
export default defineUnlistedScript(() => {
  // Read on first use: most pages never need the extension API at all (lib/page/watch-page.ts).
  let api: ReturnType<typeof contentExtensionApi> | null = null;
  const runtime = () => (api ??= contentExtensionApi()).runtime;
  watchPage({
    window,
    document,
    location,
    storage: () => window.localStorage,
    send: (message) => runtime().sendMessage(message),
    lifetime: createLifetime(() => runtime().id !== undefined),
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    // Comparing window proxies works across origins; a frame's own page is judged by its top document.
    subFrame: window !== window.top,
    origin: window.origin,
    shadowRootOf: () => contentShadowRoots(),
  });
});
