import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { fetchSameOriginJson, reportPage } from '../lib/content/report-page.ts';

// Reads what a relay's own markup gives away (served title, meta text, footer, storage key
// names) in the top frame only; the background decides what it means.
export default defineContentScript({
  matches: ['http://*/*', 'https://*/*'],
  runAt: 'document_end',
  main() {
    let storage: Storage | null = null;
    try {
      storage = window.localStorage;
    } catch {
      // Sandboxed or storage-blocked pages: nothing to read there.
    }
    void reportPage({
      send: (message) => browser.runtime.sendMessage(message),
      document,
      storage,
      location,
      fetchJson: fetchSameOriginJson,
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
  },
});
