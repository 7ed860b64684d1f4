/**
 * How long the content script lives. Not WXT's ContentScriptContext: that one ends itself when a
 * `<extension id>:<script>:wxt:content-script-started` event reaches the document, and a page
 * can dispatch that event (Chromium hands a page's CustomEvent detail to the isolated world),
 * which would take the warning and the paste guard off the page with one line of script. Store
 * extension ids are public. This one ends only when the extension itself is gone (updated,
 * reloaded or removed: `runtime.id` is then undefined), which is checked whenever it matters.
 */
export interface Lifetime {
  readonly signal: AbortSignal;
  onInvalidated(callback: () => void): () => void;
  /** Ends the lifetime if the extension is gone; true while it lives. */
  check(): boolean;
}

export function createLifetime(extensionAlive: () => boolean): Lifetime {
  const controller = new AbortController();
  const { signal } = controller;
  return {
    signal,
    onInvalidated(callback) {
      signal.addEventListener('abort', callback, { once: true });
      return () => signal.removeEventListener('abort', callback);
    },
    check() {
      if (signal.aborted) return false;
      let alive = false;
      try {
        alive = extensionAlive();
      } catch {
        alive = false;
      }
      if (!alive) controller.abort();
      return alive;
    },
  };
}
