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
  // Made on first use: the page watch on an ordinary page never needs one (nor its set-up cost).
  let controller: AbortController | null = null;
  let ended = false;
  const control = (): AbortController => {
    if (!controller) {
      controller = new AbortController();
      if (ended) controller.abort();
    }
    return controller;
  };
  return {
    get signal() {
      return control().signal;
    },
    onInvalidated(callback) {
      const { signal } = control();
      signal.addEventListener('abort', callback, { once: true });
      return () => signal.removeEventListener('abort', callback);
    },
    check() {
      if (ended) return false;
      let alive = false;
      try {
        alive = extensionAlive();
      } catch {
        alive = false;
      }
      if (!alive) {
        ended = true;
        controller?.abort();
      }
      return alive;
    },
  };
}
