import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { createContentTranslator } from '../../lib/content/content-i18n.ts';
import { createLifetime } from '../../lib/content/lifetime.ts';
import { shadowRootHosts } from '../../lib/content/page-ui.tsx';
import { fetchSameOriginJson, reportPage } from '../../lib/content/report-page.ts';
import { startPageScript, whenDomReady } from '../../lib/content/start-page.ts';

// The one content script, top frame only: the key paste guard (listening from document_start,
// before the page's own scripts), the in-page warning on unvetted and blocked pages, and the
// page fingerprint (what a relay's own markup gives away; the background decides what it means).
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_start',
  // WXT's start-up postMessage would tell every page that RelayGuard runs (and its id).
  noScriptStartedPostMessage: true,
  // WXT's `ctx` is not used for the script's lifetime: a page can end it (lib/content/lifetime.ts).
  main() {
    const lifetime = createLifetime(() => browser.runtime?.id !== undefined);
    // Before the paste guard's own listeners: an orphaned script (extension updated or removed)
    // takes itself off the page instead of holding pastes it can no longer answer for.
    for (const type of ['paste', 'drop'] as const) {
      window.addEventListener(type, () => lifetime.check(), { capture: true, signal: lifetime.signal });
    }
    const send = async (message: unknown) => {
      if (!lifetime.check()) throw new Error('RelayGuard was updated or removed.');
      return browser.runtime.sendMessage(message);
    };
    const translate = createContentTranslator((key, substitutions) => browser.i18n.getMessage(key as never, substitutions));

    startPageScript({
      window,
      document,
      pageHost: () => location.hostname,
      send,
      listen: (listener) => {
        const onMessage = (message: unknown, sender: { id?: string }) => {
          // Only the background speaks to this script; it answers nothing back.
          if (sender.id === browser.runtime.id) listener(message);
        };
        browser.runtime.onMessage.addListener(onMessage);
        return () => browser.runtime.onMessage.removeListener(onMessage);
      },
      ui: {
        translate,
        // Read when a surface renders: an ordinary page never touches browser.i18n.
        get lang() {
          return browser.i18n.getUILanguage();
        },
        createHost: shadowRootHosts(lifetime),
      },
      signal: lifetime.signal,
    });

    void whenDomReady(document).then(() => {
      if (lifetime.signal.aborted) return;
      let pageStorage: Storage | null = null;
      try {
        pageStorage = window.localStorage;
      } catch {
        // Sandboxed or storage-blocked pages: nothing to read there.
      }
      void reportPage({
        send,
        document,
        storage: pageStorage,
        location,
        fetchJson: fetchSameOriginJson,
        wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      });
    });
  },
});
