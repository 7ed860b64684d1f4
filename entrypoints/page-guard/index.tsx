import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createContentTranslator } from '../../lib/page/content-i18n.ts';
import { contentExtensionApi } from '../../lib/platform/extension-api.ts';
import { documentHost } from '../../lib/page/document-host.ts';
import { createLifetime } from '../../lib/page/lifetime.ts';
import { openPageBridge } from '../../lib/page/page-bridge.ts';
import { pageSurfaces, shadowRootHosts } from '../../components/page/page-ui.tsx';
import { fetchSameOriginJson, probeStatus } from '../../lib/page/fingerprint/probe-status.ts';
import { contentShadowRoots } from '../../lib/page/paste/paste-target.ts';
import { startPageScript } from '../../lib/page/start-page.ts';

// The page guard: the in-page warning, the key paste guard and the status probe. Not declared
// in the manifest: the background runs it in the top frame of the pages that need it, and in a
// frame whose page watch holds a paste that may carry a key
// (lib/background/page-guards.ts), so ordinary pages never load its UI or its zod. An unlisted
// script, like the page watch, so it brings neither WXT's content-script wrapper nor the polyfill
// (lib/platform/extension-api.ts); its lifetime is lib/page/lifetime.ts, which a page cannot end.
export default defineUnlistedScript(() => {
  const browser = contentExtensionApi();
  const lifetime = createLifetime(() => browser.runtime.id !== undefined);
  const bridge = openPageBridge(window, () => lifetime.check(), lifetime.signal);
  // The background may run the guard again in a document it already guards: one is enough.
  if (!bridge.claimGuard()) return;
  const send = async (message: unknown) => {
    if (!lifetime.check()) throw new Error('RelayGuard was updated or removed.');
    return browser.runtime.sendMessage(message);
  };
  const translate = createContentTranslator((key, substitutions) => browser.i18n.getMessage(key, substitutions));

  startPageScript({
    window,
    document,
    pageHost: () => documentHost(location, window.origin),
    send,
    listen: (listener) => {
      const onMessage = (message: unknown, sender: { id?: string }) => {
        // Only the background speaks to this script; it answers nothing back.
        if (sender.id === browser.runtime.id) listener(message);
      };
      browser.runtime.onMessage.addListener(onMessage);
      return () => browser.runtime.onMessage.removeListener(onMessage);
    },
    surfaces: pageSurfaces({
      translate,
      get lang() {
        return browser.i18n.getUILanguage();
      },
      createHost: shadowRootHosts(lifetime),
    }),
    pasteEvents: bridge.guardEvents,
    heldPaste: bridge.takeHeld(),
    probeStatus: (family) => probeStatus({ send, fetchJson: fetchSameOriginJson, ...(family && { family }) }),
    signal: lifetime.signal,
    shadowRootOf: contentShadowRoots(),
    subFrame: window !== window.top,
  });
});
