/**
 * Checks that one of RelayGuard's surfaces is really what the person sees where it stands. The
 * surfaces live in the top layer (a manual popover, a modal dialog), above anything in the
 * page's own stacking, whatever its z-index or clip-path; but a page can still put its own
 * top-layer element above them (`dialog.showModal()`, a popover shown later). So, on a cheap
 * schedule while the surface is shown, the point at its centre and near each corner is hit
 * tested: each must land on RelayGuard's host (hits inside its closed shadow root are
 * retargeted to it). When one does not, the surface is raised back to the top of the top layer
 * (a bounded number of times); a page that keeps covering it wins the screen, and the surface
 * stops fighting and says so (`onHidden`), so the verdict is shown where no page can reach.
 */

/** How a page hid a surface: something kept being drawn over it, or it kept being removed. */
export type HiddenHow = 'covered' | 'removed';
export const HIDDEN_HOWS = ['covered', 'removed'] as const satisfies readonly HiddenHow[];
/** The surfaces whose hiding counts against a page (the notice is a courtesy, not a warning). */
export const HIDDEN_SURFACES = ['warning', 'paste-guard'] as const;
export type HiddenSurface = (typeof HIDDEN_SURFACES)[number];

/** How often a shown surface is hit tested: five `elementFromPoint` calls a second. */
const ON_TOP_CHECK_MS = 1000;
/** Raises allowed before a surface gives up: a page covering it again each time is fighting. */
const RAISE_LIMIT = 3;
/** How far inside each corner the corner points sit (past the cards' 10 px rounded corners). */
const CORNER_INSET_PX = 12;

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** The centre of `rect` and a point near each corner, inside the viewport. */
export function probePoints(rect: Rect, viewport: { readonly width: number; readonly height: number }): Array<readonly [number, number]> {
  const inset = (low: number, high: number) => (high - low > 2 * CORNER_INSET_PX ? [low + CORNER_INSET_PX, high - CORNER_INSET_PX] : [(low + high) / 2, (low + high) / 2]);
  const [left, right] = inset(rect.left, rect.right) as [number, number];
  const [top, bottom] = inset(rect.top, rect.bottom) as [number, number];
  const points: Array<readonly [number, number]> = [
    [(rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2],
    [left, top],
    [right, top],
    [left, bottom],
    [right, bottom],
  ];
  return points.filter(([x, y]) => x >= 0 && y >= 0 && x < viewport.width && y < viewport.height);
}

/**
 * Whether every probe point of `rect` hits one of RelayGuard's own hosts (true when there is
 * nothing to check). The paste question, a modal dialog, is over the warning card while it is
 * open: RelayGuard covering itself is not the page hiding anything.
 */
export function hitsOnlyOurs(
  host: Element,
  rect: Rect | null,
  hitTest: (x: number, y: number) => Element | null,
  viewport: { readonly width: number; readonly height: number },
  isOurs: (element: Element | null) => boolean = (element) => element === host,
): boolean {
  if (!rect || !host.isConnected) return true;
  return probePoints(rect, viewport).every(([x, y]) => isOurs(hitTest(x, y)));
}

export interface OnTopDeps {
  /** The surface's host element: what the document's hit test returns for a point on the surface. */
  readonly host: Element;
  /** Whether a hit is on one of RelayGuard's hosts (this one unless told). */
  readonly isOurs?: (element: Element | null) => boolean;
  /** The card's rectangle in the viewport, or null while there is none to check. */
  readonly rect: () => Rect | null;
  /** Puts the surface back at the top of the top layer. */
  readonly raise: () => void;
  /** The page won: called once, and the watch stops. */
  readonly onHidden: (how: HiddenHow) => void;
  readonly hitTest?: (x: number, y: number) => Element | null;
  readonly viewport?: () => { readonly width: number; readonly height: number };
  readonly intervalMs?: number;
  readonly raiseLimit?: number;
  readonly setInterval?: (handler: () => void, ms: number) => unknown;
  readonly clearInterval?: (id: unknown) => void;
}

export interface OnTopWatch {
  /** Checks now (raising, or giving up, as the schedule would); true when the surface is on top. */
  check(): boolean;
  /** Whether the last check found the surface on top (true before the first). */
  readonly onTop: boolean;
  stop(): void;
}

export function watchOnTop(deps: OnTopDeps): OnTopWatch {
  const doc = deps.host.ownerDocument;
  const view = doc.defaultView;
  const {
    hitTest = (x, y) => doc.elementFromPoint(x, y),
    viewport = () => ({ width: view?.innerWidth ?? 0, height: view?.innerHeight ?? 0 }),
    intervalMs = ON_TOP_CHECK_MS,
    raiseLimit = RAISE_LIMIT,
    setInterval: every = (handler, ms) => setInterval(handler, ms),
    clearInterval: cancel = (id) => clearInterval(id as ReturnType<typeof setInterval>),
  } = deps;
  let raises = 0;
  let stopped = false;
  let onTop = true;

  // Nothing shown (yet) counts as on top: removal is keep-attached.ts's to notice.
  const isOnTop = (): boolean => hitsOnlyOurs(deps.host, deps.rect(), hitTest, viewport(), deps.isOurs);

  const check = (): boolean => {
    if (stopped) return onTop;
    onTop = isOnTop();
    if (onTop) return true;
    if (raises < raiseLimit) {
      raises++;
      deps.raise();
      onTop = isOnTop();
      return onTop;
    }
    watch.stop();
    deps.onHidden('covered');
    return false;
  };

  const timer = every(() => void check(), intervalMs);
  const watch: OnTopWatch = {
    check,
    get onTop() {
      return onTop;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      cancel(timer);
    },
  };
  return watch;
}
