/**
 * Where RelayGuard's two content scripts meet in one document. The page watch (on every page,
 * from document_start) and the page guard (run by the background only on pages that need
 * warning or guarding) share the isolated world, and so this object on its global.
 *
 * The bridge owns the one pair of capture-phase `paste` and `drop` listeners on the window,
 * registered by whichever script opens it first: on a page that is the watch, at
 * document_start, before any of the page's own scripts, so a page cannot stop these events
 * from reaching RelayGuard however early it registers its own listeners. Each event then goes
 * to the guard's listeners while a guard listens, and to the watch's fallback otherwise.
 *
 * A held paste crosses here too: the watch holds a Claude subscription credential before the
 * guard is there to ask about it, and the guard takes it over when it starts.
 */
import type { HeldPaste } from './paste/held-text.ts';

type BridgedEventType = 'paste' | 'drop';
type Listener = (event: Event) => void;

export interface PageBridge {
  /** Whether the extension that opened the bridge is still there (an updated extension's old scripts are not). */
  readonly alive: () => boolean;
  /** `paste` and `drop`, for the guard's listeners (only `signal` of the options is used; all run in the capture phase). */
  readonly guardEvents: Pick<EventTarget, 'addEventListener'>;
  /** What handles paste and drop while no guard listens (the watch's early hold). */
  setFallback(listener: Listener): void;
  /** Keeps a paste for the guard; a newer one replaces (and drops) an older one. */
  hold(paste: HeldPaste): void;
  /** The held paste, once: whoever takes it (the guard, or the watch giving up) owns it. */
  takeHeld(): HeldPaste | null;
  /** True for the first guard to start in this document; later injections stand down. */
  claimGuard(): boolean;
}

/**
 * What the bridge is kept on: the isolated world's global, which page scripts cannot see. Its
 * `document`, when there is one, is watched for `document.open()` (see createPageBridge).
 */
export type BridgeHost = Pick<Window, 'addEventListener'> & { readonly document?: Document; [BRIDGE_KEY]?: PageBridge };

/** A registered symbol, so both bundles name the same property; pages live in another world. */
const BRIDGE_KEY = Symbol.for('relayguard.page-bridge');

const BRIDGED_EVENTS: readonly BridgedEventType[] = ['paste', 'drop'];

/**
 * The document's bridge: the one already open, if its extension is still alive, or a new one
 * whose window listeners last as long as `signal` (without one, they stay, and do nothing once
 * `alive` says the extension is gone).
 */
export function openPageBridge(host: BridgeHost, alive: () => boolean, signal?: AbortSignal): PageBridge {
  const existing = host[BRIDGE_KEY];
  if (existing && safely(existing.alive)) return existing;
  const bridge = createPageBridge(host, alive, signal);
  host[BRIDGE_KEY] = bridge;
  return bridge;
}

function createPageBridge(host: BridgeHost, alive: () => boolean, signal: AbortSignal | undefined): PageBridge {
  const guardListeners: Record<BridgedEventType, Set<Listener>> = { paste: new Set(), drop: new Set() };
  let fallback: Listener | null = null;
  let held: HeldPaste | null = null;
  let guardClaimed = false;

  const windowListeners = BRIDGED_EVENTS.map((type): [BridgedEventType, Listener] => [
    type,
    (event) => {
      // An orphaned script (extension updated or removed) holds nothing it can no longer answer for.
      if (!safely(alive)) return;
      const listeners = guardListeners[type];
      if (listeners.size === 0) {
        fallback?.(event);
        return;
      }
      for (const listener of [...listeners]) listener(event);
    },
  ]);
  const options = signal ? { capture: true, signal } : { capture: true };
  // Adding the same listener again is a no-op while it is registered, so this can run at will.
  const arm = () => windowListeners.forEach(([type, listener]) => host.addEventListener(type, listener, options));
  arm();
  // document.open() erases every listener on the window, RelayGuard's too: a page rewriting
  // itself, or a relay writing its key form into an about:blank frame. It also replaces the
  // document's children, which an observer (not a listener, so not erased) sees: arm again then.
  // Only the document's own children are watched, which ordinary pages change once, at parse.
  const doc = host.document;
  if (doc && typeof MutationObserver === 'function') {
    const observer = new MutationObserver(arm);
    observer.observe(doc, { childList: true });
    signal?.addEventListener('abort', () => observer.disconnect(), { once: true });
  }

  return {
    alive,
    guardEvents: {
      addEventListener(type, listener, options) {
        if (type !== 'paste' && type !== 'drop') throw new Error(`The page bridge carries paste and drop, not ${type}.`);
        if (!listener) return;
        const call: Listener = typeof listener === 'function' ? listener : (event) => listener.handleEvent(event);
        const stop = typeof options === 'object' ? options.signal : undefined;
        if (stop?.aborted) return;
        guardListeners[type].add(call);
        stop?.addEventListener('abort', () => guardListeners[type].delete(call), { once: true });
      },
    },
    setFallback(listener) {
      fallback = listener;
    },
    hold(paste) {
      held?.held.drop();
      held = paste;
    },
    takeHeld() {
      const paste = held;
      held = null;
      return paste;
    },
    claimGuard() {
      if (guardClaimed) return false;
      guardClaimed = true;
      return true;
    },
  };
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}
