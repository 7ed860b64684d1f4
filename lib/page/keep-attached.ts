/**
 * Keeps one of RelayGuard's host elements on the page: a page script that removes it (to hide
 * a warning, or a paste question) sees it come straight back. Cheap by construction: the
 * observer watches the direct children of the host's parent and of the document (which catches
 * a replaced `<html>`), never a subtree, and the host's own `inert` attribute.
 */

export interface KeepAttachedOptions {
  /** Re-attachments allowed per window before backing off (a page that fights back in a loop). */
  readonly burst?: number;
  readonly windowMs?: number;
  /** Called after the host was put back (a dialog takes focus back, for example). */
  readonly onReattach?: () => void;
  /**
   * Called once when the page removes the host faster than `burst` per window: it is fighting.
   * With this set the host then stays off the page (the caller shows its message elsewhere);
   * without it the host comes back after a pause.
   */
  readonly onOverwhelmed?: () => void;
  /**
   * Whether the script that made the host still runs (its extension was not updated or removed
   * meanwhile); when not, the host stays off the page: a newer version's guard removed it.
   */
  readonly stillOurs?: () => boolean;
  readonly setTimeout?: (handler: () => void, ms: number) => unknown;
  readonly now?: () => number;
}

/** Starts watching; the returned function stops it (call it before removing the host yourself). */
export function keepAttached(host: HTMLElement, options: KeepAttachedOptions = {}): () => void {
  const { burst = 20, windowMs = 1000, onReattach, onOverwhelmed, stillOurs, setTimeout: later = (handler, ms) => setTimeout(handler, ms), now = () => Date.now() } = options;
  const doc = host.ownerDocument;
  let stopped = false;
  let windowStart = now();
  let inWindow = 0;
  let retryScheduled = false;

  const observer = new MutationObserver(() => check());
  const observe = () => {
    observer.disconnect();
    observer.observe(doc, { childList: true });
    if (host.parentNode && host.parentNode !== doc) observer.observe(host.parentNode, { childList: true });
    observer.observe(host, { attributes: true, attributeFilter: ['inert'] });
  };

  const reattach = () => {
    retryScheduled = false;
    if (stopped) return;
    if (host.hasAttribute('inert')) host.removeAttribute('inert');
    if (!host.isConnected) {
      (doc.documentElement ?? doc.body)?.append(host);
      onReattach?.();
    }
    observe();
  };

  const check = () => {
    if (stopped || (host.isConnected && !host.hasAttribute('inert'))) return;
    if (stillOurs && !stillOurs()) {
      stop();
      return;
    }
    const time = now();
    if (time - windowStart > windowMs) {
      windowStart = time;
      inWindow = 0;
    }
    if (++inWindow <= burst) {
      reattach();
    } else if (onOverwhelmed) {
      stop();
      onOverwhelmed();
    } else if (!retryScheduled) {
      // Fighting a page that removes the host on every mutation would spin forever: wait a bit.
      retryScheduled = true;
      later(reattach, windowMs);
    }
  };

  const stop = () => {
    stopped = true;
    observer.disconnect();
  };
  observe();
  return stop;
}
