/**
 * Clickjacking defence for RelayGuard's buttons in page content, as Chrome's permission prompts
 * do it: a button acts only once its surface has been on screen and unobscured for
 * ARM_DELAY_MS. A page cannot then lure a click onto a button the moment it appears (under a
 * `pointer-events: none` decoy, say, or right after a paste it provoked), nor while it draws
 * anything over it. Visibility comes from IntersectionObserver v2 (`trackVisibility`: the
 * browser's own occlusion check, which sees decoys that let pointer events through) where the
 * browser has it, and from the surface's on-top hit test when the delay is up.
 */

import { isTrustedEvent } from './paste/trusted-event.ts';

/** Long enough that a click aimed at something else lands before it; short enough not to annoy. */
export const ARM_DELAY_MS = 600;
/** IntersectionObserver v2 reports visibility at most this often (its minimum is 100 ms). */
const VISIBILITY_DELAY_MS = 100;

/** The parts of an IntersectionObserverEntry this reads; `isVisible` is v2 (Chromium). */
export interface VisibilityEntry {
  readonly isIntersecting: boolean;
  readonly intersectionRatio: number;
  readonly isVisible?: boolean;
}

export type VisibilityObserverFactory = (
  callback: (entries: readonly VisibilityEntry[]) => void,
  options: IntersectionObserverInit & { trackVisibility?: boolean; delay?: number },
) => { observe(target: Element): void; disconnect(): void };

export interface ArmingDeps {
  readonly element: Element;
  /** Called whenever the buttons start or stop acting. */
  readonly onChange: (armed: boolean) => void;
  /** The on-top hit test (stay-on-top.ts), asked when the delay is up. */
  readonly onTop: () => boolean;
  readonly delayMs?: number;
  /** undefined where the browser has no IntersectionObserver: then the hit test alone decides. */
  readonly observe?: VisibilityObserverFactory;
  /**
   * False in a subframe: Chromium reports every element of a same-process frame as occluded
   * while the top document has anything in its top layer (RelayGuard's own warning, say), so
   * there only the frame's own hit test decides (measured in Chromium 156).
   */
  readonly occlusionKnown?: boolean;
  readonly setTimeout?: (handler: () => void, ms: number) => unknown;
  readonly clearTimeout?: (id: unknown) => void;
}

/**
 * Whether an entry says the element is on screen and, where the browser can tell, unobscured:
 * nothing drawn over it, no opacity, filter or transform on the way. Not "wholly on screen": a
 * question in a frame smaller than itself must still be answerable (its card scrolls).
 * `occlusionKnown` false ignores `isVisible` (see ArmingDeps.occlusionKnown).
 */
export function seenUnobscured(entry: VisibilityEntry, occlusionKnown = true): boolean {
  return entry.isIntersecting && (!occlusionKnown || entry.isVisible !== false);
}

export interface Arming {
  readonly armed: boolean;
  /** Something was found over the surface: the buttons wait for a whole delay again. */
  restart(): void;
  stop(): void;
}

export function armWhenSeen(deps: ArmingDeps): Arming {
  const { delayMs = ARM_DELAY_MS, setTimeout: later = (handler, ms) => setTimeout(handler, ms), clearTimeout: cancel = (id) => clearTimeout(id as ReturnType<typeof setTimeout>) } = deps;
  let armed = false;
  let seen = false;
  let timer: unknown = null;
  let stopped = false;

  const set = (next: boolean) => {
    if (armed === next) return;
    armed = next;
    deps.onChange(armed);
  };
  const schedule = () => {
    if (timer !== null || stopped) return;
    timer = later(() => {
      timer = null;
      if (!seen || stopped) return;
      // Seen whole for the whole delay, and nothing of the page's is hit first: the buttons act.
      if (deps.onTop()) set(true);
      else schedule();
    }, delayMs);
  };
  const onSeen = (next: boolean) => {
    seen = next;
    if (seen) return schedule();
    if (timer !== null) cancel(timer);
    timer = null;
    set(false);
  };

  const observer = deps.observe?.((entries) => {
    const last = entries[entries.length - 1];
    if (last) onSeen(seenUnobscured(last, deps.occlusionKnown ?? true));
  }, { threshold: [0, 1], trackVisibility: true, delay: VISIBILITY_DELAY_MS });
  if (observer) observer.observe(deps.element);
  else onSeen(true);

  return {
    get armed() {
      return armed;
    },
    restart() {
      if (timer !== null) cancel(timer);
      timer = null;
      set(false);
      if (seen) schedule();
    },
    stop() {
      stopped = true;
      observer?.disconnect();
      if (timer !== null) cancel(timer);
      timer = null;
    },
  };
}

/** The browser's IntersectionObserver as a VisibilityObserverFactory, or undefined without one. */
export function browserVisibilityObserver(view: { IntersectionObserver?: typeof IntersectionObserver } | null | undefined): VisibilityObserverFactory | undefined {
  const Observer = view?.IntersectionObserver;
  if (!Observer) return undefined;
  return (callback, options) => new Observer((entries) => callback(entries as unknown as readonly VisibilityEntry[]), options);
}

/** A button's handler: runs `action` for real input once the buttons are armed, ignores all else. */
export function whenArmed<E extends Event>(armed: boolean, action: (event: E) => void): (event: E) => void {
  return (event) => {
    if (armed && isTrustedEvent(event)) action(event);
  };
}
